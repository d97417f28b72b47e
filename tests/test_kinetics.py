"""Layer 1 for widgets.kinetics: the default run reproduces the published SLE course; the model is well behaved."""
import time

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from widgets import kinetics
from widgets.kinetics import PARAMETERS, simulate


@pytest.fixture(scope="module")
def default():
    return simulate()


# --- the default run against the published figures (Mackensen 2022) ------------------------

def test_result_arrays_share_one_grid(default):
    n = len(default.t_days)
    assert default.t_days[0] == 0 and default.t_days[-1] == 365
    for name in ("car_t_cells_per_ul", "b_cells_per_ul", "autoantibody_fraction", "protective_antibody_fraction"):
        assert len(getattr(default, name)) == n


def test_antibodies_start_at_baseline(default):
    assert default.autoantibody_fraction[0] == pytest.approx(1.0)
    assert default.protective_antibody_fraction[0] == pytest.approx(1.0)


def test_car_t_peak_within_one_to_two_weeks(default):
    assert 7 <= default.peak_day <= 14
    assert default.car_t_cells_per_ul[int(default.peak_day / kinetics.GRID_STEP_DAYS)] == default.car_t_cells_per_ul.max()


def test_b_cells_below_one_percent_within_28_days(default):
    b0 = default.parameters["baseline_b_cells_per_ul"]
    first_four_weeks = default.b_cells_per_ul[default.t_days <= 28]
    assert first_four_weeks.min() < 0.01 * b0


def test_b_cells_return_within_published_range(default):
    mean, sd = kinetics.PUBLISHED_B_CELL_RETURN_DAYS, kinetics.PUBLISHED_B_CELL_RETURN_SD_DAYS
    assert default.b_cell_return_day is not None
    assert mean - sd <= default.b_cell_return_day <= mean + sd


def test_return_day_is_first_crossing_of_ten_percent_after_nadir(default):
    b0 = default.parameters["baseline_b_cells_per_ul"]
    i = int(round(default.b_cell_return_day / kinetics.GRID_STEP_DAYS))
    assert default.b_cells_per_ul[i] > 0.10 * b0 >= default.b_cells_per_ul[i - 1]


def test_autoantibodies_fall_and_protective_antibodies_persist_at_day_90(default):
    assert default.at_day("autoantibody_fraction", 90) < 0.3
    assert default.at_day("protective_antibody_fraction", 90) > 0.8


def test_naive_b_cell_return_does_not_bring_autoantibodies_back(default):
    # Mackensen 2022: remission held after B cells (naive) returned; a positive return rate of autoreactive
    # memory cells is the learner's "what if".
    assert default.at_day("autoantibody_fraction", 365) < 0.3
    relapse = simulate(autoreactive_memory_return_per_day=0.05)
    assert relapse.at_day("autoantibody_fraction", 365) > 0.5


def test_no_cells_no_effect():
    res = simulate(0)
    assert res.car_t_cells_per_ul.max() == 0 and res.peak_day == 0
    assert res.b_cell_return_day is None  # B cells never fell below 10%
    assert res.at_day("autoantibody_fraction", 90) > 0.99


def test_lymphodepletion_and_proliferation_raise_the_peak(default):
    assert simulate(lymphodepletion=0).peak_car_t_cells_per_ul < default.peak_car_t_cells_per_ul
    assert simulate(proliferation_rate_per_day=0.5).peak_car_t_cells_per_ul < default.peak_car_t_cells_per_ul


def test_too_little_expansion_leaves_b_cells():
    res = simulate(proliferation_rate_per_day=0.3)
    assert res.b_cell_nadir_fraction > 0.1 and res.b_cell_return_day is None


def test_fast_enough_for_a_live_view():
    kinetics._solve.cache_clear()
    start = time.perf_counter()
    simulate(dose_cells_per_kg=1.3e6)
    assert time.perf_counter() - start < 0.05


