"""The published experience with CAR-T cells in SLE, as one table: the data behind notebook 04.

Nothing here imports ipywidgets or plots. This module is meant to be the single source of every
study number used in code anywhere in the course: other modules read single numbers through
:data:`STUDIES`, e.g. ``STUDIES["mackensen2022"].b_cell_return_days_mean``.

Rules of the table
------------------
* Each row's key is the key of its paper in :data:`widgets.references.BIBLIOGRAPHY`; a field taken
  from another source names that source's key in ``Study.sources``.
* A number the sources read do not give is ``None``, and ``Study.notes`` says why (never a guess).
* Where sources disagree or a notation is ambiguous, the note says so.
* Counts are stored as n of N (:class:`Count`); percentages are computed from them, so a
  percentage shown anywhere is always consistent with its n/N.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields
from types import MappingProxyType

from .question import Question, load_questions
from .validate import require_choice, require_int, require_number

__all__ = [
    "Count",
    "Study",
    "STUDIES",
    "STUDY_ORDER",
    "study",
    "SUMMARY_FIELDS",
    "study_summary",
    "OUTCOMES",
    "OutcomeRow",
    "outcome_table",
    "PivotalTrial",
    "LYMPHOMA_TRIALS",
    "CRS_MEASURES",
    "crs_comparison",
    "DAYS_PER_MONTH",
    "RULE_OF_THREE_CONFIDENCE_PERCENT",
    "rule_of_three_upper_percent",
    "zero_events_upper_percent",
    "SELF_CHECK",
]

DAYS_PER_MONTH = 365.25 / 12  # 30.4375 d: converts follow-up reported in days to months

# "Rule of three": when 0 of n patients had an event, the one-sided 95% upper confidence limit of
# the true rate is about 3/n (Hanley JA, Lippman-Hand A. If nothing goes wrong, is everything all
# right? JAMA 1983;249:1743-5). It follows from solving (1 - p)^n = 0.05, since -ln(0.05) = 3.0.
RULE_OF_THREE_CONFIDENCE_PERCENT = 95.0


def rule_of_three_upper_percent(n: int) -> float:
    """Approximate 95% upper limit [%] of the true event rate after 0 events in ``n`` patients: 300/n.

    The rule of three (3/n) is the approximation used in the notebook; it overstates the exact
    limit (:func:`zero_events_upper_percent`) for very small groups and is capped at 100%.

    Parameters
    ----------
    n : int
        Number of patients observed, 1 or more.

    Returns
    -------
    float
        ``min(100, 300 / n)`` [% of patients]; e.g. 20.0 for 0 of 15.
    """
    n = require_int("n", n, minimum=1)
    return min(100.0, 300.0 / n)


def zero_events_upper_percent(n: int, confidence_percent: float = RULE_OF_THREE_CONFIDENCE_PERCENT) -> float:
    """Exact one-sided upper confidence limit [%] of the true rate after 0 events in ``n`` patients.

    Solves ``(1 - p)^n = 1 - confidence`` (the Clopper-Pearson limit for zero events).

    Parameters
    ----------
    n : int
        Number of patients observed, 1 or more.
    confidence_percent : float
        Confidence level [%], above 0 and below 100; 95 by default.

    Returns
    -------
    float
        ``100 * (1 - (1 - confidence)^(1/n))`` [% of patients]; e.g. about 18.1 for 0 of 15 and
        63.2 for 0 of 3.
    """
    n = require_int("n", n, minimum=1)
    confidence_percent = require_number("confidence_percent", confidence_percent, minimum=0, maximum=100,
                                        unit="%")
    if confidence_percent in (0, 100):
        raise ValueError(f"confidence_percent = {confidence_percent:g} is not usable; accepted: above 0 and below 100 %.")
    alpha = 1.0 - confidence_percent / 100.0
    return 100.0 * (1.0 - alpha ** (1.0 / n))


@dataclass(frozen=True)
class Count:
    """``n`` of ``N`` patients, e.g. 3 of 5 with cytokine release syndrome."""

    n: int
    N: int

    def __post_init__(self) -> None:
        for name, value in (("n", self.n), ("N", self.N)):
            if isinstance(value, bool) or not isinstance(value, int):
                raise TypeError(f"Count.{name} must be a whole number; got {value!r}.")
        if self.N < 1 or not 0 <= self.n <= self.N:
            raise ValueError(f"Count needs 0 <= n <= N and N >= 1; got n={self.n}, N={self.N}.")

    @property
    def percent(self) -> float:
        """``100 * n / N``."""
        return 100.0 * self.n / self.N

    def __str__(self) -> str:
        return f"{self.n}/{self.N} ({self.percent:.0f}%)"


def _frozen(mapping: Mapping) -> Mapping:
    return MappingProxyType(dict(mapping))


@dataclass(frozen=True, eq=False)
class Study:
    """One published report of CAR-T cells in SLE.

    Every numeric field is ``None`` when the sources read do not give it; ``notes[field]`` then
    says why. Units are in the field names.
    """

    key: str
    label: str
    title_short: str
    design: str
    patients_total: int
    patients_sle: int
    construct: str
    target: str
    dose_cells_per_kg: float | None
    lymphodepletion: str | None
    follow_up_months: float | None
    follow_up_statistic: str  # "median" or "maximum" (the longest follow-up reported)
    follow_up_range_months: tuple[float, float] | None
    doris: Count | None
    doris_timepoint: str
    lldas: Count | None
    sledai_before: float | None
    sledai_after: float | None
    sledai_statistic: str  # "median" or "mean"
    sledai_after_timepoint: str
    b_cell_return_days_mean: float | None
    b_cell_return_days_sd: float | None
    b_cell_return_months_range: tuple[float, float] | None
    crs_any: Count | None
    crs_by_grade: Mapping[int, int] | None  # grade -> patients; None when not reported by grade
    crs_population: str
    icans: Count | None
    icans_by_grade: Mapping[int, int] | None
    serious_adverse_events: str | None
    sources: Mapping[str, str] = field(default_factory=dict)  # field -> bibliography key, when not `key`
    notes: Mapping[str, str] = field(default_factory=dict)  # field -> why None / where sources disagree
    follow_up_patients: Count | None = None  # how many patients the follow-up figure covers, when not all

    @property
    def crs_grade2plus(self) -> Count | None:
        """Patients with CRS of grade 2 or higher, when the source gives CRS by grade."""
        if self.crs_by_grade is None or self.crs_any is None:
            return None
        return Count(sum(n for grade, n in self.crs_by_grade.items() if grade >= 2), self.crs_any.N)

    @property
    def crs_grade3plus(self) -> Count | None:
        """Patients with CRS of grade 3 or higher, when the source gives CRS by grade."""
        if self.crs_by_grade is None or self.crs_any is None:
            return None
        return Count(sum(n for grade, n in self.crs_by_grade.items() if grade >= 3), self.crs_any.N)

    def source_of(self, field_name: str) -> str:
        """The bibliography key that supports ``field_name`` (the row's own key unless noted)."""
        require_choice("field_name", field_name, [f.name for f in fields(self)])
        return self.sources.get(field_name, self.key)


# --- The table -----------------------------------------------------------------------------
# Sources: the abstracts as printed on PubMed and publisher pages (see the bibliography entries).

_MACKENSEN = Study(
    key="mackensen2022",
    label="Mackensen 2022",
    title_short="Mackensen 2022 (CD19, Erlangen)",
    design="Compassionate-use case series, one centre (Erlangen, Germany)",
    patients_total=5,  # four women, one man
    patients_sle=5,
    construct="Autologous anti-CD19 CAR T cells made with a lentiviral vector",
    target="CD19",
    dose_cells_per_kg=1e6,  # "1 x 10^6 CAR T cells per kg body weight"
    lymphodepletion="Fludarabine + cyclophosphamide",
    follow_up_months=8,  # "median (range) of 8 (12) months"
    follow_up_statistic="median",
    follow_up_range_months=None,
    doris=Count(5, 5),  # DORIS remission "in all five patients after 3 months"
    doris_timepoint="3 months",
    lldas=None,
    sledai_before=16,  # "median (range) ... 16 (8)"
    sledai_after=0,  # at 3 months: "0 (2)"
    sledai_statistic="median",
    sledai_after_timepoint="3 months",
    b_cell_return_days_mean=110,  # "mean (±s.d.) of 110 ± 32 d"
    b_cell_return_days_sd=32,
    b_cell_return_months_range=None,
    crs_any=Count(3, 5),  # grade 1 (fever) in 3 patients, as tabulated by Stojkic 2024 (Table 1)
    crs_by_grade=_frozen({1: 3}),
    crs_population="the 5 patients with SLE",
    icans=None,
    icans_by_grade=None,
    serious_adverse_events=None,
    sources=_frozen({"crs_any": "stojkic2024", "crs_by_grade": "stojkic2024"}),
    notes=_frozen({
        "follow_up_range_months": "Nat Med prints a range as one number, the width (max - min): "
                                  "'8 (12) months'. The end points are not given.",
        "sledai_before": "Printed as '16 (8)': median 16, range width 8. A journal-club summary "
                         "(ACR Open Rheumatol 2023) rewrites it as 'range 8-16'; that reading is an "
                         "inference from the width, not a quotation.",
        "lymphodepletion": "The drugs are named in the abstract; their doses were not verified here.",
        "lldas": "Not reported in the abstract.",
        "icans": "Not stated in the sources read (the abstract and a 2024 review table); left empty rather than assumed to be zero.",
        "icans_by_grade": "See icans.",
        "serious_adverse_events": "Not stated in the sources read.",
        "b_cell_return_months_range": "Reported as mean ± SD (110 ± 32 days), not as a range.",
        "crs_any": "From a 2024 review that tabulates the paper (Stojkic 2024): 'CRS grade 1 (fever) in 3 patients'.",
    }),
)

_MUELLER = Study(
    key="mueller2024",
    label="Müller 2024",
    title_short="Müller 2024 (CD19, Erlangen, follow-up)",
    design="Case series with follow-up, one group (Erlangen); SLE, myositis and systemic sclerosis",
    patients_total=15,  # 8 SLE, 3 idiopathic inflammatory myositis, 4 systemic sclerosis
    patients_sle=8,
    construct="Autologous CD19 CAR T cells, single infusion",
    target="CD19",
    dose_cells_per_kg=None,
    lymphodepletion="Fludarabine + cyclophosphamide",
    follow_up_months=15,  # "median follow-up was 15 months (range, 4 to 29)", all 15 patients
    follow_up_statistic="median",
    follow_up_range_months=(4, 29),
    doris=Count(8, 8),  # "All the patients with SLE had DORIS remission"
    doris_timepoint="time point not given in the abstract",
    lldas=None,
    sledai_before=None,
    sledai_after=None,
    sledai_statistic="not reported",
    sledai_after_timepoint="not reported",
    b_cell_return_days_mean=None,
    b_cell_return_days_sd=None,
    b_cell_return_months_range=None,
    crs_any=Count(11, 15),  # grade 1 in 10, grade 2 in 1
    crs_by_grade=_frozen({1: 10, 2: 1}),
    crs_population="all 15 patients (SLE, myositis and systemic sclerosis together)",
    icans=Count(1, 15),  # grade 1 ICANS in 1
    icans_by_grade=_frozen({1: 1}),
    serious_adverse_events="One patient was admitted to hospital with pneumonia.",
    notes=_frozen({
        "dose_cells_per_kg": "Not given in the abstract read.",
        "doris": "All 8 patients with SLE; a published summary places DORIS, LLDAS and SLEDAI-2K 0 at 6 months, "
                 "which the abstract does not state.",
        "lldas": "Not in the abstract read (a secondary summary reports LLDAS in all 8 at 6 months).",
        "sledai_before": "Not in the abstract read.",
        "sledai_after": "Not in the abstract read.",
        "b_cell_return_days_mean": "The abstract gives the mean (±SD) duration of B-cell aplasia, but the "
                                   "number was cut off in every copy read; a figure of about 112 ± 47 days "
                                   "circulates but could not be verified.",
        "b_cell_return_days_sd": "See b_cell_return_days_mean.",
        "b_cell_return_months_range": "See b_cell_return_days_mean.",
        "crs_any": "Counts cover all 15 patients; the abstract does not split them by disease.",
        "patients_total": "Same Erlangen group as Mackensen 2022: the series may include patients reported "
                          "there, so never add the two studies' patient numbers together.",
    }),
)

_WANG = Study(
    key="wang2024",
    label="Wang 2024",
    title_short="Wang 2024 (BCMA-CD19 compound CAR)",
    design="Single-arm, open-label, multicentre phase 1 study; biopsy-proven lupus nephritis (class III-V)",
    patients_total=13,  # numbered P1-P13
    patients_sle=13,
    construct="BCMA-CD19 compound CAR (cCAR) T cells, one product aimed at both targets",
    target="BCMA + CD19",
    dose_cells_per_kg=3e6,  # "3 x 10^6 cCAR cells/kg"; P11 underdosed
    lymphodepletion=None,
    follow_up_months=46,  # "follow-up to 46 months": the longest, not a median
    follow_up_statistic="maximum",
    follow_up_range_months=None,
    doris=None,
    doris_timepoint="not reported",
    lldas=None,
    sledai_before=10.6,  # mean SLEDAI-2K at baseline
    sledai_after=2.7,  # mean at 3 months
    sledai_statistic="mean",
    sledai_after_timepoint="3 months",
    b_cell_return_days_mean=None,
    b_cell_return_days_sd=None,
    b_cell_return_months_range=(2, 6),  # "complete recovery of B cells ... in 2-6 months"
    crs_any=None,
    crs_by_grade=None,
    crs_population="not reported",
    icans=None,
    icans_by_grade=None,
    serious_adverse_events=None,
    notes=_frozen({
        "patients_total": "13 patients (P1-P13), but not one uniform group: P1 and P2 also had lymphoma "
                          "(both reached remission of SLE and of lymphoma), and P11 was underdosed as "
                          "compassionate use because of too few lymphocytes. Renal improvement is reported "
                          "for 10 patients with nephritis.",
        "dose_cells_per_kg": "Planned dose for all; P11 received less.",
        "lymphodepletion": "The abstract says 'conditioning' without naming the drugs.",
        "follow_up_months": "The longest follow-up ('up to 46 months'), not a median: not comparable with "
                            "the medians of other studies.",
        "follow_up_range_months": "Only the maximum is given.",
        "doris": "Response was reported as symptom- and medication-free remission, not by DORIS.",
        "lldas": "Not reported.",
        "sledai_before": "Mean over the patients analysed; which patients enter the mean is not stated in the abstract.",
        "b_cell_return_days_mean": "Reported only as a range of 2-6 months.",
        "b_cell_return_days_sd": "Reported only as a range of 2-6 months.",
        "crs_any": "Described as 'mild cytokine-release syndrome'; no counts or grades in the abstract.",
        "crs_by_grade": "See crs_any.",
        "icans": "Not reported in the abstract.",
        "icans_by_grade": "Not reported in the abstract.",
        "serious_adverse_events": "Not reported in the abstract.",
    }),
)

# Feng 2025 reports follow-up in days: median 712 (range 613-1,134).
FENG_FOLLOW_UP_DAYS = (712, 613, 1134)

_FENG = Study(
    key="feng2025",
    label="Feng 2025",
    title_short="Feng 2025 (CD19 + BCMA co-infusion)",
    design="Ongoing phase 1 dose-escalation trial, open label",
    patients_total=15,  # 14 women, 1 man
    patients_sle=15,
    construct="Two autologous CAR-T products infused together: anti-CD19 and anti-BCMA",
    target="CD19 + BCMA",
    dose_cells_per_kg=None,
    lymphodepletion="Fludarabine + cyclophosphamide",
    follow_up_months=FENG_FOLLOW_UP_DAYS[0] / DAYS_PER_MONTH,
    follow_up_statistic="median",
    follow_up_range_months=(FENG_FOLLOW_UP_DAYS[1] / DAYS_PER_MONTH, FENG_FOLLOW_UP_DAYS[2] / DAYS_PER_MONTH),
    doris=Count(12, 15),  # "By week 12, 12 of 15 patients (80%) fulfilled both the LLDAS and DORIS"
    doris_timepoint="week 12",
    lldas=Count(12, 15),
    sledai_before=None,
    sledai_after=None,
    sledai_statistic="not reported",
    sledai_after_timepoint="not reported",
    b_cell_return_days_mean=None,
    b_cell_return_days_sd=None,
    b_cell_return_months_range=None,
    crs_any=Count(13, 15),  # "Grade 1 cytokine release syndrome developed in 86.7% of patients"
    crs_by_grade=_frozen({1: 13}),
    crs_population="all 15 patients",
    icans=Count(0, 15),  # "no neurotoxicity"
    icans_by_grade=_frozen({}),
    serious_adverse_events="No dose-limiting toxicities and no treatment-related deaths. Grade 3 or higher: "
                           "neutropenia 15/15 (100%), thrombocytopenia 6/15 (40%), anaemia 2/15 (13.3%), "
                           "all reversible with supportive care.",
    notes=_frozen({
        "dose_cells_per_kg": "Dose escalation: the dose levels are not in the abstract.",
        "follow_up_months": "Reported in days: median 712 (range 613-1,134); converted at 30.44 days a month.",
        "doris": "The abstract counts the 12 who met BOTH DORIS and LLDAS; anyone meeting only one is not counted here.",
        "lldas": "Same 12 of 15 as for DORIS (both criteria met); LLDAS alone is not given.",
        "sledai_before": "Not in the abstract.",
        "sledai_after": "Not in the abstract.",
        "b_cell_return_days_mean": "Duration of B-cell depletion was an exploratory endpoint; no number in the abstract.",
        "b_cell_return_days_sd": "See b_cell_return_days_mean.",
        "b_cell_return_months_range": "See b_cell_return_days_mean.",
        "crs_by_grade": "The abstract reports CRS only as grade 1 (86.7% = 13 of 15); reading this as 'no CRS of "
                        "grade 2 or higher' is our interpretation.",
    }),
)

_WANG_D = Study(
    key="wangd2025",
    label="Wang D 2025",
    title_short="Wang D 2025 (allogeneic CD19)",
    design="Early clinical study of donor-derived (allogeneic) CAR T cells, NCT05859997",
    patients_total=3,
    patients_sle=3,
    construct="Allogeneic CD19 CAR T cells, genetically engineered from healthy donors",
    target="CD19",
    dose_cells_per_kg=1e6,  # "1 million cells per kilogram of body weight"
    lymphodepletion=None,
    follow_up_months=12,  # "completed a 12-month follow-up", but patient 1 withdrew at month 1
    follow_up_statistic="maximum",
    follow_up_range_months=None,
    doris=None,
    doris_timepoint="not reported",
    lldas=None,
    sledai_before=None,
    sledai_after=None,
    sledai_statistic="not reported",
    sledai_after_timepoint="not reported",
    b_cell_return_days_mean=None,
    b_cell_return_days_sd=None,
    b_cell_return_months_range=None,
    crs_any=Count(0, 3),  # "No patient underwent GvHD, CRS, or ICANS"
    crs_by_grade=_frozen({}),
    crs_population="all 3 patients",
    icans=Count(0, 3),
    icans_by_grade=_frozen({}),
    serious_adverse_events="No severe adverse events recorded, per the abstract. Patient 1 withdrew at month 1 "
                           "because of severe, unresolved thrombocytopenia that needed an added immunosuppressive "
                           "drug; the cause is not stated in the report.",
    follow_up_patients=Count(2, 3),
    notes=_frozen({
        "follow_up_months": "The abstract says the 3 patients 'completed a 12-month follow-up' but also that "
                            "patient 1 withdrew at month 1; the table therefore counts 12 months for 2 of 3.",
        "follow_up_range_months": "Not given; 12 months is the longest follow-up (2 of 3 patients).",
        "serious_adverse_events": "The abstract does not attribute patient 1's thrombocytopenia to the CAR T cells "
                                  "(thrombocytopenia can also be a feature of lupus itself); read it as unexplained.",
        "lymphodepletion": "Not stated in the abstract.",
        "doris": "DORIS was assessed but its result is not given in the abstract; all patients reached SRI-4 "
                 "at the last visit (one had withdrawn at month 1).",
        "lldas": "Not reported.",
        "sledai_before": "The abstract says scores declined but gives no numbers.",
        "sledai_after": "See sledai_before.",
        "b_cell_return_days_mean": "Not reported (B cells 'profoundly decreased').",
        "b_cell_return_days_sd": "Not reported.",
        "b_cell_return_months_range": "Not reported.",
    }),
)

STUDY_ORDER: tuple[str, ...] = ("mackensen2022", "mueller2024", "wang2024", "feng2025", "wangd2025")
STUDIES: Mapping[str, Study] = MappingProxyType(
    {s.key: s for s in (_MACKENSEN, _MUELLER, _WANG, _FENG, _WANG_D)}
)


def study(key: str) -> Study:
    """Return the row for ``key``, a bibliography key such as ``"mackensen2022"``.

    Raises
    ------
    ValueError
        If ``key`` is not in the table; the message lists the accepted keys.
    """
    if not isinstance(key, str):
        raise TypeError(f"key must be a study key (a string); got {key!r} ({type(key).__name__}).")
    require_choice("study", key, STUDY_ORDER)
    return STUDIES[key]


SUMMARY_FIELDS: Mapping[str, str] = MappingProxyType({
    "design": "Design",
    "patients": "Patients (with SLE / treated)",
    "construct": "Construct",
    "target": "Target",
    "dose": "Dose [CAR T cells/kg]",
    "lymphodepletion": "Lymphodepletion",
    "follow_up": "Follow-up",
    "doris": "DORIS remission",
    "lldas": "LLDAS",
    "sledai": "SLEDAI-2K before -> after",
    "b_cells": "B-cell return",
    "crs": "CRS (by grade)",
    "icans": "ICANS",
    "sae": "Serious adverse events",
})


def _by_grade(c: Count | None, grades: Mapping[int, int] | None) -> str:
    if c is None:
        return "not reported"
    if grades is None:
        return str(c)
    parts = ", ".join(f"grade {g}: {n}" for g, n in sorted(grades.items()) if n)
    return f"{c}" + (f"; {parts}" if parts else "")


def study_summary(key: str) -> dict[str, str]:
    """One study as display text, one entry per :data:`SUMMARY_FIELDS` key ("not reported" for None)."""
    s = study(key)
    nr = "not reported"
    if s.b_cell_return_days_mean is not None:
        b_cells = f"mean {s.b_cell_return_days_mean:g} ± {s.b_cell_return_days_sd:g} days"
    elif s.b_cell_return_months_range is not None:
        b_cells = f"{s.b_cell_return_months_range[0]:g}-{s.b_cell_return_months_range[1]:g} months"
    else:
        b_cells = nr
    follow = _row(s, "follow_up_months").text
    if s.follow_up_range_months is not None:
        follow += f" (range {s.follow_up_range_months[0]:.0f}-{s.follow_up_range_months[1]:.0f})"
    return {
        "design": s.design,
        "patients": f"{s.patients_sle} / {s.patients_total}",
        "construct": s.construct,
        "target": s.target,
        "dose": nr if s.dose_cells_per_kg is None else f"{s.dose_cells_per_kg:.0e}".replace("e+0", " x 10^"),
        "lymphodepletion": s.lymphodepletion or nr,
        "follow_up": follow,
        "doris": nr if s.doris is None else f"{s.doris} ({s.doris_timepoint})",
        "lldas": nr if s.lldas is None else str(s.lldas),
        "sledai": _row(s, "sledai").text,
        "b_cells": b_cells,
        "crs": _by_grade(s.crs_any, s.crs_by_grade),
        "icans": _by_grade(s.icans, s.icans_by_grade),
        "sae": s.serious_adverse_events or nr,
    }


# --- Outcomes, side by side -------------------------------------------------------------------

OUTCOMES: Mapping[str, str] = MappingProxyType({
    "patients_sle": "Patients with SLE treated",
    "doris": "DORIS remission, earliest time reported [% of patients]",
    "crs_any": "Cytokine release syndrome, any grade [% of patients]",
    "crs_grade2plus": "Cytokine release syndrome, grade 2 or higher [% of patients]",
    "icans": "ICANS (neurotoxicity), any grade [% of patients]",
    "follow_up_months": "Follow-up [months]",
    "sledai": "SLEDAI-2K before and after [points]",
})


@dataclass(frozen=True)
class OutcomeRow:
    """One study's value for one outcome, ready to draw.

    ``value`` is ``None`` when not reported (``note`` says why). ``count`` is the n/N behind a
    percentage; ``patients`` the number the value rests on (always shown next to the bar).
    ``value_after`` is only used for SLEDAI-2K (after treatment).
    """

    key: str
    label: str
    value: float | None
    value_after: float | None
    count: Count | None
    patients: int
    text: str
    note: str


def _note(s: Study, *names: str) -> str:
    return " ".join(s.notes[n] for n in names if n in s.notes)


def _row(s: Study, outcome: str) -> OutcomeRow:
    if outcome == "patients_sle":
        return OutcomeRow(s.key, s.label, float(s.patients_sle), None, None, s.patients_sle,
                          f"{s.patients_sle} with SLE (of {s.patients_total} treated)", _note(s, "patients_total"))
    if outcome in ("doris", "crs_any", "crs_grade2plus", "icans"):
        c: Count | None = getattr(s, outcome)
        if c is None:
            note = _note(s, outcome, "crs_any" if outcome == "crs_grade2plus" else outcome) or "Not reported."
            return OutcomeRow(s.key, s.label, None, None, None, s.patients_sle, "not reported", note)
        extra = f" ({s.doris_timepoint})" if outcome == "doris" else ""
        note = _note(s, outcome, "crs_by_grade" if outcome.startswith("crs") else outcome)
        if outcome.startswith("crs") and s.crs_population:
            note = (f"Counts cover {s.crs_population}. " + note).strip()
        return OutcomeRow(s.key, s.label, c.percent, None, c, c.N, f"{c.n}/{c.N} ({c.percent:.0f}%){extra}", note)
    if outcome == "follow_up_months":
        if s.follow_up_months is None:
            return OutcomeRow(s.key, s.label, None, None, None, s.patients_total, "not reported",
                              _note(s, "follow_up_months") or "Not reported.")
        wording = {"median": "median {:.0f} months", "maximum": "up to {:.0f} months"}[s.follow_up_statistic]
        text = wording.format(s.follow_up_months)
        if s.follow_up_patients is not None:
            text += f" ({s.follow_up_patients.n} of {s.follow_up_patients.N} patients)"
        return OutcomeRow(s.key, s.label, float(s.follow_up_months), None, None, s.patients_total,
                          text, _note(s, "follow_up_months"))
    # sledai
    if s.sledai_before is None or s.sledai_after is None:
        return OutcomeRow(s.key, s.label, None, None, None, s.patients_sle, "not reported",
                          _note(s, "sledai_before") or "Not reported.")
    return OutcomeRow(s.key, s.label, float(s.sledai_before), float(s.sledai_after), None, s.patients_sle,
                      f"{s.sledai_statistic} {s.sledai_before:g} -> {s.sledai_after:g} at {s.sledai_after_timepoint}",
                      _note(s, "sledai_before"))


def outcome_table(study_keys: Iterable[str], outcome: str) -> list[OutcomeRow]:
    """Return one :class:`OutcomeRow` per study for ``outcome``, in the table's order.

    Parameters
    ----------
    study_keys : iterable of str
        Keys of :data:`STUDIES`, at least one (a list, tuple or set; not a bare string).
    outcome : str
        One of :data:`OUTCOMES`.

    Raises
    ------
    ValueError
        For an empty selection ("Choose at least one study"), an unknown study key or outcome.
    TypeError
        For a bare string or non-string keys.
    """
    require_choice("outcome", outcome, OUTCOMES)
    if isinstance(study_keys, (str, bytes)) or not isinstance(study_keys, Iterable):
        raise TypeError(f"study_keys must be a list of study keys; got {study_keys!r}. "
                        f"Accepted keys: {', '.join(STUDY_ORDER)}.")
    keys = list(study_keys)
    if not keys:
        raise ValueError(f"Choose at least one study; accepted: {', '.join(STUDY_ORDER)}.")
    for k in keys:
        study(k)
    return [_row(STUDIES[k], outcome) for k in STUDY_ORDER if k in keys]


# --- Lymphoma, for perspective ----------------------------------------------------------------

@dataclass(frozen=True)
class PivotalTrial:
    """CRS rates of a pivotal CD19 CAR-T trial in lymphoma (percent of the safety population)."""

    key: str
    label: str
    trial: str
    product: str
    patients: int | None
    crs_any_percent: float
    crs_grade3plus_percent: float
    grading_scale: str
    note: str


LYMPHOMA_TRIALS: Mapping[str, PivotalTrial] = MappingProxyType({
    # Neelapu 2017, ZUMA-1 (axicabtagene ciloleucel), 101 patients treated: CRS 93%, grade >=3 13%
    # (checked against a 2019 review table of ZUMA-1; the 2-year analysis of cohorts 1+2 reports 11% grade >=3).
    "neelapu2017": PivotalTrial("neelapu2017", "Neelapu 2017", "ZUMA-1", "axicabtagene ciloleucel", 101,
                                93.0, 13.0, "an older consensus scale (before ASTCT 2019)",
                                "A later 2-year analysis reports grade >=3 CRS in 11%."),
    # Schuster 2019, JULIET (tisagenlecleucel): CRS 58%, grade 3 or 4 in 22%, graded on the Penn scale.
    "schuster2019": PivotalTrial("schuster2019", "Schuster 2019", "JULIET", "tisagenlecleucel", None,
                                 58.0, 22.0, "the Penn scale",
                                 "Safety-set size not verified here; response was assessed in 93 patients."),
})

CRS_MEASURES: Mapping[str, str] = MappingProxyType({
    "any": "CRS of any grade [% of patients]",
    "grade3plus": "CRS of grade 3 or higher [% of patients]",
})


def crs_comparison(measure: str) -> list[tuple[str, str, float | None, str, str]]:
    """CRS in the lupus studies (by grade reported) next to the pivotal lymphoma trials.

    Parameters
    ----------
    measure : str
        "any" or "grade3plus" (see :data:`CRS_MEASURES`).

    Returns
    -------
    list of (label, group, percent or None, n label, note)
        ``group`` is "SLE" or "Lymphoma"; lupus rows come first in table order. Lupus studies that
        give no CRS counts (or no grades) have ``None``.
    """
    require_choice("measure", measure, CRS_MEASURES)
    rows = []
    for key in STUDY_ORDER:
        s = STUDIES[key]
        c = s.crs_any if measure == "any" else s.crs_grade3plus
        rows.append((s.label, "SLE", None if c is None else c.percent,
                     "n not given" if c is None else f"n = {c.N}", s.crs_population))
    for t in LYMPHOMA_TRIALS.values():
        pct = t.crs_any_percent if measure == "any" else t.crs_grade3plus_percent
        rows.append((f"{t.trial} ({t.label})", "Lymphoma", pct,
                     "n not verified" if t.patients is None else f"n = {t.patients}", f"graded with {t.grading_scale}"))
    return rows


# --- Self-check -----------------------------------------------------------------------------------

# The questions live in widgets/content/questions/04_evidence_and_safety.yaml.
SELF_CHECK: tuple[Question, ...] = load_questions("04_evidence_and_safety", values={"studies": STUDIES})
