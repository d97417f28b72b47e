"""Notebook 04's figures without a browser: the controls change the artists' data."""
import pytest
from matplotlib.colors import to_hex

from widgets import evidence, evidence_views
from widgets.style import PALETTE


def _visible(artists):
    return [a for a in artists if a.get_visible()]


def test_explorer_first_control_is_the_outcome_and_changes_bar_heights():
    view = evidence_views.StudyExplorerView("crs_any")
    assert next(iter(view.controls)) == "outcome"
    heights = [b.get_height() for b in _visible(view.bars)]
    assert heights == pytest.approx([60.0, 100 * 11 / 15, 0.0, 100 * 13 / 15, 0.0])
    first = view.image.value
    view.controls["outcome"].value = "patients_sle"
    assert [b.get_height() for b in _visible(view.bars)] == [5, 8, 13, 15, 3]
    assert view.image.value != first
    assert "handful" in view.ax.get_title()


def test_explorer_always_shows_n_on_each_bar():
    view = evidence_views.StudyExplorerView("doris")
    assert [t.get_text() for t in _visible(view.n_labels)] == ["n = 5", "n = 8", "n = 13", "n = 15", "n = 3"]
    texts = [t.get_text() for t in _visible(view.value_labels)]
    assert texts[0] == "5/5\n100%" and texts[2] == "not reported" and texts[3] == "12/15\n80%"
    assert "n = 15" in view.alt_text and "not proof" in view.alt_text
    assert "not proof" in view.ax.get_xlabel()


def test_explorer_selection_changes_bars_and_labels():
    view = evidence_views.StudyExplorerView("crs_any")
    view.controls["studies"].value = ("feng2025", "mackensen2022")
    shown = _visible(view.bars)
    assert len(shown) == 2 and [b.get_height() for b in shown] == pytest.approx([60.0, 100 * 13 / 15])
    assert [t.get_text() for t in view.ax.get_xticklabels()] == ["Mackensen 2022", "Feng 2025"]
    assert "2 studies" in view.alt_text


def test_explorer_sledai_draws_before_and_after():
    view = evidence_views.StudyExplorerView("sledai", studies=("mackensen2022", "wang2024"))
    assert [b.get_height() for b in _visible(view.bars)] == [16, 10.6]
    assert [b.get_height() for b in _visible(view.bars_after)] == [0, 2.7]
    assert to_hex(view.bars_after[0].get_facecolor()) == to_hex(PALETTE["secondary"])
    assert view.legend.get_visible()
    view.controls["outcome"].value = "icans"
    assert not view.legend.get_visible() and not _visible(view.bars_after)


def test_explorer_empty_selection_gives_a_plain_message_and_keeps_it():
    view = evidence_views.StudyExplorerView("crs_any")
    before = [b.get_height() for b in view.bars]
    view.controls["studies"].value = ()
    assert view.message_text.startswith("Choose at least one study")
    assert view.controls["studies"].value == ()
    assert [b.get_height() for b in view.bars] == before  # last good picture kept
    view.controls["studies"].value = ("wangd2025",)
    assert view.message_text == "" and "Wang D 2025" in view.alt_text


def test_explorer_unknown_outcome_shows_accepted_values():
    view = evidence_views.StudyExplorerView("crs_any")
    view.controls["outcome"].options = [*view.controls["outcome"].options, ("Bogus", "bogus")]
    view.controls["outcome"].value = "bogus"
    assert "outcome = 'bogus' is not recognised" in view.message_text


def test_crs_comparison_view_switches_measure():
    view = evidence_views.CrsComparisonView("grade3plus")
    widths = [b.get_width() for b in view.bars]
    assert widths[:5] == [0.0] * 5 and widths[5:] == [13.0, 22.0]
    assert to_hex(view.bars[5].get_facecolor()) == to_hex(PALETTE["highlight"])
    assert "13-22%" in view.ax.get_title()
    view.controls["measure"].value = "any"
    widths = [b.get_width() for b in view.bars]
    assert widths[0] == 60.0 and widths[5] == 93.0 and widths[6] == 58.0
    assert view.labels[2].get_text().startswith("not reported")
    assert "n = 101" in view.alt_text and "approximate" in view.alt_text


def test_study_table_lists_every_study_and_its_notes():
    table = evidence_views.StudyTable()
    for key in evidence.STUDY_ORDER:
        assert evidence.STUDIES[key].label in table.table.value
    assert "underdosed" in table.notes.value and "not reported" in table.table.value
    with pytest.raises(ValueError, match="accepted"):
        evidence_views.StudyTable(("nope",))
