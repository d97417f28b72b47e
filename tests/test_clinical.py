"""Layer 1 for widgets.clinical: the published definitions as the oracle.

Sources: SLEDAI-2K [Gladman 2002], categorical SLEDAI [Cook 2000], 2019 EULAR/ACR criteria
[Aringer 2019], ASTCT CRS / ICE / ICANS grading [Lee 2019].
"""
import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from widgets import clinical as c
from widgets.references import BIBLIOGRAPHY

# --- SLEDAI-2K --------------------------------------------------------------------------

# The published weights, written out again from the form [Gladman 2002] as an independent oracle.
PUBLISHED_SLEDAI2K = {
    8: {"seizure", "psychosis", "organic_brain_syndrome", "visual_disturbance", "cranial_nerve_disorder",
        "lupus_headache", "cva", "vasculitis"},
    4: {"arthritis", "myositis", "urinary_casts", "hematuria", "proteinuria", "pyuria"},
    2: {"rash", "alopecia", "mucosal_ulcers", "pleurisy", "pericarditis", "low_complement", "increased_dna_binding"},
    1: {"fever", "thrombocytopenia", "leukopenia"},
}


def test_pure_module_imports_no_widgets_or_plotting():
    code = ("import sys, widgets.clinical; bad = [m for m in ('ipywidgets', 'matplotlib') if m in sys.modules];"
            "assert not bad, bad")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr


@pytest.mark.parametrize("weight,keys", sorted(PUBLISHED_SLEDAI2K.items()))
def test_sledai2k_each_descriptor_scores_its_published_weight(weight, keys):
    for key in keys:
        assert c.SLEDAI2K_WEIGHTS[key] == weight
        assert c.sledai2k_score([key]) == weight


def test_sledai2k_has_24_descriptors_and_max_105():
    assert set(c.SLEDAI2K_WEIGHTS) == set().union(*PUBLISHED_SLEDAI2K.values())
    assert len(c.SLEDAI2K_WEIGHTS) == 24
    assert c.sledai2k_score(c.SLEDAI2K_WEIGHTS) == 105 == c.SLEDAI2K_MAX_SCORE


def test_sledai2k_counts_each_descriptor_once():
    assert c.sledai2k_score(["arthritis", "arthritis", "rash"]) == 6
    assert c.sledai2k_score([]) == 0


def test_sledai2k_systems_are_nine_and_partition_the_descriptors():
    assert len(c.SLEDAI2K_SYSTEMS) == 9
    listed = [k for keys in c.SLEDAI2K_SYSTEMS.values() for k in keys]
    assert sorted(listed) == sorted(c.SLEDAI2K_WEIGHTS)
    assert c.SLEDAI2K_SYSTEM_OF["visual_disturbance"] == "neuropsychiatric"
    assert c.SLEDAI2K_SYSTEMS["renal"] == ("urinary_casts", "hematuria", "proteinuria", "pyuria")


def test_sledai2k_system_points_sum_to_the_score():
    findings = {"seizure", "arthritis", "proteinuria", "hematuria", "rash", "fever"}
    pts = c.sledai2k_system_points(findings)
    assert sum(pts.values()) == c.sledai2k_score(findings) == 23
    assert pts["renal"] == 8 and pts["neuropsychiatric"] == 8 and pts["serosal"] == 0


def test_every_descriptor_has_label_and_definition():
    assert set(c.SLEDAI2K_DEFINITIONS) == set(c.SLEDAI2K_LABELS) == set(c.SLEDAI2K_WEIGHTS)
    assert all(len(d) > 20 for d in c.SLEDAI2K_DEFINITIONS.values())
    assert "More than 2 joints" in c.SLEDAI2K_DEFINITIONS["arthritis"]


# Each measured threshold: the value exactly at it does NOT score, just past it does [Gladman 2002].
THRESHOLDS = [
    ("temperature_c", "fever", 38.0, 38.1, 37.9),
    ("platelets_e9_per_l", "thrombocytopenia", 100.0, 99.9, 100.1),
    ("leukocytes_e9_per_l", "leukopenia", 3.0, 2.99, 3.01),
    ("proteinuria_g_per_24h", "proteinuria", 0.5, 0.51, 0.49),
    ("urine_rbc_per_hpf", "hematuria", 5, 6, 4),
    ("urine_wbc_per_hpf", "pyuria", 5, 6, 4),
]


@pytest.mark.parametrize("arg,descriptor,at,past,inside", THRESHOLDS, ids=[t[1] for t in THRESHOLDS])
def test_sledai2k_thresholds_are_strict(arg, descriptor, at, past, inside):
    assert c.sledai2k_lab_findings(**{arg: at}) == set(), f"{arg}={at} must not score"
    assert c.sledai2k_lab_findings(**{arg: inside}) == set()
    assert c.sledai2k_lab_findings(**{arg: past}) == {descriptor}


