"""Bad input never escapes as anything but a plain ValueError or TypeError, and never hangs.

``test_every_public_callable_keeps_the_contract`` walks every public function, constructor and
method of the package, found by introspection (``tests/fuzz_walk.py``), within a time budget:
``FUZZ_SECONDS`` in all (8 s by default; ``make fuzz`` runs the same walk for minutes).
The other tests prove the walk can fail, and pin the fixes it led to: number boxes, atomic
handouts, messages in the controls' own words.
"""
from __future__ import annotations

import errno
import math
import os
import stat

import pytest

from tests import fuzz_walk

BUDGET_S = float(os.environ.get("FUZZ_SECONDS", "8"))
TARGETS = fuzz_walk.public_callables()
WALKED = [t for t in TARGETS if t.params]


@pytest.fixture(scope="module")
def scratch(tmp_path_factory):
    folder = tmp_path_factory.mktemp("fuzz")
    old = os.getcwd()
    os.chdir(folder)  # a drawn string can be a valid file name: the handout writers then write here
    yield str(folder)
    os.chdir(old)


@pytest.mark.parametrize("target", WALKED, ids=[t.name for t in WALKED])
def test_every_public_callable_keeps_the_contract(target, scratch):
    report = fuzz_walk.walk(target, budget_s=BUDGET_S / len(WALKED), scratch=scratch)
    assert not report.skipped, f"{target.name}: {report.skipped}"
    assert report.calls >= 1
    assert not report.failures, "\n".join(report.failures[:10])


def test_the_walk_finds_every_public_callable_without_a_list(monkeypatch):
    names = {t.name for t in TARGETS}
    # a sample from each kind: function, constructor, method, a view and its update
    for expected in ("clinical.sledai2k_score", "handouts.write_pdf", "question.Question", "question.Question.feedback",
                     "process_views.ExpansionView", "figure.FigureView.show_message", "validate.parse_number"):
        assert expected in names
    assert len(WALKED) >= 100

    import widgets.clinical as clinical

    def new_instrument_score(points: int) -> int:
        return points

    monkeypatch.setattr(clinical, "new_instrument_score", new_instrument_score, raising=False)
    monkeypatch.setattr(clinical, "__all__", [*clinical.__all__, "new_instrument_score"])
    new_instrument_score.__module__ = "widgets.clinical"
    assert "clinical.new_instrument_score" in {t.name for t in fuzz_walk.public_callables()}


def _fake(module_name: str, func):
    func.__module__ = f"widgets.{module_name}"
    import inspect

    return fuzz_walk.Target(f"{module_name}.{func.__name__}", func, fuzz_walk._signature_params(func), module_name)


def test_the_walk_catches_each_kind_of_failure(scratch):
    def leaks_key_error(case: str = "blank") -> int:
        return {"blank": 0}[case]

    def drains_iterables(keys: tuple = ()) -> int:
        return len(list(keys))

    def returns_nan(x: float = 1.0) -> float:
        return math.nan

    def contradicts(x: float = 1.0) -> float:
        if not isinstance(x, (int, float)) or not 0 <= x <= 45:
            raise ValueError(f"x = {round(x) if isinstance(x, float) and math.isfinite(x) else x} is out of range; "
                             "accepted: 0 to 45.")
        return x

    for func, words in ((leaks_key_error, "KeyError"), (drains_iterables, "hang"), (returns_nan, "NaN"),
                        (contradicts, "equals the bound")):
        report = fuzz_walk.walk(_fake("clinical", func), budget_s=0.5, scratch=scratch)
        assert any(words in line for line in report.failures), (func.__name__, report.failures[:3])

    assert "the value shown equals the bound it broke" in fuzz_walk.message_problems(
        "temperature_c = 45 °C is out of range; accepted: 25 to 45 °C.")
    assert not fuzz_walk.message_problems("temperature_c = 45.0000001 °C is out of range; accepted: 25 to 45 °C.")
    assert fuzz_walk.message_problems("The truth value of an array is ambiguous.")


# --- views: every control, set to what a crafted front-end message could send ----------------------------

