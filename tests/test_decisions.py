"""Notebook 05's pure module: the checklist never decides, the balance and the costs add up, the team fits the journey."""
import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from widgets import decisions, evidence, process
from widgets.references import BIBLIOGRAPHY

ANSWER = st.sampled_from(decisions.ANSWERS)
ALL_ANSWERS = st.fixed_dictionaries({item.key: ANSWER for item in decisions.CHECKLIST_ITEMS})
VERDICT_WORDS = ("eligible", "you qualify", "you can have", "you cannot have", "you should")


# --- refractory definitions ------------------------------------------------------------------

def test_refractory_definitions_cite_the_bibliography_and_match_their_registries():
    assert len(decisions.REFRACTORY_DEFINITIONS) >= 3
    for d in decisions.REFRACTORY_DEFINITIONS:
        assert d.source in BIBLIOGRAPHY
    by_key = {d.key: d for d in decisions.REFRACTORY_DEFINITIONS}
    assert "SLEDAI-2K of 8 or more" in by_key["nct06222853"].activity
    assert "BILAG" in by_key["nct06189157"].activity
    assert "at least two" in by_key["mueller2024"].prior_treatment


def test_refractory_table_has_one_row_per_definition_and_uses_labels():
    table = decisions.refractory_table_markdown({"mueller2024": "[Müller 2024]"})
    lines = table.splitlines()
    assert len(lines) == 2 + len(decisions.REFRACTORY_DEFINITIONS)
    assert "[Müller 2024]" in table and "nct06189157 |" in table  # unlabelled keys fall back to the key
    with pytest.raises(TypeError):
        decisions.refractory_table_markdown(["mueller2024"])


# --- checklist ---------------------------------------------------------------------------------

def test_unanswered_checklist_asks_for_an_answer():
    with pytest.raises(ValueError, match="No question is answered"):
        decisions.checklist_topics({})
    with pytest.raises(ValueError, match="No question is answered"):
        decisions.checklist_topics({k.key: "not answered" for k in decisions.CHECKLIST_ITEMS})


def test_checklist_rejects_unknown_keys_and_answers():
    with pytest.raises(ValueError, match="unknown key"):
        decisions.checklist_topics({"age": "yes"})
    with pytest.raises(ValueError, match="accepted: 'not answered', 'yes', 'no', 'not sure'"):
        decisions.checklist_topics({"infection": "maybe"})
    with pytest.raises(TypeError):
        decisions.checklist_topics(["infection"])


def test_checklist_raises_a_topic_when_the_answer_differs_from_trial_participants():
    (topic,) = decisions.checklist_topics({"infection": "yes"})
    assert topic.raised and topic.text.startswith("Raise this")
    (topic,) = decisions.checklist_topics({"infection": "no"})
    assert not topic.raised
    (topic,) = decisions.checklist_topics({"still_active": "no"})
    assert topic.raised
    (topic,) = decisions.checklist_topics({"still_active": "not sure"})
    assert topic.raised and topic.text.startswith("Not sure")


@given(ALL_ANSWERS)
def test_checklist_never_gives_a_verdict(answers):
    try:
        topics = decisions.checklist_topics(answers)
    except ValueError:
        assert all(a == "not answered" for a in answers.values())
        return
    answered = [i.key for i in decisions.CHECKLIST_ITEMS if answers[i.key] != "not answered"]
    assert [t.key for t in topics] == answered  # checklist order, unanswered left out
    for topic in topics:
        text = topic.text.lower()
        assert not any(word in text for word in VERDICT_WORDS), topic.text
        usual = next(i.usual_in_trials for i in decisions.CHECKLIST_ITEMS if i.key == topic.key)
        assert topic.raised == (answers[topic.key] != usual)  # "not sure" never equals "yes"/"no"


# --- balance -----------------------------------------------------------------------------------

def _weights(value=3, **overrides):
    w = {i.key: value for i in decisions.BALANCE_ITEMS}
    w.update(overrides)
    return w