def test_sledai2k_lab_findings_none_means_not_measured():
    assert c.sledai2k_lab_findings() == set()
    assert c.sledai2k_lab_findings(temperature_c=None, platelets_e9_per_l=50) == {"thrombocytopenia"}
    assert c.sledai2k_lab_checks(platelets_e9_per_l=50)[0].met is True
    assert len(c.sledai2k_lab_checks()) == 0


def test_sledai2k_lab_findings_all_at_once():
    found = c.sledai2k_lab_findings(temperature_c=39, platelets_e9_per_l=80, leukocytes_e9_per_l=2.5,
                                    proteinuria_g_per_24h=2, urine_rbc_per_hpf=20, urine_wbc_per_hpf=10)
    assert found == {"fever", "thrombocytopenia", "leukopenia", "proteinuria", "hematuria", "pyuria"}
    assert c.sledai2k_score(found) == 1 + 1 + 1 + 4 + 4 + 4


@pytest.mark.parametrize("kwargs,exc,words", [
    ({"platelets_e9_per_l": 150000}, ValueError, "platelets_e9_per_l"),
    ({"temperature_c": 101}, ValueError, "temperature_c"),
    ({"leukocytes_e9_per_l": -1}, ValueError, "leukocytes_e9_per_l"),
    ({"proteinuria_g_per_24h": "0.6"}, TypeError, "proteinuria_g_per_24h"),
    ({"urine_rbc_per_hpf": float("nan")}, ValueError, "urine_rbc_per_hpf"),
])
def test_sledai2k_lab_findings_rejects_bad_values(kwargs, exc, words):
    with pytest.raises(exc, match=words):
        c.sledai2k_lab_findings(**kwargs)


def test_sledai2k_lab_findings_rejects_unknown_measurement():
    with pytest.raises(TypeError):
        c.sledai2k_lab_findings(crp_mg_per_l=10)  # keyword-only signature: nothing silently ignored


@pytest.mark.parametrize("bad,exc", [
    (["arthritis", "sunburn"], ValueError), ("arthritis", TypeError), ([1], TypeError), (None, TypeError),
])
def test_sledai2k_score_rejects_unknown_or_wrong_type(bad, exc):
    with pytest.raises(exc) as info:
        c.sledai2k_score(bad)
    assert "findings" in str(info.value)
    if exc is ValueError:
        assert "sunburn" in str(info.value) and "accepted" in str(info.value) and "seizure" in str(info.value)


@pytest.mark.parametrize("score,band", [
    (0, "none"), (1, "mild"), (5, "mild"), (6, "moderate"), (10, "moderate"), (11, "high"), (19, "high"),
    (20, "very high"), (105, "very high"),
])
def test_sledai2k_band_cook_2000_categories(score, band):
    assert c.sledai2k_band(score) == band


@pytest.mark.parametrize("bad,exc", [(-1, ValueError), (106, ValueError), (5.0, TypeError), (True, TypeError)])
def test_sledai2k_band_rejects(bad, exc):
    with pytest.raises(exc, match="score"):
        c.sledai2k_band(bad)


_sledai_sets = st.sets(st.sampled_from(sorted(c.SLEDAI2K_WEIGHTS)))


@given(_sledai_sets, st.sampled_from(sorted(c.SLEDAI2K_WEIGHTS)))
def test_property_adding_a_descriptor_never_lowers_the_score(findings, extra):
    assert c.sledai2k_score(findings | {extra}) >= c.sledai2k_score(findings)


@given(_sledai_sets)
def test_property_score_within_0_105_and_band_defined(findings):
    score = c.sledai2k_score(findings)
    assert 0 <= score <= 105
    assert c.sledai2k_band(score) in {"none", "mild", "moderate", "high", "very high"}
    assert (score == 0) == (not findings)


@given(st.floats(0, 2000), st.floats(0, 2000))
def test_property_lower_platelets_never_remove_thrombocytopenia(a, b):
    low, high = sorted((a, b))
    if "thrombocytopenia" in c.sledai2k_lab_findings(platelets_e9_per_l=high):
        assert "thrombocytopenia" in c.sledai2k_lab_findings(platelets_e9_per_l=low)


def test_sledai2k_report_of_the_fictional_case():
    assert c.EXAMPLE_SLEDAI_DESCRIPTION.startswith("Fictional")
    alone = c.sledai2k_report(c.EXAMPLE_SLEDAI_CASE)
    assert alone.splitlines()[0] == "SLEDAI-2K score: 16 of 105 (band: high, 11-19)"
    assert "Measured values" not in alone
    text = c.sledai2k_report(c.EXAMPLE_SLEDAI_CASE, **c.EXAMPLE_SLEDAI_MEASUREMENTS)
    assert text.splitlines()[0] == "SLEDAI-2K score: 16 of 105 (band: high, 11-19)"
    assert "platelets 100 x10^9/L: Thrombocytopenia needs < 100 x10^9/L -> not met" in text
    assert "urine red cells 5 /hpf: Haematuria needs > 5 /hpf -> not met" in text
    assert "urine protein 1.2 g/24 h: Proteinuria needs > 0.5 g/24 h -> met" in text
    assert "Renal 4: Proteinuria (4)" in text
    assert "Cook 2000" in text


