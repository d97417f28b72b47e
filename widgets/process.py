"""The CAR-T treatment process: the journey's steps, its calendar, and how many cells a culture makes.

The data and pure functions behind notebook 03. Nothing here imports ipywidgets or plots.
Every number carries its source in a comment; numbers without a published source are marked
"illustrative" here and in the notebook.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

from .evidence import STUDIES
from . import content_loader
from .question import Question, load_questions
from .validate import require_choice, require_number, shown

__all__ = [
    "JourneyStep",
    "JOURNEY",
    "JOURNEY_KEYS",
    "CYCLE_STAGES",
    "journey_step",
    "Phase",
    "Timeline",
    "DEFAULT_MANUFACTURING_DAYS",
    "MANUFACTURING_DAYS_RANGE",
    "LYMPHODEPLETION_DAYS",
    "REST_BEFORE_INFUSION_DAYS",
    "CLOSE_MONITORING_DAYS",
    "AfterInfusionRules",
    "US_LABEL_RULES",
    "EU_KYMRIAH_RULES",
    "after_infusion_rules_text",
    "B_CELL_APLASIA_DAYS",
    "FOLLOW_UP_DAYS",
    "PUBLISHED_VEIN_TO_VEIN_DAYS",
    "timeline",
    "ExpansionResult",
    "DEFAULT_TARGET_DOSE_CELLS_PER_KG",
    "ACTIVATION_LAG_DAYS",
    "CULTURE_CAPACITY_CELLS",
    "expansion",
    "SELF_CHECK",
]


# --- Where to stay and what not to do after the infusion -----------------------------------------
# One copy of these rules: notebook 03 (journey step and calendar), notebook 05 and the handouts read them.

@dataclass(frozen=True)
class AfterInfusionRules:
    """What a product's label asks of a patient after a CAR-T infusion, as of a date.

    Attributes
    ----------
    region : str
        Whose label: "US" or "EU".
    stay_near_centre_days : int
        Days to stay near the treating centre after infusion [days].
    no_driving_days : int or None
        Days not to drive after infusion [days]; None when this source gives no number.
    travel_limit : str
        How near "near" is, in the source's words, or "" when the source gives no distance.
    monitoring : str
        What the label asks of the care team, in plain words.
    replaced : str
        What the rule was before, or "".
    as_of : str
        The date the rule was last checked against its source (ISO date).
    source : str
        Bibliography key (widgets.references).
    """

    region: str
    stay_near_centre_days: int
    no_driving_days: int | None
    travel_limit: str
    monitoring: str
    replaced: str
    as_of: str
    source: str


# FDA safety communication, 26 June 2025 [FDA 2025]: the REMS of the six approved autologous CD19 and BCMA
# CAR-T products (Abecma, Breyanzi, Carvykti, Kymriah, Tecartus, Yescarta) were eliminated and the labels now ask
# for monitoring for at least 2 weeks (daily for at least the first week), staying near the centre for 2 weeks
# (was 4) and no driving for 2 weeks (was 8). Checked for this course on 2026-12-04.
US_LABEL_RULES = AfterInfusionRules(
    region="US", stay_near_centre_days=14, no_driving_days=14, travel_limit="",
    monitoring="monitoring for at least 2 weeks, daily for at least the first week",
    replaced="4 weeks near the centre and 8 weeks without driving under the former REMS",
    as_of="2026-12-04", source="fda2025",
)
# EU product information of tisagenlecleucel: stay within 2 hours of travel of the qualified centre for at least
# 4 weeks (NHS SPS note on the revised SmPC). Whether the EMA has shortened this since was not verified here:
# read the current SmPC. No driving number is given here because none was verified.
EU_KYMRIAH_RULES = AfterInfusionRules(
    region="EU", stay_near_centre_days=28, no_driving_days=None, travel_limit="within 2 hours of travel",
    monitoring="monitoring for signs of CRS and neurological events by the qualified centre",
    replaced="", as_of="2026-12-04", source="ema_kymriah2024",
)


US_LABEL_RULES_SINCE = "June 2025"  # FDA 2025: REMS eliminated and labels changed on 26 June 2025


def after_infusion_rules_text(audience: str = "plain") -> str:
    """Return the after-infusion rules as one short paragraph, for ``audience`` "plain" or "clinician".

    Both versions say that lupus trials follow their own protocol, since no label covers lupus.
    """
    audience = require_choice("audience", audience, ("plain", "clinician"))
    us, eu = US_LABEL_RULES, EU_KYMRIAH_RULES
    us_weeks, drive_weeks, eu_weeks = us.stay_near_centre_days // 7, us.no_driving_days // 7, eu.stay_near_centre_days // 7
    if audience == "plain":
        return (f"For the approved CAR-T products in the USA, the label asks you to stay near the treatment centre for "
                f"{us_weeks} weeks after the infusion and not to drive for {drive_weeks} weeks (since June 2025). "
                f"In the EU, the product information of tisagenlecleucel (Kymriah) asks you to stay {eu.travel_limit} "
                f"of the centre for at least {eu_weeks} weeks. Lupus trials set their own rules in their protocol: "
                f"ask your team. (Rules checked on {us.as_of}.)")
    return (f"US labels since the FDA removed the REMS on 26 June 2025: {us.monitoring}; stay near the centre for "
            f"{us.stay_near_centre_days} days and do not drive for {us.no_driving_days} days (before: {us.replaced}) "
            f"[FDA 2025]. EU SmPC of tisagenlecleucel: stay {eu.travel_limit} of the qualified centre for at least "
            f"{eu.stay_near_centre_days} days [EMA Kymriah 2024]; check the current SmPC of the product used. "
            f"Lupus trials are not covered by any label: the protocol sets these rules. Checked on {us.as_of}.")


# --- The journey, step by step ------------------------------------------------------------

@dataclass(frozen=True)
class JourneyStep:
    """One step of the treatment journey.

    ``stage`` places the step on the cycle: "collect", "engineer", "expand" or "infuse"
    (the four stages of the schematic), or "patient" for what happens around them.
    ``place`` is "patient" (done to the patient in hospital) or "laboratory" (done to the cells).
    ``sources`` are bibliography keys (widgets.references) backing the numbers in the text.
    """

    key: str
    name: str
    stage: str
    place: str
    what: str
    where: str
    who: str
    how_long: str
    can_go_wrong: str
    sources: tuple[str, ...] = ()


CYCLE_STAGES = ("collect", "engineer", "expand", "infuse")

def _with_rules(text: str) -> str:
    """Fill the ``{after_infusion_rules}`` marker of journey.yaml from :data:`US_LABEL_RULES` (one copy of the rules)."""
    us, eu = US_LABEL_RULES, EU_KYMRIAH_RULES
    short = (f"US labels since {US_LABEL_RULES_SINCE}: stay near the centre for {us.stay_near_centre_days // 7} weeks "
             f"and do not drive for {us.no_driving_days // 7} weeks; EU label of tisagenlecleucel: "
             f"{eu.stay_near_centre_days // 7} weeks near the centre; lupus trials follow their protocol")
    return text.replace("{after_infusion_rules}", short)


# The steps live in widgets/content/journey.yaml (checked by widgets.content_loader).
JOURNEY: tuple[JourneyStep, ...] = tuple(
    JourneyStep(**{**{k: _with_rules(v) if isinstance(v, str) else v for k, v in step.items()},
                   "sources": tuple(step.get("sources", ()))})
    for step in content_loader.journey()
)

JOURNEY_KEYS: tuple[str, ...] = tuple(step.key for step in JOURNEY)


def journey_step(key_or_number: str | int) -> JourneyStep:
    """Return a journey step by key (e.g. ``"leukapheresis"``) or by its 1-based number (1-8)."""
    if isinstance(key_or_number, bool):
        raise TypeError(f"step must be a step key or a number 1-{len(JOURNEY)}; got {shown(key_or_number)}.")
    if isinstance(key_or_number, int):
        number = int(require_number("step", key_or_number, minimum=1, maximum=len(JOURNEY)))
        return JOURNEY[number - 1]
    require_choice("step", key_or_number, JOURNEY_KEYS)
    return JOURNEY[JOURNEY_KEYS.index(key_or_number)]


# --- The calendar ----------------------------------------------------------------------------

# Days. Day 0 of the calendar is the leukapheresis.
DEFAULT_MANUFACTURING_DAYS = 24  # EMA Kymriah SmPC: manufacture and release "usually about 3-4 weeks"
MANUFACTURING_DAYS_RANGE = (7, 90)  # from a fast (one-week) process to a repeated run
EVALUATION_DAYS = 28  # illustrative: screening takes weeks and differs between trials
LYMPHODEPLETION_DAYS = 3  # illustrative: fludarabine + cyclophosphamide over a few days
REST_BEFORE_INFUSION_DAYS = 2  # EMA Kymriah SmPC: infuse 2 to 14 days after lymphodepletion ends
CLOSE_MONITORING_DAYS = US_LABEL_RULES.stay_near_centre_days  # the one copy; see US_LABEL_RULES for its source
B_CELL_APLASIA_DAYS = STUDIES["mackensen2022"].b_cell_return_days_mean  # Mackensen 2022: mean 110 +/- 32 days
FOLLOW_UP_DAYS = 365  # the calendar ends one year after infusion
# Meta-analysis of large B-cell lymphoma (EHA 2023 abstract, PMC10431072): median vein-to-vein time, days.
PUBLISHED_VEIN_TO_VEIN_DAYS = {"axicabtagene ciloleucel": 30.4, "lisocabtagene maraleucel": 35.9, "tisagenlecleucel": 48.4}


@dataclass(frozen=True)
class Phase:
    """One bar of the calendar: days counted from the leukapheresis (day 0)."""

    key: str
    label: str
    start_day: float
    end_day: float
    note: str

    @property
    def duration_days(self) -> float:
        return self.end_day - self.start_day


@dataclass(frozen=True)
class Timeline:
    """The whole calendar for one manufacturing time.

    Attributes
    ----------
    phases : tuple of Phase
        In order, from evaluation to the end of the first year after infusion.
    infusion_day : float
        Day of infusion counted from the leukapheresis; equal to the vein-to-vein time.
    vein_to_vein_days : float
        Days from collection of the cells to their infusion.
    manufacturing_days : float
        The manufacturing and release time this calendar was built with.
    """

    phases: tuple[Phase, ...]
    infusion_day: float
    vein_to_vein_days: float
    manufacturing_days: float

    def phase(self, key: str) -> Phase:
        """Return the phase called ``key``."""
        keys = [p.key for p in self.phases]
        require_choice("phase", key, keys)
        return self.phases[keys.index(key)]


def timeline(manufacturing_days: float = DEFAULT_MANUFACTURING_DAYS) -> Timeline:
    """Build the calendar from evaluation to one year after infusion.

    Parameters
    ----------
    manufacturing_days : float
        Days from leukapheresis until the released product is back at the hospital, 7 to 90
        (default 24: "about 3-4 weeks", EMA Kymriah SmPC). Everything after it moves with it.

    Returns
    -------
    Timeline
        Phases with start and end days counted from the leukapheresis (day 0). Lymphodepletion
        starts when the product is available (day 1 + manufacturing_days) and lasts 3 days;
        infusion follows 2 days later, so the vein-to-vein time is manufacturing_days + 6.
    """
    m = require_number("manufacturing_days", manufacturing_days, minimum=MANUFACTURING_DAYS_RANGE[0],
                       maximum=MANUFACTURING_DAYS_RANGE[1], unit="days")
    ld_start = 1.0 + m  # the product is available; lymphodepletion can start
    infusion = ld_start + LYMPHODEPLETION_DAYS + REST_BEFORE_INFUSION_DAYS
    phases = (
        Phase("evaluation", "Evaluation and consent", -EVALUATION_DAYS, 0.0, "illustrative; set by each trial"),
        Phase("leukapheresis", "Leukapheresis", 0.0, 1.0, "one day"),
        Phase("manufacturing", "Engineering, expansion, release", 1.0, 1.0 + m,
              "typically about 3-4 weeks (EMA Kymriah SmPC)"),
        Phase("lymphodepletion", "Lymphodepletion", ld_start, ld_start + LYMPHODEPLETION_DAYS,
              "fludarabine + cyclophosphamide, a few days"),
        Phase("infusion", "Infusion", infusion, infusion + 1.0, "one day"),
        Phase("monitoring", "Close monitoring (CRS, ICANS)", infusion, infusion + CLOSE_MONITORING_DAYS,
              f"near the centre, US label since {US_LABEL_RULES_SINCE}; trials: protocol"),
        Phase("b_cell_aplasia", "No B cells in blood (expected)", infusion, infusion + B_CELL_APLASIA_DAYS,
              f"mean {B_CELL_APLASIA_DAYS:g} days (Mackensen 2022)"),
        Phase("follow_up", "Follow-up visits", infusion + CLOSE_MONITORING_DAYS, infusion + FOLLOW_UP_DAYS,
              "to one year here; longer in practice"),
    )
    return Timeline(phases=phases, infusion_day=infusion, vein_to_vein_days=infusion, manufacturing_days=m)


# --- Making enough cells -----------------------------------------------------------------------

DEFAULT_TARGET_DOSE_CELLS_PER_KG = STUDIES["mackensen2022"].dose_cells_per_kg  # Mackensen 2022: 1 x 10^6 /kg
ACTIVATION_LAG_DAYS = 2.0  # illustrative: activation and transduction before the cells start to divide
CULTURE_CAPACITY_CELLS = 1e10  # illustrative ceiling of one culture; real systems differ


@dataclass(frozen=True)
class ExpansionResult:
    """What the expansion calculator found.

    Attributes
    ----------
    day : tuple of float
        Culture days 0 .. ``days_in_culture`` in steps of 0.25 day.
    car_t_cells : tuple of float
        CAR-positive T cells in the culture on each day [cells].
    target_cells : float
        Cells needed: target dose per kg x body weight.
    dose_reached_day : float or None
        Day of culture on which the target is first reached (None if not reached).
    final_car_t_cells : float
        CAR T cells at the end of culture.
    final_dose_cells_per_kg : float
        That number per kg body weight.
    explanation : str
        A plain sentence: when the dose is reached, or why it is not.
    """

    day: tuple[float, ...]
    car_t_cells: tuple[float, ...]
    target_cells: float
    dose_reached_day: float | None
    final_car_t_cells: float
    final_dose_cells_per_kg: float
    explanation: str


def _sci(x: float) -> str:
    if x == 0:
        return "0"
    exponent = int(math.floor(math.log10(abs(x))))
    mantissa = x / 10 ** exponent
    return f"{mantissa:.1f} x 10^{exponent}"


def expansion(
    t_cells_collected: float = 5e7,
    transduction_efficiency_percent: float = 20.0,
    doubling_time_hours: float = 36.0,
    days_in_culture: float = 10.0,
    body_weight_kg: float = 70.0,
    target_dose_cells_per_kg: float = DEFAULT_TARGET_DOSE_CELLS_PER_KG,
) -> ExpansionResult:
    """How many CAR T cells a culture makes, and on which day the target dose is reached.

    The model: of the T cells put into culture, ``transduction_efficiency_percent`` carry the
    CAR; after an activation lag of :data:`ACTIVATION_LAG_DAYS` they double every
    ``doubling_time_hours`` until the culture holds :data:`CULTURE_CAPACITY_CELLS` cells.
    CAR T cells on day t = T0 x e x 2^((t - lag) / Td), capped at e x capacity.

    Parameters
    ----------
    t_cells_collected : float
        T cells put into culture from the leukapheresis product [cells], 1e5 to 1e11 (default 5e7, illustrative).
    transduction_efficiency_percent : float
        Share of cells that take up the CAR gene [%], 0 to 100 (default 20, illustrative).
    doubling_time_hours : float
        Doubling time of the dividing cells [hours], 12 to 240 (default 36, illustrative).
    days_in_culture : float
        Length of the culture [days], 1 to 30 (default 10, illustrative).
    body_weight_kg : float
        Patient's weight [kg], 3 to 250.
    target_dose_cells_per_kg : float
        Dose to reach [CAR T cells/kg], 1e4 to 1e9 (default 1e6, Mackensen 2022).

    Returns
    -------
    ExpansionResult
    """
    t0 = require_number("t_cells_collected", t_cells_collected, minimum=1e5, maximum=1e11, unit="cells")
    eff = require_number("transduction_efficiency_percent", transduction_efficiency_percent, minimum=0, maximum=100,
                         unit="%") / 100.0
    td_days = require_number("doubling_time_hours", doubling_time_hours, minimum=12, maximum=240, unit="hours") / 24.0
    days = require_number("days_in_culture", days_in_culture, minimum=1, maximum=30, unit="days")
    weight = require_number("body_weight_kg", body_weight_kg, minimum=3, maximum=250, unit="kg")
    dose = require_number("target_dose_cells_per_kg", target_dose_cells_per_kg, minimum=1e4, maximum=1e9,
                          unit="cells/kg")
    target = dose * weight
    n_steps = int(round(days / 0.25))
    grid = tuple(i * 0.25 for i in range(n_steps + 1))
    ceiling = max(CULTURE_CAPACITY_CELLS, t0)

    def car_t(day: float) -> float:
        return eff * min(t0 * 2.0 ** (max(0.0, day - ACTIVATION_LAG_DAYS) / td_days), ceiling)

    cells = tuple(car_t(d) for d in grid)
    final = car_t(days)
    reached = None
    if eff > 0 and target <= eff * ceiling:
        start = eff * t0
        exact = 0.0 if start >= target else ACTIVATION_LAG_DAYS + td_days * math.log2(target / start)
        if exact <= days:
            reached = exact
    need = f"{_sci(target)} CAR T cells ({_sci(dose)}/kg x {weight:g} kg)"
    if reached is not None:
        text = (f"The dose of {need} is reached on day {reached:.1f} of culture; by day {days:g} the culture holds "
                f"{_sci(final)} CAR T cells ({_sci(final / weight)}/kg).")
    elif eff == 0:
        text = f"Not reached: with 0% transduction no cell carries the CAR, so the dose of {need} can never be made."
    elif target > eff * ceiling:
        text = (f"Not reached: even a full culture ({_sci(ceiling)} cells) at {eff * 100:g}% transduction gives only "
                f"{_sci(eff * ceiling)} CAR T cells, fewer than the {need} needed.")
    else:
        more = ACTIVATION_LAG_DAYS + td_days * math.log2(target / (eff * t0)) - days
        text = (f"Not reached in {days:g} days: the culture ends with {_sci(final)} CAR T cells, "
                f"{100 * final / target:.0f}% of the {need} needed; about {math.ceil(more * 4) / 4:g} more days would be needed.")
    return ExpansionResult(day=grid, car_t_cells=cells, target_cells=target, dose_reached_day=reached,
                           final_car_t_cells=final, final_dose_cells_per_kg=final / weight, explanation=text)


# --- Self-check ------------------------------------------------------------------------------------

# The questions live in widgets/content/questions/03_process.yaml.
SELF_CHECK: tuple[Question, ...] = load_questions("03_process", values={"studies": STUDIES})