def _figure_views():
    import inspect

    from widgets.figure import FigureView

    return [t for t in TARGETS if t.owner is None and inspect.isclass(t.func) and issubclass(t.func, FigureView)
            and t.func is not FigureView]


VIEWS = _figure_views()


@pytest.mark.parametrize("target", VIEWS, ids=[t.name for t in VIEWS])
def test_no_control_value_makes_a_view_raise(target):
    import traitlets

    view = target.func()
    for name, control in view.controls.items():
        original = control.value
        for value in (None, "bogus"):  # what a crafted front-end message can send to any control
            try:
                control.value = value
            except traitlets.TraitError:
                continue  # the control itself refused it: nothing reached the view
            assert view.last_error is None, f"{name}={value!r}: {view.last_error!r}"
            if control.value != original:
                assert view.message_text or view.alt_text
        control.value = original
        assert view.message_text == "", f"{name}: the message did not clear: {view.message_text}"


@pytest.mark.parametrize("target", VIEWS, ids=[t.name for t in VIEWS])
def test_number_boxes_are_refused_in_their_own_words(target):
    import ipywidgets

    view = target.func()
    for name, control in view.controls.items():
        if isinstance(control, (ipywidgets.FloatText, ipywidgets.IntText, ipywidgets.BoundedFloatText)):
            bad = -1e308
        elif isinstance(control, ipywidgets.Text) and not isinstance(control, ipywidgets.Textarea):
            bad = "-1e308"
        else:
            continue
        original = control.value
        control.value = bad
        label = control.description.rstrip(": ").split(" [")[0]
        assert view.message_text, f"{name}: {bad!r} was accepted"
        assert label in view.message_text, view.message_text
        assert "_" not in name or name not in view.message_text, view.message_text  # no internal identifier
        control.value = original
        assert view.message_text == ""


def test_a_preset_set_to_none_shows_a_message_not_a_key_error():
    from widgets.clinical_views import EularAcr2019View, Sledai2kView

    for view_class in (Sledai2kView, EularAcr2019View):
        view = view_class()
        view.controls["case"].value = None
        assert "case = None is not recognised" in view.message_text
        view.controls["case"].value = "fictional case A"
        assert view.message_text == ""


# --- number boxes ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("text,value", [("1,000", 1000.0), ("150,000", 150000.0), ("1,000,000.5", 1000000.5),
                                        (" 90 ", 90.0), ("-1,000", -1000.0), ("1e3", 1000.0), ("0", 0.0), ("", None)])
def test_number_boxes_read_thousands_separators(text, value):
    from widgets.validate import parse_number

    assert parse_number("Platelets [x10^9/L]", text) == value


@pytest.mark.parametrize("text,words", [("1,5", "commas only between thousands"), ("1,00", "commas only"),
                                        ("1e-400", "too small"), ("1e309", "too large"), ("nan", "not a finite number"),
                                        ("1_000", "not a number"), ("abc", "not a number"), ("--1", "not a number")])
def test_number_boxes_refuse_what_they_cannot_read_plainly(text, words):
    from widgets.validate import parse_number

    with pytest.raises(ValueError, match=words) as info:
        parse_number("Platelets [x10^9/L]", text)
    assert str(info.value).startswith("Platelets [x10^9/L]:")


def test_typing_1000_platelets_does_not_tick_thrombocytopenia():
    from widgets.clinical_views import Sledai2kView

    view = Sledai2kView()
    view.controls["platelets_e9_per_l"].value = "1,000"
    assert view.message_text == "" and not view.checkboxes["thrombocytopenia"].value
    view.controls["platelets_e9_per_l"].value = "1,5"
    assert "commas only between thousands" in view.message_text
    view.controls["platelets_e9_per_l"].value = "90"
    assert view.message_text == "" and view.checkboxes["thrombocytopenia"].value


# --- messages --------------------------------------------------------------------------------------------

def test_a_refused_number_is_never_shown_equal_to_its_bound():
    from widgets import clinical, kinetics, process

    calls = [lambda: clinical.sledai2k_lab_checks(temperature_c=45.0000001),
             lambda: clinical.sledai2k_lab_checks(temperature_c=24.999999999),
             lambda: kinetics.simulate(days=1825.00001),
             lambda: process.expansion(doubling_time_hours=11.9999999)]
    for call in calls:
        with pytest.raises(ValueError) as info:
            call()
        assert not fuzz_walk._shown_equal_to_bound(str(info.value)), str(info.value)


