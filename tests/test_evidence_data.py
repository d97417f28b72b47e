"""The studies data file: one test per schema rule (a small bad file made in the test), and the pooling.

Each rule must reject a bad entry with a message that names the file, the entry and the field.
"""
import datetime
import re

import pytest

from widgets import evidence
from widgets.evidence_data import STUDIES_FILE, ContentError, load_studies

GOOD_ENTRY = """
  - key: feng2025
    title_short: Feng 2025
    source_kind: peer-reviewed
    cohort: feng
    modality: CAR-T
    cell_source: autologous
    design: phase 1
    patients_total: 15
    patients_sle: 15
    construct: CD19 + BCMA
    target: CD19 + BCMA
    doris: {n: 12, N: 15}
    crs_any: {n: 13, N: 15}
    crs_by_grade: {1: 13}
"""


def _write(tmp_path, entries: str, extra: str = "") -> str:
    path = tmp_path / "studies.yaml"
    path.write_text(f"literature_searched: 2026-12-04\nstudies:{entries}{extra}", encoding="utf-8")
    return path


def _rejects(tmp_path, entries: str, *patterns: str, extra: str = "") -> str:
    with pytest.raises(ContentError) as err:
        load_studies(_write(tmp_path, entries, extra))
    message = str(err.value)
    assert message.startswith("studies.yaml") or "studies.yaml" in message.split(":")[0]
    for pattern in patterns:
        assert re.search(pattern, message), (pattern, message)
    return message


def test_the_course_file_loads_and_names_its_search_date():
    content = load_studies()
    assert content.literature_searched == datetime.date(2026, 12, 4) == evidence.LITERATURE_SEARCHED
    assert len(content.studies) == len(evidence.STUDIES) and STUDIES_FILE.name == "studies.yaml"


def test_a_good_small_file_loads(tmp_path):
    content = load_studies(_write(tmp_path, GOOD_ENTRY))
    assert content.studies[0]["doris"].n == 12


def test_rejects_an_unknown_field(tmp_path):
    _rejects(tmp_path, GOOD_ENTRY + "    dorris: {n: 1, N: 15}\n", r"entry 'feng2025'", r"field 'dorris'", "unknown field")


def test_rejects_a_missing_source(tmp_path):
    _rejects(tmp_path, GOOD_ENTRY.replace("key: feng2025", "key: nobody2031"), r"entry 'nobody2031'",
             "not in the bibliography")
    _rejects(tmp_path, GOOD_ENTRY + "    field_sources: {doris: nowhere1999}\n", r"field 'field_sources'",
             "nowhere1999")


def test_rejects_a_count_above_its_denominator(tmp_path):
    _rejects(tmp_path, GOOD_ENTRY.replace("doris: {n: 12, N: 15}", "doris: {n: 16, N: 15}"),
             r"entry 'feng2025'", r"field 'doris'", "n = 16 is larger than its denominator N = 15")


def test_rejects_a_denominator_above_the_patients_treated(tmp_path):
    _rejects(tmp_path, GOOD_ENTRY.replace("crs_any: {n: 13, N: 15}", "crs_any: {n: 13, N: 40}"),
             r"field 'crs_any'", "N = 40 is larger than patients_total = 15")


def test_rejects_grades_that_do_not_add_up(tmp_path):
    _rejects(tmp_path, GOOD_ENTRY.replace("crs_by_grade: {1: 13}", "crs_by_grade: {1: 10, 2: 1}"),
             r"field 'crs_by_grade'", "add up to 11")


def test_rejects_a_duplicate_entry_key(tmp_path):
    _rejects(tmp_path, GOOD_ENTRY + GOOD_ENTRY.replace("cohort: feng", "cohort: other"), r"entry 'feng2025'",
             "used by two entries")


def test_rejects_a_field_written_twice_in_one_entry(tmp_path):
    _rejects(tmp_path, GOOD_ENTRY + "    doris: {n: 1, N: 15}\n", "'doris' is written twice")


def test_rejects_a_superseded_report_counted_twice(tmp_path):
    second = GOOD_ENTRY.replace("key: feng2025", "key: mackensen2022").replace("title_short: Feng 2025",
                                                                               "title_short: Mackensen")
    message = _rejects(tmp_path, GOOD_ENTRY + second, r"entry 'mackensen2022'", r"field 'cohort'",
                       "counted twice", "superseded_by")
    assert "feng2025" in message
    # Marking the earlier report superseded makes the same file valid.
    fixed = second.replace("    cohort: feng\n", "    cohort: feng\n    superseded_by: feng2025\n")
    assert load_studies(_write(tmp_path, GOOD_ENTRY + fixed)).studies[1]["superseded_by"] == "feng2025"


