"""SLE instruments added for issue 13: the SLEDAI-2K arthritis threshold, the SLICC/ACR damage index
[Gladman 1996], LLDAS [Franklyn 2016] and DORIS remission [van Vollenhoven 2021], each pinned at its
published boundaries (the value that must score and the one that must not)."""
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from widgets import clinical as c


# --- SLEDAI-2K arthritis: >= 2 joints in SLEDAI-2K as reproduced; > 2 in the original SLEDAI ---------
@pytest.mark.parametrize("joints, sledai2k, sledai", [(0, False, False), (1, False, False), (2, True, False),
                                                      (3, True, True), (10, True, True)])
def test_arthritis_threshold_is_two_joints_in_sledai2k_and_three_in_the_original(joints, sledai2k, sledai):
    assert c.sledai2k_arthritis(joints) is sledai2k
    assert c.sledai2k_arthritis(joints, version="SLEDAI") is sledai


def test_two_inflamed_joints_score_four_points():
    findings = {"arthritis"} if c.sledai2k_arthritis(2) else set()
    assert c.sledai2k_score(findings) == 4


@pytest.mark.parametrize("bad, exc", [(-1, ValueError), (2.0, TypeError), (True, TypeError), ("2", TypeError)])
def test_arthritis_rejects_bad_counts(bad, exc):
    with pytest.raises(exc, match="inflamed_joints"):
        c.sledai2k_arthritis(bad)


def test_arthritis_rejects_unknown_version():
    with pytest.raises(ValueError, match="accepted: 'SLEDAI-2K', 'SLEDAI'"):
        c.sledai2k_arthritis(2, version="SELENA")


# --- SLICC/ACR damage index [Gladman 1996] -----------------------------------------------------------
def test_sdi_has_41_items_in_12_systems_and_maximum_47():
    assert len(c.SDI_ITEMS) == 41 and len(c.SDI_SYSTEMS) == 12 and c.SDI_MAX_SCORE == 47
    everything = {k: (2 if m == 2 else 1) for k, (_s, _d, m) in c.SDI_ITEMS.items()}
    assert c.sdi_score(everything) == 47
    assert c.sdi_system_points(everything) == dict(c.SDI_SYSTEM_MAX)


@pytest.mark.parametrize("item", ["cva", "myocardial_infarction", "significant_tissue_loss",
                                  "gut_infarction_or_resection", "avascular_necrosis", "malignancy"])
def test_items_scoring_two_if_more_than_one(item):
    assert c.sdi_score({item: 1}) == 1
    assert c.sdi_score({item: 2}) == 2
    assert c.sdi_score({item: 5}) == 2  # never more than 2


def test_single_items_refuse_a_second_count():
    with pytest.raises(ValueError, match="scores once"):
        c.sdi_score({"cataract": 2})


def test_end_stage_kidney_disease_scores_three_and_replaces_other_renal_items():
    assert c.sdi_score(["end_stage_kidney_disease"]) == 3
    assert c.sdi_score(["gfr_below_50_percent", "proteinuria_3_5_g"]) == 2
    both = ["end_stage_kidney_disease", "gfr_below_50_percent", "proteinuria_3_5_g"]
    assert c.sdi_system_points(both)["renal"] == 3
    assert "replaces" in c.sdi_report(both)


def test_sdi_zero_and_list_input():
    assert c.sdi_score([]) == 0 and c.sdi_score({"cataract": 0}) == 0
    assert c.sdi_score(["cataract", "diabetes"]) == 2
    assert "No damage item scored" in c.sdi_report([])


@pytest.mark.parametrize("bad, exc, words", [
    ({"sunburn": 1}, ValueError, "unknown key"), ("cataract", TypeError, "collection"),
    ({"cataract": True}, TypeError, "whole number"), ({"cva": -1}, ValueError, "accepted"),
    ({"cva": 1.5}, TypeError, "whole number"), ([3], TypeError, "strings"),
])
def test_sdi_rejects_bad_input_naming_it(bad, exc, words):
    with pytest.raises(exc, match=words):
        c.sdi_score(bad)


@settings(max_examples=60, deadline=None)
@given(st.dictionaries(st.sampled_from(sorted(c.SDI_ITEMS)), st.integers(0, 1)))
def test_sdi_properties(items):
    score = c.sdi_score(items)
    assert 0 <= score <= c.SDI_MAX_SCORE
    assert score == sum(c.sdi_system_points(items).values())
    # Adding damage never lowers the score (ESRD replaces, never subtracts).
    for extra in ("cataract", "end_stage_kidney_disease"):
        assert c.sdi_score({**items, extra: 1}) >= score


def test_example_sdi_case():
    assert c.sdi_score(c.EXAMPLE_SDI_CASE) == 5


# --- LLDAS [Franklyn 2016] --------------------------------------------------------------------------
BASE = {"sledai2k_findings": (), "pga": 0.0, "prednisolone_mg_per_day": 0.0}