def test_balance_sums_each_side_and_says_it_is_not_a_calculation():
    result = decisions.balance(_weights(0, remission=5, crs=2))
    assert result.totals == {"benefit": 5, "burden": 2}
    n_benefit = sum(1 for i in decisions.BALANCE_ITEMS if i.side == "benefit")
    assert result.maximum["benefit"] == 5 * n_benefit
    assert result.percent["benefit"] == pytest.approx(100 * 5 / (5 * n_benefit))
    assert "benefits weigh more" in result.summary
    assert "does not calculate the right choice" in result.summary
    assert "not yet marked" in decisions.balance(_weights(0)).summary


def test_balance_compares_shares_not_raw_sums():
    n_benefit = sum(1 for i in decisions.BALANCE_ITEMS if i.side == "benefit")
    n_burden = len(decisions.BALANCE_ITEMS) - n_benefit
    assert n_benefit != n_burden  # otherwise this test proves nothing
    result = decisions.balance(_weights(5))
    assert result.percent["benefit"] == result.percent["burden"] == 100
    assert "both sides weigh the same" in result.summary


@pytest.mark.parametrize("bad,error", [(6, ValueError), (-1, ValueError), (2.5, TypeError), ("3", TypeError)])
def test_balance_rejects_weights_outside_0_to_5(bad, error):
    with pytest.raises(error, match="Lupus goes into remission"):
        decisions.balance(_weights(remission=bad))


def test_balance_needs_every_item_and_known_keys():
    w = _weights()
    del w["crs"]
    with pytest.raises(ValueError, match="no weight given for crs"):
        decisions.balance(w)
    with pytest.raises(ValueError, match="unknown key"):
        decisions.balance(_weights(happiness=3))


@given(st.fixed_dictionaries({i.key: st.integers(0, 5) for i in decisions.BALANCE_ITEMS}))
def test_balance_totals_are_sums_and_never_recommend(weights):
    result = decisions.balance(weights)
    for side in decisions.BALANCE_SIDES:
        assert result.totals[side] == sum(weights[i.key] for i in decisions.BALANCE_ITEMS if i.side == side)
        assert 0 <= result.percent[side] <= 100
    assert not any(word in result.summary.lower() for word in VERDICT_WORDS)


def test_balance_evidence_comes_from_the_pooled_data():
    items = {i.key: i for i in decisions.BALANCE_ITEMS}
    review = evidence.REVIEWS["nordmanngomes2025"]
    assert f"{review['doris'].n} of {review['doris'].N} evaluable" in items["remission"].evidence
    pooled = evidence.pool("doris").count
    assert f"{pooled.n} of {pooled.N}" in items["remission"].evidence  # with its denominator, not 'all'
    assert f"{review['deaths'].n} of them fatal" in items["infection"].evidence
    assert "LICATS" in items["licats"].label and "[Hagen 2025]" in items["licats"].evidence
    assert f"About {evidence.pooled_patients()[0]} patients" in items["uncertainty"].evidence
    assert all("[" in i.evidence for i in decisions.BALANCE_ITEMS)  # every item cites a source


def test_cost_lines_without_an_estimate_are_named_not_hidden():
    defaults = {i.key: i.default_usd for i in decisions.COST_ITEMS}
    result = decisions.cost_breakdown(defaults)
    assert "apheresis" in result.unestimated and "product" not in result.unestimated
    assert decisions.cost_breakdown({k: 1 for k in decisions.COST_KEYS}).unestimated == ()


# --- cost ----------------------------------------------------------------------------------------

def test_cost_defaults_are_the_cited_anchors():
    defaults = {i.key: i.default_usd for i in decisions.COST_ITEMS}
    assert defaults["product"] == 475_000  # tisagenlecleucel list price, 2017
    assert decisions.AXICABTAGENE_LIST_PRICE_2017_USD == 373_000
    assert defaults["hospital"] == 57_000
    result = decisions.cost_breakdown(defaults)
    assert result.total_usd == 532_000
    assert result.largest == "product"
    assert result.shares["product"] == pytest.approx(475 / 532)


def test_cost_missing_lines_count_as_zero_and_zero_total_has_no_largest():
    assert decisions.cost_breakdown({"travel": 1200}).total_usd == 1200
    empty = decisions.cost_breakdown({})
    assert empty.total_usd == 0 and empty.largest is None and set(empty.shares.values()) == {0.0}


