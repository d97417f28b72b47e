"""Layer 2 for widgets.clinical_views: set controls as a learner would, assert on the figure and the result."""
import pytest

from widgets import clinical as c
from widgets import clinical_views as cv
from widgets.clinical_views import CrsView, EularAcr2019View, IcansView, Sledai2kView, parse_optional_number


def widths(bars):
    return [b.get_width() for b in bars]


def heights(bars):
    return [b.get_height() for b in bars]


# --- SLEDAI-2K ------------------------------------------------------------------------------

def test_sledai_first_control_is_the_case_and_it_changes_the_bars():
    view = Sledai2kView()
    assert next(iter(view.controls)) == "case"
    assert widths(view.bars) == [0] * 9 and view.result["score"] == 0
    view.controls["case"].value = "fictional case A"
    assert view.result["score"] == 16 and view.result["band"] == "high"
    systems = list(c.SLEDAI2K_SYSTEMS)
    assert dict(zip(systems, widths(view.bars))) == c.sledai2k_system_points(view.result["findings"])
    assert "16 of 105 (high)" in view.ax.get_title()
    assert "Score 16" in view.alt_text and view.message_text == ""
    view.controls["case"].value = "blank"
    assert view.result["score"] == 0 and widths(view.bars) == [0] * 9
    assert all(box.value == "" for box in view.lab_boxes.values())


def test_sledai_ticking_a_descriptor_adds_its_weight_to_its_system():
    view = Sledai2kView()
    view.controls["seizure"].value = True
    view.controls["pleurisy"].value = True
    points = dict(zip(c.SLEDAI2K_SYSTEMS, widths(view.bars)))
    assert points["neuropsychiatric"] == 8 and points["serosal"] == 2 and sum(points.values()) == 10
    assert view.result["band"] == "moderate"


@pytest.mark.parametrize("arg,descriptor,at,past", [
    ("platelets_e9_per_l", "thrombocytopenia", "100", "99"),
    ("leukocytes_e9_per_l", "leukopenia", "3.0", "2.9"),
    ("proteinuria_g_per_24h", "proteinuria", "0.5", "0.6"),
    ("temperature_c", "fever", "38.0", "38.1"),
    ("urine_rbc_per_hpf", "hematuria", "5", "6"),
    ("urine_wbc_per_hpf", "pyuria", "5", "6"),
])
def test_sledai_measured_values_tick_by_threshold(arg, descriptor, at, past):
    view = Sledai2kView()
    view.controls[arg].value = at
    assert view.checkboxes[descriptor].value is False and view.checkboxes[descriptor].disabled
    assert "not met" in view.lab_status[arg].value and view.result["score"] == 0
    view.controls[arg].value = past
    assert view.checkboxes[descriptor].value is True
    assert view.result["score"] == c.SLEDAI2K_WEIGHTS[descriptor]
    assert "not met" not in view.lab_status[arg].value
    view.controls[arg].value = ""  # cleared: the learner's own (unticked) choice comes back
    assert view.checkboxes[descriptor].value is False and not view.checkboxes[descriptor].disabled
    assert view.result["score"] == 0 and "not measured" in view.lab_status[arg].value


def test_sledai_clearing_a_value_restores_the_learners_tick():
    view = Sledai2kView()
    view.controls["fever"].value = True
    view.controls["temperature_c"].value = "37"
    assert view.checkboxes["fever"].value is False
    view.controls["temperature_c"].value = "  "
    assert view.checkboxes["fever"].value is True and view.result["score"] == 1


@pytest.mark.parametrize("text,words", [("abc", "not a number"), ("5000", "too high; accepted: 0 to 2,000"), ("nan", "finite")])
def test_sledai_bad_lab_entry_shows_a_plain_message_and_keeps_the_picture(text, words):
    view = Sledai2kView("fictional case A")
    before = widths(view.bars)
    view.controls["platelets_e9_per_l"].value = text
    assert words in view.message_text
    assert widths(view.bars) == before and view.result["score"] == 16
    view.controls["platelets_e9_per_l"].value = "150"
    assert view.message_text == ""


