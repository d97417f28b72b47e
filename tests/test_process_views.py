"""Layer 2 for widgets.process_views: each control changes the figure's artists; bad input is a plain message."""
import numpy as np
import pytest
from matplotlib.colors import to_hex

from widgets import process, process_views
from widgets.style import PALETTE


def _fill(patch):
    return to_hex(patch.get_facecolor()).upper()


# --- step-through -----------------------------------------------------------------------------

def test_journey_highlights_one_step_and_follows_the_slider():
    view = process_views.JourneyView()
    highlight = PALETTE["highlight"].upper()
    assert [_fill(b) == highlight for b in view.boxes] == [True] + [False] * 7
    image = view.image.value
    view.controls["step"].value = 5
    assert [i for i, b in enumerate(view.boxes) if _fill(b) == highlight] == [4]
    assert view.result.key == "lymphodepletion"
    assert "IL-7" in view.detail.get_text()
    assert "step 5, Lymphodepleting chemotherapy" in view.alt_text
    assert view.image.value != image


def test_journey_buttons_step_and_stop_at_the_ends():
    view = process_views.JourneyView()
    view.previous_button.click()
    assert view.controls["step"].value == 1
    view.next_button.click()
    view.next_button.click()
    assert view.controls["step"].value == 3 and view.result.key == "engineering"
    view.controls["step"].value = 8
    view.next_button.click()
    assert view.controls["step"].value == 8
    assert "Long-term follow-up" in view.heading.get_text()


def test_laboratory_steps_are_marked_differently():
    view = process_views.JourneyView(step=1)
    lab = [i for i, s in enumerate(process.JOURNEY) if s.place == "laboratory"]
    assert lab == [2, 3]
    assert all(view.boxes[i].get_linestyle() == "--" for i in lab)
    assert _fill(view.boxes[2]) == process_views.LAB_FILL.upper()


# --- calendar -----------------------------------------------------------------------------------

def test_timeline_bars_move_with_manufacturing_time():
    view = process_views.TimelineView()
    before = {k: bar.get_x() for k, bar in view.bars.items()}
    assert view.bars["manufacturing"].get_width() == process.DEFAULT_MANUFACTURING_DAYS
    view.controls["manufacturing_days"].value = 50
    after = {k: bar.get_x() for k, bar in view.bars.items()}
    assert after["evaluation"] == before["evaluation"] and after["leukapheresis"] == before["leukapheresis"]
    for key in ("lymphodepletion", "infusion", "monitoring", "b_cell_aplasia", "follow_up"):
        assert after[key] - before[key] == 50 - process.DEFAULT_MANUFACTURING_DAYS
    assert view.bars["manufacturing"].get_width() == 50
    assert list(view.infusion_line.get_xdata()) == [56, 56]
    assert list(view.v2v_line.get_xdata()) == [0, 56]
    assert "Vein-to-vein time 56 days" in view.alt_text
    assert view.v2v_text.get_text() == "vein-to-vein 56 days"


# --- expansion calculator --------------------------------------------------------------------------

def test_expansion_curve_follows_the_inputs():
    view = process_views.ExpansionView()
    first = np.array(view.line.get_ydata())
    view.controls["t_cells_collected"].value = 1e8
    second = np.array(view.line.get_ydata())
    assert second[0] == pytest.approx(2 * first[0])
    assert view.reached_line.get_visible()
    assert view.result.dose_reached_day == pytest.approx(float(view.reached_line.get_xdata()[0]))
    view.controls["body_weight_kg"].value = 100
    assert view.target_line.get_ydata()[0] == pytest.approx(1e8)


def test_expansion_says_why_the_dose_is_not_reached():
    view = process_views.ExpansionView()
    view.controls["days_in_culture"].value = 3
    assert not view.reached_line.get_visible()
    assert "Not reached in 3 days" in view.note.get_text().replace("\n", " ")
    assert "not reached" in view.ax.get_title()
    assert view.message_text == ""


@pytest.mark.parametrize("control,bad,expected", [
    # in the box's own words, never the parameter's name
    ("transduction_efficiency_percent", 150.0, "Transduction [%]: 150 is too high; accepted: 0 to 100 %."),
    ("body_weight_kg", -70.0, "Body weight [kg]: -70 is too low; accepted: 3 to 250 kg."),
    ("doubling_time_hours", 0.0, "Doubling time [hours]: 0 is too low; accepted: 12 to 240 hours."),
])
def test_expansion_bad_input_is_a_plain_message_and_kept(control, bad, expected):
    view = process_views.ExpansionView()
    shown, ydata = view.image.value, np.array(view.line.get_ydata())
    view.controls[control].value = bad
    assert expected in view.message_text
    assert "Traceback" not in view.message.value
    assert view.controls[control].value == bad
    assert view.image.value == shown
    assert np.array_equal(view.line.get_ydata(), ydata)
    view.controls[control].value = 50.0
    assert view.message_text == ""
