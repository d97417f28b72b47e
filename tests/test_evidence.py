"""Notebook 04's evidence table: the published numbers as oracle, citations, and n/N consistency."""
from dataclasses import fields

import pytest
from hypothesis import given, strategies as st

from widgets import evidence
from widgets.evidence import Count, STUDIES, study
from widgets.references import BIBLIOGRAPHY

NUMERIC_FIELDS = [f.name for f in fields(evidence.Study)
                  if f.name not in ("key", "label", "title_short", "design", "construct", "target",
                                    "follow_up_statistic", "doris_timepoint", "sledai_statistic",
                                    "sledai_after_timepoint", "crs_population", "sources", "notes",
                                    "patients_total", "patients_sle",
                                    "follow_up_patients")]  # None there means: all patients


# --- the paper values as oracle -----------------------------------------------------------

def test_mackensen_2022_matches_the_abstract():
    s = study("mackensen2022")
    assert (s.patients_total, s.patients_sle) == (5, 5)
    assert s.dose_cells_per_kg == 1e6
    assert (s.b_cell_return_days_mean, s.b_cell_return_days_sd) == (110, 32)
    assert (s.doris.n, s.doris.N, s.doris_timepoint) == (5, 5, "3 months")
    assert (s.sledai_before, s.sledai_after, s.sledai_statistic) == (16, 0, "median")
    assert s.follow_up_months == 8 and s.follow_up_statistic == "median"
    assert s.follow_up_range_months is None  # Nat Med prints only the range width
    assert (s.crs_any.n, s.crs_any.N) == (3, 5) and dict(s.crs_by_grade) == {1: 3}
    assert s.source_of("crs_any") == "stojkic2024"
    assert s.icans is None and "icans" in s.notes


def test_mueller_2024_matches_the_abstract():
    s = study("mueller2024")
    assert (s.patients_total, s.patients_sle) == (15, 8)
    assert (s.doris.n, s.doris.N) == (8, 8)
    assert s.follow_up_months == 15 and s.follow_up_range_months == (4, 29)
    assert dict(s.crs_by_grade) == {1: 10, 2: 1} and (s.crs_any.n, s.crs_any.N) == (11, 15)
    assert (s.icans.n, s.icans.N) == (1, 15)
    assert "pneumonia" in s.serious_adverse_events
    assert s.b_cell_return_days_mean is None  # cut off in every copy read: never guessed
    assert "all 15" in s.crs_population


def test_wang_2024_keeps_its_qualifiers():
    s = study("wang2024")
    assert s.patients_total == 13 and s.dose_cells_per_kg == 3e6
    assert (s.sledai_before, s.sledai_after, s.sledai_statistic) == (10.6, 2.7, "mean")
    assert s.b_cell_return_months_range == (2, 6)
    assert s.follow_up_months == 46 and s.follow_up_statistic == "maximum"
    note = s.notes["patients_total"]
    assert "lymphoma" in note and "P11" in note and "underdosed" in note
    assert s.crs_any is None and "mild" in s.notes["crs_any"]


def test_feng_2025_matches_the_abstract():
    s = study("feng2025")
    assert (s.patients_total, s.patients_sle) == (15, 15)
    assert (s.doris.n, s.doris.N) == (12, 15) and s.doris.percent == pytest.approx(80.0)
    assert s.crs_any.percent == pytest.approx(86.7, abs=0.05)  # "86.7%"
    assert (s.icans.n, s.icans.N) == (0, 15)
    assert s.follow_up_months * evidence.DAYS_PER_MONTH == pytest.approx(712)
    assert "40%" in s.serious_adverse_events and "6/15" in s.serious_adverse_events


def test_allogeneic_wang_d_2025():
    s = study("wangd2025")
    assert (s.patients_total, s.dose_cells_per_kg, s.follow_up_months) == (3, 1e6, 12)
    assert s.crs_any.n == 0 and s.icans.n == 0
    assert "NCT05859997" in s.design


def test_wang_d_2025_follow_up_is_not_claimed_for_every_patient():
    # Patient 1 withdrew at month 1: 12 months is the longest follow-up, reached by 2 of 3.
    s = study("wangd2025")
    assert s.follow_up_statistic == "maximum"
    assert (s.follow_up_patients.n, s.follow_up_patients.N) == (2, 3)
    row = evidence.outcome_table(["wangd2025"], "follow_up_months")[0]
    assert row.text == "up to 12 months (2 of 3 patients)"
    assert "withdrew at month 1" in row.note
    assert "every patient" not in evidence.study_summary("wangd2025")["follow_up"]
    # The thrombocytopenia is reported neutrally, not as a CAR-T effect.
    assert "cause is not stated" in s.serious_adverse_events