def test_sledai2k_report_empty_and_unknown_measurement():
    assert "No descriptor counted" in c.sledai2k_report([])
    assert "band: none, 0" in c.sledai2k_report([])
    with pytest.raises(ValueError, match="crp"):
        c.sledai2k_report([], crp=3)


# --- EULAR/ACR 2019 ---------------------------------------------------------------------

# The published domain table [Aringer 2019], written out again as an oracle.
PUBLISHED_EULAR = {
    "constitutional": {"fever": 2},
    "hematologic": {"leukopenia": 3, "thrombocytopenia": 4, "autoimmune_hemolysis": 4},
    "neuropsychiatric": {"delirium": 2, "psychosis": 3, "seizure": 5},
    "mucocutaneous": {"non_scarring_alopecia": 2, "oral_ulcers": 2, "subacute_cutaneous_or_discoid_lupus": 4,
                      "acute_cutaneous_lupus": 6},
    "serosal": {"pleural_or_pericardial_effusion": 5, "acute_pericarditis": 6},
    "musculoskeletal": {"joint_involvement": 6},
    "renal": {"proteinuria": 4, "lupus_nephritis_class_2_or_5": 8, "lupus_nephritis_class_3_or_4": 10},
    "antiphospholipid_antibodies": {"antiphospholipid_antibodies": 2},
    "complement_proteins": {"low_c3": 3, "low_c4": 3},
    "sle_specific_antibodies": {"anti_dsdna": 6, "anti_smith": 6},
}
ALL_CRITERIA = sorted(c.EULAR_ACR_2019_WEIGHTS)


def test_eular_domains_items_and_weights_match_the_paper():
    assert {d: set(k) for d, k in c.EULAR_ACR_2019_DOMAINS.items()} == {d: set(k) for d, k in PUBLISHED_EULAR.items()}
    for items in PUBLISHED_EULAR.values():
        for key, weight in items.items():
            assert c.EULAR_ACR_2019_WEIGHTS[key] == weight
    assert len(c.EULAR_ACR_2019_CLINICAL_DOMAINS) == 7 and len(c.EULAR_ACR_2019_IMMUNOLOGY_DOMAINS) == 3
    assert set(c.EULAR_ACR_2019_CLINICAL_DOMAINS) | set(c.EULAR_ACR_2019_IMMUNOLOGY_DOMAINS) == set(PUBLISHED_EULAR)
    assert set(c.EULAR_ACR_2019_DEFINITIONS) == set(c.EULAR_ACR_2019_LABELS) == set(ALL_CRITERIA)


@pytest.mark.parametrize("key", ALL_CRITERIA)
def test_eular_each_criterion_alone_scores_its_weight(key):
    r = c.eular_acr_2019(True, [key])
    assert r.points == c.EULAR_ACR_2019_WEIGHTS[key]
    assert r.domain_points[c.EULAR_ACR_2019_DOMAIN_OF[key]] == r.points
    # Only class III/IV lupus nephritis (10 points, clinical) classifies on its own.
    assert r.classified == (key == "lupus_nephritis_class_3_or_4")


def test_eular_single_lupus_nephritis_iii_iv_is_10_and_classifies():
    r = c.eular_acr_2019(True, ["lupus_nephritis_class_3_or_4"])
    assert r.points == 10 and r.classified


def test_eular_all_criteria_give_the_maximum_51():
    r = c.eular_acr_2019(True, ALL_CRITERIA)
    assert r.points == 51 == c.EULAR_ACR_2019_MAX_POINTS
    assert r.classified


@pytest.mark.parametrize("criteria,domain,points,counted,ignored", [
    (["leukopenia", "thrombocytopenia"], "hematologic", 4, ("thrombocytopenia",), ("leukopenia",)),
    (["thrombocytopenia", "autoimmune_hemolysis"], "hematologic", 4, ("thrombocytopenia",), ("autoimmune_hemolysis",)),
    (["delirium", "psychosis", "seizure"], "neuropsychiatric", 5, ("seizure",), ("delirium", "psychosis")),
    (["non_scarring_alopecia", "acute_cutaneous_lupus"], "mucocutaneous", 6, ("acute_cutaneous_lupus",),
     ("non_scarring_alopecia",)),
    (["non_scarring_alopecia", "oral_ulcers"], "mucocutaneous", 2, ("non_scarring_alopecia",), ("oral_ulcers",)),
    (["pleural_or_pericardial_effusion", "acute_pericarditis"], "serosal", 6, ("acute_pericarditis",),
     ("pleural_or_pericardial_effusion",)),
    (["proteinuria", "lupus_nephritis_class_2_or_5", "lupus_nephritis_class_3_or_4"], "renal", 10,
     ("lupus_nephritis_class_3_or_4",), ("proteinuria", "lupus_nephritis_class_2_or_5")),
])
def test_eular_only_the_highest_item_per_domain_counts(criteria, domain, points, counted, ignored):
    r = c.eular_acr_2019(True, criteria)
    assert r.domain_points[domain] == points == r.points
    assert r.counted[domain] == counted
    assert r.ignored[domain] == ignored


