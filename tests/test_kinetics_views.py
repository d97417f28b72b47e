"""Layer 2 for widgets.kinetics_views: the simulator redraws its lines from widgets.kinetics.simulate."""
import numpy as np

from widgets import kinetics, kinetics_views


def test_default_view_draws_the_default_simulation():
    view = kinetics_views.KineticsView()
    res = kinetics.simulate()
    assert np.allclose(view.car_t_line.get_ydata(), np.maximum(res.car_t_cells_per_ul, 0.01))
    assert np.allclose(view.autoantibody_line.get_ydata(), 100 * res.autoantibody_fraction)
    assert view.return_line.get_visible()
    assert float(view.return_line.get_xdata()[0]) == res.b_cell_return_day
    assert f"peak on day {res.peak_day:g}" in view.alt_text
    assert "B cells return on day" in view.ax_cells.get_title()


def test_dose_control_changes_the_lines_and_picture():
    view = kinetics_views.KineticsView()
    image, car_t = view.image.value, np.array(view.car_t_line.get_ydata())
    view.controls["dose_cells_per_kg"].value = 1e7
    assert not np.allclose(view.car_t_line.get_ydata(), car_t)
    assert view.result.dose_cells_per_kg == 1e7
    assert view.image.value != image
    assert "1.0e+07 CAR T cells per kg" in view.alt_text


def test_lymphodepletion_and_proliferation_controls_change_the_peak():
    view = kinetics_views.KineticsView()
    peak = view.result.peak_car_t_cells_per_ul
    view.controls["lymphodepletion"].value = 0.0
    assert view.result.peak_car_t_cells_per_ul < peak
    assert max(view.car_t_line.get_ydata()) < peak
    view.controls["lymphodepletion"].value = 1.0
    view.controls["proliferation_rate_per_day"].value = 0.3
    assert not view.return_line.get_visible()
    assert "do not fall below 10%" in view.ax_cells.get_title()
    assert view.message_text == ""
