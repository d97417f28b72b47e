"""Pre-rendering while the kernel is idle (issue 15, item 1): never before a learner's first change,
stopped by the next message, invisible to the learner, and the same pictures as a full redraw.

A fake scheduler stands in for the kernel's event loop: it records what would run, and the test
runs it, so nothing depends on timing.
"""
from __future__ import annotations

import pytest

from widgets import figure, style
from widgets.clinical_views import CrsView
from widgets.figure import FigureView
from widgets.sle_views import PathogenesisView

from test_figure_fast_paths import _assert_same_picture, _sync


@pytest.fixture(autouse=True)
def _course_style():
    style.use_course_style()


@pytest.fixture
def loop(monkeypatch):
    """Pre-rendering on, with a fake event loop: ``loop.calls`` holds (delay, callback, args) to run by hand."""

    class Loop:
        calls: list = []

        def call_later(self, delay, callback, *args):
            self.calls.append((delay, callback, args))

        def run_one(self) -> None:
            _, callback, args = self.calls.pop(0)
            callback(*args)

        def run_all(self, limit: int = 500) -> int:
            ran = 0
            while self.calls and ran < limit:
                self.run_one()
                ran += 1
            return ran

    fake = Loop()
    fake.calls = []
    monkeypatch.setenv(figure.PRERENDER_ENV, "1")
    monkeypatch.setattr(figure, "_idle_scheduler", lambda: fake.call_later)
    monkeypatch.setattr(figure, "_machine_busy", lambda: False)  # this test machine is shared
    return fake


def _learner_sets(control, value) -> None:
    """Change a control as the browser does (a state message), not as a notebook cell does."""
    if hasattr(control, "options") and not isinstance(value, bool):
        values = [o[1] if isinstance(o, tuple) else o for o in control.options]
        control.set_state({"index": values.index(value)})
    else:
        control.set_state({"value": value})
    assert control.value == value


def test_off_under_pytest_unless_asked(monkeypatch):
    monkeypatch.delenv(figure.PRERENDER_ENV, raising=False)
    assert figure.prerender_enabled() is False  # pytest is running
    monkeypatch.setenv(figure.PRERENDER_ENV, "1")
    assert figure.prerender_enabled() is True
    monkeypatch.setenv(figure.PRERENDER_ENV, "0")
    assert figure.prerender_enabled() is False


def test_nothing_runs_before_the_learners_first_change(loop):
    view = CrsView()
    view.controls["hypotension"].value = "one_vasopressor"  # a notebook cell setting a value is not a learner
    view.refresh()
    assert loop.calls == [] and view.stats["prerendered"] == 0
    _learner_sets(view.controls["fever"], not view.controls["fever"].value)
    assert len(loop.calls) == 1 and view.stats["prerendered"] == 0  # queued for later, nothing drawn yet
    assert loop.calls[0][0] >= figure.IDLE_DELAY_S


def test_nothing_runs_outside_an_event_loop(monkeypatch):
    monkeypatch.setenv(figure.PRERENDER_ENV, "1")
    view = CrsView()  # no running loop in a plain test: _idle_scheduler gives None
    _learner_sets(view.controls["fever"], not view.controls["fever"].value)
    assert view.stats["prerendered"] == 0


def test_one_picture_per_slice_and_the_next_message_stops_it(loop):
    view = CrsView()  # 2 x 2 x 4 x 4 = 64 discrete states: all are queued
    _learner_sets(view.controls["fever"], not view.controls["fever"].value)
    loop.run_one()
    assert view.stats["prerendered"] == 1 and len(loop.calls) == 1  # one drawing, then the loop is given back
    loop.run_one()
    assert view.stats["prerendered"] == 2
    pending = list(loop.calls)
    other = PathogenesisView()
    _learner_sets(other.controls[next(iter(other.controls))],
                  figure._neighbours(other.controls[next(iter(other.controls))])[0])  # a message for another view
    for _, callback, args in pending:
        callback(*args)  # what was scheduled before the message
    assert view.stats["prerendered"] == 2  # stopped
    figure._Idle.interrupt()  # a cell run (IPython's pre_execute) stops it too
    loop.run_all()
    assert view.stats["prerendered"] == 2 and other.stats["prerendered"] == 0


