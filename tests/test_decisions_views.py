"""Notebook 05's widgets without a browser: controls change the artists; bad input gives a plain message."""
from matplotlib.colors import to_hex

from widgets import decisions, decisions_views
from widgets.style import PALETTE


# --- tables -------------------------------------------------------------------------------------

def test_tables_render_with_citation_labels():
    md = decisions_views.refractory_table().data
    assert "[Müller 2024]" in md and "[MB-CART trial 2024]" in md and "[Refractory SLE trial 2024]" in md
    md = decisions_views.balance_table().data
    assert "[Nordmann-Gomes 2025]" in md and "[Hagen 2025]" in md and "Risks and burdens" in md


# --- checklist -------------------------------------------------------------------------------------

def test_checklist_starts_with_a_plain_message_and_no_topics():
    w = decisions_views.CandidateChecklist()
    assert "answer at least one" in w.message_text
    assert 'role="status"' in w.message.value and "answer at least one" in w.message.value
    assert w.topics == ()
    assert "does not decide" in w.output.value


def test_checklist_first_control_changes_the_output():
    w = decisions_views.CandidateChecklist()
    first_key = next(iter(w.controls))
    before = w.output.value
    w.controls[first_key].value = "no"
    assert w.output.value != before
    assert w.message_text == ""
    assert [t.key for t in w.topics] == [first_key]
    assert w.topics[0].raised and "RAISE" in w.output_text


def test_checklist_lists_raised_topics_first_and_never_says_eligible():
    w = decisions_views.CandidateChecklist()
    w.controls["diagnosis"].value = "yes"
    w.controls["infection"].value = "yes"
    w.controls["pregnancy"].value = "not sure"
    lines = w.output_text.splitlines()
    assert "2 to raise, 1 to confirm" in lines[0]
    assert lines[1].startswith("- RAISE") and lines[2].startswith("- RAISE") and lines[3].startswith("- CONFIRM")
    assert "eligible" not in w.output_text.lower() and "eligible" not in w.output.value.lower()
    # back to nothing answered: the message returns, the answers the learner left are kept
    for key in ("diagnosis", "infection", "pregnancy"):
        w.controls[key].value = "not answered"
    assert "answer at least one" in w.message_text and w.topics == ()


# --- balance -----------------------------------------------------------------------------------------

def test_balance_first_slider_changes_its_bar_and_the_total():
    view = decisions_views.BalanceView()
    first = next(iter(view.controls))
    assert first == decisions.BALANCE_ITEMS[0].key
    image = view.image.value
    total_before = view.total_bars[0].get_height()
    view.controls[first].value = 5
    assert view.bars[0].get_width() == 5
    assert view.total_bars[0].get_height() > total_before
    assert view.values[0].get_text() == "5"
    assert view.image.value != image
    assert "Lupus goes into remission 5" in view.alt_text and "not calculate the right choice" in view.alt_text


def test_balance_bars_use_side_colours_and_totals_follow_the_model():
    view = decisions_views.BalanceView(default_weight=0)
    for bar, item in zip(view.bars, decisions.BALANCE_ITEMS):
        assert to_hex(bar.get_facecolor()) == to_hex(decisions_views.SIDE_COLOURS[item.side])
        assert bar.get_width() == 0
    view.controls["crs"].value = 4
    expected = decisions.balance({**{i.key: 0 for i in decisions.BALANCE_ITEMS}, "crs": 4}).percent["burden"]
    assert view.total_bars[1].get_height() == expected
    assert view.total_values[1].get_text() == f"{expected:.0f}%"
    assert "risks and burdens weigh more" in view.alt_text


# --- cost ---------------------------------------------------------------------------------------------

def test_cost_first_control_changes_the_product_bar_and_total():
    view = decisions_views.CostExplorer()
    first = next(iter(view.controls))
    assert first == "product"
    assert view.bars[0].get_width() == 475_000
    image = view.image.value
    view.controls["product"].value = 373_000.0  # axicabtagene ciloleucel's 2017 list price
    assert view.bars[0].get_width() == 373_000
    assert "Total 430,000 US dollars" in view.ax.get_title()
    assert view.image.value != image
    assert "Total 430,000" in view.alt_text


def test_cost_largest_line_is_highlighted_and_moves():
    view = decisions_views.CostExplorer()
    assert to_hex(view.bars[0].get_facecolor()) == to_hex(PALETTE["highlight"])
    view.controls["travel"].value = 600_000.0
    travel_row = [i.key for i in decisions.COST_ITEMS].index("travel")
    assert to_hex(view.bars[travel_row].get_facecolor()) == to_hex(PALETTE["highlight"])
    assert to_hex(view.bars[0].get_facecolor()) == to_hex(PALETTE["primary"])
    assert "'Travel and lodging near the centre' is" in view.ax.get_title()


def test_cost_negative_line_gives_a_plain_message_and_keeps_what_was_typed():
    view = decisions_views.CostExplorer()
    shown = view.image.value
    view.controls["apheresis"].value = -2500.0
    assert "'Leukapheresis (collecting T cells)' is negative" in view.message_text
    assert view.controls["apheresis"].value == -2500.0
    assert view.image.value == shown
    view.controls["apheresis"].value = 2500.0
    assert view.message_text == ""
    assert view.bars[1].get_width() == 2500


def test_cost_not_a_number_gives_a_plain_message():
    view = decisions_views.CostExplorer()
    view.controls["hospital"].value = float("nan")
    assert "Hospital care in the 3 months after infusion" in view.message_text and "finite" in view.message_text
    assert "Traceback" not in view.message.value


def test_cost_all_zero_says_so():
    view = decisions_views.CostExplorer()
    for w in view.controls.values():
        w.value = 0.0
    assert "All lines are 0" in view.ax.get_title()
    assert "total is 0" in view.alt_text
    assert all(bar.get_width() == 0 for bar in view.bars)


# --- care team -------------------------------------------------------------------------------------------

def test_care_team_step_dropdown_moves_the_highlight():
    view = decisions_views.CareTeamView("infusion")
    image = view.image.value
    assert to_hex(view.cells[("cell_therapy", "infusion")].get_facecolor()) == to_hex(decisions_views.LEVEL_COLOURS["leads"])
    view.controls["step"].value = "engineering"
    column = decisions.STEP_KEYS.index("engineering")
    assert view.frame.get_x() == column - 0.5
    assert to_hex(view.cells[("manufacturing", "engineering")].get_facecolor()) == to_hex(decisions_views.LEVEL_COLOURS["leads"])
    assert to_hex(view.cells[("cell_therapy", "infusion")].get_facecolor()) == to_hex(decisions_views.MUTED_FILL)
    assert to_hex(view.cells[("icu", "engineering")].get_facecolor()) == to_hex(decisions_views.EMPTY_FILL)
    assert "Cell manufacturing and quality staff" in view.ax.get_title()
    assert "activates the T cells" in view.tasks_text.get_text()
    assert view.image.value != image
    assert "Genetic engineering" in view.alt_text


def test_care_team_on_call_colour_for_intensive_care_during_monitoring():
    view = decisions_views.CareTeamView("monitoring")
    assert to_hex(view.cells[("icu", "monitoring")].get_facecolor()) == to_hex(decisions_views.LEVEL_COLOURS["on call"])
    assert "Intensive-care team on call" in view.alt_text


def test_cost_explorer_says_which_lines_have_no_estimate():
    view = decisions_views.CostExplorer()
    assert "without an estimate" in view.ax.get_title()
    assert "Leukapheresis" in view.alt_text.split("no estimate yet")[1]
