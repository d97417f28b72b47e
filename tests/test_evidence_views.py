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
    assert "not proof" in view.note.get_text()


def test_explorer_selection_changes_bars_and_labels():
    view = evidence_views.StudyExplorerView("crs_any")
    view.controls["studies"].value = ("feng2025", "mackensen2022")
    shown = _visible(view.bars)
    assert len(shown) == 2 and [b.get_height() for b in shown] == pytest.approx([60.0, 100 * 13 / 15])
    assert [t.get_text() for t in _visible(view.name_labels)] == ["Mackensen 2022", "Feng 2025"]
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
    assert "Outcome: 'bogus' is not one of the choices; accepted: " in view.message_text


def test_crs_comparison_view_switches_measure():
    view = evidence_views.CrsComparisonView("grade3plus")
    widths = [b.get_width() for b in view.bars]
    review = evidence.REVIEWS["nordmanngomes2025"]["crs_grade3plus"]
    assert widths[1] == pytest.approx(review.percent) and widths[2:] == [13.0, 22.0]
    assert to_hex(view.bars[2].get_facecolor()) == to_hex(PALETTE["highlight"])
    assert "1 of 145" in view.ax.get_title() and "13-22%" in view.ax.get_title()
    view.controls["measure"].value = "crs_any"
    widths = [b.get_width() for b in view.bars]
    assert widths[0] == pytest.approx(evidence.pool("crs_any").count.percent)
    assert widths[2] == 93.0 and widths[3] == 58.0
    assert "n = 101" in view.alt_text and "approximate" in view.alt_text


def test_safety_view_shows_neurotoxicity_and_infections_and_says_what_is_unverified():
    view = evidence_views.SafetyComparisonView("serious_infections")
    assert view.labels[0].get_text() == "not reported"  # no SLE-only count in the table
    assert view.labels[1].get_text().startswith("8%  (11 of 145)")
    assert view.labels[2].get_text() == "not verified here" and view.labels[3].get_text().startswith("20%")
    first = view.image.value
    view.controls["measure"].value = "icans_grade3plus"
    assert view.bars[3].get_width() == 12.0 and view.image.value != first
    assert "2 of 145" in view.ax.get_title()


def test_study_table_lists_every_study_and_its_notes():
    table = evidence_views.StudyTable()
    for key in evidence.STUDY_ORDER:
        assert evidence.STUDIES[key].label in table.table.value
    assert "underdosed" in table.notes.value and "not reported" in table.table.value
    with pytest.raises(ValueError, match="accepted"):
        evidence_views.StudyTable(("nope",))


# --- axes capped at 100%, statistics made visible, zero events explained ----------------------------

def _ticks(view):
    return [float(t.get_text()) for t in _visible(view.y_tick_labels)]


@pytest.mark.parametrize("outcome", ["doris", "crs_any", "crs_grade2plus", "icans"])
def test_percentage_axes_stop_at_100_and_labels_fit(outcome):
    view = evidence_views.StudyExplorerView(outcome)
    assert max(_ticks(view)) == 100 and view.ax.get_ylim()[1] == evidence_views.PERCENT_TOP
    assert evidence_views.PERCENT_TOP < 115
    for label in _visible(view.n_labels):
        assert label.get_position()[1] < evidence_views.PERCENT_TOP
    assert "\n" in view.y_label.get_text() and "[% of patients]" in view.y_label.get_text()


def test_tall_bars_carry_their_label_inside_in_white():
    view = evidence_views.StudyExplorerView("doris")
    first = view.value_labels[0]
    assert first.get_text() == "5/5\n100%"
    assert first.get_position()[1] < 100 and first.get_verticalalignment() == "top"
    assert to_hex(first.get_color()) == "#ffffff"


def test_zero_event_bars_show_the_upper_limit_and_the_note():
    view = evidence_views.StudyExplorerView("icans")
    texts = [t.get_text() for t in _visible(view.value_labels)]
    assert texts[3] == "0/15\n0%\n(true rate could\nbe up to 18%)"  # Feng 2025
    assert texts[4].endswith("up to 63%)")  # Wang D 2025, 0 of 3
    assert "rule of three" in view.note.get_text().replace("\n", " ")
    assert "0 of 15, compatible with a true rate up to 18%" in view.alt_text
    view.controls["outcome"].value = "doris"  # no zero bars: no zero note
    assert "rule of three" not in view.note.get_text()


def test_long_footnote_is_wrapped_so_it_is_not_clipped():
    view = evidence_views.StudyExplorerView("crs_any")
    note = view.note.get_text()
    assert all(len(line) <= evidence_views.NOTE_WIDTH_CHARS for line in note.splitlines())
    assert note.replace("\n", " ").endswith("printed under each 0.")
    assert "controlled trials." in note.replace("\n", " ")


