"""Read and check ``widgets/content/studies.yaml``, the evidence table a clinician edits without Python.

Nothing here imports ipywidgets or plots. :mod:`widgets.evidence` turns the checked records into
:class:`widgets.evidence.Study` rows and pools them. Run ``python -m widgets.evidence_data`` to check
the file and print any error in plain words.

Every error is a :class:`ContentError` (a ``ValueError``) whose message names the file, the entry
and the field, e.g. ``widgets/content/studies.yaml, entry 'feng2025', field 'doris': n = 16 is
larger than N = 15``.
"""
from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import yaml

from .content_loader import ContentError, _StrictLoader
from .validate import require_path, shown

__all__ = [
    "ContentError",
    "Count",
    "STUDIES_FILE",
    "SOURCE_KINDS",
    "MODALITIES",
    "CELL_SOURCES",
    "COUNT_FIELDS",
    "POOL_OUTCOMES",
    "StudiesFile",
    "load_studies",
]

STUDIES_FILE = Path(__file__).resolve().parent / "content" / "studies.yaml"

SOURCE_KINDS = ("peer-reviewed", "congress abstract", "press release", "news report")
MODALITIES = ("CAR-T", "T-cell engager")
CELL_SOURCES = ("autologous", "allogeneic", "not a cell product")
FOLLOW_UP_UNITS_DAYS = {"days": 1.0, "weeks": 7.0, "months": 365.25 / 12}
FOLLOW_UP_STATISTICS = ("median", "mean", "maximum")
SLEDAI_STATISTICS = ("median", "mean")

# Counts a study entry may carry ({n, N}); the pooled outcomes are these plus two derived from grades.
COUNT_FIELDS = ("doris", "lldas", "sri4", "renal_response", "crs_any", "crs_grade2plus", "icans", "licats",
                "licats_grade3plus", "serious_infections", "deaths", "flares", "cytopenia_grade3plus")
POOL_OUTCOMES = COUNT_FIELDS + ("crs_grade3plus", "icans_grade3plus")
_GRADE_FIELDS = {"crs_by_grade": "crs_any", "icans_by_grade": "icans"}
_TEXT_FIELDS = ("title_short", "design", "construct", "target", "lymphodepletion", "doris_timepoint",
                "crs_population", "serious_adverse_events", "cohort", "superseded_by")
_CHOICE_FIELDS = {"source_kind": SOURCE_KINDS, "modality": MODALITIES, "cell_source": CELL_SOURCES}
_NUMBER_FIELDS = ("dose_cells_per_kg", "b_cell_return_days_mean", "b_cell_return_days_sd")
_STUDY_FIELDS = frozenset(("key", "patients_total", "patients_sle", "follow_up", "sledai",
                           "b_cell_return_months_range", "field_sources", "notes", "contributes", "overlaps",
                           *COUNT_FIELDS, *_GRADE_FIELDS, *_TEXT_FIELDS, *_CHOICE_FIELDS, *_NUMBER_FIELDS))
_STUDY_REQUIRED = ("key", "title_short", "source_kind", "modality", "cell_source", "design", "patients_total",
                   "patients_sle", "construct", "target")
# Names a note may explain besides the fields themselves (derived values of evidence.Study).
_NOTE_ONLY = frozenset(("follow_up_months", "follow_up_range_months", "sledai_before", "sledai_after",
                        "crs_grade3plus", "overlap"))
_REVIEW_COUNTS = ("doris", "lldas", "crs_any", "crs_grade3plus", "icans", "icans_grade3plus",
                  "serious_infections", "deaths")
_REVIEW_FIELDS = frozenset(("key", "label_short", "source_kind", "studies", "patients", "sledai", "notes",
                            *_REVIEW_COUNTS))
_REVIEW_REQUIRED = ("key", "label_short", "source_kind", "studies", "patients")
_TOP_FIELDS = frozenset(("literature_searched", "studies", "reviews"))