def test_views_say_refusals_in_the_controls_own_words():
    from widgets.process_views import ExpansionView

    view = ExpansionView()
    view.controls["doubling_time_hours"].value = -5
    assert view.message_text == "Doubling time [hours]: -5 is too low; accepted: 12 to 240 hours."
    view.controls["doubling_time_hours"].value = 36
    view.controls["t_cells_collected"].value = 1000
    assert "doubling_time_hours" not in view.message_text and "t_cells_collected" not in view.message_text
    assert view.message_text.startswith("T cells into culture: 1,000 is too low; accepted: ")


def test_kinetics_view_with_a_short_horizon_draws_without_complaint():
    from widgets.kinetics_views import KineticsView

    view = KineticsView(days=30)
    assert view.message_text == "" and view.alt_text


def test_functions_may_name_the_parameter():
    from widgets import process

    with pytest.raises(ValueError, match="doubling_time_hours = -5 hours is out of range"):
        process.expansion(doubling_time_hours=-5)


# --- handouts: complete or absent ----------------------------------------------------------------------

def _figure():
    from matplotlib.figure import Figure

    return Figure(figsize=(2, 2))


def test_a_read_only_folder_gives_a_plain_error_and_no_file(tmp_path):
    from widgets import handouts

    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(stat.S_IRUSR | stat.S_IXUSR)
    try:
        if os.access(folder, os.W_OK):
            pytest.skip("running as a user who may write anywhere (root): the simulated failure below covers it")
        with pytest.raises(ValueError, match="cannot write in the folder"):
            handouts.write_pdf(folder / "a.pdf", _figure())
        assert list(folder.iterdir()) == []
    finally:
        folder.chmod(stat.S_IRWXU)


@pytest.mark.parametrize("fail_at", ["savefig", "replace"])
def test_a_failed_write_leaves_the_old_file_and_no_partial_one(tmp_path, monkeypatch, fail_at):
    from matplotlib.backends import backend_pdf

    from widgets import handouts

    target = tmp_path / "journey.pdf"
    handouts.write_pdf(target, _figure())
    before = target.read_bytes()
    assert before.rstrip().endswith(b"%%EOF")

    def disk_full(*_args, **_kwargs):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    if fail_at == "savefig":
        monkeypatch.setattr(backend_pdf.PdfPages, "savefig", disk_full)
    else:
        monkeypatch.setattr(handouts.os, "replace", disk_full)
    with pytest.raises(ValueError, match="No space left on device") as info:
        handouts.write_pdf(target, [_figure(), _figure()])
    assert "Traceback" not in str(info.value)
    assert target.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["journey.pdf"]


def test_make_handouts_says_why_in_one_line(tmp_path, capsys):
    from widgets import handouts

    a_file = tmp_path / "taken"
    a_file.write_text("x")
    assert handouts.main([str(a_file)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("make handouts: ") and err.count("\n") == 1 and "Traceback" not in err


@pytest.mark.parametrize("path,words", [("a-dir.pdf", "is a folder"), ("x" * 300 + ".pdf", "at most 255"),
                                        ("a-file/x.pdf", "is a file, not a folder"), ("x.png", "must end in .pdf"),
                                        ("missing/x.pdf", "does not exist")])
def test_bad_handout_paths_are_plain_value_errors(tmp_path, path, words):
    from widgets import handouts

    (tmp_path / "a-dir.pdf").mkdir()
    (tmp_path / "a-file").write_text("x")
    with pytest.raises(ValueError, match=words):
        handouts.write_pdf(tmp_path / path, _figure())


def test_figure_png_refuses_a_dpi_that_would_exhaust_memory():
    from widgets.figure import figure_png

    for dpi in (True, 0.5, 1e6, 10**400, "100"):
        with pytest.raises((ValueError, TypeError)):
            figure_png(_figure(), dpi=dpi)