def test_cost_accepts_zero_and_the_maximum_but_not_beyond():
    assert decisions.cost_breakdown({"travel": 0}).amounts_usd["travel"] == 0
    assert decisions.cost_breakdown({"travel": decisions.COST_MAX_USD}).total_usd == decisions.COST_MAX_USD
    with pytest.raises(ValueError, match="Travel and lodging"):
        decisions.cost_breakdown({"travel": decisions.COST_MAX_USD + 1})


@pytest.mark.parametrize("bad,error,words", [
    (-0.01, ValueError, "is negative"),
    (-500, ValueError, "is negative"),
    ("12k", TypeError, "must be a number"),
    (None, TypeError, "must be a number"),
    (True, TypeError, "must be a number"),
    (math.nan, ValueError, "finite"),
    (math.inf, ValueError, "finite"),
])
def test_cost_bad_lines_name_the_line(bad, error, words):
    with pytest.raises(error) as info:
        decisions.cost_breakdown({"time_off": bad})
    assert "Time off work" in str(info.value) and words in str(info.value)


def test_cost_rejects_unknown_lines():
    with pytest.raises(ValueError, match="unknown key"):
        decisions.cost_breakdown({"clinic_fee": 10})


@given(st.fixed_dictionaries({i.key: st.floats(0, 1e7) for i in decisions.COST_ITEMS}))
def test_cost_shares_sum_to_one(costs):
    result = decisions.cost_breakdown(costs)
    assert result.total_usd == pytest.approx(sum(costs.values()))
    if result.total_usd > 0:
        assert sum(result.shares.values()) == pytest.approx(1)
        assert result.amounts_usd[result.largest] == max(costs.values())


# --- care team ------------------------------------------------------------------------------------

def test_journey_steps_are_notebook_03s():
    assert decisions.STEP_KEYS == process.JOURNEY_KEYS
    assert [s.label for s in decisions.JOURNEY_STEPS] == [s.name for s in process.JOURNEY]


def test_care_team_uses_known_steps_and_levels():
    required = {"rheumatologist", "cell_therapy", "immunologist", "manufacturing", "nurses", "icu", "neurology"}
    assert required <= {r.key for r in decisions.CARE_TEAM}
    for role in decisions.CARE_TEAM:
        assert set(role.tasks) <= set(decisions.STEP_KEYS), role.key
        for level, task in role.tasks.values():
            assert level in decisions.INVOLVEMENT_LEVELS and level and task


def test_every_step_has_someone_in_charge_and_icu_is_on_call_around_infusion():
    for step in decisions.STEP_KEYS:
        team = decisions.team_at_step(step)
        assert len(team) == len(decisions.CARE_TEAM)
        assert any(t.level == "leads" for t in team), step
    icu = {t.role: t for t in decisions.team_at_step("monitoring")}["icu"]
    assert icu.level == "on call"
    assert {t.role: t for t in decisions.team_at_step("engineering")}["icu"].level == ""


def test_team_at_step_rejects_unknown_steps():
    with pytest.raises(ValueError, match="accepted"):
        decisions.team_at_step("surgery")


# --- consent, questions, self-check ------------------------------------------------------------------

def test_questions_text_numbers_every_question_once():
    text = decisions.questions_text()
    for i, (_topic, question) in enumerate(decisions.QUESTIONS_TO_ASK, start=1):
        assert f"{i}. {question}" in text
    assert len(decisions.QUESTIONS_TO_ASK) >= 8


def test_questions_ask_whether_the_offer_is_a_registered_trial():
    # Offers outside registered trials (e.g. paid "medical travel") are a known risk: ask for the number.
    questions = [q for _topic, q in decisions.QUESTIONS_TO_ASK]
    assert "Is this a registered clinical trial? What is its registry number?" in questions
    assert "registry number" in decisions.questions_text()


def test_consent_points_say_investigational_and_not_guaranteed():
    text = " ".join(decisions.CONSENT_POINTS).lower()
    assert "investigational" in text and "not guaranteed" in text and "15 years" in text
    assert "cannot undo damage" in text  # realistic expectations: scarred organs stay scarred
    assert "not medical advice" in decisions.NOT_MEDICAL_ADVICE


def test_self_check_has_at_least_four_questions():
    assert len(decisions.SELF_CHECK) >= 4