# --- zero events: the rule of three (Hanley 1983) -------------------------------------------------

@pytest.mark.parametrize("n,expected", [(15, 20.0), (30, 10.0), (100, 3.0), (3, 100.0), (1, 100.0)])
def test_rule_of_three_is_three_over_n_capped_at_100(n, expected):
    assert evidence.rule_of_three_upper_percent(n) == pytest.approx(expected)


@pytest.mark.parametrize("n,expected", [(15, 18.1), (3, 63.2), (5, 45.1), (1, 95.0), (300, 0.994)])
def test_exact_zero_event_limit_solves_one_minus_p_to_the_n(n, expected):
    upper = evidence.zero_events_upper_percent(n)
    assert upper == pytest.approx(expected, abs=0.05)
    assert (1 - upper / 100) ** n == pytest.approx(0.05)


@given(st.integers(1, 10_000))
def test_rule_of_three_approximates_and_never_understates_the_exact_limit(n):
    exact = evidence.zero_events_upper_percent(n)
    rough = evidence.rule_of_three_upper_percent(n)
    assert rough >= exact
    if n >= 30:  # the rule is meant for n of about 30 or more
        assert rough == pytest.approx(exact, rel=0.1)


@pytest.mark.parametrize("bad", [0, -3])
def test_zero_event_limits_reject_empty_groups(bad):
    with pytest.raises(ValueError, match="n = "):
        evidence.rule_of_three_upper_percent(bad)
    with pytest.raises(ValueError, match="n = "):
        evidence.zero_events_upper_percent(bad)


@pytest.mark.parametrize("bad", [2.5, "15", True, None])
def test_zero_event_limits_need_a_whole_number(bad):
    with pytest.raises(TypeError, match="whole number"):
        evidence.rule_of_three_upper_percent(bad)


@pytest.mark.parametrize("bad", [0, 100, 120, -5])
def test_zero_event_limit_rejects_unusable_confidence(bad):
    with pytest.raises(ValueError, match="confidence_percent"):
        evidence.zero_events_upper_percent(10, bad)


def test_lymphoma_trials_match_the_published_rates():
    z, j = evidence.LYMPHOMA_TRIALS["neelapu2017"], evidence.LYMPHOMA_TRIALS["schuster2019"]
    assert (z.trial, z.patients, z.crs_any_percent, z.crs_grade3plus_percent) == ("ZUMA-1", 101, 93.0, 13.0)
    assert (j.trial, j.crs_any_percent, j.crs_grade3plus_percent) == ("JULIET", 58.0, 22.0)
    assert "Penn" in j.grading_scale


# --- citations and missing values ------------------------------------------------------------

@pytest.mark.parametrize("key", evidence.STUDY_ORDER)
def test_every_row_and_field_source_cites_the_bibliography(key):
    s = STUDIES[key]
    assert s.key == key and key in BIBLIOGRAPHY
    assert s.label == BIBLIOGRAPHY[key].label
    for field_name, source in s.sources.items():
        assert source in BIBLIOGRAPHY, (key, field_name)
        assert field_name in {f.name for f in fields(evidence.Study)}


def test_lymphoma_rows_cite_the_bibliography():
    for key, trial in evidence.LYMPHOMA_TRIALS.items():
        assert key in BIBLIOGRAPHY and trial.label == BIBLIOGRAPHY[key].label


FIRST_FIVE = ("mackensen2022", "mueller2024", "wang2024", "feng2025", "wangd2025")


@pytest.mark.parametrize("key", FIRST_FIVE)
def test_every_missing_value_carries_a_note(key):
    s = STUDIES[key]
    missing = [name for name in NUMERIC_FIELDS if getattr(s, name) is None
               and name in ("dose_cells_per_kg", "lymphodepletion", "follow_up_months", "follow_up_range_months",
                            "doris", "lldas", "sledai_before", "sledai_after", "b_cell_return_days_mean",
                            "b_cell_return_days_sd", "b_cell_return_months_range", "crs_any", "crs_by_grade",
                            "icans", "icans_by_grade", "serious_adverse_events")]
    assert missing, "every study in this table leaves something unreported"
    for name in missing:
        assert s.notes.get(name, "").strip(), f"{key}.{name} is None without a note"


@pytest.mark.parametrize("key", evidence.STUDY_ORDER)
def test_a_missing_key_outcome_carries_a_note(key):
    # Remission and CRS are what a reader looks for first: when a report gives neither count, say why.
    s = STUDIES[key]
    for name in ("doris", "crs_any"):
        if getattr(s, name) is None and not (name == "doris" and (s.sri4 or s.renal_response)):
            assert any(n in s.notes for n in (name, "crs_by_grade", "serious_adverse_events", "patients_sle",
                                              "patients_total", "renal_response")), f"{key}.{name}"