def test_eular_low_c3_and_low_c4_together_score_4_not_6():
    assert c.eular_acr_2019(True, ["low_c3"]).points == 3
    assert c.eular_acr_2019(True, ["low_c4"]).points == 3
    both = c.eular_acr_2019(True, ["low_c3", "low_c4"])
    assert both.points == 4 and both.counted["complement_proteins"] == ("low_c3", "low_c4")
    assert "complement_proteins" not in both.ignored


def test_eular_anti_dsdna_and_anti_smith_count_once():
    r = c.eular_acr_2019(True, ["anti_dsdna", "anti_smith"])
    assert r.points == 6


def test_eular_entry_criterion_required():
    criteria = ["joint_involvement", "acute_cutaneous_lupus", "anti_dsdna"]
    assert c.eular_acr_2019(True, criteria).classified
    r = c.eular_acr_2019(False, criteria)
    assert not r.classified and r.points == 18  # points shown for teaching; criteria not applied
    assert any("entry criterion" in reason for reason in r.reasons)


def test_eular_clinical_criterion_required_immunology_alone_never_classifies():
    r = c.eular_acr_2019(True, ["anti_dsdna", "low_c3", "low_c4", "antiphospholipid_antibodies"])
    assert r.points == 12 and not r.clinical_criterion and not r.classified
    assert r.reasons == ("no clinical criterion: immunology domains alone never classify",)
    assert c.eular_acr_2019(True, ["anti_dsdna", "low_c3", "low_c4", "fever"]).classified  # fever is clinical


def test_eular_threshold_is_10_inclusive():
    nine = c.eular_acr_2019(True, ["joint_involvement", "low_c3"])  # 6 + 3
    ten = c.eular_acr_2019(True, ["joint_involvement", "low_c3", "low_c4"])  # 6 + 4
    assert nine.points == 9 and not nine.classified and nine.reasons == ("9 points is under the threshold of 10",)
    assert ten.points == 10 and ten.classified and ten.reasons == ()


def test_eular_domain_points_lists_every_domain():
    r = c.eular_acr_2019(True, [])
    assert list(r.domain_points) == list(PUBLISHED_EULAR) and set(r.domain_points.values()) == {0}
    assert len(r.reasons) == 2  # no clinical criterion, under 10


@pytest.mark.parametrize("ana,criteria,exc,word", [
    (1, [], TypeError, "ana_positive"),
    (True, ["malar_rash"], ValueError, "malar_rash"),
    (True, "fever", TypeError, "criteria"),
])
def test_eular_rejects_bad_input(ana, criteria, exc, word):
    with pytest.raises(exc, match=word):
        c.eular_acr_2019(ana, criteria)


_eular_sets = st.sets(st.sampled_from(ALL_CRITERIA))


@given(st.booleans(), _eular_sets, st.sampled_from(ALL_CRITERIA))
def test_property_eular_points_monotone(ana, criteria, extra):
    a, b = c.eular_acr_2019(ana, criteria), c.eular_acr_2019(ana, criteria | {extra})
    assert b.points >= a.points
    assert all(b.domain_points[d] >= a.domain_points[d] for d in a.domain_points)
    assert b.classified or not a.classified  # adding a criterion never un-classifies


@given(st.booleans(), _eular_sets)
def test_property_classified_implies_the_rules(ana, criteria):
    r = c.eular_acr_2019(ana, criteria)
    assert r.points == sum(r.domain_points.values()) <= 51
    if r.classified:
        assert r.points >= 10 and ana and r.clinical_criterion
        assert any(r.domain_points[d] for d in c.EULAR_ACR_2019_CLINICAL_DOMAINS)
    else:
        assert r.reasons
    for domain, pts in r.domain_points.items():
        weights = [c.EULAR_ACR_2019_WEIGHTS[k] for k in criteria if c.EULAR_ACR_2019_DOMAIN_OF[k] == domain]
        assert pts <= max(weights, default=0) + (1 if domain == "complement_proteins" else 0)


