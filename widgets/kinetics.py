"""What happens in the body after a CD19 CAR-T infusion for SLE: a small mechanistic model.

Nothing here imports ipywidgets or plots. :func:`simulate` solves eleven ordinary differential
equations with LSODA (through ``scipy.integrate.odeint``; it switches to a stiff method when it needs
to), under a step and time budget, and returns blood counts and antibody levels on a grid of quarter days.

The mechanisms are the ones that give the published shape of the response
(Mackensen et al., Nat Med 2022;28:2124-32; Muller et al., NEJM 2024;390:687-700):

* CAR T cells expand when they meet CD19-positive B cells, and also, without any antigen, on the
  homeostatic cytokines that lymphodepletion frees; host lymphocytes compete for those cytokines
  and, once they recover, can reject the CAR T cells (lymphoma: Turtle et al., Sci Transl Med 2016;
  a relapse with anti-CAR T cells: Nat Med 2025 case, doi:10.1038/s41591-025-03718-3).
* Blood B cells are supplied from CD19-positive precursors in the marrow, which the CAR T cells
  remove too (Kochenderfer et al., Blood 2010), so the blood stays empty while enough functional
  CAR T cells persist and refills when they fade.
* Anti-dsDNA comes partly from short-lived CD19-positive plasmablasts (removed) and partly from
  CD19-negative long-lived plasma cells (not reached: Mei et al., Blood 2015; Feng et al., Nat Med 2025).

The parameters marked "fitted" were chosen by ``scripts/fit_kinetics.py`` (``make fit-kinetics``),
which prints the fit beside its published targets; the others carry their source or reason in
:data:`PARAMETERS`.

Equations (E effector and M persisting CAR T cells, B blood B cells, all per microlitre; P CD19+
marrow precursors, H host lymphocytes, A host immunity against the CAR, R autoreactive memory B
cells, S plasmablasts and X the antibody they made, all as fractions)::

    C = E + M                     phi = 1 - C / C_max                   g = exp(-t / tau_exh)
    z = (1 - H) exp(-t / tau_cyt)      (the surplus of homeostatic cytokines after lymphodepletion)
    dE/dt = [(rho g B/(B + K_B) + eta z) phi - d_E - mu - delta_A A] E
    dM/dt = mu E + [eta z phi - d_M - delta_A A] M
    dH/dt = (1 - H) / tau_H,          H(0) = 1 - LD * depth
    dA/dt = g_A H (1 - A),            A(0) = 0
    dP/dt = r_P (1 - P) - k C P
    dB/dt = d_B B_0 P - d_B B - k C B
    dR/dt = r_R (B/B_0 - R) - k C R
    dS_p/dt = k_S (B/B_0 - S_p) - k C S_p      dX_p/dt = k_Ab (S_p - X_p)
    dS_a/dt = k_S (R - S_a) - k C S_a          dX_a/dt = k_Ab (S_a - X_a)

    anti-dsDNA = (1 - f_auto) + f_auto X_a      protective antibodies = (1 - f_prot) + f_prot X_p
"""
from __future__ import annotations

import math
import re
import time
import warnings
from dataclasses import dataclass, field
from functools import lru_cache
from types import MappingProxyType

import numpy as np
from scipy.integrate import ODEintWarning, odeint

from .evidence import DAYS_PER_MONTH, STUDIES
from .validate import require_choice, require_number