@dataclass(frozen=True)
class Count:
    """``n`` of ``N`` patients, e.g. 3 of 5 with cytokine release syndrome."""

    n: int
    N: int

    def __post_init__(self) -> None:
        for name, value in (("n", self.n), ("N", self.N)):
            if isinstance(value, bool) or not isinstance(value, int):
                raise TypeError(f"Count.{name} must be a whole number; got {shown(value)}.")
        if self.N < 1 or not 0 <= self.n <= self.N:
            raise ValueError(f"Count needs 0 <= n <= N and N >= 1; got n={self.n}, N={self.N}.")

    @property
    def percent(self) -> float:
        """``100 * n / N``."""
        return 100.0 * self.n / self.N

    def __str__(self) -> str:
        return f"{self.n}/{self.N} ({self.percent:.0f}%)"


@dataclass(frozen=True)
class StudiesFile:
    """The checked content of the studies file: plain records, ready for :mod:`widgets.evidence`."""

    literature_searched: datetime.date
    studies: tuple[dict, ...]
    reviews: tuple[dict, ...]


def _display(path: Path) -> str:
    parts = path.resolve().parts
    if "widgets" in parts:
        return "/".join(parts[len(parts) - 1 - parts[::-1].index("widgets"):])
    return str(path)


class _Checker:
    """Collects the context (file, entry, field) so every message names it."""

    def __init__(self, path: Path, bibliography: Mapping):
        self.file = _display(path)
        self.bibliography = bibliography

    def fail(self, entry: str | None, field: str | None, message: str) -> ContentError:
        where = self.file + (f", entry {entry!r}" if entry else "") + (f", field {field!r}" if field else "")
        return ContentError(f"{where}: {message}")

    def fields(self, entry: str, record: Mapping, accepted: frozenset, required: tuple) -> None:
        unknown = sorted(set(record) - accepted)
        if unknown:
            raise self.fail(entry, unknown[0], f"unknown field; accepted fields: {', '.join(sorted(accepted))}.")
        missing = [f for f in required if record.get(f) in (None, "")]
        if missing:
            raise self.fail(entry, missing[0], "required but missing.")

    def integer(self, entry: str, field: str, value: object, minimum: int = 0) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
            raise self.fail(entry, field, f"must be a whole number of at least {minimum}; got {value!r}.")
        return value

    def number(self, entry: str, field: str, value: object) -> float:
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
            raise self.fail(entry, field, f"must be a number of 0 or more; got {value!r}.")
        return float(value)

    def text(self, entry: str, field: str, value: object) -> str:
        if not isinstance(value, str) or not value.strip():
            raise self.fail(entry, field, f"must be text; got {value!r}.")
        return " ".join(value.split())

    def count(self, entry: str, field: str, value: object, ceiling: int, ceiling_name: str) -> Count:
        if not isinstance(value, Mapping) or set(value) != {"n", "N"}:
            raise self.fail(entry, field, f"a count is written {{n: 3, N: 5}}; got {value!r}.")
        n = self.integer(entry, field, value["n"])
        big_n = self.integer(entry, field, value["N"], minimum=1)
        if n > big_n:
            raise self.fail(entry, field, f"n = {n} is larger than its denominator N = {big_n}.")
        if big_n > ceiling:
            raise self.fail(entry, field, f"N = {big_n} is larger than {ceiling_name} = {ceiling}.")
        return Count(n, big_n)

    def source(self, entry: str, field: str, key: object) -> str:
        if not isinstance(key, str) or key not in self.bibliography:
            raise self.fail(entry, field, f"source {key!r} is not in the bibliography (widgets/references.py); "
                                          "add the reference there first.")
        return key