def test_eular_reports_of_the_fictional_cases():
    assert c.EXAMPLE_EULAR_DESCRIPTION.startswith("Fictional")
    assert c.EXAMPLE_EULAR_IMMUNOLOGY_ONLY_DESCRIPTION.startswith("Fictional")
    text = c.eular_acr_2019_report(**c.EXAMPLE_EULAR_CASE)
    assert "Points: 25 (threshold 10)" in text
    assert "Mucocutaneous (clinical) 6: Acute cutaneous lupus; ignored in this domain: Non-scarring alopecia (2)" in text
    assert "Complement proteins (immunology) 4: Low C3 and low C4" in text
    assert "Classified as SLE" in text
    text_b = c.eular_acr_2019_report(**c.EXAMPLE_EULAR_IMMUNOLOGY_ONLY_CASE)
    assert "Points: 10" in text_b and "Not classified:" in text_b and "no clinical criterion" in text_b
    text_none = c.eular_acr_2019_report(False, [])
    assert "NOT met" in text_none and "No criterion present." in text_none


# --- ASTCT CRS ----------------------------------------------------------------------------

HYPOTENSION = list(c.CRS_HYPOTENSION_GRADES)
HYPOXIA = list(c.CRS_HYPOXIA_GRADES)


def test_crs_fever_alone_is_grade_1():
    assert c.crs_grade(fever=True, hypotension="none", hypoxia="none") == 1


@pytest.mark.parametrize("hypotension,grade", [("fluids", 2), ("one_vasopressor", 3), ("multiple_vasopressors", 4)])
def test_crs_hypotension_grades(hypotension, grade):
    assert c.crs_grade(fever=True, hypotension=hypotension, hypoxia="none") == grade


@pytest.mark.parametrize("hypoxia,grade", [("low_flow", 2), ("high_flow", 3), ("positive_pressure", 4)])
def test_crs_hypoxia_grades(hypoxia, grade):
    assert c.crs_grade(fever=True, hypotension="none", hypoxia=hypoxia) == grade


@pytest.mark.parametrize("hypotension", HYPOTENSION)
@pytest.mark.parametrize("hypoxia", HYPOXIA)
def test_crs_grade_is_the_more_severe_and_needs_fever(hypotension, hypoxia):
    expected = max(1, c.CRS_HYPOTENSION_GRADES[hypotension], c.CRS_HYPOXIA_GRADES[hypoxia])
    assert c.crs_grade(fever=True, hypotension=hypotension, hypoxia=hypoxia) == expected
    # Without fever and without antipyretic/anti-cytokine therapy: no CRS, whatever else.
    assert c.crs_grade(fever=False, hypotension=hypotension, hypoxia=hypoxia) == 0
    # After such therapy fever is no longer required: hypotension and hypoxia drive the grade.
    after = max(c.CRS_HYPOTENSION_GRADES[hypotension], c.CRS_HYPOXIA_GRADES[hypoxia])
    assert c.crs_grade(fever=False, hypotension=hypotension, hypoxia=hypoxia, crs_diagnosed_then_treated=True) == after
    assert c.crs_grade(fever=True, hypotension=hypotension, hypoxia=hypoxia, crs_diagnosed_then_treated=True) == expected


def test_crs_after_therapy_with_nothing_left_is_0():
    assert c.crs_grade(fever=False, hypotension="none", hypoxia="none", crs_diagnosed_then_treated=True) == 0


@pytest.mark.parametrize("kwargs,expected", [
    ({"hypotension": False}, "none"),
    ({"hypotension": True}, "fluids"),
    ({"hypotension": True, "vasopressors": 1}, "one_vasopressor"),
    ({"hypotension": True, "vasopressin": True}, "one_vasopressor"),
    ({"hypotension": True, "vasopressors": 1, "vasopressin": True}, "one_vasopressor"),  # vasopressin not counted
    ({"hypotension": True, "vasopressors": 2}, "multiple_vasopressors"),
    ({"hypotension": True, "vasopressors": 2, "vasopressin": True}, "multiple_vasopressors"),
])
def test_crs_vasopressin_never_makes_multiple(kwargs, expected):
    assert c.crs_hypotension_category(**kwargs) == expected


def test_crs_hypotension_category_rejects_pressors_without_hypotension():
    with pytest.raises(ValueError, match="hypotension"):
        c.crs_hypotension_category(hypotension=False, vasopressors=1)


@pytest.mark.parametrize("oxygen,flow,expected", [
    ("none", None, "none"), ("blow_by", None, "low_flow"),
    ("nasal_cannula", 2, "low_flow"), ("nasal_cannula", 6, "low_flow"), ("nasal_cannula", 6.5, "high_flow"),
    ("facemask", None, "high_flow"), ("non_rebreather", 15, "high_flow"), ("venturi", None, "high_flow"),
    ("cpap", None, "positive_pressure"), ("bipap", None, "positive_pressure"),
    ("mechanical_ventilation", None, "positive_pressure"),
])
def test_crs_hypoxia_category_6_l_per_min_is_still_low_flow(oxygen, flow, expected):
    assert c.crs_hypoxia_category(oxygen=oxygen, flow_l_per_min=flow) == expected