__all__ = [
    "Parameter",
    "PARAMETERS",
    "Scenario",
    "SCENARIOS",
    "scenario_parameters",
    "DEFAULT_DOSE_CELLS_PER_KG",
    "DOSE_RANGE_CELLS_PER_KG",
    "DAYS_RANGE",
    "GRID_STEP_DAYS",
    "B_CELL_DETECTION_LIMIT_CELLS_PER_UL",
    "B_CELL_RETURN_FRACTION",
    "CAR_T_CEILING_CELLS_PER_UL",
    "MAX_SOLVER_STEPS",
    "SOLVE_TIME_BUDGET_S",
    "PUBLISHED_B_CELL_RETURN_DAYS",
    "PUBLISHED_B_CELL_RETURN_SD_DAYS",
    "SEROCONVERSION_DAY",
    "FITTED",
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
PUBLISHED_B_CELL_RETURN_DAYS = float(_MACKENSEN.b_cell_return_days_mean)  # Mackensen 2022: mean reappearance
PUBLISHED_B_CELL_RETURN_SD_DAYS = float(_MACKENSEN.b_cell_return_days_sd)  # Mackensen 2022: standard deviation
# "Returned" in the literature means B cells are detected again in blood (Mackensen 2022: "reappearance").
# The abstracts read give no detection limit; flow-cytometry limits are set in counted events (a validated
# CAR-T assay: 13 events, Peinelt et al., Front Immunol 2022), so the limit per uL depends on how much blood
# is counted. 1 cell/uL is this course's assumption for a routine absolute count; it is a parameter.
B_CELL_DETECTION_LIMIT_CELLS_PER_UL = 1.0
# Day of the first SLE series' 3-month assessment (DORIS remission, anti-dsDNA seroconversion), read from the table.
SEROCONVERSION_DAY = float(int(_MACKENSEN.doris_timepoint.split()[0]) * DAYS_PER_MONTH)
# The course's own mark, kept only as a labelled comparison: 10% of the pre-treatment count.
B_CELL_RETURN_FRACTION = 0.10
# A ceiling on CAR T cells in blood, far above counts reported after CD19 CAR-T, so that it only acts in
# extreme settings (no killing, maximal proliferation) and keeps the model bounded there (a reason, not data).
CAR_T_CEILING_CELLS_PER_UL = 10_000.0
# The solver's budget: more steps or seconds than this means the combination cannot be solved reliably,
# and simulate() says so with a ValueError instead of hanging. The default run takes a few hundred steps.
MAX_SOLVER_STEPS = 20_000
SOLVE_TIME_BUDGET_S = 2.0

_BLOOD_VOLUME_UL_PER_KG = 70_000.0  # about 70 mL of blood per kg body weight in adults (textbook physiology)

# Calibrated by scripts/fit_kinetics.py (`make fit-kinetics`) against the targets it prints; rerun it
# after changing any other default and paste its output here.
FITTED = MappingProxyType({
    "proliferation_rate_per_day": 0.806,
    "persistence_loss_rate_per_day": 0.0156,
    "precursor_regeneration_per_day": 0.00519,
    "anti_car_priming_per_day": 0.0026,
})
# Relapse scenario: the return rate of autoreactive memory chosen by the same script so that anti-dsDNA is
# back at 30% of baseline (twice its low point) 9 months after infusion (the relapse time of the Nat Med 2025 case).
FITTED_RELAPSE_MEMORY_RETURN_PER_DAY = 0.0487


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
    # --- CAR T cells ---------------------------------------------------------------------------
    "proliferation_rate_per_day": Parameter(
        FITTED["proliferation_rate_per_day"], 0.0, 3.0, "1/day",
        "Maximal antigen-driven proliferation rate of CAR T cells (rho).",
        "Fitted: CAR-T peak in the second week (scripts/fit_kinetics.py)."),
    "homeostatic_proliferation_per_day": Parameter(
        0.4, 0.0, 3.0, "1/day",
        "Antigen-independent (homeostatic) proliferation of CAR T cells when host lymphocytes are absent (eta); "
        "scaled by the surplus of homeostatic cytokines (IL-7, IL-15), (1 - H) exp(-t / tau_cyt).",
        "Mechanism: removal of cytokine 'sinks' (mice, Gattinoni 2005). Size chosen so that lymphodepletion "
        "adds expansion and persistence, as reported for Cy/Flu in lymphoma (Turtle 2016)."),
    "cytokine_decay_days": Parameter(
        7.0, 0.5, 100.0, "days", "Time constant over which the cytokine surplus after lymphodepletion fades (tau_cyt).",
        "Assumed: the surplus lasts about the first two weeks, while the infused cells expand (not verified)."),
    "exhaustion_time_days": Parameter(
        30.0, 1.0, 1000.0, "days", "Time constant over which infused cells lose antigen-driven proliferation (tau_exh).",
        "Chosen so that returning B cells do not trigger a second expansion, as none was reported in SLE (Mackensen 2022)."),
    "antigen_half_saturation_b_cells_per_ul": Parameter(
        2.0, 0.01, 1000.0, "cells/uL", "B-cell count at which antigen stimulation of CAR T cells is half-maximal (K_B).",
        "Chosen: expansion continues until blood B cells are nearly gone."),
    "effector_death_rate_per_day": Parameter(
        0.2, 0.0, 5.0, "1/day", "Death rate of effector CAR T cells (d_E): the contraction after the peak.",
        "Chosen to give a contraction over two to four weeks."),
    "persistence_conversion_rate_per_day": Parameter(
        0.1, 0.0, 5.0, "1/day", "Rate at which effector CAR T cells become long-lived persisting cells (mu).",
        "Chosen: a persisting pool about a tenth the size of the peak."),
    "persistence_loss_rate_per_day": Parameter(
        FITTED["persistence_loss_rate_per_day"], 0.0, 5.0, "1/day",
        "Loss rate of persisting CAR T cells (d_M); half-life ln 2 / d_M.",
        f"Fitted: B cells detected again at {_MACKENSEN.b_cell_return_days_mean} +/- {_MACKENSEN.b_cell_return_days_sd} "
        "days (Mackensen 2022)."),
    "killing_rate_ul_per_cell_per_day": Parameter(
        0.05, 0.0, 10.0, "uL/(cell day)", "Rate at which one CAR T cell per uL removes CD19-positive cells (k).",
        "Chosen so that blood B cells fall below detection within two weeks (Mackensen 2022: deep B-cell depletion)."),
    "blood_fraction_at_infusion": Parameter(
        0.01, 0.0001, 1.0, "fraction", "Share of the infused CAR T cells counted in blood right after infusion.",
        "Chosen: most infused cells leave the blood for tissues; blood counts start low and rise with expansion."),
    # --- lymphodepletion and the host ----------------------------------------------------------
    "lymphodepletion": Parameter(
        1.0, 0.0, 1.0, "0-1", "Intensity of lymphodepleting chemotherapy (LD): 0 none, 1 the full fludarabine + cyclophosphamide course.",
        "A control, not a measured quantity."),
    "host_lymphocyte_depletion": Parameter(
        0.9, 0.0, 1.0, "fraction", "Share of host lymphocytes removed by full lymphodepletion (depth).",
        "Assumed: Flu/Cy lowers lymphocytes by about an order of magnitude (no SLE number verified)."),
    "host_recovery_days": Parameter(
        60.0, 1.0, 365.0, "days", "Time constant of host lymphocyte recovery after lymphodepletion (tau_H).",
        "Assumed: T-cell counts recover over months after Flu/Cy (no SLE number verified)."),
    "anti_car_priming_per_day": Parameter(
        FITTED["anti_car_priming_per_day"], 0.0, 1.0, "1/day", "Rate at which host lymphocytes build immunity against the CAR (g_A).",
        "Mechanism: T cells against the CAR were found when a re-infusion failed (Nat Med case 2025); with "
        "Cy without Flu, CAR T cells persisted less (Turtle 2016). Fitted with d_M and r_P (scripts/fit_kinetics.py)."),
    "rejection_rate_per_day": Parameter(
        0.2, 0.0, 5.0, "1/day", "Rate at which full host immunity against the CAR removes CAR T cells (delta_A).",
        "Chosen so that without lymphodepletion the CAR T cells are mostly rejected within weeks."),
    # --- B cells and their supply --------------------------------------------------------------
    "baseline_b_cells_per_ul": Parameter(
        150.0, 1.0, 2000.0, "cells/uL", "B cells in blood before treatment (B_0).",
        "Illustrative round number; results are read relative to baseline."),
    "b_cell_turnover_per_day": Parameter(
        0.02, 0.001, 1.0, "1/day", "Loss rate of blood B cells, balanced at baseline by supply from the marrow (d_B).",
        "Chosen: the blood refills over weeks once supply returns."),
    "precursor_regeneration_per_day": Parameter(
        FITTED["precursor_regeneration_per_day"], 0.001, 1.0, "1/day",
        "Rate at which CD19-positive B-cell precursors are remade from CD19-negative progenitors (r_P).",
        "Fitted with d_M and g_A; CD19 CAR T cells remove marrow B-cell precursors (Kochenderfer 2010)."),
    "lymphodepletion_b_cell_reduction": Parameter(
        0.5, 0.0, 1.0, "fraction", "Share of blood B cells removed by the chemotherapy itself, at full intensity.",
        "Illustrative: fludarabine and cyclophosphamide lower all lymphocytes, B cells included."),
    "b_cell_detection_limit_cells_per_ul": Parameter(
        B_CELL_DETECTION_LIMIT_CELLS_PER_UL, 0.001, 100.0, "cells/uL",
        "B cells count as 'detected' (returned) at or above this level; it changes no cell, only the reading.",
        "Assumed for a routine absolute count; assay limits are set in events (Peinelt 2022)."),
    # --- antibodies ----------------------------------------------------------------------------
    "autoreactive_memory_return_per_day": Parameter(
        0.0, 0.0, 1.0, "1/day", "Rate at which autoreactive memory B cells come back with the returning B cells (r_R).",
        "0 by default: B cells that reappeared in SLE were naive, and remission held after their return "
        "(Mackensen 2022). An assumption, not proof of an 'immune reset': the relapse scenario raises it."),
    "plasmablast_half_life_days": Parameter(
        3.0, 0.1, 100.0, "days", "Half-life of short-lived plasmablasts, which carry CD19 and are made from B cells (ln 2 / k_S).",
        "Approximate: plasmablasts live days (general immunology)."),
    "igg_half_life_days": Parameter(
        21.0, 1.0, 100.0, "days", "Half-life of IgG antibody in blood (ln 2 / k_Ab).",
        "Approximate textbook value for IgG1, 2 and 4 (IgG3 about 7 days)."),
    "autoantibody_share_from_short_lived": Parameter(
        0.9, 0.0, 1.0, "fraction", "Share of anti-dsDNA made by short-lived CD19-positive plasmablasts (f_auto); the rest by long-lived plasma cells.",
        "Chosen: anti-dsDNA seroconverted after CD19 CAR T cells (Mackensen 2022). In tension with Feng 2025, who found "
        "CD19-negative long-lived plasma cells a dominant source in refractory SLE: the non-response scenario lowers it."),
    "protective_antibody_share_from_short_lived": Parameter(
        0.1, 0.0, 1.0, "fraction", "Share of protective (vaccine) antibodies made by short-lived plasmablasts (f_prot).",
        "Chosen: vaccine titres persisted after CD19 CAR-T in leukaemia, made by CD19-negative plasma cells (Bhoj 2016; Mei 2015)."),
}