# --- consistency of counts -----------------------------------------------------------------

@pytest.mark.parametrize("key", evidence.STUDY_ORDER)
def test_counts_are_consistent_with_patient_numbers(key):
    s = STUDIES[key]
    for name in ("doris", "lldas"):
        c = getattr(s, name)
        if c is not None:
            assert c.N == s.patients_sle
    for name, grades in (("crs_any", s.crs_by_grade), ("icans", s.icans_by_grade)):
        c = getattr(s, name)
        if c is not None:
            assert c.N <= s.patients_total
            if grades is not None:
                assert sum(grades.values()) == c.n, f"{key}: {name} by grade does not add up"
    if s.crs_grade2plus is not None and s.crs_any is not None:
        assert s.crs_grade2plus.n <= s.crs_any.n


def test_percentages_shown_are_n_over_N():
    for row in evidence.outcome_table(evidence.STUDY_ORDER, "crs_any"):
        if row.count is not None:
            assert row.value == pytest.approx(100 * row.count.n / row.count.N)
            assert f"{row.count.n}/{row.count.N}" in row.text


@given(st.integers(1, 500).flatmap(lambda big_n: st.tuples(st.integers(0, big_n), st.just(big_n))))
def test_count_percent_property(pair):
    n, big_n = pair
    c = Count(n, big_n)
    assert 0 <= c.percent <= 100 and c.percent * big_n / 100 == pytest.approx(n)


@pytest.mark.parametrize("n,big_n", [(-1, 5), (6, 5), (0, 0)])
def test_count_rejects_impossible_counts(n, big_n):
    with pytest.raises(ValueError, match="0 <= n <= N"):
        Count(n, big_n)


def test_count_rejects_non_integers():
    with pytest.raises(TypeError):
        Count(2.5, 5)
    assert str(Count(3, 5)) == "3/5 (60%)"


# --- accessors --------------------------------------------------------------------------

def test_study_rejects_unknown_keys_and_names_accepted():
    with pytest.raises(ValueError, match="accepted: 'mackensen2022'"):
        study("mackensen2021")
    with pytest.raises(TypeError):
        study(2022)


def test_outcome_table_validates_inputs():
    with pytest.raises(ValueError, match="Choose at least one study"):
        evidence.outcome_table([], "crs_any")
    with pytest.raises(ValueError, match="'nope'"):
        evidence.outcome_table(["nope"], "crs_any")
    with pytest.raises(ValueError, match="outcome = 'mortality'"):
        evidence.outcome_table(["feng2025"], "mortality")
    with pytest.raises(TypeError, match="list of study keys"):
        evidence.outcome_table("feng2025", "crs_any")


def test_outcome_table_keeps_table_order_and_reports_missing_plainly():
    rows = evidence.outcome_table(["wang2024", "mackensen2022"], "doris")
    assert [r.key for r in rows] == ["mackensen2022", "wang2024"]
    assert rows[1].value is None and rows[1].text == "not reported" and "DORIS" in rows[1].note
    sledai = evidence.outcome_table(["mackensen2022", "wang2024"], "sledai")
    assert [(r.value, r.value_after) for r in sledai] == [(16, 0), (10.6, 2.7)]


def test_patients_outcome_shows_sle_of_total():
    (row,) = evidence.outcome_table(["mueller2024"], "patients_sle")
    assert row.value == 8 and row.text == "8 with SLE (of 15 treated)" and "never add" in row.note


def test_crs_comparison_puts_lupus_first_then_lymphoma():
    rows = evidence.crs_comparison("grade3plus")
    assert [r[1] for r in rows] == ["SLE", "SLE", "Lymphoma", "Lymphoma"]
    assert rows[0][2] == pytest.approx(evidence.pool("crs_grade3plus").count.percent)
    assert rows[1][3] == "1 of 145"  # the systematic review's one grade 3 CRS is not hidden
    assert rows[-2][2] == 13.0 and rows[-1][2] == 22.0
    with pytest.raises(ValueError, match="accepted"):
        evidence.crs_comparison("grade5")


def test_study_summary_says_not_reported_instead_of_blank():
    summary = evidence.study_summary("wang2024")
    assert set(summary) == set(evidence.SUMMARY_FIELDS)
    assert summary["lymphodepletion"] == "not reported" and summary["dose"] == "3 x 10^6"
    assert evidence.study_summary("mackensen2022")["b_cells"] == "mean 110 ± 32 days"


def test_self_check_has_at_least_four_questions():
    assert len(evidence.SELF_CHECK) >= 4