def test_rejects_an_overlapping_report_that_would_add_its_patients(tmp_path):
    other = GOOD_ENTRY.replace("key: feng2025", "key: hagen2025").replace("    cohort: feng\n", "")
    _rejects(tmp_path, GOOD_ENTRY + other + "    overlaps: [feng2025]\n", r"entry 'hagen2025'", r"field 'overlaps'",
             "counted twice")


def test_rejects_a_word_outside_the_accepted_list(tmp_path):
    _rejects(tmp_path, GOOD_ENTRY.replace("source_kind: peer-reviewed", "source_kind: blog"), r"field 'source_kind'",
             "congress abstract")


def test_rejects_a_missing_required_field(tmp_path):
    _rejects(tmp_path, GOOD_ENTRY.replace("    target: CD19 + BCMA\n", ""), r"field 'target'", "required")


def test_rejects_an_undated_search(tmp_path):
    path = tmp_path / "studies.yaml"
    path.write_text("literature_searched: last week\nstudies:" + GOOD_ENTRY, encoding="utf-8")
    with pytest.raises(ContentError, match="literature_searched"):
        load_studies(path)


# --- pooling ----------------------------------------------------------------------------------

def test_superseded_reports_are_never_pooled():
    assert not evidence.STUDIES["mackensen2022"].current
    doris = evidence.pool("doris")
    assert "mackensen2022" not in doris.reports and "mueller2024" in doris.reports
    patients, reports = evidence.pooled_patients()
    expected = sum(s.patients_sle for s in evidence.STUDIES.values()
                   if s.current and s.modality == "CAR-T" and s.contributes is None)
    assert patients == expected and "mackensen2022" not in evidence.CURRENT_STUDY_ORDER


def test_pooled_counts_are_sums_of_the_reports_added():
    p = evidence.pool("crs_any")
    assert p.count.n == sum(evidence.STUDIES[k].crs_any.n for k in p.reports)
    assert p.count.N == sum(evidence.STUDIES[k].crs_any.N for k in p.reports)
    assert "mueller2024" in p.mixed_excluded  # its 15 include myositis and systemic sclerosis
    both = evidence.pool("crs_any", include_mixed=True)
    assert both.count.N == p.count.N + 15


def test_an_overlapping_report_adds_only_what_it_contributes():
    licats = evidence.pool("licats", include_mixed=True)
    assert licats.reports == ("hagen2025",) and (licats.count.n, licats.count.N) == (30, 39)
    assert "hagen2025" not in evidence.pool("crs_any", include_mixed=True).reports


def test_a_study_added_in_a_data_file_changes_the_pooled_figures(tmp_path):
    text = STUDIES_FILE.read_text(encoding="utf-8")
    added = GOOD_ENTRY.replace("key: feng2025", "key: shu2025").replace("cohort: feng", "cohort: relma-wuhan") \
        .replace("doris: {n: 12, N: 15}", "doris: {n: 3, N: 10}").replace("crs_any: {n: 13, N: 15}",
                                                                        "crs_any: {n: 1, N: 15}") \
        .replace("crs_by_grade: {1: 13}", "crs_by_grade: {3: 1}")
    path = tmp_path / "studies.yaml"
    path.write_text(text.replace("\nreviews:", added + "\nreviews:"), encoding="utf-8")
    table = evidence.build_studies(load_studies(path))
    before, after = evidence.pool("doris"), evidence.pool("doris", studies=table)
    assert (after.count.n, after.count.N) == (before.count.n + 3, before.count.N + 10)
    assert evidence.pool("crs_grade3plus", studies=table).count.n == evidence.pool("crs_grade3plus").count.n + 1
    assert evidence.pooled_patients(studies=table)[0] == evidence.pooled_patients()[0] + 15
    reports = evidence.pooled_patients()[1]
    assert f"{reports + 1} reports" in evidence.pooled_summary(table).splitlines()[0]


def test_pool_rejects_an_unknown_outcome():
    with pytest.raises(ValueError, match="accepted"):
        evidence.pool("cure")


def test_engagers_are_kept_apart_from_the_car_t_pool():
    assert "alexander2024" not in evidence.pool("crs_any").not_reported
    assert evidence.pooled_patients(modality="T-cell engager") == (1, 1)


def test_notebook_04_states_the_date_of_its_literature_search():
    import nbformat
    from pathlib import Path

    nb = nbformat.read(Path(__file__).resolve().parent.parent / "notebooks" / "04_evidence_and_safety.ipynb", 4)
    assert f"Literature searched up to {evidence.LITERATURE_SEARCHED.isoformat()}" in nb.cells[0].source