@dataclass(frozen=True)
class Scenario:
    """A course the learner can choose: parameter changes and the published case it stands for."""

    label: str
    parameters: MappingProxyType
    stands_for: str
    sources: tuple[str, ...]


SCENARIOS: dict[str, Scenario] = {
    "typical": Scenario(
        "Typical course", MappingProxyType({}),
        f"The first SLE series: deep B-cell depletion, B cells back after a mean of {_MACKENSEN.b_cell_return_days_mean} "
        "days, anti-dsDNA seroconverted and remission held after B cells returned "
        f"({_MACKENSEN.patients_sle} patients, Mackensen 2022).",
        ("mackensen2022",)),
    "no_lymphodepletion": Scenario(
        "No lymphodepletion", MappingProxyType({"lymphodepletion": 0.0}),
        "No SLE patient in the series read was treated without lymphodepletion. In lymphoma, CAR T cells given "
        "after cyclophosphamide without fludarabine expanded and persisted less, with fewer complete remissions "
        "(8% against 50%; 32 patients, Turtle 2016).",
        ("turtle2016",)),
    "relapse": Scenario(
        "Relapse", MappingProxyType({"autoreactive_memory_return_per_day": FITTED_RELAPSE_MEMORY_RETURN_PER_DAY}),
        "Autoreactive memory comes back with the returning B cells. It stands for a woman with anti-synthetase "
        "syndrome (a myositis, not SLE) who relapsed 9 months after CD19 CAR T cells; a second infusion of the "
        "same product did not expand, and T cells against the CAR were found (Nat Med case 2025).",
        ("natmed_relapse2025",)),
    "non_response": Scenario(
        "Non-response", MappingProxyType({"autoantibody_share_from_short_lived": 0.2}),
        "The anti-dsDNA comes mainly from CD19-negative long-lived plasma cells, which a CD19 CAR does not reach: "
        "in refractory SLE these cells were a dominant autoantibody source (Feng 2025).",
        ("feng2025",)),
}