def test_crs_hypoxia_category_needs_a_flow_for_nasal_cannula():
    with pytest.raises(TypeError, match="flow_l_per_min"):
        c.crs_hypoxia_category(oxygen="nasal_cannula")
    with pytest.raises(ValueError, match="helmet"):
        c.crs_hypoxia_category(oxygen="helmet")


@pytest.mark.parametrize("kwargs,exc,word", [
    ({"fever": 1, "hypotension": "none", "hypoxia": "none"}, TypeError, "fever"),
    ({"fever": True, "hypotension": "vasopressin", "hypoxia": "none"}, ValueError, "hypotension"),
    ({"fever": True, "hypotension": "none", "hypoxia": "nasal"}, ValueError, "low_flow"),
    ({"fever": True, "hypotension": "none", "hypoxia": "none", "crs_diagnosed_then_treated": "yes"}, TypeError,
     "crs_diagnosed_then_treated"),
])
def test_crs_rejects_bad_input(kwargs, exc, word):
    with pytest.raises(exc, match=word):
        c.crs_grade(**kwargs)


@given(st.booleans(), st.booleans(), st.sampled_from(HYPOTENSION), st.sampled_from(HYPOTENSION),
       st.sampled_from(HYPOXIA))
def test_property_crs_monotone_in_hypotension(fever, after, a, b, hypoxia):
    lo, hi = sorted((a, b), key=c.CRS_HYPOTENSION_GRADES.get)
    g = lambda h: c.crs_grade(fever=fever, hypotension=h, hypoxia=hypoxia, crs_diagnosed_then_treated=after)  # noqa: E731
    assert g(hi) >= g(lo)
    assert 0 <= g(hi) <= 4


def test_crs_report_of_the_fictional_case():
    assert c.EXAMPLE_CRS_DESCRIPTION.startswith("Fictional")
    text = c.crs_report(**c.EXAMPLE_CRS_CASE)
    assert text.splitlines()[0] == "ASTCT CRS grade: 2"
    assert "Grade set by: hypotension and hypoxia" in text
    assert "fever alone" in c.crs_report(fever=True, hypotension="none", hypoxia="none")
    assert "another cause" in c.crs_report(fever=False, hypotension="fluids", hypoxia="none")


# --- ICE and ICANS --------------------------------------------------------------------------

def test_ice_score_ranges_and_sum():
    assert c.ice_score(orientation=4, naming=3, commands=1, writing=1, attention=1) == 10
    assert c.ice_score(orientation=0, naming=0, commands=0, writing=0, attention=0) == 0
    assert c.ice_score(orientation=3, naming=2, commands=1, writing=0, attention=1) == 7
    assert {k: v[0] for k, v in c.ICE_ITEMS.items()} == {"orientation": 4, "naming": 3, "commands": 1,
                                                         "writing": 1, "attention": 1}


@pytest.mark.parametrize("item,bad,exc", [
    ("orientation", 5, ValueError), ("naming", 4, ValueError), ("commands", 2, ValueError),
    ("writing", -1, ValueError), ("attention", True, TypeError), ("naming", 2.0, TypeError),
])
def test_ice_score_rejects_out_of_range(item, bad, exc):
    kwargs = {"orientation": 4, "naming": 3, "commands": 1, "writing": 1, "attention": 1, item: bad}
    with pytest.raises(exc, match=item):
        c.ice_score(**kwargs)


@pytest.mark.parametrize("ice,grade", [(10, 0), (9, 1), (7, 1), (6, 2), (3, 2), (2, 3), (0, 3)])
def test_icans_from_ice_alone(ice, grade):
    assert c.icans_grade(ice=ice) == grade


@pytest.mark.parametrize("consciousness,grade", [
    ("alert", 0), ("awakens_spontaneously", 1), ("awakens_to_voice", 2), ("awakens_to_touch", 3), ("unarousable", 4),
])
def test_icans_from_consciousness(consciousness, grade):
    assert c.icans_grade(ice=10, consciousness=consciousness) == grade


@pytest.mark.parametrize("kwargs,grade", [
    ({"seizure": "rapidly_resolving"}, 3), ({"seizure": "prolonged_or_repetitive"}, 4),
    ({"motor_weakness": True}, 4), ({"cerebral_edema": "focal"}, 3), ({"cerebral_edema": "diffuse"}, 4),
])
def test_icans_from_other_domains(kwargs, grade):
    assert c.icans_grade(ice=10, **kwargs) == grade


def test_icans_is_the_most_severe_domain_lee_example():
    # Lee 2019's own example: ICE 3 (grade 2) with a generalised seizure (grade 3) is grade 3.
    assert c.icans_grade(ice=3, seizure="rapidly_resolving") == 3
    assert c.icans_domain_grades(ice=3, seizure="rapidly_resolving") == {
        "ice": 2, "consciousness": 0, "seizure": 3, "motor": 0, "edema": 0}


