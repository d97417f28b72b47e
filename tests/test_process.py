"""Layer 1 for widgets.process: the journey data, the calendar and the expansion calculator."""
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from widgets import process
from widgets.references import BIBLIOGRAPHY
from widgets.question import Question


# --- the journey ---------------------------------------------------------------------------

def test_journey_covers_the_whole_path_in_order():
    assert process.JOURNEY_KEYS == ("evaluation", "leukapheresis", "engineering", "manufacturing",
                                    "lymphodepletion", "infusion", "monitoring", "follow_up")
    stages = {s.stage for s in process.JOURNEY}
    assert set(process.CYCLE_STAGES) <= stages


def test_every_step_answers_what_where_who_how_long_and_risks():
    for step in process.JOURNEY:
        for field in ("what", "where", "who", "how_long", "can_go_wrong"):
            assert len(getattr(step, field)) > 10, (step.key, field)
        assert step.place in ("patient", "laboratory")
        for key in step.sources:
            assert key in BIBLIOGRAPHY, key


def test_lymphodepletion_is_described_correctly():
    text = process.journey_step("lymphodepletion").what
    assert "IL-7" in text and "IL-15" in text and "not aimed at regulatory T cells" in text
    assert "lickefett2023" in process.journey_step("lymphodepletion").sources
    assert "gattinoni2005" not in process.journey_step("lymphodepletion").sources  # a mouse study of function, not expansion


def test_journey_step_by_number_and_key():
    assert process.journey_step(1).key == "evaluation"
    assert process.journey_step(8).key == "follow_up"
    assert process.journey_step("infusion").name.startswith("Infusion")
    for bad in (0, 9):
        with pytest.raises(ValueError, match="1 to 8"):
            process.journey_step(bad)
    with pytest.raises(ValueError, match="accepted: 'evaluation'"):
        process.journey_step("harvest")
    with pytest.raises(TypeError):
        process.journey_step(True)


# --- the calendar ----------------------------------------------------------------------------

def test_default_calendar_matches_its_sources():
    tl = process.timeline()
    assert tl.phase("manufacturing").duration_days == process.DEFAULT_MANUFACTURING_DAYS
    assert 21 <= process.DEFAULT_MANUFACTURING_DAYS <= 28  # "about 3-4 weeks" (EMA Kymriah SmPC)
    assert tl.vein_to_vein_days == process.DEFAULT_MANUFACTURING_DAYS + 6 == 30
    assert tl.phase("infusion").start_day == tl.infusion_day
    assert tl.phase("b_cell_aplasia").duration_days == 110  # Mackensen 2022 mean
    assert tl.phase("monitoring").duration_days == process.US_LABEL_RULES.stay_near_centre_days == 14  # FDA 2025
    assert tl.phase("follow_up").end_day == tl.infusion_day + 365
    infusion_gap = tl.infusion_day - tl.phase("lymphodepletion").end_day
    assert 2 <= infusion_gap <= 14  # EMA Kymriah SmPC: infuse 2 to 14 days after lymphodepletion


def test_manufacturing_time_moves_everything_after_it():
    short, long = process.timeline(10), process.timeline(40)
    for key in ("evaluation", "leukapheresis"):
        assert short.phase(key) == long.phase(key)
    for key in ("lymphodepletion", "infusion", "monitoring", "b_cell_aplasia", "follow_up"):
        assert long.phase(key).start_day - short.phase(key).start_day == 30
    assert long.vein_to_vein_days - short.vein_to_vein_days == 30


@pytest.mark.parametrize("bad", [6, 91, -1])
def test_calendar_rejects_impossible_manufacturing_times(bad):
    with pytest.raises(ValueError, match="manufacturing_days"):
        process.timeline(bad)


def test_calendar_boundaries_accepted():
    assert process.timeline(7).vein_to_vein_days == 13
    assert process.timeline(90).vein_to_vein_days == 96


def test_phase_lookup_rejects_unknown():
    with pytest.raises(ValueError, match="accepted"):
        process.timeline().phase("holiday")


@settings(max_examples=50, deadline=None)
@given(st.floats(7, 90))
def test_phases_are_well_formed(m):
    tl = process.timeline(m)
    for p in tl.phases:
        assert p.end_day > p.start_day
    assert tl.phase("lymphodepletion").start_day >= tl.phase("manufacturing").end_day


# --- the expansion calculator -------------------------------------------------------------------

def test_expansion_formula_and_reach_day():
    res = process.expansion(t_cells_collected=1e7, transduction_efficiency_percent=100, doubling_time_hours=36,
                            days_in_culture=10, body_weight_kg=70, target_dose_cells_per_kg=1e6)
    # 1e7 CAR T cells at 2-day lag, doubling every 1.5 days: 7e7 needed -> 2 + 1.5 * log2(7) days
    assert res.dose_reached_day == pytest.approx(2 + 1.5 * math.log2(7))
    assert res.target_cells == 7e7
    day8 = res.car_t_cells[res.day.index(8.0)]
    assert day8 == pytest.approx(1.6e8)  # four doublings (self-check question 4)
    assert "reached on day 6.2" in res.explanation