def scenario_parameters(name: str) -> dict[str, float]:
    """Return the parameter changes of scenario ``name`` (one of :data:`SCENARIOS`) as a new dict."""
    require_choice("scenario", name, SCENARIOS)
    return dict(SCENARIOS[name].parameters)


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
        First day, after B cells fell below the detection limit, on which they are detected again
        (at or above ``b_cell_detection_limit_cells_per_ul``). ``None`` when they never fell below it
        (no aplasia) or were not detected again by the end of the run.
    dose_cells_per_kg : float
        The dose simulated [CAR T cells/kg].
    parameters : mapping
        Every parameter used, defaults included (read-only).
    host_lymphocyte_fraction : numpy.ndarray, shape (n,)
        Host lymphocytes as a fraction of their pre-treatment level.
    b_cell_aplasia_day : float or None
        First day on which B cells are below the detection limit.
    b_cell_ten_percent_day : float or None
        The course's own comparison: first day after the nadir with B cells above
        :data:`B_CELL_RETURN_FRACTION` (10%) of baseline.
    solver_steps : int
        Steps the solver took (its budget is :data:`MAX_SOLVER_STEPS`).
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
    host_lymphocyte_fraction: np.ndarray | None = None
    b_cell_aplasia_day: float | None = None
    b_cell_ten_percent_day: float | None = None
    solver_steps: int = 0

    def at_day(self, name: str, day: float) -> float:
        """Return the value of the array ``name`` on the grid point nearest to ``day``."""
        arrays = ("car_t_cells_per_ul", "b_cells_per_ul", "autoantibody_fraction", "protective_antibody_fraction",
                  "host_lymphocyte_fraction")
        require_choice("name", name, arrays)
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
        ``lymphodepletion=0``; ``**scenario_parameters("relapse")`` applies a scenario.
        Omitted parameters take their defaults.

    Returns
    -------
    KineticsResult
        Arrays on a grid of :data:`GRID_STEP_DAYS` days plus the derived ``peak_day`` and
        ``b_cell_return_day`` (B cells detected again after the aplasia).

    Raises
    ------
    ValueError
        For an unknown parameter name, a value out of its range, a non-finite number, or a combination
        the solver cannot finish within :data:`MAX_SOLVER_STEPS` steps and :data:`SOLVE_TIME_BUDGET_S`
        seconds (the message names the combination). No NaN is ever returned.
    TypeError
        For a value that is not a number.

    Notes
    -----
    Runs are cached: the same inputs return the same (read-only) result without solving again.
    """
    dose, days, values = _check(dose_cells_per_kg, days, params)
    return _solve(dose, days, values)


def _combination(dose: float, days: float, p: dict[str, float]) -> str:
    changed = [f"{name}={value:g}" for name, value in p.items() if value != PARAMETERS[name].default]
    return f"dose_cells_per_kg={dose:g}, days={days:g}" + (", " + ", ".join(changed) if changed else "")


def _first_day(t: np.ndarray, mask: np.ndarray, start: int = 0) -> float | None:
    hits = np.nonzero(mask[start:])[0]
    return float(t[start + hits[0]]) if hits.size else None


@lru_cache(maxsize=256)
def _solve(dose: float, days: float, values: tuple) -> KineticsResult:
    p = dict(zip(PARAMETERS, values))
    rho = p["proliferation_rate_per_day"]
    eta = p["homeostatic_proliferation_per_day"]
    tau_cyt = p["cytokine_decay_days"]
    tau_exh = p["exhaustion_time_days"]
    k_b = p["antigen_half_saturation_b_cells_per_ul"]
    d_e = p["effector_death_rate_per_day"]
    mu = p["persistence_conversion_rate_per_day"]
    d_m = p["persistence_loss_rate_per_day"]
    kill = p["killing_rate_ul_per_cell_per_day"]
    ld = p["lymphodepletion"]
    tau_h = p["host_recovery_days"]
    g_a = p["anti_car_priming_per_day"]
    delta_a = p["rejection_rate_per_day"]
    b0 = p["baseline_b_cells_per_ul"]
    d_b = p["b_cell_turnover_per_day"]
    r_p = p["precursor_regeneration_per_day"]
    r_r = p["autoreactive_memory_return_per_day"]
    k_s = math.log(2) / p["plasmablast_half_life_days"]
    k_ab = math.log(2) / p["igg_half_life_days"]
    ceiling = CAR_T_CEILING_CELLS_PER_UL
    exp = math.exp

    def rhs(y, t):
        # Solver round-off may dip a hair below zero or above one: clip before use. Plain comparisons, the cheapest
        # way in Python (this runs about 650 times per solve); `not v > 0.0` sends a NaN to 0, as max(v, 0) would not.
        e, m, h, a, pr, b, r, s_p, x_p, s_a, x_a = y.tolist()
        if not e > 0.0: e = 0.0
        if not m > 0.0: m = 0.0
        if not h > 0.0: h = 0.0
        elif h > 1.0: h = 1.0
        if not a > 0.0: a = 0.0
        if not pr > 0.0: pr = 0.0
        if not b > 0.0: b = 0.0
        if not r > 0.0: r = 0.0
        if not s_p > 0.0: s_p = 0.0
        if not x_p > 0.0: x_p = 0.0
        if not s_a > 0.0: s_a = 0.0
        if not x_a > 0.0: x_a = 0.0
        c = e + m
        room = 1.0 - c / ceiling  # smooth (no clipping): above the ceiling, crowding makes growth negative
        killing = kill * c
        homeostatic = eta * (1.0 - h) * exp(-t / tau_cyt) * room
        rejection = delta_a * a
        antigen = rho * exp(-t / tau_exh) * b / (b + k_b) * room
        return [
            (antigen + homeostatic - d_e - mu - rejection) * e,
            mu * e + (homeostatic - d_m - rejection) * m,
            (1.0 - h) / tau_h,
            g_a * h * (1.0 - a),
            r_p * (1.0 - pr) - killing * pr,
            d_b * b0 * pr - d_b * b - killing * b,
            r_r * (b / b0 - r) - killing * r,
            k_s * (b / b0 - s_p) - killing * s_p,
            k_ab * (s_p - x_p),
            k_s * (r - s_a) - killing * s_a,
            k_ab * (s_a - x_a),
        ]

    t = np.arange(0.0, days + GRID_STEP_DAYS / 2, GRID_STEP_DAYS)
    c0 = dose / _BLOOD_VOLUME_UL_PER_KG * p["blood_fraction_at_infusion"]
    y0 = np.array([c0, 0.0, 1.0 - ld * p["host_lymphocyte_depletion"], 0.0, 1.0,
                   b0 * (1.0 - p["lymphodepletion_b_cell_reduction"] * ld), 1.0, 1.0, 1.0, 1.0, 1.0])
    y, steps = _integrate(rhs, y0, t, lambda: _combination(dose, days, p))
    if not np.all(np.isfinite(y)):  # pragma: no cover - the budget and the bounded model prevent it
        raise ValueError(f"the model gave a non-finite value for {_combination(dose, days, p)}; "
                         "try values closer to the defaults.")
    y = np.maximum(y, 0.0)
    e, m, h, _a, _pr, b, _r, _s_p, x_p, _s_a, x_a = y
    car_t = e + m
    h = np.minimum(h, 1.0)
    x_a, x_p = np.minimum(x_a, 1.0), np.minimum(x_p, 1.0)
    auto = (1.0 - p["autoantibody_share_from_short_lived"]) + p["autoantibody_share_from_short_lived"] * x_a
    prot = (1.0 - p["protective_antibody_share_from_short_lived"]) + p["protective_antibody_share_from_short_lived"] * x_p

    peak_index = int(np.argmax(car_t)) if dose > 0 else 0
    if dose == 0:
        car_t = np.zeros_like(t)  # no cells given: remove the solver's round-off
    nadir_index = int(np.argmin(b))
    limit = p["b_cell_detection_limit_cells_per_ul"]
    aplasia_day = _first_day(t, b < limit)
    return_day = None
    if aplasia_day is not None:
        start = int(round(aplasia_day / GRID_STEP_DAYS))
        return_day = _first_day(t, b >= limit, start)
    ten_percent_day = None
    if b[nadir_index] < B_CELL_RETURN_FRACTION * b0:
        ten_percent_day = _first_day(t, b > B_CELL_RETURN_FRACTION * b0, nadir_index)
    arrays = [t, car_t, b, auto, prot, h]
    for arr in arrays:
        arr.setflags(write=False)
    return KineticsResult(
        t_days=t, car_t_cells_per_ul=car_t, b_cells_per_ul=b, autoantibody_fraction=auto,
        protective_antibody_fraction=prot, peak_day=float(t[peak_index]),
        peak_car_t_cells_per_ul=float(car_t[peak_index]), b_cell_nadir_fraction=float(b[nadir_index] / b0),
        b_cell_return_day=return_day, dose_cells_per_kg=dose, parameters=MappingProxyType(p),
        host_lymphocyte_fraction=h, b_cell_aplasia_day=aplasia_day, b_cell_ten_percent_day=ten_percent_day,
        solver_steps=steps,
    )


class _OverBudget(Exception):
    """Raised inside the right-hand side to stop the solver; carries the day it had reached."""


# LSODA evaluates the right-hand side at least once per step: a few times for the corrector, and 12 more
# times when it re-estimates the Jacobian by differences (11 states). More evaluations than this many per
# allowed step means the step budget is spent too; the count of steps itself is checked after the solve.
_EVALUATIONS_PER_STEP = 16


def _integrate(rhs, y0: np.ndarray, t: np.ndarray, combination) -> tuple[np.ndarray, int]:
    """Solve with LSODA (``odeint``) on the grid ``t``, within the step and time budget.

    ``odeint`` runs LSODA in Fortran, which calls ``rhs(y, t)`` directly and interpolates the grid
    itself: no Python work per step beyond the right-hand side. The budget is checked inside the
    right-hand side (an exception raised there stops ``odeint`` and comes out unchanged) and, for
    the exact count of steps, once more when the solve returns.
    """
    max_steps = MAX_SOLVER_STEPS
    max_calls = _EVALUATIONS_PER_STEP * max_steps
    deadline = time.perf_counter() + SOLVE_TIME_BUDGET_S
    clock = time.perf_counter
    calls = 0

    def guarded(y, day):
        nonlocal calls
        calls += 1
        if calls > max_calls or (calls & 31 == 1 and clock() > deadline):
            raise _OverBudget(day)
        return rhs(y, day)

    def over(day: float) -> ValueError:
        return ValueError(
            f"the model could not be solved within {max_steps} steps and {SOLVE_TIME_BUDGET_S:g} s for "
            f"{combination()} (the budget ran out by day {day:.1f}); this combination is too extreme for the model: "
            "try values closer to the defaults.")

    with warnings.catch_warnings():  # a failure becomes the ValueError below, not a printed warning
        warnings.simplefilter("ignore", ODEintWarning)
        try:
            # mxstep (steps between two grid points) above the evaluation cap: the guard stops first.
            y, info = odeint(guarded, y0, t, rtol=1e-6, atol=1e-9, mxstep=max_calls + 1, full_output=True)
        except _OverBudget as stop:
            raise over(float(stop.args[0])) from None
    if info["message"] != "Integration successful.":
        raise ValueError(f"the solver failed ({info['message']}) for {combination()}; try values closer to the defaults.")
    steps = int(info["nst"][-1])
    if steps > max_steps:
        raise over(float(t[1 + int(np.argmax(info["nst"] > max_steps))]))
    return np.ascontiguousarray(y.T), steps


def _fmt_day(day: float | None) -> str:
    return "none" if day is None or not math.isfinite(day) else f"{day:g}"


def describe(result: KineticsResult) -> str:
    """Return the run's key numbers as plain text, each beside its published comparison."""
    if not isinstance(result, KineticsResult):
        raise TypeError(f"result must be a KineticsResult from simulate(); got {type(result).__name__}.")
    limit = result.parameters.get("b_cell_detection_limit_cells_per_ul", B_CELL_DETECTION_LIMIT_CELLS_PER_UL)
    ret, aplasia = result.b_cell_return_day, result.b_cell_aplasia_day
    if aplasia is None:
        b_line = f"B cells never fell below the detection limit ({limit:g} per uL)"
    elif ret is None:
        b_line = f"B cells below the detection limit ({limit:g} per uL) from day {aplasia:g}, not detected again by day {result.t_days[-1]:g}"
    else:
        b_line = f"B cells below the detection limit ({limit:g} per uL) from day {aplasia:g}, detected again on day {ret:g}"
    lines = [
        f"Dose: {result.dose_cells_per_kg:.1e} CAR T cells per kg",
        f"CAR T cells peak on day {result.peak_day:g} (target of the fit: the second week)",
        f"Lowest B-cell count: {100 * result.b_cell_nadir_fraction:.2g}% of baseline (published: deep B-cell depletion)",
        b_line + f" (published reappearance: {PUBLISHED_B_CELL_RETURN_DAYS:g} +/- {PUBLISHED_B_CELL_RETURN_SD_DAYS:g} days)",
    ]
    if result.t_days[-1] >= 90:
        lines.append(f"Day 90: anti-dsDNA at {100 * result.at_day('autoantibody_fraction', 90):.0f}% and protective "
                     f"antibodies at {100 * result.at_day('protective_antibody_fraction', 90):.0f}% of baseline")
    text = "\n".join(lines)
    if re.search(r"\bnan\b|\binf\b", text, flags=re.IGNORECASE):  # pragma: no cover - simulate never returns NaN
        raise ValueError("the run contains a value that is not a number; it cannot be described.")
    return text