def test_prerendering_is_invisible_and_its_pictures_equal_full_redraws(loop, monkeypatch):
    import ipywidgets

    view, reference = CrsView(), CrsView()
    reference.fast_paths = False
    reference.clear_cache()
    _learner_sets(view.controls["hypoxia"], "low_flow")
    shown = (view.image.value, view.alt_text, view.summary.value, dict((n, w.value) for n, w in view.controls.items()))
    sent = []
    send_state = ipywidgets.Widget.send_state
    monkeypatch.setattr(ipywidgets.Widget, "send_state",
                        lambda self, key=None: (sent.append((type(self).__name__, key)), send_state(self, key)))
    changed = []
    for widget in view.controls.values():
        widget.observe(lambda change: changed.append(change["name"]), names="value")
    loop.run_all(limit=20)
    assert view.stats["prerendered"] == 20
    assert sent == [] and changed == []  # nothing sent to the browser, no control observer woken
    assert shown == (view.image.value, view.alt_text, view.summary.value,
                     dict((n, w.value) for n, w in view.controls.items()))
    # The artists are back in the shown state: the next miss draws what it should.
    _sync(reference, view)
    _assert_same_picture(view.png, reference.png, "shown state after pre-rendering")
    states = [key for key in view._pictures if view.stats["prerendered"]][:24]
    hits = 0
    for key in states:
        for name, frozen in key:
            value = frozen[1]
            if view.controls[name].value != value:
                view.controls[name].value = value
        _sync(reference, view)
        hits = view.stats["hit"]
        assert view.alt_text == reference.alt_text, key
        _assert_same_picture(view.png, reference.png, f"pre-rendered {key}")
    assert hits >= 15


def test_a_view_off_the_cache_is_not_prerendered(loop):
    view = CrsView()
    view.cache_pictures = False
    _learner_sets(view.controls["fever"], not view.controls["fever"].value)
    loop.run_all()
    assert view.stats["prerendered"] == 0


def test_prerender_keeps_room_for_the_learners_states(loop, monkeypatch):
    monkeypatch.setattr(figure, "CACHE_ENTRIES", 24)
    view = CrsView()
    _learner_sets(view.controls["fever"], not view.controls["fever"].value)
    loop.run_all()
    assert len(view._pictures) <= 24 - figure.PRERENDER_ROOM + 1


def test_neighbours_of_a_slider_and_a_preset_is_skipped(loop):
    import ipywidgets

    assert figure._neighbours(ipywidgets.IntSlider(value=5, min=0, max=6)) == [4, 6, 3, 2]
    assert figure._neighbours(ipywidgets.FloatSlider(value=0.3, min=0.3, max=2.0, step=0.05))[:2] == [0.35, 0.4]
    assert figure._neighbours(ipywidgets.Dropdown(options=["a", "b", "c"], value="b")) == ["a", "c"]
    from widgets.clinical_views import Sledai2kView

    view = Sledai2kView()
    _learner_sets(view.controls["case"], "fictional case A")
    assert loop.calls == []  # a preset also sets the other controls: nothing to draw ahead


def test_prerender_refuses_an_unknown_control():
    view = CrsView()
    with pytest.raises(ValueError, match="no control named"):
        view.prerender({"nonsense": 1})
    assert isinstance(view, FigureView)


def test_nothing_is_drawn_ahead_while_the_machine_is_busy(loop, monkeypatch):
    monkeypatch.setattr(figure, "_machine_busy", lambda: True)  # a room of kernels: every core in use
    view = CrsView()
    _learner_sets(view.controls["fever"], not view.controls["fever"].value)
    loop.run_all()
    assert view.stats["prerendered"] == 0