def test_result_is_cached_and_read_only():
    first = simulate(dose_cells_per_kg=2e6)
    assert simulate(dose_cells_per_kg=2e6) is first
    with pytest.raises(ValueError):
        first.b_cells_per_ul[0] = 1.0
    with pytest.raises(TypeError):
        first.parameters["lymphodepletion"] = 0.0


# --- bad input ------------------------------------------------------------------------------

def test_unknown_parameter_is_named_with_accepted_list():
    with pytest.raises(ValueError, match="'rho'.*accepted: proliferation_rate_per_day"):
        simulate(rho=1.0)


@pytest.mark.parametrize("name", list(PARAMETERS))
def test_negative_parameter_rejected(name):
    with pytest.raises(ValueError, match=name):
        simulate(**{name: -0.1})


@pytest.mark.parametrize("bad", [-1.0, 2e9, float("nan")])
def test_bad_dose_rejected(bad):
    with pytest.raises(ValueError, match="dose_cells_per_kg"):
        simulate(bad)


def test_wrong_types_rejected():
    with pytest.raises(TypeError):
        simulate("1e6")
    with pytest.raises(TypeError):
        simulate(lymphodepletion=True)
    with pytest.raises(ValueError, match="days"):
        simulate(days=0)


def test_at_day_checks_its_input(default):
    with pytest.raises(ValueError, match="accepted"):
        default.at_day("t_cells", 3)
    with pytest.raises(ValueError, match="day"):
        default.at_day("b_cells_per_ul", 400)


def test_every_parameter_documented():
    for name, spec in PARAMETERS.items():
        assert spec.minimum <= spec.default <= spec.maximum, name
        assert spec.unit and spec.meaning and spec.source, name


# --- properties over the whole range of every control ---------------------------------------

CONTROLS = dict(
    dose=st.floats(*kinetics.DOSE_RANGE_CELLS_PER_KG),
    lymphodepletion=st.floats(0.0, 1.0),
    rho=st.floats(PARAMETERS["proliferation_rate_per_day"].minimum, PARAMETERS["proliferation_rate_per_day"].maximum),
)


@settings(max_examples=40, deadline=None)
@given(**CONTROLS)
def test_model_stays_finite_and_non_negative(dose, lymphodepletion, rho):
    res = simulate(dose, 365, lymphodepletion=lymphodepletion, proliferation_rate_per_day=rho)
    for arr in (res.car_t_cells_per_ul, res.b_cells_per_ul, res.autoantibody_fraction, res.protective_antibody_fraction):
        assert np.all(np.isfinite(arr)) and np.all(arr >= 0)
    assert np.all(res.b_cells_per_ul <= res.parameters["baseline_b_cells_per_ul"] * 1.0001)
    assert np.all(res.autoantibody_fraction <= 1.0001) and np.all(res.protective_antibody_fraction <= 1.0001)


@settings(max_examples=30, deadline=None)
@given(dose=st.floats(1e3, 1e8), factor=st.floats(1.01, 100.0), lymphodepletion=CONTROLS["lymphodepletion"],
       rho=CONTROLS["rho"])
def test_higher_dose_never_lowers_the_car_t_peak(dose, factor, lymphodepletion, rho):
    low = simulate(dose, 120, lymphodepletion=lymphodepletion, proliferation_rate_per_day=rho)
    high = simulate(min(dose * factor, 1e9), 120, lymphodepletion=lymphodepletion, proliferation_rate_per_day=rho)
    assert high.peak_car_t_cells_per_ul >= low.peak_car_t_cells_per_ul * (1 - 1e-6)


def test_describe_reports_the_key_numbers(default):
    text = kinetics.describe(default)
    assert f"peak on day {default.peak_day:g}" in text
    assert "110 +/- 32 days" in text and "Day 90: anti-dsDNA at 15%" in text
    with pytest.raises(TypeError):
        kinetics.describe("run")