def test_dose_reached_at_start_when_enough_cells():
    res = process.expansion(t_cells_collected=1e9, transduction_efficiency_percent=50)
    assert res.dose_reached_day == 0.0


def test_not_reached_in_time_says_how_much_is_missing():
    res = process.expansion(t_cells_collected=1e6, days_in_culture=5)
    assert res.dose_reached_day is None
    assert res.explanation.startswith("Not reached in 5 days")
    assert "more days would be needed" in res.explanation


def test_not_reached_without_transduction():
    res = process.expansion(transduction_efficiency_percent=0)
    assert res.dose_reached_day is None and "0% transduction" in res.explanation
    assert max(res.car_t_cells) == 0


def test_not_reached_beyond_culture_capacity():
    res = process.expansion(target_dose_cells_per_kg=1e9, body_weight_kg=100, days_in_culture=30)
    assert res.dose_reached_day is None and "full culture" in res.explanation


def test_reach_day_boundary_equals_culture_length():
    exact = 2 + 1.5 * math.log2(7)
    assert process.expansion(1e7, 100, 36, exact, 70).dose_reached_day == pytest.approx(exact)
    assert process.expansion(1e7, 100, 36, exact - 0.01, 70).dose_reached_day is None


@pytest.mark.parametrize("kwargs,name", [
    ({"t_cells_collected": -5}, "t_cells_collected"),
    ({"transduction_efficiency_percent": 150}, "transduction_efficiency_percent"),
    ({"doubling_time_hours": 0}, "doubling_time_hours"),
    ({"days_in_culture": 31}, "days_in_culture"),
    ({"body_weight_kg": 0}, "body_weight_kg"),
    ({"target_dose_cells_per_kg": 1e10}, "target_dose_cells_per_kg"),
    ({"body_weight_kg": float("nan")}, "body_weight_kg"),
])
def test_expansion_rejects_impossible_inputs_with_a_plain_message(kwargs, name):
    with pytest.raises(ValueError, match=name):
        process.expansion(**kwargs)


def test_expansion_rejects_text():
    with pytest.raises(TypeError, match="must be a number"):
        process.expansion(body_weight_kg="70")


@settings(max_examples=60, deadline=None)
@given(t0=st.floats(1e5, 1e11), eff=st.floats(0, 100), td=st.floats(12, 240), days=st.floats(1, 30),
       weight=st.floats(3, 250), dose=st.floats(1e4, 1e9))
def test_expansion_properties(t0, eff, td, days, weight, dose):
    res = process.expansion(t0, eff, td, days, weight, dose)
    cells = res.car_t_cells
    assert all(b >= a for a, b in zip(cells, cells[1:]))  # a culture never shrinks
    if res.dose_reached_day is not None:
        assert 0 <= res.dose_reached_day <= days
        assert res.final_car_t_cells >= res.target_cells * (1 - 1e-9)
    else:
        assert res.final_car_t_cells < res.target_cells * (1 + 1e-9) or eff == 0


def test_self_check_has_at_least_four_questions():
    assert len(process.SELF_CHECK) >= 4
    assert all(isinstance(q, Question) for q in process.SELF_CHECK)


# --- the rules after infusion: one copy, one source (issue 12) -------------------------------------

def test_after_infusion_rules_are_the_fda_2025_label_rules():
    us = process.US_LABEL_RULES
    assert (us.stay_near_centre_days, us.no_driving_days, us.source) == (14, 14, "fda2025")
    assert process.CLOSE_MONITORING_DAYS is us.stay_near_centre_days
    assert process.EU_KYMRIAH_RULES.source == "ema_kymriah2024" and process.EU_KYMRIAH_RULES.stay_near_centre_days == 28
    for audience in ("plain", "clinician"):
        text = process.after_infusion_rules_text(audience)
        assert "protocol" in text and ("2 weeks" in text or "14 days" in text)
        assert "REMS" not in text or audience == "clinician"
    with pytest.raises(ValueError, match="audience"):
        process.after_infusion_rules_text("nurse")


def test_journey_and_calendar_read_the_rules_not_a_copy():
    monitoring = process.journey_step("monitoring")
    assert f"{process.US_LABEL_RULES.stay_near_centre_days // 7} weeks" in monitoring.how_long
    assert "protocol" in monitoring.how_long and "fda2025" in monitoring.sources
    assert "REMS" not in process.timeline().phase("monitoring").note
    follow_up = process.journey_step("follow_up")
    assert "15 years" in follow_up.how_long and "fda2020" in follow_up.sources


def test_release_tests_are_named_fully():
    text = process.journey_step("manufacturing").what
    for word in ("sterility", "mycoplasma", "endotoxin", "vector copies", "replication-competent", "potency"):
        assert word in text, word


def test_lymphodepletion_self_check_no_longer_calls_the_chemotherapy_low():
    q = process.SELF_CHECK[0]
    assert all("low and short" not in f for f in q.explanations)
    assert any("lupus" in f and "fertility" in f for f in q.explanations)