def test_follow_up_maxima_are_hatched_and_medians_solid():
    view = evidence_views.StudyExplorerView("follow_up_months")
    hatches = [b.get_hatch() or "" for b in _visible(view.bars)]
    assert hatches == ["", "", "//", "", "//"]  # Wang 2024 and Wang D 2025 are maxima
    assert to_hex(view.bars[2].get_facecolor()) == "#ffffff"
    assert to_hex(view.bars[0].get_facecolor()) == to_hex(PALETTE["primary"])
    assert view.legend_follow_up.get_visible() and not view.legend.get_visible()
    legend_texts = [t.get_text() for t in view.legend_follow_up.get_texts()]
    assert legend_texts[0] == "Median follow-up" and "maximum" in legend_texts[1]
    ticks = [t.get_text() for t in _visible(view.name_labels)]
    assert ticks[2] == "Wang 2024\n(maximum)" and ticks[0] == "Mackensen 2022\n(median)"
    assert "hatched bars are not: the longest follow-up reported (a maximum) or a mean" in view.alt_text
    assert "up to 12 months (2 of 3 patients)" in view.alt_text
    # A mean is hatched too, and the legend says so (Morand 2025 reports a mean follow-up).
    view.controls["studies"].value = ("mackensen2022", "morand2025")
    assert [b.get_hatch() or "" for b in _visible(view.bars)] == ["", "//"]
    assert "a mean" in view.legend_follow_up.get_texts()[1].get_text()
    view.controls["outcome"].value = "crs_any"
    assert not any(b.get_hatch() for b in _visible(view.bars))
    assert not view.legend_follow_up.get_visible()


def test_sledai_means_are_hatched_and_medians_solid():
    view = evidence_views.StudyExplorerView("sledai", studies=("mackensen2022", "wang2024"))
    assert [b.get_hatch() or "" for b in _visible(view.bars)] == ["", "//"]
    assert [b.get_hatch() or "" for b in _visible(view.bars_after)] == ["", "//"]
    assert [t.get_text() for t in _visible(view.name_labels)] == ["Mackensen 2022\n(median)", "Wang 2024\n(mean)"]
    assert "Hatched: mean; solid: median" in [t.get_text() for t in view.legend.get_texts()]
    assert "hatched bars means" in view.alt_text


def test_crs_comparison_axis_stops_at_100_with_labels_inside_long_bars():
    view = evidence_views.CrsComparisonView("any")
    assert view.ax.get_xlim()[1] == evidence_views.PERCENT_TOP and max(view.ax.get_xticks()) == 100
    zuma = view.labels[2]
    assert zuma.get_text() == "93%  (n = 101)"
    assert zuma.get_position()[0] < 93 and zuma.get_horizontalalignment() == "right"
    assert to_hex(zuma.get_color()) == "#000000"  # black on vermillion: 5.4:1 (white was 3.9:1, under WCAG AA)
    view.controls["measure"].value = "crs_grade3plus"
    pooled = evidence.pool("crs_grade3plus").count
    upper = evidence.zero_events_upper_percent(pooled.N)
    assert view.labels[0].get_text() == f"0%  (0 of {pooled.N}): could be up to {upper:.0f}%"
    assert view.labels[2].get_horizontalalignment() == "left"
    assert "rule of three" in view.ax.get_xlabel().replace("\n", " ")


def test_explorer_centres_the_chosen_bars_and_redraws_only_its_own_artists():
    """Every update after the first is drawn over the saved background, whatever the outcome's scale (issue 15)."""
    view = evidence_views.StudyExplorerView("crs_any", studies=("mackensen2022", "feng2025"))
    centres = [b.get_x() + b.get_width() / 2 for b in _visible(view.bars)]
    assert centres == pytest.approx([2.0, 3.0])  # two of six slots, in the middle
    for outcome, studies in (("sledai", ("mackensen2022", "wang2024")), ("patients_sle", ("wangd2025",)),
                             ("follow_up_months", evidence_views.EXPLORER_DEFAULT), ("icans", ("feng2025",))):
        view.controls["outcome"].value = outcome
        view.controls["studies"].value = studies
    assert view.stats["full"] == 1 and view.stats["layout"] == 0 and view.stats["blit"] == view.stats["miss"] - 1
    assert _ticks(view) == [0, 20, 40, 60, 80, 100] and view.y_ticks == [0, 20, 40, 60, 80, 100]


def test_every_study_name_fits_under_its_bar_in_every_outcome():
    # The explorer keeps room for three lines of name (wrapped at 16 characters, with the statistic): a longer
    # label added to studies.yaml must fail here, not show the learner a figure that cannot be drawn.
    for key in evidence.STUDY_ORDER:
        view = evidence_views.StudyExplorerView("follow_up_months", studies=(key,))
        for outcome in evidence.OUTCOMES:
            view.controls["outcome"].value = outcome
            assert view.message_text == "" and view.last_error is None, (key, outcome, view.message_text)
            assert all(t.get_text().count("\n") < view.NAME_LINES_MAX for t in view.name_labels), key
        view.close()