def _study(check: _Checker, raw: object, index: int) -> dict:
    if not isinstance(raw, Mapping):
        raise check.fail(f"#{index + 1}", None, f"each study is a block of 'field: value' lines; got {raw!r}.")
    key = raw.get("key")
    entry = key if isinstance(key, str) else f"#{index + 1}"
    check.fields(entry, raw, _STUDY_FIELDS, _STUDY_REQUIRED)
    out: dict = {"key": key}
    out["source"] = check.source(entry, "key", key)
    out["label"] = check.bibliography[key].label
    for field in _TEXT_FIELDS:
        if raw.get(field) is not None:
            out[field] = check.text(entry, field, raw[field])
    for field, accepted in _CHOICE_FIELDS.items():
        if raw[field] not in accepted:
            raise check.fail(entry, field, f"{raw[field]!r} is not accepted; accepted: {', '.join(accepted)}.")
        out[field] = raw[field]
    total = out["patients_total"] = check.integer(entry, "patients_total", raw["patients_total"], minimum=1)
    sle = out["patients_sle"] = check.integer(entry, "patients_sle", raw["patients_sle"], minimum=1)
    if sle > total:
        raise check.fail(entry, "patients_sle", f"{sle} patients with SLE is more than patients_total = {total}.")
    for field in _NUMBER_FIELDS:
        if raw.get(field) is not None:
            out[field] = check.number(entry, field, raw[field])
    for field in COUNT_FIELDS:
        if raw.get(field) is not None:
            out[field] = check.count(entry, field, raw[field], total, "patients_total")
    for field, count_field in _GRADE_FIELDS.items():
        grades = raw.get(field)
        if grades is None:
            continue
        if not isinstance(grades, Mapping) or any(g not in (1, 2, 3, 4, 5) for g in grades):
            raise check.fail(entry, field, f"write grades as {{1: 3, 2: 1}} (grades 1 to 5); got {grades!r}.")
        counted = out.get(count_field)
        if counted is None:
            raise check.fail(entry, field, f"grades need the total count in {count_field!r}.")
        by_grade = {g: check.integer(entry, field, n) for g, n in grades.items()}
        if sum(by_grade.values()) != counted.n:
            raise check.fail(entry, field, f"the grades add up to {sum(by_grade.values())}, but {count_field} "
                                           f"n = {counted.n}.")
        out[field] = by_grade
    if raw.get("b_cell_return_months_range") is not None:
        rng = raw["b_cell_return_months_range"]
        if not isinstance(rng, list) or len(rng) != 2:
            raise check.fail(entry, "b_cell_return_months_range", f"write [low, high]; got {rng!r}.")
        out["b_cell_return_months_range"] = tuple(check.number(entry, "b_cell_return_months_range", v) for v in rng)
    if raw.get("follow_up") is not None:
        out["follow_up"] = _follow_up(check, entry, raw["follow_up"], total)
    if raw.get("sledai") is not None:
        out["sledai"] = _sledai(check, entry, raw["sledai"])
    known = _STUDY_FIELDS | _NOTE_ONLY
    for name in ("field_sources", "notes"):
        mapping = raw.get(name) or {}
        if not isinstance(mapping, Mapping):
            raise check.fail(entry, name, f"write one 'field: ...' line per item; got {mapping!r}.")
        for field in mapping:
            if field not in known:
                raise check.fail(entry, name, f"{field!r} is not a field of a study entry.")
    out["field_sources"] = {f: check.source(entry, "field_sources", k) for f, k in (raw.get("field_sources") or {}).items()}
    out["notes"] = {f: check.text(entry, "notes", t) for f, t in (raw.get("notes") or {}).items()}
    contributes = raw.get("contributes")
    if contributes is not None:
        if not isinstance(contributes, list) or not contributes or any(c not in POOL_OUTCOMES for c in contributes):
            raise check.fail(entry, "contributes", f"list outcomes from: {', '.join(POOL_OUTCOMES)}; got {contributes!r}.")
        out["contributes"] = tuple(contributes)
    overlaps = raw.get("overlaps")
    if overlaps is not None:
        if not isinstance(overlaps, list) or any(not isinstance(k, str) for k in overlaps):
            raise check.fail(entry, "overlaps", f"list the keys of the overlapping entries; got {overlaps!r}.")
        if contributes is None:
            raise check.fail(entry, "overlaps", "an entry that shares patients with others must say which outcomes "
                                                "it alone adds (contributes: [...]), or its patients would be "
                                                "counted twice.")
        out["overlaps"] = tuple(overlaps)
    return out


