"""Calibrate the kinetics model of notebook 03 against published summary observations.

Run ``make fit-kinetics`` (or ``python scripts/fit_kinetics.py``). The script

1. fits the parameters named in ``widgets.kinetics.FITTED`` by least squares (SciPy) to the targets
   below, each with its source;
2. chooses the relapse scenario's return rate of autoreactive memory (a one-dimensional root);
3. prints every target beside the model's value, for the fitted values and for the committed ones,
   and the constants to paste into ``widgets/kinetics.py``.

``--check`` skips the fit and prints the table for the committed constants; it exits with status 1
when a target is missed (the test suite runs the same check). The fit is deterministic: the same
start gives the same result.
"""
from __future__ import annotations

import argparse
import math
import sys
from dataclasses import dataclass
from typing import Callable

import numpy as np
from scipy.optimize import brentq, least_squares

from widgets import kinetics
from widgets.evidence import STUDIES

_FIRST = STUDIES["mackensen2022"]

# Fitted in log space, within these bounds [1/day].
FIT_BOUNDS = {
    "proliferation_rate_per_day": (0.3, 3.0),
    "persistence_loss_rate_per_day": (0.003, 0.3),
    "precursor_regeneration_per_day": (0.001, 0.5),
    "anti_car_priming_per_day": (0.0005, 0.1),
}
RELAPSE_DAY = 270.0  # Nat Med case 2025: relapse 9 months after CD19 CAR T cells (a myositis, not SLE)
RELAPSE_ANTI_DSDNA_FRACTION = 0.30  # this course's reading of "relapsed": anti-dsDNA back to twice its low point


def _log_crossing_day(t: np.ndarray, y: np.ndarray, level: float, start: int) -> float:
    """First day after index ``start`` at which ``y`` reaches ``level``, interpolated on a log scale."""
    above = np.nonzero(y[start:] >= level)[0]
    if not above.size:
        return float(t[-1]) + 100.0  # not back within the run: a large, finite miss
    i = start + int(above[0])
    if i == 0:
        return float(t[0])
    lo, hi = math.log(max(y[i - 1], 1e-12)), math.log(max(y[i], 1e-12))
    frac = 0.0 if hi == lo else (math.log(level) - lo) / (hi - lo)
    return float(t[i - 1] + frac * (t[i] - t[i - 1]))


def peak_day_continuous(res: kinetics.KineticsResult) -> float:
    """Day of the CAR-T peak, refined by a parabola through the three grid points around it."""
    y = np.log(np.maximum(res.car_t_cells_per_ul, 1e-12))
    i = int(np.argmax(y))
    if i == 0 or i == y.size - 1:
        return float(res.t_days[i])
    denom = y[i - 1] - 2 * y[i] + y[i + 1]
    shift = 0.0 if denom == 0 else 0.5 * (y[i - 1] - y[i + 1]) / denom
    return float(res.t_days[i] + shift * kinetics.GRID_STEP_DAYS)


def return_day_continuous(res: kinetics.KineticsResult) -> float:
    """B cells detected again, interpolated between grid points (smooth for the optimiser)."""
    limit = res.parameters["b_cell_detection_limit_cells_per_ul"]
    if res.b_cell_aplasia_day is None:
        return 0.0
    start = int(round(res.b_cell_aplasia_day / kinetics.GRID_STEP_DAYS))
    return _log_crossing_day(res.t_days, res.b_cells_per_ul, limit, start)


@dataclass(frozen=True)
class Target:
    """A published observation the model is fitted to, and how to read the model's value."""

    name: str
    published: str
    source: str
    model: Callable[[kinetics.KineticsResult], float]
    residual: Callable[[float], float]  # 0 when met; about 1 per standard deviation or tolerance missed
    met: Callable[[float], bool]
    unit: str


def _hinge(excess: float) -> float:
    return max(0.0, excess)


TARGETS = (
    Target("CAR-T peak in blood", "second week (days 7-14)",
           "Assumed from CD19 CAR-T in lymphoma and leukaemia; no SLE peak day verified",
           peak_day_continuous, lambda v: (v - 10.5) / 3.5, lambda v: 7 <= v <= 14, "day"),
    Target("B cells below detection by", "day 14 ('deep depletion')",
           "Mackensen 2022 (deep depletion; the day is this course's reading)",
           lambda r: r.b_cell_aplasia_day if r.b_cell_aplasia_day is not None else 999.0,
           lambda v: _hinge(v - 14.0) / 3.0, lambda v: v <= 14, "day"),
    Target("B cells detected again", f"{kinetics.PUBLISHED_B_CELL_RETURN_DAYS:g} +/- "
           f"{kinetics.PUBLISHED_B_CELL_RETURN_SD_DAYS:g} days (mean +/- SD, {_FIRST.patients_sle} patients)", "Mackensen 2022",
           return_day_continuous,
           lambda v: (v - kinetics.PUBLISHED_B_CELL_RETURN_DAYS) / kinetics.PUBLISHED_B_CELL_RETURN_SD_DAYS,
           lambda v: abs(v - kinetics.PUBLISHED_B_CELL_RETURN_DAYS) <= kinetics.PUBLISHED_B_CELL_RETURN_SD_DAYS,
           "day"),
    Target("Anti-dsDNA at day 90", f"seroconverted in {_FIRST.doris.n} of {_FIRST.doris.N} by {_FIRST.doris_timepoint} "
           "(read here as <= 30% of baseline)",
           "Mackensen 2022 (the 30% reading is this course's)",
           lambda r: r.at_day("autoantibody_fraction", 90), lambda v: _hinge(v - 0.30) / 0.05, lambda v: v <= 0.30,
           "fraction of baseline"),
    Target("Protective antibodies at day 180", "vaccine titres kept (read here as >= 80% of baseline)",
           "Bhoj 2016 (leukaemia; the 80% reading is this course's)",
           lambda r: r.at_day("protective_antibody_fraction", 180), lambda v: _hinge(0.80 - v) / 0.05,
           lambda v: v >= 0.80, "fraction of baseline"),
)