def test_sledai_report_matches_the_pure_report():
    view = Sledai2kView("fictional case A")
    assert view.report() == c.sledai2k_report(c.EXAMPLE_SLEDAI_CASE, **c.EXAMPLE_SLEDAI_MEASUREMENTS)
    assert view.result["findings"] == sorted(c.EXAMPLE_SLEDAI_CASE)


def test_sledai_shows_definitions_and_convention_note():
    view = Sledai2kView()
    text = " ".join(getattr(w, "value", "") for w in _walk(view) if isinstance(getattr(w, "value", None), str))
    assert "convention" in text and "Cook 2000" in text and "not be used for care decisions" in text
    assert "At least 2 joints" in text and "more than 2 joints" in text  # the item says where versions differ


def test_sledai_rejects_unknown_case():
    with pytest.raises(ValueError, match="fictional case A"):
        Sledai2kView("case Z")


def test_parse_optional_number():
    assert parse_optional_number("x", "") is None and parse_optional_number("x", " 2.5 ") == 2.5 and parse_optional_number("x", "150,000") == 150000
    with pytest.raises(ValueError, match="x"):
        parse_optional_number("x", "two")


def _walk(widget):
    yield widget
    for child in getattr(widget, "children", ()):
        yield from _walk(child)


# --- EULAR/ACR 2019 ----------------------------------------------------------------------------

def test_eular_case_a_bars_total_and_threshold_line():
    view = EularAcr2019View()
    assert next(iter(view.controls)) == "case" and view.result.points == 0
    view.controls["case"].value = "fictional case A"
    r = view.result
    assert r.classified and r.points == 25
    assert widths(view.bars) == [r.domain_points[d] for d in c.EULAR_ACR_2019_DOMAINS]
    assert view.total_bar.get_width() == 25
    lines = [ln for ln in view.ax.lines if list(ln.get_xdata()) == [10, 10]]
    assert lines, "no line at the threshold of 10"
    assert view.ax.get_title().startswith("Classified")


def test_eular_counted_and_ignored_items_are_marked():
    view = EularAcr2019View()
    view.controls["ana_positive"].value = True
    view.controls["non_scarring_alopecia"].value = True
    view.controls["acute_cutaneous_lupus"].value = True
    assert "counted" in view.status["acute_cutaneous_lupus"].value
    assert "ignored" in view.status["non_scarring_alopecia"].value
    assert view.status["oral_ulcers"].value == ""
    assert view.result.domain_points["mucocutaneous"] == 6


def test_eular_explains_why_not_classified():
    view = EularAcr2019View("fictional case B (immunology only)")
    assert not view.result.classified and view.result.points == 10
    assert "no clinical criterion" in view.explanation.value and "no clinical criterion" in view.ax.get_title()
    view.controls["case"].value = "fictional case A without ANA"
    assert "entry criterion" in view.explanation.value and not view.result.classified
    colours = {tuple(b.get_facecolor()) for b in view.bars if b.get_width()}
    assert len(colours) == 1, "domain bars should be greyed when the criteria are not applied"
    view.controls["case"].value = "blank"
    view.controls["ana_positive"].value = True
    view.controls["fever"].value = True
    assert "under the threshold of 10" in view.explanation.value


def test_eular_low_c3_and_c4_bar():
    view = EularAcr2019View()
    view.controls["low_c3"].value = True
    idx = list(c.EULAR_ACR_2019_DOMAINS).index("complement_proteins")
    assert view.bars[idx].get_width() == 3
    view.controls["low_c4"].value = True
    assert view.bars[idx].get_width() == 4
    assert view.report() == c.eular_acr_2019_report(False, ["low_c3", "low_c4"])


# --- CRS ------------------------------------------------------------------------------------