def _follow_up(check: _Checker, entry: str, raw: object, total: int) -> dict:
    if not isinstance(raw, Mapping) or not {"value", "unit", "statistic"} <= set(raw) or \
            not set(raw) <= {"value", "unit", "statistic", "range", "patients"}:
        raise check.fail(entry, "follow_up", "write {value: 8, unit: months, statistic: median} "
                                             f"(optional: range: [4, 29], patients: {{n: 2, N: 3}}); got {raw!r}.")
    if raw["unit"] not in FOLLOW_UP_UNITS_DAYS:
        raise check.fail(entry, "follow_up", f"unit {raw['unit']!r} is not accepted; accepted: "
                                             f"{', '.join(FOLLOW_UP_UNITS_DAYS)}.")
    if raw["statistic"] not in FOLLOW_UP_STATISTICS:
        raise check.fail(entry, "follow_up", f"statistic {raw['statistic']!r} is not accepted; accepted: "
                                             f"{', '.join(FOLLOW_UP_STATISTICS)}.")
    to_months = FOLLOW_UP_UNITS_DAYS[raw["unit"]] / FOLLOW_UP_UNITS_DAYS["months"]
    out = {"months": check.number(entry, "follow_up", raw["value"]) * to_months, "statistic": raw["statistic"],
           "range_months": None, "patients": None}
    if raw.get("range") is not None:
        rng = raw["range"]
        if not isinstance(rng, list) or len(rng) != 2 or rng[0] > rng[1]:
            raise check.fail(entry, "follow_up", f"range is written [low, high]; got {rng!r}.")
        out["range_months"] = tuple(check.number(entry, "follow_up", v) * to_months for v in rng)
    if raw.get("patients") is not None:
        out["patients"] = check.count(entry, "follow_up", raw["patients"], total, "patients_total")
    return out


def _sledai(check: _Checker, entry: str, raw: object) -> dict:
    if not isinstance(raw, Mapping) or set(raw) != {"before", "after", "statistic", "after_timepoint"}:
        raise check.fail(entry, "sledai", "write {before: 16, after: 0, statistic: median, after_timepoint: "
                                          f"3 months}}; got {raw!r}.")
    if raw["statistic"] not in SLEDAI_STATISTICS:
        raise check.fail(entry, "sledai", f"statistic {raw['statistic']!r} is not accepted; accepted: "
                                          f"{', '.join(SLEDAI_STATISTICS)}.")
    return {"before": check.number(entry, "sledai", raw["before"]), "after": check.number(entry, "sledai", raw["after"]),
            "statistic": raw["statistic"], "after_timepoint": check.text(entry, "sledai", raw["after_timepoint"])}


def _review(check: _Checker, raw: object, index: int) -> dict:
    if not isinstance(raw, Mapping):
        raise check.fail(f"review #{index + 1}", None, f"each review is a block of 'field: value' lines; got {raw!r}.")
    key = raw.get("key")
    entry = key if isinstance(key, str) else f"review #{index + 1}"
    check.fields(entry, raw, _REVIEW_FIELDS, _REVIEW_REQUIRED)
    out = {"key": check.source(entry, "key", key), "label": check.bibliography[key].label,
           "label_short": check.text(entry, "label_short", raw["label_short"])}
    if raw["source_kind"] not in SOURCE_KINDS:
        raise check.fail(entry, "source_kind", f"{raw['source_kind']!r} is not accepted; accepted: "
                                               f"{', '.join(SOURCE_KINDS)}.")
    out["source_kind"] = raw["source_kind"]
    out["studies"] = check.integer(entry, "studies", raw["studies"], minimum=1)
    patients = out["patients"] = check.integer(entry, "patients", raw["patients"], minimum=1)
    for field in _REVIEW_COUNTS:
        if raw.get(field) is not None:
            out[field] = check.count(entry, field, raw[field], patients, "patients")
    if raw.get("sledai") is not None:
        out["sledai"] = _sledai(check, entry, raw["sledai"])
    out["notes"] = {f: check.text(entry, "notes", t) for f, t in (raw.get("notes") or {}).items()}
    return out


