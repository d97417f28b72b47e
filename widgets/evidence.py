"""The published experience with CAR-T cells in SLE, as one table: the data behind notebooks 04 and 05.

Nothing here imports ipywidgets or plots. The rows are read from ``widgets/content/studies.yaml``
(checked by :mod:`widgets.evidence_data`); this module turns them into :class:`Study` rows and pools
them. It is the single source of every study number used in code anywhere in the course: other
modules read single numbers through :data:`STUDIES`, e.g.
``STUDIES["mackensen2022"].b_cell_return_days_mean``, and pooled figures through :func:`pool`.

Rules of the table
------------------
* Each row's key is the key of its report in :data:`widgets.references.BIBLIOGRAPHY`; a field taken
  from another source names that source's key in ``Study.sources``.
* A number the sources read do not give is ``None``, and ``Study.notes`` says why (never a guess).
* Where sources disagree or a notation is ambiguous, the note says so.
* Counts are stored as n of N (:class:`Count`); percentages are computed from them, so a
  percentage shown anywhere is always consistent with its n/N.
* A report superseded by a later report of the same patients stays in the table but is never pooled.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields
from types import MappingProxyType

from .evidence_data import COUNT_FIELDS, POOL_OUTCOMES, Count, StudiesFile, load_studies
from .question import Question, load_questions
from .validate import require_choice, require_int, require_number, shown

__all__ = [
    "Count",
    "Study",
    "STUDIES",
    "STUDY_ORDER",
    "CURRENT_STUDY_ORDER",
    "REVIEWS",
    "LITERATURE_SEARCHED",
    "study",
    "build_studies",
    "Pooled",
    "POOL_OUTCOMES",
    "POOL_LABELS",
    "pool",
    "pooled_patients",
    "pooled_summary",
    "SAFETY_MEASURES",
    "safety_comparison",
    "safety_headlines",
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
    follow_up_statistic: str  # "median", "mean" or "maximum" (the longest follow-up reported)
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
    source_kind: str = "peer-reviewed"  # peer-reviewed | congress abstract | press release | news report
    modality: str = "CAR-T"  # or "T-cell engager"
    cell_source: str = "autologous"
    cohort: str | None = None  # one group of patients; only one current report per cohort is pooled
    superseded_by: str | None = None  # a later report of the same patients
    contributes: tuple[str, ...] | None = None  # outcomes this report alone adds (overlapping reports)
    overlaps: tuple[str, ...] = ()
    sri4: Count | None = None
    renal_response: Count | None = None
    licats: Count | None = None
    licats_grade3plus: Count | None = None
    serious_infections: Count | None = None
    deaths: Count | None = None
    flares: Count | None = None
    cytopenia_grade3plus: Count | None = None
    crs_grade2plus_reported: Count | None = None  # when a report gives "no CRS of grade 2 or higher" without grades

    @property
    def current(self) -> bool:
        """True unless a later report of the same patients supersedes this one."""
        return self.superseded_by is None

    @property
    def crs_grade2plus(self) -> Count | None:
        """Patients with CRS of grade 2 or higher, when the source gives CRS by grade (or states it directly)."""
        if self.crs_by_grade is None or self.crs_any is None:
            return self.crs_grade2plus_reported
        return Count(sum(n for grade, n in self.crs_by_grade.items() if grade >= 2), self.crs_any.N)

    @property
    def crs_grade3plus(self) -> Count | None:
        """Patients with CRS of grade 3 or higher, when the source gives CRS by grade."""
        if self.crs_by_grade is None or self.crs_any is None:
            return None
        return Count(sum(n for grade, n in self.crs_by_grade.items() if grade >= 3), self.crs_any.N)

    @property
    def icans_grade3plus(self) -> Count | None:
        """Patients with ICANS of grade 3 or higher, when the source gives ICANS by grade."""
        if self.icans_by_grade is None or self.icans is None:
            return None
        return Count(sum(n for grade, n in self.icans_by_grade.items() if grade >= 3), self.icans.N)

    def source_of(self, field_name: str) -> str:
        """The bibliography key that supports ``field_name`` (the row's own key unless noted)."""
        require_choice("field_name", field_name, [f.name for f in fields(self)])
        return self.sources.get(field_name, self.key)


# --- The table, read from widgets/content/studies.yaml ------------------------------------------

# Names in the data file that map to differently named fields of Study.
_FIELD_OF = {"crs_grade2plus": "crs_grade2plus_reported", "follow_up": "follow_up_months", "sledai": "sledai_before"}


def _study_from_record(r: Mapping) -> Study:
    follow = r.get("follow_up") or {}
    sledai = r.get("sledai") or {}
    counts = {name: r.get(name) for name in COUNT_FIELDS if name not in ("crs_grade2plus",)}
    return Study(
        key=r["key"], label=r["label"], title_short=r["title_short"], design=r["design"],
        patients_total=r["patients_total"], patients_sle=r["patients_sle"], construct=r["construct"],
        target=r["target"], dose_cells_per_kg=r.get("dose_cells_per_kg"), lymphodepletion=r.get("lymphodepletion"),
        follow_up_months=follow.get("months"), follow_up_statistic=follow.get("statistic", "not reported"),
        follow_up_range_months=follow.get("range_months"), follow_up_patients=follow.get("patients"),
        doris_timepoint=r.get("doris_timepoint", "not reported"),
        sledai_before=sledai.get("before"), sledai_after=sledai.get("after"),
        sledai_statistic=sledai.get("statistic", "not reported"),
        sledai_after_timepoint=sledai.get("after_timepoint", "not reported"),
        b_cell_return_days_mean=r.get("b_cell_return_days_mean"), b_cell_return_days_sd=r.get("b_cell_return_days_sd"),
        b_cell_return_months_range=r.get("b_cell_return_months_range"),
        crs_by_grade=None if r.get("crs_by_grade") is None else _frozen(r["crs_by_grade"]),
        crs_population=r.get("crs_population", "not reported"),
        icans_by_grade=None if r.get("icans_by_grade") is None else _frozen(r["icans_by_grade"]),
        serious_adverse_events=r.get("serious_adverse_events"),
        sources=_frozen({_FIELD_OF.get(f, f): k for f, k in r["field_sources"].items()}), notes=_frozen(r["notes"]),
        source_kind=r["source_kind"], modality=r["modality"], cell_source=r["cell_source"],
        cohort=r.get("cohort"), superseded_by=r.get("superseded_by"), contributes=r.get("contributes"),
        overlaps=r.get("overlaps", ()), crs_grade2plus_reported=r.get("crs_grade2plus"),
        **counts,
    )


def build_studies(content: StudiesFile) -> Mapping[str, Study]:
    """Turn checked records (:func:`widgets.evidence_data.load_studies`) into rows, in file order."""
    if not isinstance(content, StudiesFile):
        raise TypeError(f"content must be what widgets.evidence_data.load_studies() returns; got {shown(content)}.")
    return MappingProxyType({r["key"]: _study_from_record(r) for r in content.studies})


_CONTENT = load_studies()
LITERATURE_SEARCHED = _CONTENT.literature_searched  # datetime.date: the literature was searched up to this day
STUDIES: Mapping[str, Study] = build_studies(_CONTENT)
STUDY_ORDER: tuple[str, ...] = tuple(STUDIES)
CURRENT_STUDY_ORDER: tuple[str, ...] = tuple(k for k, s in STUDIES.items() if s.current)
BIBLIOGRAPHY_LABELS = {r["key"]: r["label"] for r in _CONTENT.reviews}
REVIEWS: Mapping[str, Mapping] = MappingProxyType({r["key"]: MappingProxyType(dict(r)) for r in _CONTENT.reviews})

def study(key: str) -> Study:
    """Return the row for ``key``, a bibliography key such as ``"mackensen2022"``.

    Raises
    ------
    ValueError
        If ``key`` is not in the table; the message lists the accepted keys.
    """
    if not isinstance(key, str):
        raise TypeError(f"key must be a study key (a string); got {shown(key)} ({type(key).__name__}).")
    require_choice("study", key, STUDY_ORDER)
    return STUDIES[key]


SUMMARY_FIELDS: Mapping[str, str] = MappingProxyType({
    "source_kind": "Kind of source",
    "status": "Counted in pooled figures?",
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
    if not s.current:
        status = f"no: superseded by {STUDIES[s.superseded_by].label} (same patients)"
    elif s.contributes is not None:
        status = (f"only for {', '.join(POOL_LABELS[o] for o in s.contributes)} (shares patients with "
                  f"{', '.join(STUDIES[k].label for k in s.overlaps)})")
    elif s.modality != "CAR-T":
        status = f"kept apart from the CAR-T pool ({s.modality})"
    else:
        status = "yes"
    return {
        "source_kind": s.source_kind,
        "status": status,
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
        wording = {"median": "median {:.0f} months", "mean": "mean {:.0f} months",
                   "maximum": "up to {:.0f} months"}[s.follow_up_statistic]
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
        raise TypeError(f"study_keys must be a list of study keys; got {shown(study_keys)}. "
                        f"Accepted keys: {', '.join(STUDY_ORDER)}.")
    keys = list(study_keys)
    if not keys:
        raise ValueError(f"Choose at least one study; accepted: {', '.join(STUDY_ORDER)}.")
    for k in keys:
        study(k)
    return [_row(STUDIES[k], outcome) for k in STUDY_ORDER if k in keys]


# --- Pooled figures, computed from the table -------------------------------------------------

POOL_LABELS: Mapping[str, str] = MappingProxyType({
    "doris": "DORIS remission",
    "lldas": "LLDAS",
    "sri4": "SRI-4 response",
    "renal_response": "complete renal response",
    "crs_any": "CRS, any grade",
    "crs_grade2plus": "CRS, grade 2 or higher",
    "crs_grade3plus": "CRS, grade 3 or higher",
    "icans": "ICANS, any grade",
    "icans_grade3plus": "ICANS, grade 3 or higher",
    "licats": "LICATS",
    "licats_grade3plus": "LICATS needing hospital care (grade 3)",
    "serious_infections": "serious infections",
    "deaths": "deaths",
    "flares": "flares after remission",
    "cytopenia_grade3plus": "grade 3 or higher cytopenia",
})


@dataclass(frozen=True)
class Pooled:
    """One outcome summed over the current reports that give it.

    ``count`` is the sum of n over the sum of N (``None`` when no report gives the outcome);
    ``reports`` the keys added; ``mixed_excluded`` the reports whose count also covers other diseases
    (left out unless asked for); ``not_reported`` the current reports silent on the outcome.
    """

    outcome: str
    count: Count | None
    reports: tuple[str, ...]
    mixed_excluded: tuple[str, ...]
    not_reported: tuple[str, ...]

    @property
    def text(self) -> str:
        """E.g. ``'26/34 (76%) in 5 reports'`` or ``'not reported'``."""
        if self.count is None:
            return "not reported"
        k = len(self.reports)
        return f"{self.count.n}/{self.count.N} ({self.count.percent:.0f}%) in {k} report{'s' if k != 1 else ''}"


def _table(studies: Mapping[str, Study] | None) -> Mapping[str, Study]:
    if studies is None:
        return STUDIES
    if not isinstance(studies, Mapping) or not all(isinstance(s, Study) for s in studies.values()):
        raise TypeError(f"studies must map study keys to Study rows (like evidence.STUDIES) or be None; "
                        f"got {shown(studies)}.")
    return studies


def pool(outcome: str, *, modality: str = "CAR-T", include_mixed: bool = False,
         studies: Mapping[str, Study] | None = None) -> Pooled:
    """Sum one outcome over the current reports of one modality.

    Superseded reports are never added (their patients are in the later report), and a report that
    shares patients with others adds only the outcomes it lists in ``contributes``.

    Parameters
    ----------
    outcome : str
        One of :data:`POOL_LABELS`.
    modality : str
        ``"CAR-T"`` (default) or ``"T-cell engager"``.
    include_mixed : bool
        Also add counts that cover other diseases than SLE (e.g. myositis, systemic sclerosis).
    studies : mapping, optional
        Another table (e.g. one built in a test); :data:`STUDIES` by default.
    """
    require_choice("outcome", outcome, POOL_LABELS)
    require_choice("modality", modality, ("CAR-T", "T-cell engager"))
    n = big_n = 0
    reports, mixed, silent = [], [], []
    for key, s in _table(studies).items():
        if not s.current or s.modality != modality:
            continue
        if s.contributes is not None and outcome not in s.contributes:
            continue
        c: Count | None = getattr(s, outcome)
        if c is None:
            silent.append(key)
        elif c.N > s.patients_sle and not include_mixed:
            mixed.append(key)
        else:
            n, big_n = n + c.n, big_n + c.N
            reports.append(key)
    return Pooled(outcome, Count(n, big_n) if big_n else None, tuple(reports), tuple(mixed), tuple(silent))


def pooled_patients(*, modality: str = "CAR-T", studies: Mapping[str, Study] | None = None) -> tuple[int, int]:
    """(patients with SLE, number of reports) over the current reports, overlaps counted once."""
    require_choice("modality", modality, ("CAR-T", "T-cell engager"))
    rows = [s for s in _table(studies).values() if s.current and s.modality == modality and s.contributes is None]
    return sum(s.patients_sle for s in rows), len(rows)


def _named(p: Pooled, studies: Mapping[str, Study] | None) -> str:
    """`` (Feng 2025)``: the reports a pooled count rests on, when they are few enough to name."""
    if not p.reports or len(p.reports) > 2:
        return ""
    return f" ({', '.join(_table(studies)[k].label for k in p.reports)})"


def pooled_summary(studies: Mapping[str, Study] | None = None) -> str:
    """Plain-text lines of the pooled CAR-T figures (what notebook 04 prints)."""
    patients, reports = pooled_patients(studies=studies)
    lines = [f"CAR-T in SLE, current reports: {reports} reports, {patients} patients with SLE "
             "(superseded reports and overlapping patients counted once)."]
    for outcome, label in POOL_LABELS.items():
        p = pool(outcome, studies=studies)
        line = f"- {label}: {p.text}{_named(p, studies)}"
        mixed = pool(outcome, include_mixed=True, studies=studies)
        if p.mixed_excluded and mixed.count is not None:
            line += (f"; with reports that mix diseases ({', '.join(_table(studies)[k].label for k in p.mixed_excluded)})"
                     f": {mixed.count.n}/{mixed.count.N}")
        lines.append(line)
    return "\n".join(lines)


def safety_headlines(studies: Mapping[str, Study] | None = None) -> str:
    """The safety headlines of notebooks 04 and 05, each computed from the table and the review.

    Each line gives the pooled count of this course's current reports beside the published
    systematic review, so the worse of the two is always in view.
    """
    table = _table(studies)
    review = REVIEWS["nordmanngomes2025"]
    label = BIBLIOGRAPHY_LABELS["nordmanngomes2025"]

    def both(outcome: str, review_field: str | None = None) -> str:
        p = pool(outcome, studies=studies)
        mine = p.text + _named(p, studies) if p.count is not None else "no SLE-only count"
        mixed = pool(outcome, include_mixed=True, studies=studies)
        if p.mixed_excluded and mixed.count is not None:
            mine += f" (with mixed-disease reports {mixed.count.n}/{mixed.count.N})"
        r = review.get(review_field or outcome)
        return mine + ("" if r is None else f"; review {label}: {r.n}/{r.N} ({r.percent:.0f}%)")

    licats = pool("licats", include_mixed=True, studies=studies)
    severe = pool("licats_grade3plus", include_mixed=True, studies=studies)
    licats_txt = "no report" if licats.count is None else (
        f"{licats.count.n}/{licats.count.N} ({licats.count.percent:.0f}%) of CD19 CAR-T-treated autoimmune patients "
        f"({', '.join(table[k].label for k in licats.reports)})")
    if severe.count is not None:
        licats_txt += f"; {severe.count.n} needed prolonged or new hospital care"
    lines = [
        f"Severe CRS (grade 3 or higher): {both('crs_grade3plus')}",
        f"ICANS, any grade: {both('icans')}",
        f"Severe ICANS (grade 3 or higher): {both('icans_grade3plus')}",
        f"Serious infections: {both('serious_infections')}",
        f"Deaths: {both('deaths')}",
        f"LICATS (flare-like organ reactions): {licats_txt}",
        f"Grade 3 or higher cytopenia: {pool('cytopenia_grade3plus', studies=studies).text}",
        f"Flares after remission: {pool('flares', studies=studies).text}",
    ]
    return "\n".join(lines)


# --- Lymphoma, for perspective ----------------------------------------------------------------

@dataclass(frozen=True)
class PivotalTrial:
    """Safety rates of a pivotal CD19 CAR-T trial in lymphoma (percent of the safety population).

    A rate not verified for this course is ``None`` (shown as "not verified here").
    """

    key: str
    label: str
    trial: str
    product: str
    patients: int | None
    crs_any_percent: float
    crs_grade3plus_percent: float
    grading_scale: str
    note: str
    neuro_grade3plus_percent: float | None = None
    infections_grade3plus_percent: float | None = None
    cytopenia_after_day28_percent: float | None = None


LYMPHOMA_TRIALS: Mapping[str, PivotalTrial] = MappingProxyType({
    # Neelapu 2017, ZUMA-1 (axicabtagene ciloleucel), 101 patients treated: CRS 93%, grade >=3 13%
    # (checked against a 2019 review table of ZUMA-1; the 2-year analysis of cohorts 1+2 reports 11% grade >=3).
    # Its grade >=3 neurologic events, infections and prolonged cytopenias were not verified here: left None.
    "neelapu2017": PivotalTrial("neelapu2017", "Neelapu 2017", "ZUMA-1", "axicabtagene ciloleucel", 101,
                                93.0, 13.0, "an older consensus scale (before ASTCT 2019)",
                                "A later 2-year analysis reports grade >=3 CRS in 11%."),
    # Schuster 2019, JULIET (tisagenlecleucel): CRS 58%, grade 3 or 4 in 22% (Penn scale); within 8 weeks,
    # grade 3-4 neurologic events 12%, infections 20%, cytopenias not resolved by day 28 32% (NEJM table as
    # reproduced by eviQ, https://www.eviq.org.au/haematology-and-bmt/cellular-therapies/3839).
    "schuster2019": PivotalTrial("schuster2019", "Schuster 2019", "JULIET", "tisagenlecleucel", None,
                                 58.0, 22.0, "the Penn scale",
                                 "Safety-set size not verified here; response was assessed in 93 patients.",
                                 neuro_grade3plus_percent=12.0, infections_grade3plus_percent=20.0,
                                 cytopenia_after_day28_percent=32.0),
})

CRS_MEASURES: Mapping[str, str] = MappingProxyType({
    "any": "CRS of any grade [% of patients]",
    "grade3plus": "CRS of grade 3 or higher [% of patients]",
})

SAFETY_MEASURES: Mapping[str, str] = MappingProxyType({
    "crs_any": "CRS of any grade [% of patients]",
    "crs_grade3plus": "CRS of grade 3 or higher [% of patients]",
    "icans": "ICANS (neurotoxicity) of any grade [% of patients]",
    "icans_grade3plus": "ICANS or neurologic events of grade 3 or higher [% of patients]",
    "serious_infections": "Serious (grade 3 or higher) infections [% of patients]",
})
_TRIAL_FIELD = {"crs_any": "crs_any_percent", "crs_grade3plus": "crs_grade3plus_percent",
                "icans_grade3plus": "neuro_grade3plus_percent", "serious_infections": "infections_grade3plus_percent"}


def safety_comparison(measure: str, studies: Mapping[str, Study] | None = None
                      ) -> list[tuple[str, str, float | None, str, str]]:
    """One safety measure in SLE (pooled table, published review) next to the pivotal lymphoma trials.

    Returns
    -------
    list of (label, group, percent or None, n label, note)
        ``group`` is "SLE" or "Lymphoma". Rows: this course's pooled current CAR-T reports, the
        systematic review (Nordmann-Gomes 2025), ZUMA-1, JULIET. ``None`` means not reported or not
        verified here.
    """
    require_choice("measure", measure, SAFETY_MEASURES)
    rows = []
    p = pool(measure, studies=studies)
    rows.append(("SLE: reports in this course (pooled)", "SLE",
                 None if p.count is None else p.count.percent,
                 "not reported" if p.count is None else f"{p.count.n} of {p.count.N}",
                 f"{len(p.reports)} current reports with SLE-only counts"))
    review = REVIEWS["nordmanngomes2025"]
    c = review.get(measure)
    rows.append((f"SLE: systematic review ({BIBLIOGRAPHY_LABELS['nordmanngomes2025']})", "SLE",
                 None if c is None else c.percent, "not reported" if c is None else f"{c.n} of {c.N}",
                 f"{review['studies']} studies, {review['patients']} patients"))
    for t in LYMPHOMA_TRIALS.values():
        pct = getattr(t, _TRIAL_FIELD[measure]) if measure in _TRIAL_FIELD else None
        rows.append((f"{t.trial} ({t.label})", "Lymphoma", pct,
                     "not verified here" if pct is None else
                     ("n not verified" if t.patients is None else f"n = {t.patients}"),
                     f"graded with {t.grading_scale}"))
    return rows


def crs_comparison(measure: str) -> list[tuple[str, str, float | None, str, str]]:
    """CRS in SLE (pooled, review) next to the pivotal lymphoma trials; ``measure`` is "any" or "grade3plus"."""
    require_choice("measure", measure, CRS_MEASURES)
    return safety_comparison("crs_any" if measure == "any" else "crs_grade3plus")


# --- Self-check -----------------------------------------------------------------------------------

# The questions live in widgets/content/questions/04_evidence_and_safety.yaml.
SELF_CHECK: tuple[Question, ...] = load_questions("04_evidence_and_safety", values={"studies": STUDIES})