def test_crs_view_first_control_is_fever_and_changes_the_bars():
    view = CrsView()
    assert next(iter(view.controls)) == "fever"
    assert heights(view.bars) == [0, 0, 0, 0]
    view.controls["fever"].value = True
    assert heights(view.bars) == [1, 0, 0, 1] and view.result["grade"] == 1
    assert "set by fever" in view.ax.get_title()


def test_crs_view_grade_follows_the_worse_domain():
    view = CrsView(fever=True)
    view.controls["hypotension"].value = "one_vasopressor"
    view.controls["hypoxia"].value = "low_flow"
    assert heights(view.bars) == [1, 3, 2, 3] and view.result["set_by"] == ["hypotension"]
    view.controls["hypoxia"].value = "positive_pressure"
    assert view.result["grade"] == 4 and "hypoxia" in view.alt_text


def test_crs_view_no_fever_needs_therapy():
    view = CrsView(hypotension="fluids")
    assert view.result["grade"] == 0 and heights(view.bars)[-1] == 0
    assert "no fever" in view.ax.get_title()
    view.controls["crs_diagnosed_then_treated"].value = True
    assert view.result["grade"] == 2 and heights(view.bars)[-1] == 2
    assert view.report() == c.crs_report(fever=False, hypotension="fluids", hypoxia="none", crs_diagnosed_then_treated=True)


# --- ICANS ----------------------------------------------------------------------------------

def test_icans_view_first_control_changes_the_bars():
    view = IcansView()
    assert next(iter(view.controls)) == "consciousness"
    assert heights(view.bars) == [0] * 5 and view.result["grade"] == 0 and view.result["ice"] == 10
    view.controls["consciousness"].value = "awakens_to_voice"
    assert heights(view.bars) == [0, 2, 0, 0, 0] and view.result["grade"] == 2
    assert list(view.grade_line.get_ydata()) == [2, 2]


def test_icans_view_ice_items_and_domain_that_sets_the_grade():
    view = IcansView()
    view.controls["orientation"].value = 3
    view.controls["writing"].value = False
    assert view.result["ice"] == 8 and heights(view.bars)[0] == 1 and view.result["grade"] == 1
    view.controls["naming"].value = 0
    view.controls["attention"].value = False
    assert view.result["ice"] == 4 and view.result["grade"] == 2
    view.controls["seizure"].value = "rapidly_resolving"
    assert view.result["grade"] == 3 and view.result["set_by"] == ["Seizure"]
    assert "Seizure" in view.ax.get_title()
    view.controls["cerebral_edema"].value = "diffuse"
    assert view.result["grade"] == 4 and heights(view.bars) == [2, 0, 3, 0, 4]


def test_icans_view_not_assessable_only_when_unarousable():
    view = IcansView()
    view.controls["ice_not_assessable"].value = True
    assert "unarousable" in view.message_text and view.result["grade"] == 0  # last good result kept
    view.controls["consciousness"].value = "unarousable"
    assert view.message_text == "" and view.result["grade"] == 4 and view.result["ice"] is None
    assert heights(view.bars)[:2] == [4, 4]
    assert view.report() == c.icans_report(ice=None, consciousness="unarousable")


def test_icans_view_fictional_case():
    items = c.EXAMPLE_ICE_ITEMS
    view = IcansView(consciousness="awakens_to_voice")
    view.controls["orientation"].value = items["orientation"]
    view.controls["writing"].value = bool(items["writing"])
    assert view.report() == c.icans_report(**c.EXAMPLE_ICANS_CASE)


# --- issue 12 ----------------------------------------------------------------------------------

def test_crs_view_labels_the_treated_crs_box_as_not_premedication():
    view = cv.CrsView()
    assert "already diagnosed" in view.controls["crs_diagnosed_then_treated"].description
    assert "premedication" in view.controls["crs_diagnosed_then_treated"].description


def test_icans_alt_text_says_the_ice_score_and_the_domain_grade_separately():
    view = cv.IcansView(consciousness="awakens_to_voice")
    assert "ICE score 10 of 10" in view.alt_text and "ICE score domain grade 0" in view.alt_text
    assert "ICE score 0" not in view.alt_text


