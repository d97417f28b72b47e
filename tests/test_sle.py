"""Notebook 01's data and figures: the numbers match their sources and the controls change the pictures."""
import pytest
from matplotlib.colors import to_hex

from widgets import sle, sle_views
from widgets.style import PALETTE


# --- layer 1: data and pure functions -------------------------------------------------

def test_epidemiology_matches_tian_2023():
    prev, inc = sle.epidemiology("prevalence"), sle.epidemiology("incidence")
    assert (prev["everyone"].value, prev["women"].value, prev["men"].value) == (43.7, 78.73, 9.26)
    assert (inc["everyone"].value, inc["women"].value, inc["men"].value) == (5.14, 8.82, 1.53)
    for est in [*prev.values(), *inc.values()]:
        assert est.low < est.value < est.high


def test_female_to_male_ratio():
    assert sle.female_to_male_ratio("prevalence") == pytest.approx(8.50, abs=0.01)
    assert sle.female_to_male_ratio("incidence") == pytest.approx(5.76, abs=0.01)


@pytest.mark.parametrize("func,arg", [(sle.epidemiology, "mortality"), (sle.organ_involvement, "by_colour"),
                                      (sle.pathogenic_chain, "liver"), (sle.treatment_ladder, "mild")])
def test_unknown_choices_name_what_is_accepted(func, arg):
    with pytest.raises(ValueError, match="accepted"):
        func(arg)


def test_euro_lupus_counts_agree_with_percentages():
    for m in (*sle.EURO_LUPUS_1990_2000, *sle.EURO_LUPUS_COMPLICATIONS):
        assert m.patients == round(m.percent * sle.EURO_LUPUS_PATIENTS / 100)


def test_involvement_views_hold_the_same_features():
    base = sorted(r[0] for r in sle.organ_involvement("frequency"))
    for view in ("system", "found_by"):
        assert sorted(r[0] for r in sle.organ_involvement(view)) == base
    freq = [r[1] for r in sle.organ_involvement("frequency")]
    assert freq == sorted(freq, reverse=True)
    found = sle.organ_involvement("found_by")
    groups = [g for _, _, g in found]
    assert groups == sorted(groups, key=lambda g: g != "Noticed by the patient")  # symptoms first
    assert ("Active nephropathy", 27.9, "Found by tests") in found


def test_pathways_use_known_steps_and_blood_bypasses_immune_complexes():
    keys = {s.key for s in sle.PATHOGENIC_STEPS}
    for path in sle.ORGAN_PATHWAYS.values():
        assert set(path.steps) <= keys
    assert "immune_complexes" not in sle.pathogenic_chain("blood").steps
    assert "immune_complexes" in sle.pathogenic_chain("kidney").steps


def test_treatment_ladder_hydroxychloroquine_for_everyone_and_trials_only_when_refractory():
    for situation in sle.TREATMENT_SITUATIONS:
        applies = dict((r.key, on) for r, on in sle.treatment_ladder(situation))
        assert applies["hcq"]
        assert applies["trials"] == (situation == "refractory")
    nephritis = {r.key for r, on in sle.treatment_ladder("nephritis") if on}
    # EULAR 2023: nephritis has its own anchor drugs; methotrexate and anifrolumab are not among them.
    assert nephritis == {"hcq", "gc", "nephritis", "nephritis_addon"}
    assert [r.key for r in sle.TREATMENT_LADDER if r.investigational] == ["trials"]


def test_self_check_has_at_least_four_questions():
    assert len(sle.SELF_CHECK) >= 4


# --- layer 2: the figures, without a browser ---------------------------------------------

def test_pathogenesis_view_highlights_the_chosen_organs_path():
    view = sle_views.PathogenesisView("kidney")
    active = to_hex(sle_views.ACTIVE_FILL)
    assert to_hex(view.boxes["immune_complexes"].get_facecolor()) == active
    view.controls["organ"].value = "blood"
    assert to_hex(view.boxes["immune_complexes"].get_facecolor()) == to_hex(sle_views.MUTED_FILL)
    assert to_hex(view.boxes["autoantibodies"].get_facecolor()) == active
    assert "blood" in view.labels["manifestation"].get_text().lower()
    assert "against blood cells" in view.labels["autoantibodies"].get_text()
    assert "anti-dsDNA" not in view.alt_text
    assert "blood cells" in view.ax.get_title() and "blood" in view.alt_text


def test_epidemiology_view_switches_measure():
    view = sle_views.EpidemiologyView("prevalence")
    assert [b.get_height() for b in view.bars] == [43.7, 78.73, 9.26]
    view.controls["measure"].value = "incidence"
    assert [b.get_height() for b in view.bars] == [5.14, 8.82, 1.53]
    segs = view.intervals.get_segments()
    assert segs[1][0][1] == 2.40 and segs[1][1][1] == 25.99
    assert "5.8 women" in view.ax.get_title() and "diagnosed each year" in view.ax.get_title()
    assert "incidence" in view.alt_text


def test_organ_involvement_view_changes_bars_and_colours():
    view = sle_views.OrganInvolvementView("frequency")
    widths = [b.get_width() for b in view.bars if b.get_visible()]
    assert widths[0] == 48.1 and len(widths) == 9
    view.controls["view"].value = "complications"
    shown = [b for b in view.bars if b.get_visible()]
    assert len(shown) == 6 and shown[0].get_width() == 36.0
    assert to_hex(shown[0].get_facecolor()) == to_hex(PALETTE["highlight"])
    view.controls["view"].value = "found_by"
    colours = {to_hex(b.get_facecolor()) for b in view.bars if b.get_visible()}
    assert len(colours) == 2
    assert "Found by tests" in view.alt_text


def test_treatment_ladder_view_highlights_by_situation():
    view = sle_views.TreatmentLadderView("everyone")
    keys = [r.key for r in sle.TREATMENT_LADDER]
    fill = {k: to_hex(b.get_facecolor()) for k, b in zip(keys, view.boxes)}
    assert fill["hcq"] == to_hex(sle_views.ACTIVE_FILL) and fill["rtx"] == to_hex(sle_views.MUTED_FILL)
    view.controls["situation"].value = "refractory"
    fill = {k: to_hex(b.get_facecolor()) for k, b in zip(keys, view.boxes)}
    assert fill["rtx"] == to_hex(sle_views.ACTIVE_FILL)
    assert fill["trials"] == to_hex(PALETTE["secondary"])
    assert view.result[-1] == "trials" and "Rituximab" in view.alt_text


def test_views_show_a_plain_message_for_an_unknown_choice():
    view = sle_views.TreatmentLadderView("everyone")
    view.controls["situation"].options = [*view.controls["situation"].options, ("Bogus", "bogus")]
    view.controls["situation"].value = "bogus"
    assert view.message_text.startswith("Situation: 'bogus' is not one of the choices; accepted: 'everyone'")