def _check_links(check: _Checker, studies: list[dict]) -> None:
    by_key: dict[str, dict] = {}
    for s in studies:
        if s["key"] in by_key:
            raise check.fail(s["key"], "key", "this key is used by two entries; each report has one entry.")
        by_key[s["key"]] = s
    for s in studies:
        target = s.get("superseded_by")
        if target is None:
            continue
        if target == s["key"] or target not in by_key:
            raise check.fail(s["key"], "superseded_by", f"{target!r} is not another entry of the file.")
        if by_key[target].get("superseded_by"):
            raise check.fail(s["key"], "superseded_by", f"{target!r} is itself superseded by "
                                                        f"{by_key[target]['superseded_by']!r}; point to the latest "
                                                        "report.")
    for s in studies:
        for other in s.get("overlaps", ()):
            if other not in by_key or other == s["key"]:
                raise check.fail(s["key"], "overlaps", f"{other!r} is not another entry of the file.")
    current: dict[str, str] = {}
    for s in studies:
        cohort = s.get("cohort")
        if cohort is None or s.get("superseded_by") or s.get("contributes"):
            continue
        if cohort in current:
            raise check.fail(s["key"], "cohort", f"cohort {cohort!r} is already counted through entry "
                                                 f"{current[cohort]!r}: the same patients would be counted twice. "
                                                 "Give the earlier report 'superseded_by: <later key>'.")
        current[cohort] = s["key"]


def load_studies(path: Path | str | None = None, bibliography: Mapping | None = None) -> StudiesFile:
    """Read, check and return the studies file.

    Parameters
    ----------
    path : path-like, optional
        The YAML file; :data:`STUDIES_FILE` by default.
    bibliography : mapping, optional
        Bibliography key -> reference (with ``.label``); :data:`widgets.references.BIBLIOGRAPHY` by default.

    Raises
    ------
    ContentError
        For any broken rule; the message names the file, the entry and the field.
    """
    path = STUDIES_FILE if path is None else require_path("path", path)
    if bibliography is None:
        from .references import BIBLIOGRAPHY as bibliography
    check = _Checker(path, bibliography)
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_StrictLoader)  # noqa: S506 (a SafeLoader)
    except (OSError, UnicodeDecodeError) as err:
        raise ContentError(f"{shown(str(path))} cannot be read ({getattr(err, 'strerror', None) or err}); accepted: "
                           "a UTF-8 studies file such as widgets/content/studies.yaml.") from None
    except ContentError as err:
        raise ContentError(f"{check.file}, {err}") from None
    except yaml.YAMLError as err:
        raise ContentError(f"{check.file}: not valid YAML ({err}).") from None
    if not isinstance(data, Mapping):
        raise check.fail(None, None, "the file must start with 'literature_searched:' and 'studies:'.")
    unknown = sorted(set(data) - _TOP_FIELDS)
    if unknown:
        raise check.fail(None, unknown[0], f"unknown top-level field; accepted: {', '.join(sorted(_TOP_FIELDS))}.")
    searched = data.get("literature_searched")
    if not isinstance(searched, datetime.date):
        raise check.fail(None, "literature_searched", f"write the date as 2026-12-04; got {searched!r}.")
    if not isinstance(data.get("studies"), list) or not data["studies"]:
        raise check.fail(None, "studies", "needs a list of at least one study.")
    studies = [_study(check, raw, i) for i, raw in enumerate(data["studies"])]
    _check_links(check, studies)
    reviews = [_review(check, raw, i) for i, raw in enumerate(data.get("reviews") or [])]
    if len({r["key"] for r in reviews}) != len(reviews):
        raise check.fail(None, "reviews", "a review key is used twice.")
    return StudiesFile(searched, tuple(studies), tuple(reviews))


if __name__ == "__main__":  # python -m widgets.evidence_data
    import sys

    try:
        content = load_studies()
    except ContentError as error:
        print(f"Problem: {error}")
        sys.exit(1)
    print(f"{_display(STUDIES_FILE)}: {len(content.studies)} studies and {len(content.reviews)} reviews are valid "
          f"(literature searched up to {content.literature_searched.isoformat()}).")