def test_icaht_view_first_control_changes_the_bars_and_names_the_setter():
    view = cv.IcahtView(days_anc_500_or_less=3)
    assert view.bars[2].get_height() == 1
    view.controls["days_anc_500_or_less"].value = 14
    assert view.bars[0].get_height() == 3 and view.bars[2].get_height() == 3
    assert view.bars[0].get_linewidth() == 2.0 and view.bars[1].get_linewidth() == 0
    assert "14 days at or below 500/uL" in view.alt_text
    view.controls["days_anc_100_or_less"].value = 14
    assert view.bars[2].get_height() == 4 and view.result["early"].set_by == ("anc_100",)


def test_icaht_view_late_counts_and_bad_input():
    view = cv.IcahtView(days_anc_500_or_less=5, late_anc_per_ul="900, 1000")
    assert view.result["late"].grade == 2 and view.bars[3].get_height() == 2
    view.controls["late_anc_per_ul"].value = "900, lots"
    assert "lots" in view.message_text and view.result["late"].grade == 2  # last good picture kept
    view.controls["late_anc_per_ul"].value = "900"
    assert "at least 2" in view.message_text
    view.controls["days_anc_500_or_less"].value = 2
    view.controls["days_anc_100_or_less"].value = 3
    assert "at most 2 days" in view.message_text


def test_icaht_view_picture_changes_with_the_days_even_within_one_grade():
    # The browser test moves the first slider by a few days; the picture must change even if the grade does not.
    from widgets.figure import figure_png

    view = cv.IcahtView(days_anc_500_or_less=14)
    before = figure_png(view.figure)
    view.controls["days_anc_500_or_less"].value = 17
    assert view.result["early"].grade == 3 and view.value_labels[0].get_text() == "3 (17 d)"
    assert figure_png(view.figure) != before


# --- SLE damage and targets (issue 13) -------------------------------------------------------------
def test_damage_index_view_case_changes_bars_and_names_items():
    from widgets.clinical_views import DamageIndexView
    view = DamageIndexView("fictional case C")
    assert view.result["score"] == c.sdi_score(c.EXAMPLE_SDI_CASE) == 5
    widths = [b.get_width() for b in view.bars]
    assert sum(widths) == 5 and "musculoskeletal 3" in view.alt_text
    view.controls["case"].value = "blank"
    assert [b.get_width() for b in view.bars] == [0] * 12 and "score 0" in view.alt_text
    view.controls["end_stage_kidney_disease"].value = True
    view.controls["proteinuria_3_5_g"].value = True
    assert view.result["system_points"]["renal"] == 3 and "Renal" in view.ax.get_title() or "renal" in view.ax.get_title()
    assert "replaces" in view.report()


def test_treat_to_target_view_marks_the_failing_criterion():
    from widgets.clinical_views import TreatToTargetView
    view = TreatToTargetView()
    assert view.result["lldas"].met and view.result["doris"].met
    view.controls["prednisolone_rule"].value = "below_5"
    assert not view.result["doris"].met and "DORIS remission not met" in view.ax.get_title()
    hatched = [b.get_hatch() for b in view.bars]
    assert hatched.count("xx") == 1 and hatched[7] == "xx"  # the DORIS glucocorticoid row
    assert "NOT MET" in view.marks[7].get_text() and "prednisolone below 5" in view.alt_text
    view.controls["pga"].value = 0.5
    assert not view.result["doris"].met and view.result["lldas"].met
    view.controls["case"].value = "nephritis"
    assert {x.key for x in view.result["lldas"].failing} == {"activity", "pga", "glucocorticoid"}


def test_target_and_damage_views_reject_unknown_case():
    from widgets.clinical_views import DamageIndexView, TreatToTargetView
    with pytest.raises(ValueError, match="accepted"):
        DamageIndexView("case Z")
    with pytest.raises(ValueError, match="accepted"):
        TreatToTargetView("case Z")