def _run(values: dict[str, float], **extra: float) -> kinetics.KineticsResult:
    return kinetics.simulate(kinetics.DEFAULT_DOSE_CELLS_PER_KG, 365, **{**values, **extra})


def residuals(log_x: np.ndarray) -> np.ndarray:
    values = dict(zip(FIT_BOUNDS, np.exp(log_x).tolist()))
    res = _run(values)
    return np.array([target.residual(target.model(res)) for target in TARGETS])


def fit(start: dict[str, float] | None = None) -> dict[str, float]:
    """Least-squares fit of the FITTED parameters, from ``start`` (default: the committed values)."""
    start = dict(start or kinetics.FITTED)
    x0 = np.log([start[name] for name in FIT_BOUNDS])
    lower = np.log([lo for lo, _ in FIT_BOUNDS.values()])
    upper = np.log([hi for _, hi in FIT_BOUNDS.values()])
    x0 = np.clip(x0, lower + 1e-9, upper - 1e-9)
    sol = least_squares(residuals, x0, bounds=(lower, upper), diff_step=0.02, x_scale=1.0, max_nfev=200)
    return {name: float(f"{value:.3g}") for name, value in zip(FIT_BOUNDS, np.exp(sol.x))}


def fit_relapse(values: dict[str, float]) -> float:
    """Return rate of autoreactive memory that brings anti-dsDNA back to RELAPSE_ANTI_DSDNA_FRACTION by the relapse day."""
    def gap(log_rate: float) -> float:
        res = kinetics.simulate(kinetics.DEFAULT_DOSE_CELLS_PER_KG, 400, **values,
                                autoreactive_memory_return_per_day=math.exp(log_rate))
        return res.at_day("autoantibody_fraction", RELAPSE_DAY) - RELAPSE_ANTI_DSDNA_FRACTION
    return float(f"{math.exp(brentq(gap, math.log(1e-4), math.log(1.0), xtol=1e-3)):.3g}")


def table(values: dict[str, float], relapse_rate: float) -> tuple[str, bool]:
    """The targets beside the model's values; and whether every target is met."""
    res = _run(values)
    rows = [f"{'target':34} {'published (and this course reading)':58} {'model':>8}  met  source"]
    ok = True
    for target in TARGETS:
        value = target.model(res)
        met = target.met(value)
        ok &= met
        rows.append(f"{target.name:34} {target.published:58} {value:8.3g}  {'yes' if met else 'NO ':3}  {target.source}")
    relapse = kinetics.simulate(kinetics.DEFAULT_DOSE_CELLS_PER_KG, 400, **values,
                                autoreactive_memory_return_per_day=relapse_rate)
    back = relapse.at_day("autoantibody_fraction", RELAPSE_DAY)
    met = abs(back - RELAPSE_ANTI_DSDNA_FRACTION) <= 0.05
    ok &= met
    rows.append(f"{'Relapse: anti-dsDNA at day 270':34} {'relapse at 9 months (read here: back to 30% of baseline)':58} "
                f"{back:8.3g}  {'yes' if met else 'NO ':3}  Nat Med case 2025")
    no_ld = _run(values, lymphodepletion=0.0)
    direction = (no_ld.peak_car_t_cells_per_ul < res.peak_car_t_cells_per_ul
                 and (no_ld.b_cell_return_day or 0) < (res.b_cell_return_day or 1e9))
    ok &= direction
    rows.append(f"{'No lymphodepletion (check, not fit)':34} {'less expansion and persistence (lymphoma, Cy without Flu)':58} "
                f"{'peak %.3g, back day %s' % (no_ld.peak_car_t_cells_per_ul, no_ld.b_cell_return_day):>8}  "
                f"{'yes' if direction else 'NO ':3}  Turtle 2016")
    return "\n".join(rows), ok


def constants_block(values: dict[str, float], relapse_rate: float) -> str:
    lines = ["FITTED = MappingProxyType({"] + [f'    "{k}": {v!r},' for k, v in values.items()] + ["})"]
    lines.append(f"FITTED_RELAPSE_MEMORY_RETURN_PER_DAY = {relapse_rate!r}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="no fit: check the committed constants only")
    args = parser.parse_args(argv)
    committed = dict(kinetics.FITTED)
    committed_relapse = kinetics.FITTED_RELAPSE_MEMORY_RETURN_PER_DAY
    if not args.check:
        fitted = fit(committed)
        relapse_rate = fit_relapse(fitted)
        text, ok = table(fitted, relapse_rate)
        print("Fitted now (least squares from the committed values):\n" + text + "\n")
        print("Constants to paste into widgets/kinetics.py:\n" + constants_block(fitted, relapse_rate) + "\n")
    text, ok = table(committed, committed_relapse)
    print("Committed constants:\n" + text)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