def test_lldas_boundaries():
    assert c.lldas(**{**BASE, "sledai2k_findings": ("arthritis",)}).met           # SLEDAI-2K 4
    assert not c.lldas(**{**BASE, "sledai2k_findings": ("arthritis", "fever")}).met  # 5, and fever is major
    assert c.lldas(**{**BASE, "pga": 1.0}).met and not c.lldas(**{**BASE, "pga": 1.01}).met
    assert c.lldas(**{**BASE, "prednisolone_mg_per_day": 7.5}).met
    assert not c.lldas(**{**BASE, "prednisolone_mg_per_day": 7.51}).met


@pytest.mark.parametrize("descriptor", sorted(c.LLDAS_MAJOR_ORGAN_DESCRIPTORS))
def test_lldas_any_major_organ_activity_fails_even_at_low_score(descriptor):
    result = c.lldas(**{**BASE, "sledai2k_findings": (descriptor,)})
    assert not result.met and result.failing[0].key == "activity"


def test_lldas_major_organs_are_the_published_ones():
    assert c.LLDAS_MAJOR_ORGAN_DESCRIPTORS == {
        "urinary_casts", "hematuria", "proteinuria", "pyuria", "seizure", "psychosis", "organic_brain_syndrome",
        "visual_disturbance", "cranial_nerve_disorder", "lupus_headache", "cva", "pleurisy", "pericarditis",
        "vasculitis", "fever"}
    assert c.lldas(**{**BASE, "sledai2k_findings": ("low_complement", "increased_dna_binding")}).met  # serology allowed


@pytest.mark.parametrize("flag, value", [("new_activity", True), ("hemolytic_anemia", True),
                                         ("gastrointestinal_activity", True), ("maintenance_tolerated", False),
                                         ("investigational_drug", True)])
def test_lldas_each_other_item_can_fail_it(flag, value):
    result = c.lldas(**BASE, **{flag: value})
    assert not result.met and len(result.failing) == 1
    assert "Not met because of" in result.report()


@pytest.mark.parametrize("kw, exc, words", [
    ({"pga": 3.5}, ValueError, "pga = 3.5"), ({"pga": "low"}, TypeError, "pga must be a number"),
    ({"prednisolone_mg_per_day": -1}, ValueError, "prednisolone_mg_per_day"),
    ({"sledai2k_findings": ("arthritis", "sunburn")}, ValueError, "sunburn"),
    ({"new_activity": "no"}, TypeError, "new_activity must be True or False"),
    ({"pga": float("nan")}, ValueError, "finite"),
])
def test_lldas_rejects_bad_input_naming_it(kw, exc, words):
    with pytest.raises(exc, match=words):
        c.lldas(**{**BASE, **kw})


# --- DORIS remission [van Vollenhoven 2021] --------------------------------------------------------
def test_doris_boundaries():
    assert c.doris_remission(**{**BASE, "pga": 0.49}).met and not c.doris_remission(**{**BASE, "pga": 0.5}).met
    five = {**BASE, "prednisolone_mg_per_day": 5.0}
    assert c.doris_remission(**five).met                                  # abstract: 5 mg/day or less
    assert not c.doris_remission(**five, prednisolone_rule="below_5").met  # Table 2: < 5 mg/day
    assert c.doris_remission(**{**BASE, "prednisolone_mg_per_day": 4.99}, prednisolone_rule="below_5").met
    assert not c.doris_remission(**{**BASE, "prednisolone_mg_per_day": 5.01}).met


def test_doris_ignores_serology_but_not_any_clinical_descriptor():
    assert c.doris_remission(**{**BASE, "sledai2k_findings": c.SEROLOGY_DESCRIPTORS}).met
    for key in set(c.SLEDAI2K_WEIGHTS) - set(c.SEROLOGY_DESCRIPTORS):
        result = c.doris_remission(**{**BASE, "sledai2k_findings": (key,)})
        assert not result.met and result.failing[0].key == "clinical_sledai"


def test_doris_background_must_be_stable():
    assert not c.doris_remission(**BASE, background_stable=False).met


def test_doris_rejects_bad_rule_and_input():
    with pytest.raises(ValueError, match="prednisolone_rule = 'below_or_at'"):
        c.doris_remission(**BASE, prednisolone_rule="below_or_at")
    with pytest.raises(TypeError, match="background_stable"):
        c.doris_remission(**BASE, background_stable=1)


def test_doris_is_stricter_than_lldas():
    # Every DORIS remission (at_most_5) with tolerated maintenance drugs is also LLDAS.
    for findings in [(), ("low_complement",), ("arthritis",), ("rash", "alopecia")]:
        for pga in (0.0, 0.3, 0.6):
            for pred in (0.0, 5.0, 7.5):
                kw = {"sledai2k_findings": findings, "pga": pga, "prednisolone_mg_per_day": pred}
                if c.doris_remission(**kw).met:
                    assert c.lldas(**kw).met


def test_example_target_case_shows_the_two_doris_wordings():
    assert c.lldas(**c.EXAMPLE_TARGET_CASE).met
    assert c.doris_remission(**c.EXAMPLE_TARGET_CASE).met
    assert not c.doris_remission(**c.EXAMPLE_TARGET_CASE, prednisolone_rule="below_5").met
