"""What happens in the body after a CD19 CAR-T infusion for SLE: a small mechanistic model.

Nothing here imports ipywidgets or plots. :func:`simulate` solves eight ordinary differential
equations with :func:`scipy.integrate.solve_ivp` (LSODA, which switches to a stiff method when it
needs to) and returns the blood counts and antibody levels on a fixed grid of quarter days.

The model is a teaching model. Its parameters are not fitted to patient data; they are chosen,
one by one, so that the default run reproduces what was published for SLE
(Mackensen et al., Nat Med 2022;28:2124-32): CAR T cells expand and then contract, circulating
B cells disappear within the first weeks and come back after a mean of 110 +/- 32 days, and
anti-dsDNA antibodies fall while antibodies made by long-lived plasma cells persist
(CD19-negative long-lived plasma cells: Mei et al., Blood 2015;125:1739-48). Each parameter's
docstring entry in :data:`PARAMETERS` says where its value comes from.

Equations (E effector and M persisting CAR T cells, B B cells, all per microlitre of blood;
R autoreactive memory B cells, S short-lived plasmablasts and X the antibody they made, as
fractions of baseline; subscript p for protective, a for autoantibody)::

    C  = E + M
    h  = (1 + boost * LD * exp(-t / tau_cyt)) * exp(-t / tau_exh)
    dE/dt = rho * h * B / (B + K_B) * E - (d_E + mu) * E
    dM/dt = mu * E - d_M * M
    dB/dt = d_B * B_0 - d_B * B - k * C * B
    dR/dt = r_R * (B / B_0 - R) - k * C * R
    dS_p/dt = k_S * (B / B_0 - S_p) - k * C * S_p      dX_p/dt = k_Ab * (S_p - X_p)
    dS_a/dt = k_S * (R - S_a) - k * C * S_a            dX_a/dt = k_Ab * (S_a - X_a)

    autoantibody fraction = (1 - f_auto) + f_auto * X_a
    protective antibody fraction = (1 - f_prot) + f_prot * X_p
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import lru_cache
from types import MappingProxyType

import numpy as np
from scipy.integrate import solve_ivp

from .evidence import STUDIES
from .validate import require_number

__all__ = [
    "Parameter",
    "PARAMETERS",
    "DEFAULT_DOSE_CELLS_PER_KG",
    "DOSE_RANGE_CELLS_PER_KG",
    "DAYS_RANGE",
    "GRID_STEP_DAYS",
    "B_CELL_RETURN_FRACTION",
    "PUBLISHED_B_CELL_RETURN_DAYS",
    "PUBLISHED_B_CELL_RETURN_SD_DAYS",
    "KineticsResult",
    "simulate",
    "describe",
]

# Study numbers come from the course's one evidence table (widgets.evidence), never typed again here.
_MACKENSEN = STUDIES["mackensen2022"]
# Mackensen et al., Nat Med 2022: 1 x 10^6 CAR T cells per kg body weight.
DEFAULT_DOSE_CELLS_PER_KG = float(_MACKENSEN.dose_cells_per_kg)
# Accepted doses: none at all up to 1 x 10^9 per kg (far beyond any dose given; the model stays defined).
DOSE_RANGE_CELLS_PER_KG = (0.0, 1e9)
DAYS_RANGE = (1.0, 1825.0)  # one day to five years
GRID_STEP_DAYS = 0.25  # results are reported every 6 hours
# "Returned" = B cells above 10% of their pre-treatment level after the nadir (a choice of this course;
# Mackensen 2022 reports the day B cells reappeared, detected by flow cytometry).
B_CELL_RETURN_FRACTION = 0.10
PUBLISHED_B_CELL_RETURN_DAYS = float(_MACKENSEN.b_cell_return_days_mean)  # Mackensen 2022: mean reappearance
PUBLISHED_B_CELL_RETURN_SD_DAYS = float(_MACKENSEN.b_cell_return_days_sd)  # Mackensen 2022: standard deviation

_BLOOD_VOLUME_UL_PER_KG = 70_000.0  # about 70 mL of blood per kg body weight in adults (textbook physiology)


@dataclass(frozen=True)
class Parameter:
    """One model parameter: default value, accepted range, unit and where the value comes from."""

    default: float
    minimum: float
    maximum: float
    unit: str
    meaning: str
    source: str


PARAMETERS: dict[str, Parameter] = {
    "proliferation_rate_per_day": Parameter(
        1.0, 0.0, 3.0, "1/day", "Maximal antigen-driven proliferation rate of CAR T cells (rho).",
        "Chosen to reproduce a blood peak within one to two weeks; 1/day is a doubling time of about 17 h at full stimulation."),
    "lymphodepletion": Parameter(
        1.0, 0.0, 1.0, "0-1", "Intensity of lymphodepleting chemotherapy (LD): 0 none, 1 the full fludarabine + cyclophosphamide course.",
        "A control, not a measured quantity."),
    "lymphodepletion_cytokine_boost": Parameter(
        1.0, 0.0, 5.0, "-", "Extra proliferation from homeostatic cytokines (IL-7, IL-15) freed by lymphodepletion, at day 0 (boost).",
        "Mechanism: Gattinoni 2005 (removal of cytokine sinks). Size chosen: doubles proliferation at infusion."),
    "cytokine_decay_days": Parameter(
        10.0, 0.5, 100.0, "days", "Time constant over which the lymphodepletion cytokine effect fades (tau_cyt).",
        "Chosen: lymphocyte counts recover over weeks after fludarabine and cyclophosphamide."),
    "exhaustion_time_days": Parameter(
        30.0, 1.0, 1000.0, "days", "Time constant over which the infused cells lose their capacity to proliferate (tau_exh).",
        "Chosen so that returning B cells do not trigger a second expansion, as none was reported in SLE (Mackensen 2022)."),
    "antigen_half_saturation_b_cells_per_ul": Parameter(
        2.0, 0.01, 1000.0, "cells/uL", "B-cell count at which antigen stimulation of CAR T cells is half-maximal (K_B).",
        "Chosen: expansion continues until blood B cells are nearly gone, giving the peak in the second week."),
    "effector_death_rate_per_day": Parameter(
        0.2, 0.0, 5.0, "1/day", "Death rate of effector CAR T cells (d_E): the contraction after the peak.",
        "Chosen to give a contraction over two to four weeks."),
    "persistence_conversion_rate_per_day": Parameter(
        0.1, 0.0, 5.0, "1/day", "Rate at which effector CAR T cells become long-lived persisting cells (mu).",
        "Chosen together with the persistence loss rate to return B cells at about day 110 (Mackensen 2022)."),
    "persistence_loss_rate_per_day": Parameter(
        0.035, 0.0, 5.0, "1/day", "Loss rate of persisting CAR T cells (d_M); half-life ln 2 / d_M, about 20 days.",
        "Chosen to reproduce B-cell return at about 110 days (Mackensen 2022: mean 110 +/- 32 days)."),
    "killing_rate_ul_per_cell_per_day": Parameter(
        0.05, 0.0, 10.0, "uL/(cell day)", "Rate at which one CAR T cell per uL removes CD19-positive cells (k).",
        "Chosen so that blood B cells fall below 1% of baseline within the first weeks (Mackensen 2022: deep B-cell depletion)."),
    "baseline_b_cells_per_ul": Parameter(
        150.0, 1.0, 2000.0, "cells/uL", "B cells in blood before treatment (B_0).",
        "Illustrative round number; results are read relative to baseline, so the choice changes little."),
    "b_cell_turnover_per_day": Parameter(
        0.02, 0.001, 1.0, "1/day", "B-cell loss rate, balanced at baseline by a constant supply from the bone marrow (d_B).",
        "Chosen: marrow supply d_B * B_0 refills the blood over weeks once killing stops."),
    "lymphodepletion_b_cell_reduction": Parameter(
        0.5, 0.0, 1.0, "fraction", "Share of blood B cells removed by the chemotherapy itself, at full intensity.",
        "Illustrative: fludarabine and cyclophosphamide lower all lymphocytes, B cells included."),
    "blood_fraction_at_infusion": Parameter(
        0.01, 0.0001, 1.0, "fraction", "Share of the infused CAR T cells counted in blood right after infusion.",
        "Chosen: most infused cells leave the blood for tissues; blood counts start low and rise with expansion."),
    "autoreactive_memory_return_per_day": Parameter(
        0.0, 0.0, 1.0, "1/day", "Rate at which autoreactive memory B cells come back with the returning B cells (r_R).",
        "0 by default: B cells that reappeared in SLE were naive, with non-class-switched receptors, and remission "
        "held after their return (Mackensen 2022). Raise it to explore a relapse."),
    "plasmablast_half_life_days": Parameter(
        3.0, 0.1, 100.0, "days", "Half-life of short-lived plasmablasts, which carry CD19 and are made from B cells (ln 2 / k_S).",
        "Approximate: plasmablasts live days (general immunology)."),
    "igg_half_life_days": Parameter(
        21.0, 1.0, 100.0, "days", "Half-life of IgG antibody in blood (ln 2 / k_Ab).",
        "Approximate textbook value for IgG1, about three weeks."),
    "autoantibody_share_from_short_lived": Parameter(
        0.9, 0.0, 1.0, "fraction", "Share of anti-dsDNA made by short-lived plasmablasts (f_auto); the rest by long-lived plasma cells.",
        "Chosen: anti-dsDNA fell and seroconverted after CD19 CAR T cells (Mackensen 2022); some autoantibody can come from CD19-negative plasma cells (Mei 2015)."),
    "protective_antibody_share_from_short_lived": Parameter(
        0.1, 0.0, 1.0, "fraction", "Share of protective (vaccine) antibodies made by short-lived plasmablasts (f_prot).",
        "Chosen: most long-term protective IgG comes from CD19-negative long-lived plasma cells in the marrow (Mei 2015)."),
}


@dataclass(frozen=True)
class KineticsResult:
    """The outcome of one :func:`simulate` run. Arrays share the time grid ``t_days`` and are read-only.

    Attributes
    ----------
    t_days : numpy.ndarray, shape (n,)
        Days after infusion, every :data:`GRID_STEP_DAYS` days from 0 to ``days``.
    car_t_cells_per_ul : numpy.ndarray, shape (n,)
        CAR T cells in blood [cells/uL] (effector plus persisting).
    b_cells_per_ul : numpy.ndarray, shape (n,)
        B cells in blood [cells/uL].
    autoantibody_fraction : numpy.ndarray, shape (n,)
        Anti-dsDNA level as a fraction of its pre-treatment level (1.0 at baseline).
    protective_antibody_fraction : numpy.ndarray, shape (n,)
        Protective (e.g. vaccine) antibody level as a fraction of baseline (1.0 at baseline).
    peak_day : float
        Day of the highest CAR T-cell count in blood (0.0 when no cells were given).
    peak_car_t_cells_per_ul : float
        That highest count [cells/uL].
    b_cell_nadir_fraction : float
        Lowest B-cell count as a fraction of baseline.
    b_cell_return_day : float or None
        First day after the B-cell nadir on which B cells exceed :data:`B_CELL_RETURN_FRACTION`
        (10%) of their pre-treatment level. ``None`` when B cells never fell below that level
        (no B-cell aplasia) or had not returned by the end of the run.
    dose_cells_per_kg : float
        The dose simulated [CAR T cells/kg].
    parameters : mapping
        Every parameter used, defaults included (read-only).
    """

    t_days: np.ndarray
    car_t_cells_per_ul: np.ndarray
    b_cells_per_ul: np.ndarray
    autoantibody_fraction: np.ndarray
    protective_antibody_fraction: np.ndarray
    peak_day: float
    peak_car_t_cells_per_ul: float
    b_cell_nadir_fraction: float
    b_cell_return_day: float | None
    dose_cells_per_kg: float
    parameters: MappingProxyType = field(default_factory=lambda: MappingProxyType({}))

    def at_day(self, name: str, day: float) -> float:
        """Return the value of the array ``name`` on the grid point nearest to ``day``."""
        arrays = ("car_t_cells_per_ul", "b_cells_per_ul", "autoantibody_fraction", "protective_antibody_fraction")
        if name not in arrays:
            raise ValueError(f"name = {name!r} is not recognised; accepted: {', '.join(arrays)}.")
        day = require_number("day", day, minimum=0.0, maximum=float(self.t_days[-1]), unit="days")
        return float(getattr(self, name)[int(round(day / GRID_STEP_DAYS))])


def _check(dose_cells_per_kg: object, days: object, params: dict[str, object]) -> tuple[float, float, tuple]:
    unknown = sorted(set(params) - set(PARAMETERS))
    if unknown:
        raise ValueError(
            f"unknown parameter(s) {', '.join(repr(k) for k in unknown)}; accepted: {', '.join(PARAMETERS)}."
        )
    dose = require_number("dose_cells_per_kg", dose_cells_per_kg, minimum=DOSE_RANGE_CELLS_PER_KG[0],
                          maximum=DOSE_RANGE_CELLS_PER_KG[1], unit="cells/kg")
    days = require_number("days", days, minimum=DAYS_RANGE[0], maximum=DAYS_RANGE[1], unit="days")
    values = []
    for name, spec in PARAMETERS.items():
        value = params.get(name, spec.default)
        values.append(require_number(name, value, minimum=spec.minimum, maximum=spec.maximum, unit=spec.unit))
    return dose, days, tuple(values)


def simulate(dose_cells_per_kg: float = DEFAULT_DOSE_CELLS_PER_KG, days: float = 365, **params: float) -> KineticsResult:
    """Simulate CAR T cells, B cells and antibodies after one CD19 CAR-T infusion.

    Parameters
    ----------
    dose_cells_per_kg : float
        CAR T cells infused per kg body weight; 0 to 1e9 (default 1e6, the dose of Mackensen 2022).
    days : float
        How long to simulate [days], 1 to 1825 (default 365).
    **params : float
        Any of the names in :data:`PARAMETERS`, e.g. ``proliferation_rate_per_day=0.7`` or
        ``lymphodepletion=0``. Omitted parameters take their defaults.

    Returns
    -------
    KineticsResult
        Arrays on a grid of :data:`GRID_STEP_DAYS` days plus the derived ``peak_day`` and
        ``b_cell_return_day`` (first day after the nadir with B cells above 10% of baseline).

    Raises
    ------
    ValueError
        For an unknown parameter name, a negative or out-of-range value, or a non-finite number.
    TypeError
        For a value that is not a number.

    Notes
    -----
    Runs are cached: the same inputs return the same (read-only) result without solving again.
    """
    dose, days, values = _check(dose_cells_per_kg, days, params)
    return _solve(dose, days, values)


@lru_cache(maxsize=256)
def _solve(dose: float, days: float, values: tuple) -> KineticsResult:
    p = dict(zip(PARAMETERS, values))
    rho = p["proliferation_rate_per_day"]
    ld = p["lymphodepletion"]
    boost = p["lymphodepletion_cytokine_boost"]
    tau_cyt = p["cytokine_decay_days"]
    tau_exh = p["exhaustion_time_days"]
    k_b = p["antigen_half_saturation_b_cells_per_ul"]
    d_e = p["effector_death_rate_per_day"]
    mu = p["persistence_conversion_rate_per_day"]
    d_m = p["persistence_loss_rate_per_day"]
    kill = p["killing_rate_ul_per_cell_per_day"]
    b0 = p["baseline_b_cells_per_ul"]
    d_b = p["b_cell_turnover_per_day"]
    r_r = p["autoreactive_memory_return_per_day"]
    k_s = math.log(2) / p["plasmablast_half_life_days"]
    k_ab = math.log(2) / p["igg_half_life_days"]

    def rhs(t, y):
        e, m, b, s_p, x_p, r, s_a, x_a = np.maximum(y, 0.0)  # solver round-off may dip a hair below zero
        c = e + m
        killing = kill * c
        stimulation = (1.0 + boost * ld * math.exp(-t / tau_cyt)) * math.exp(-t / tau_exh) * b / (b + k_b)
        return (
            (rho * stimulation - d_e - mu) * e,
            mu * e - d_m * m,
            d_b * b0 - d_b * b - killing * b,
            k_s * (b / b0 - s_p) - killing * s_p,
            k_ab * (s_p - x_p),
            r_r * (b / b0 - r) - killing * r,
            k_s * (r - s_a) - killing * s_a,
            k_ab * (s_a - x_a),
        )

    t = np.arange(0.0, days + GRID_STEP_DAYS / 2, GRID_STEP_DAYS)
    c0 = dose / _BLOOD_VOLUME_UL_PER_KG * p["blood_fraction_at_infusion"]
    y0 = (c0, 0.0, b0 * (1.0 - p["lymphodepletion_b_cell_reduction"] * ld), 1.0, 1.0, 1.0, 1.0, 1.0)
    sol = solve_ivp(rhs, (0.0, float(t[-1])), y0, method="LSODA", t_eval=t, rtol=1e-6, atol=1e-9)
    if not sol.success:  # pragma: no cover - LSODA handles the whole accepted range
        raise RuntimeError(f"the solver failed: {sol.message}")
    e, m, b, _s_p, x_p, _r, _s_a, x_a = np.maximum(sol.y, 0.0)
    car_t = e + m
    auto = (1.0 - p["autoantibody_share_from_short_lived"]) + p["autoantibody_share_from_short_lived"] * x_a
    prot = (1.0 - p["protective_antibody_share_from_short_lived"]) + p["protective_antibody_share_from_short_lived"] * x_p

    peak_index = int(np.argmax(car_t)) if dose > 0 else 0
    if dose == 0:
        car_t = np.zeros_like(t)  # no cells given: remove the solver's round-off
    nadir_index = int(np.argmin(b))
    threshold = B_CELL_RETURN_FRACTION * b0
    return_day = None
    if b[nadir_index] < threshold:
        after = np.nonzero(b[nadir_index:] > threshold)[0]
        if after.size:
            return_day = float(t[nadir_index + after[0]])
    arrays = [t, car_t, b, auto, prot]
    for arr in arrays:
        arr.setflags(write=False)
    return KineticsResult(
        t_days=t, car_t_cells_per_ul=car_t, b_cells_per_ul=b, autoantibody_fraction=auto,
        protective_antibody_fraction=prot, peak_day=float(t[peak_index]),
        peak_car_t_cells_per_ul=float(car_t[peak_index]), b_cell_nadir_fraction=float(b[nadir_index] / b0),
        b_cell_return_day=return_day, dose_cells_per_kg=dose, parameters=MappingProxyType(p),
    )



def describe(result: KineticsResult) -> str:
    """Return the run's key numbers as plain text, each beside its published comparison."""
    if not isinstance(result, KineticsResult):
        raise TypeError(f"result must be a KineticsResult from simulate(); got {type(result).__name__}.")
    ret = result.b_cell_return_day
    lines = [
        f"Dose: {result.dose_cells_per_kg:.1e} CAR T cells per kg",
        f"CAR T cells peak on day {result.peak_day:g} (design target of this model: one to two weeks)",
        f"Lowest B-cell count: {100 * result.b_cell_nadir_fraction:.2f}% of baseline (published: deep B-cell depletion)",
        ("B cells back above 10% of baseline on day " + f"{ret:g}" if ret is not None else
         "B cells not back above 10% of baseline in this run")
        + f" (published: {PUBLISHED_B_CELL_RETURN_DAYS:g} +/- {PUBLISHED_B_CELL_RETURN_SD_DAYS:g} days)",
    ]
    if result.t_days[-1] >= 90:
        lines.append(f"Day 90: anti-dsDNA at {100 * result.at_day('autoantibody_fraction', 90):.0f}% and protective "
                     f"antibodies at {100 * result.at_day('protective_antibody_fraction', 90):.0f}% of baseline")
    return "\n".join(lines)
