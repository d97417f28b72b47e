"""Layer 2 for widgets.kinetics_views: the simulator redraws its lines from widgets.kinetics.simulate."""
import numpy as np
import pytest

from widgets import kinetics, kinetics_views


@pytest.fixture()
def view():
    return kinetics_views.KineticsView()


def test_default_view_draws_the_default_simulation(view):
    res = kinetics.simulate()
    assert np.allclose(view.car_t_line.get_ydata(), np.maximum(res.car_t_cells_per_ul, kinetics_views._FLOOR))
    assert np.allclose(view.autoantibody_line.get_ydata(), 100 * res.autoantibody_fraction)
    assert view.return_line.get_visible()
    assert float(view.return_line.get_xdata()[0]) == res.b_cell_return_day
    assert list(view.detection_line.get_ydata()) == [kinetics.B_CELL_DETECTION_LIMIT_CELLS_PER_UL] * 2
    assert f"peak on day {res.peak_day:g}" in view.alt_text
    assert f"undetectable from day {res.b_cell_aplasia_day:g} to day {res.b_cell_return_day:g}" in view.heading.replace("\n", " ")
    assert "Mackensen 2022" in view.scenario_text.value
    assert view.message_text == ""


def test_published_observations_are_drawn_with_their_sources(view):
    labels = [t.get_text() for ax in (view.ax_cells, view.ax_antibody) for t in ax.get_legend().get_texts()]
    for source in ("Mackensen 2022", "Bhoj 2016", "Nat Med case 2025"):
        assert any(source in label for label in labels), source


def test_scenario_control_changes_the_picture_and_names_its_case(view):
    image, auto = view.image.value, np.array(view.autoantibody_line.get_ydata())
    view.controls["scenario"].value = "relapse"
    assert view.image.value != image
    assert view.autoantibody_line.get_ydata()[-1] > auto[-1] + 0.2 * 100
    assert "Nat Med case 2025" in view.scenario_text.value and view.alt_text.startswith("Relapse scenario")
    view.controls["scenario"].value = "non_response"
    assert view.autoantibody_line.get_ydata()[int(90 / kinetics.GRID_STEP_DAYS)] > 75
    assert "Feng 2025" in view.scenario_text.value


def test_no_lymphodepletion_scenario_sets_the_slider_and_shortens_aplasia(view):
    typical = view.result
    view.controls["scenario"].value = "no_lymphodepletion"
    assert view.controls["lymphodepletion"].value == 0.0
    assert view.result.parameters["lymphodepletion"] == 0.0
    assert view.result.peak_car_t_cells_per_ul < typical.peak_car_t_cells_per_ul
    assert view.result.b_cell_return_day < typical.b_cell_return_day
    assert max(view.car_t_line.get_ydata()) < typical.peak_car_t_cells_per_ul
    view.controls["scenario"].value = "typical"
    assert view.controls["lymphodepletion"].value == 1.0 and view.result is typical


def test_dose_and_detection_controls_change_the_lines(view):
    car_t = np.array(view.car_t_line.get_ydata())
    view.controls["dose_cells_per_kg"].value = 1e7
    assert not np.allclose(view.car_t_line.get_ydata(), car_t)
    assert "1.0e+07 CAR T cells per kg" in view.alt_text
    returned = view.result.b_cell_return_day
    view.controls["b_cell_detection_limit_cells_per_ul"].value = 10.0
    assert list(view.detection_line.get_ydata()) == [10.0, 10.0]
    assert view.result.b_cell_return_day > returned


def test_too_little_expansion_is_said_plainly(view):
    view.controls["proliferation_rate_per_day"].value = 0.3
    view.controls["b_cell_detection_limit_cells_per_ul"].value = 0.5  # the line stays hidden: is it still redrawn?
    assert not view.return_line.get_visible()
    assert "never fall below the detection limit" in view.heading.replace("\n", " ")
    assert view.message_text == ""


def test_bad_scenario_is_a_plain_error():
    with pytest.raises(ValueError, match="scenario"):
        kinetics_views.KineticsView(scenario="cure")


def test_a_miss_redraws_over_the_saved_background_whatever_the_b_cells_do(view):
    # The same artists change on every update, so no update needs a full draw (issue 15), even when the
    # B-cell return line disappears and comes back; only the title's second line carries the numbers.
    full, headline = view.stats["full"], view.ax_cells.get_title().split("\n")[0]
    view.controls["proliferation_rate_per_day"].value = 0.3
    view.controls["b_cell_detection_limit_cells_per_ul"].value = 0.5  # the line stays hidden: is it still redrawn?
    assert not view.return_line.get_visible()
    view.controls["proliferation_rate_per_day"].value = 0.8
    assert view.return_line.get_visible()
    view.controls["dose_cells_per_kg"].value = 3e6
    assert view.ax_cells.get_title().split("\n")[0] == headline
    assert view.stats["full"] == full and view.stats["blit"] >= 4