def test_icans_ice_none_only_when_unarousable():
    assert c.icans_grade(ice=None, consciousness="unarousable") == 4
    assert c.icans_grade(ice=0, consciousness="unarousable") == 4
    assert c.icans_grade(ice=0, consciousness="alert") == 3  # awake with global aphasia
    for consciousness in ["alert", "awakens_spontaneously", "awakens_to_voice", "awakens_to_touch"]:
        with pytest.raises(ValueError, match="unarousable"):
            c.icans_grade(ice=None, consciousness=consciousness)


@pytest.mark.parametrize("kwargs,exc,word", [
    ({"ice": 11}, ValueError, "ice"), ({"ice": -1}, ValueError, "ice"), ({"ice": 7.5}, TypeError, "ice"),
    ({"ice": 10, "consciousness": "drowsy"}, ValueError, "awakens_to_voice"),
    ({"ice": 10, "seizure": "yes"}, ValueError, "rapidly_resolving"),
    ({"ice": 10, "motor_weakness": "no"}, TypeError, "motor_weakness"),
    ({"ice": 10, "cerebral_edema": "severe"}, ValueError, "diffuse"),
])
def test_icans_rejects_bad_input(kwargs, exc, word):
    with pytest.raises(exc, match=word):
        c.icans_grade(**kwargs)


@given(st.integers(0, 10), st.integers(0, 10), st.sampled_from(list(c.ICANS_CONSCIOUSNESS_GRADES)),
       st.sampled_from(list(c.ICANS_SEIZURE_GRADES)), st.booleans(), st.sampled_from(list(c.ICANS_EDEMA_GRADES)))
@settings(max_examples=200)
def test_property_icans_lower_ice_never_lowers_grade(a, b, consc, seizure, motor, edema):
    lo, hi = sorted((a, b))
    g = lambda ice: c.icans_grade(ice=ice, consciousness=consc, seizure=seizure, motor_weakness=motor,  # noqa: E731
                                  cerebral_edema=edema)
    assert g(lo) >= g(hi)
    assert 0 <= g(lo) <= 4


def test_icans_report_of_the_fictional_case():
    assert c.EXAMPLE_ICANS_DESCRIPTION.startswith("Fictional")
    assert c.ice_score(**c.EXAMPLE_ICE_ITEMS) == c.EXAMPLE_ICANS_CASE["ice"] == 8
    text = c.icans_report(**c.EXAMPLE_ICANS_CASE)
    assert text.splitlines()[0] == "ASTCT ICANS grade: 2"
    assert "ICE score: 8 of 10 (grade 1 on its own)" in text
    assert "Grade set by: Depressed consciousness" in text
    assert "no ICANS" in c.icans_report(ice=10)
    assert "cannot be assessed" in c.icans_report(ice=None, consciousness="unarousable")


# --- sources --------------------------------------------------------------------------------

def test_cited_sources_are_in_the_bibliography():
    for key in ("gladman2002", "cook2000", "aringer2019", "aringer2019ar", "lee2019", "bombardier1992"):
        assert key in BIBLIOGRAPHY
    doc = c.__doc__
    for label in ("Gladman 2002", "Cook 2000", "Aringer 2019", "Lee 2019", "Bombardier 1992"):
        assert label in doc
    assert "must not be used for care decisions" in c.TEACHING_NOTE


# --- CRS: fever is waived only for CRS already diagnosed and treated; 0 L/min is no oxygen (issue 12) ---------------

def test_crs_without_fever_and_without_treated_crs_is_never_graded_even_with_pressors():
    # Paracetamol premedication is not "treated CRS": hypotension without fever then needs another explanation.
    assert c.crs_grade(fever=False, hypotension="multiple_vasopressors", hypoxia="positive_pressure") == 0
    report = c.crs_report(fever=False, hypotension="one_vasopressor", hypoxia="none")
    assert "not met" in report and "another cause" in report


def test_crs_treated_crs_grades_subsequent_severity_without_fever():
    assert c.crs_grade(fever=False, hypotension="fluids", hypoxia="none", crs_diagnosed_then_treated=True) == 2
    assert "already diagnosed and treated" in c.crs_report(fever=False, hypotension="fluids", hypoxia="none",
                                                          crs_diagnosed_then_treated=True)


@pytest.mark.parametrize("flow,expected", [(0.5, "low_flow"), (6.0, "low_flow"), (6.01, "high_flow")])
def test_crs_nasal_cannula_flow_boundaries(flow, expected):
    assert c.crs_hypoxia_category(oxygen="nasal_cannula", flow_l_per_min=flow) == expected


def test_crs_nasal_cannula_at_0_l_per_min_is_refused_as_no_oxygen():
    with pytest.raises(ValueError, match="flow_l_per_min=0.*oxygen='none'"):
        c.crs_hypoxia_category(oxygen="nasal_cannula", flow_l_per_min=0)


# --- ICAHT (EHA/EBMT, Rejeski 2023): early and late, both sides of every boundary (issue 12) ---------------------

@pytest.mark.parametrize("d500,grade", [(0, 0), (1, 1), (6, 1), (7, 2), (13, 2), (14, 3), (30, 3), (31, 4)])
def test_icaht_early_anc_500_duration_boundaries(d500, grade):
    r = c.icaht_early_grade(days_anc_500_or_less=d500)
    assert r.grade == grade and r.criteria["anc_500"] == grade and r.phase == "early"


@pytest.mark.parametrize("d100,grade", [(0, 0), (6, 0), (7, 3), (13, 3), (14, 4), (31, 4)])
def test_icaht_early_anc_100_duration_boundaries(d100, grade):
    assert c.icaht_early_grade(days_anc_500_or_less=31 if d100 == 31 else 14, days_anc_100_or_less=d100)\
        .criteria["anc_100"] == grade


def test_icaht_early_worse_criterion_sets_the_grade_and_is_named():
    r = c.icaht_early_grade(days_anc_500_or_less=8, days_anc_100_or_less=7)  # 500: grade 2; 100: grade 3
    assert r.grade == 3 and r.set_by == ("anc_100",) and "7 days at or below 100/uL" in r.explanation
    r = c.icaht_early_grade(days_anc_500_or_less=31, days_anc_100_or_less=2)
    assert r.grade == 4 and r.set_by == ("anc_500",) and "never recovered" in r.explanation
    r = c.icaht_early_grade(days_anc_500_or_less=14, days_anc_100_or_less=10)  # both grade 3
    assert r.set_by == ("anc_500", "anc_100")


@pytest.mark.parametrize("kwargs,exc,word", [
    ({"days_anc_500_or_less": 32}, ValueError, "days_anc_500_or_less"),
    ({"days_anc_500_or_less": -1}, ValueError, "days_anc_500_or_less"),
    ({"days_anc_500_or_less": 7.5}, TypeError, "days_anc_500_or_less"),
    ({"days_anc_500_or_less": 5, "days_anc_100_or_less": 6}, ValueError, "at most 5 days"),
])
def test_icaht_early_rejects_bad_input(kwargs, exc, word):
    with pytest.raises(exc, match=word):
        c.icaht_early_grade(**kwargs)


@pytest.mark.parametrize("values,grade", [
    ([1501, 1501], 0), ([1500, 1500], 1), ([1001, 1500], 1), ([1000, 1000], 2), ([501, 1000], 2),
    ([500, 500], 3), ([101, 500], 3), ([100, 100], 4), ([0, 90], 4),
    ([50, 1600], 0),   # one dip only: transient, not graded
    ([50, 900, 2000], 2),  # confirmed at <= 1000 by two measurements
])
def test_icaht_late_boundaries_need_two_measurements(values, grade):
    assert c.icaht_late_grade(values).grade == grade


@pytest.mark.parametrize("values,exc,word", [
    ([800], ValueError, "at least 2"), ("800, 900", TypeError, "list"), ([800, -1], ValueError, r"\[1\]"),
    ([800, float("nan")], ValueError, "finite"),
])
def test_icaht_late_rejects_bad_input(values, exc, word):
    with pytest.raises(exc, match=word):
        c.icaht_late_grade(values)


def test_icaht_days_at_or_below_joins_unstable_recovery():
    low, high = 400, 900
    # 3 low days, 2 high days (unstable), 2 low days: one stretch of 7 days
    assert c.icaht_days_at_or_below([high, low, low, low, high, high, low, low, high], 500) == 7
    # 3 low days, 3 high days (stable recovery), 2 low days: the longest stretch is 3
    assert c.icaht_days_at_or_below([low, low, low, high, high, high, low, low], 500) == 3
    assert c.icaht_days_at_or_below([500, 501], 500) == 1  # "at or below": 500 counts
    assert c.icaht_days_at_or_below([high] * 5, 500) == 0


def test_icaht_fictional_case_grades_and_report():
    early = c.icaht_early_from_daily_anc(c.EXAMPLE_ICAHT_DAILY_ANC)
    assert (early.grade, early.criteria) == (3, {"anc_500": 3, "anc_100": 0})
    assert c.icaht_late_grade(c.EXAMPLE_ICAHT_LATE_ANC).grade == 1
    assert c.icaht_report(early).startswith("EHA/EBMT early ICAHT grade: 3")
    with pytest.raises(ValueError, match="31 values"):
        c.icaht_early_from_daily_anc(c.EXAMPLE_ICAHT_DAILY_ANC[:-1])
    with pytest.raises(TypeError, match="IcahtResult"):
        c.icaht_report(3)
