"""The fast paths of :class:`widgets.figure.FigureView` draw what a full redraw draws (issue 15, issue 16 item 9).

For every interactive figure of the course (found by introspection, so a new one is covered), one
view uses the fast paths (picture cache, layout per signature, redraw of the changed artists over a
saved background, palette PNG) and a second view of the same class draws every picture from scratch
(``fast_paths = False``: a fresh constrained layout, a full draw). Over a sweep of control states the
text alternatives must be identical and the pictures the same within a small tolerance (the palette's
rounding and the drawing order of changed artists over unchanged ones). Returning every control to its
first value must give back the first picture: the same bytes from the cache, and the same pixels when
drawn from scratch, whatever was shown in between.
"""
from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image

from tests.legibility import view_classes
from widgets import figure, style
from widgets.figure import FigureView

# A pixel "differs" when a channel is off by more than the palette's rounding could explain twice
# over (its largest error is 15 of 255); at most this share of the pixels may differ.
CHANNEL_TOLERANCE = 40
SHARE_TOLERANCE = 0.002
CONTROLS_SWEPT = 2  # the first controls of each view, up to two new values each


def _new_values(control) -> list:
    """Up to two values other than the control's current one."""
    value = control.value
    options = getattr(control, "options", None)
    if options and type(control).__name__ != "SelectMultiple":
        values = [o[1] if isinstance(o, tuple) and len(o) == 2 else o for o in options]
        return [v for v in values if v != value][:2]
    if isinstance(value, bool):
        return [not value]
    if hasattr(control, "base"):  # a log slider: min and max are exponents
        return [control.base ** control.max, control.base ** control.min]
    if hasattr(control, "max") and isinstance(value, (int, float)):
        return [v for v in (control.max, control.min) if v != value]
    if isinstance(value, float):  # a number box
        return [value * 2 + 1000.0, value / 2]
    return []


def _pixels(png: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB")).astype(np.int16)


def _assert_same_picture(fast: bytes, full: bytes, where: str) -> None:
    a, b = _pixels(fast), _pixels(full)
    assert a.shape == b.shape, f"{where}: picture size {a.shape} != {b.shape}"
    differ = int((np.abs(a - b).max(axis=2) > CHANNEL_TOLERANCE).sum())
    assert differ <= SHARE_TOLERANCE * a.shape[0] * a.shape[1], f"{where}: {differ} pixels differ"


def _sync(reference: FigureView, view: FigureView) -> None:
    for name, control in view.controls.items():
        if reference.controls[name].value != control.value:
            reference.controls[name].value = control.value


@pytest.fixture(autouse=True)
def _course_style():
    style.use_course_style()


@pytest.mark.parametrize("cls", view_classes(), ids=lambda c: c.__name__)
def test_fast_paths_match_a_full_redraw_and_return_to_the_first_picture(cls):
    view, reference = cls(), cls()
    reference.fast_paths = False
    reference.clear_cache()
    reference.refresh()
    first, first_reference, first_alt = view.png, reference.png, view.alt_text
    _assert_same_picture(first, first_reference, f"{cls.__name__} at its defaults")
    initial = {name: control.value for name, control in view.controls.items()}
    swept = 0
    for name in list(view.controls)[:CONTROLS_SWEPT]:
        for value in _new_values(view.controls[name]):
            view.controls[name].value = value
            _sync(reference, view)
            if view.message_text:  # a value this state refuses: both keep the last good picture
                continue
            swept += 1
            assert view.alt_text == reference.alt_text, f"{cls.__name__} {name}={value!r}"
            _assert_same_picture(view.png, reference.png, f"{cls.__name__} {name}={value!r}")
    assert swept >= 1, f"{cls.__name__}: no control could be changed"
    # Back to the first values, the first control (a preset) first so it does not undo the others.
    for name, value in initial.items():
        view.controls[name].value = value
    _sync(reference, view)
    assert view.alt_text == first_alt
    assert view.png == first, f"{cls.__name__}: the first state's picture changed after the sweep"
    # Drawn from scratch, the first state gives the same pixels whatever was drawn in between.
    assert np.array_equal(_pixels(reference.png), _pixels(first_reference)), (
        f"{cls.__name__}: a full redraw of the first state depends on what was shown before")
    assert view.stats["miss"] >= 1
    view.close()
    reference.close()


class _Line(FigureView):
    """A line whose slope is the control; ``extra`` is state outside the controls when asked."""

    def __init__(self):
        import ipywidgets

        self.figure, self.ax = figure.new_figure((4, 3))
        (self.line,) = self.ax.plot([0, 1], [0, 1])
        self.ax.set_ylim(0, 5)
        self.extra = 0
        super().__init__({"slope": ipywidgets.IntSlider(value=1, min=0, max=4)})

    def update(self) -> str:
        slope = self.controls["slope"].value
        self.line.set_ydata([0, slope])
        return f"A line rising to {slope} (extra {self.extra})."


def test_cache_hit_runs_update_so_artists_and_alt_follow_the_controls():
    view = _Line()
    view.controls["slope"].value = 3
    view.controls["slope"].value = 1
    assert view.stats["hit"] == 1
    assert list(view.line.get_ydata()) == [0, 1] and view.alt_text.startswith("A line rising to 1")


def test_a_view_that_depends_on_more_than_its_controls_is_taken_off_the_cache():
    view = _Line()
    view.controls["slope"].value = 2
    view.extra = 7  # the picture now depends on something the controls do not show
    view.controls["slope"].value = 1
    assert "extra 7" in view.alt_text and view.cache_pictures is False
    assert view.stats["hit"] == 0


def test_changed_artists_are_redrawn_over_the_saved_background():
    view = _Line()
    for slope in (2, 3, 4):
        view.controls["slope"].value = slope
    assert view.stats["blit"] >= 2 and view.stats["layout"] == 1


class _Limits(FigureView):
    """A line in data coordinates, a marker that is not, and y limits that follow the control between two values."""

    def __init__(self, layout: bool = True):
        import ipywidgets

        self.figure, self.ax = figure.new_figure((4, 3))
        if not layout:  # axes placed by hand and no axis drawn: the limits are then in no signature or axis key
            self.figure.set_layout_engine("none")
            self.ax.set_axis_off()
        (self.line,) = self.ax.plot([0, 1], [0, 1])
        self.band = self.ax.axhspan(0.5, 1.0, color="0.8")  # data coordinates, never touched by update()
        self.ax.text(0.02, 0.9, "fixed note", transform=self.ax.transAxes, in_layout=False)
        self.note = self.ax.text(0.3, 0.5, "", transform=self.ax.transData + figure.WholePixels(), in_layout=False)
        super().__init__({"slope": ipywidgets.IntSlider(value=1, min=1, max=8)})

    def update(self) -> str:
        slope = self.controls["slope"].value
        self.line.set_ydata([0, slope])
        self.note.set_text(f"slope {slope}")
        self.note.set_position((0.3 + slope / 17, slope / 2))
        self.ax.set_ylim(0, 5 if slope <= 4 else 10)
        return f"A line rising to {slope}."


@pytest.mark.parametrize("layout", [True, False], ids=["constrained layout", "placed by hand, no axis"])
def test_limits_moving_between_round_values_find_their_saved_backgrounds_and_match_full_redraws(layout):
    view, reference = _Limits(layout), _Limits(layout)
    reference.fast_paths = False
    reference.clear_cache()
    reference.refresh()
    for slope in (2, 6, 3, 7, 4, 8, 2, 5):
        view.controls["slope"].value = slope
        reference.controls["slope"].value = slope
        # The band (data coordinates) moves with the limits although update() never touches it.
        _assert_same_picture(view.png, reference.png, f"slope {slope}")
    # After one full draw per pair of limits and changed artists, every change is drawn over a kept background.
    assert view.stats["full"] <= 4 and view.stats["blit"] >= 4, dict(view.stats)


class _TwoParts(FigureView):
    """A line that every update moves, and a caption that changes only when its own control does."""

    def __init__(self):
        import ipywidgets

        self.figure, self.ax = figure.new_figure((4, 3))
        (self.line,) = self.ax.plot([0, 1], [0, 1])
        self.ax.set_ylim(0, 5)
        self.caption = self.ax.text(0.05, 0.75, "one", transform=self.ax.transAxes, fontsize=32, in_layout=False)
        super().__init__({"slope": ipywidgets.IntSlider(value=1, min=0, max=4),
                          "caption": ipywidgets.Dropdown(options=["one", "two"], value="one")})

    def update(self) -> str:
        self.line.set_ydata([0, self.controls["slope"].value])
        if self.caption.get_text() != self.controls["caption"].value:
            self.caption.set_text(self.controls["caption"].value)
        return f"A line rising to {self.controls['slope'].value}, captioned {self.caption.get_text()}."


def test_a_background_is_forgotten_once_an_artist_drawn_into_it_changes():
    view, reference = _TwoParts(), _TwoParts()
    reference.fast_paths = False
    reference.clear_cache()
    reference.refresh()
    # The line alone (caption drawn into the background), then both, then the line alone again.
    for name, value in (("slope", 2), ("slope", 3), ("caption", "two"), ("slope", 4), ("slope", 0)):
        view.controls[name].value = value
        reference.controls[name].value = value
        _assert_same_picture(view.png, reference.png, f"{name}={value}")


def test_a_text_on_whole_pixels_starts_on_a_whole_pixel_wherever_its_data_put_it():
    view = _Limits()
    renderer = view.figure.canvas.get_renderer()
    for slope in (2, 3, 5):
        view.controls["slope"].value = slope
        box = view.note.get_window_extent(renderer)
        assert box.x0 == pytest.approx(round(box.x0), abs=1e-6)


@pytest.mark.parametrize("value, expected", [(73, 100), (0.23, 0.25), (100, 100), (1, 1), (26, 50), (3.1e6, 5e6)])
def test_snap_up_gives_round_limits(value, expected):
    assert figure.snap_up(value) == pytest.approx(expected)


@pytest.mark.parametrize("bad", [0, -1, float("nan"), float("inf"), "3", True, None])
def test_snap_up_refuses_what_is_not_a_positive_number(bad):
    with pytest.raises((ValueError, TypeError), match="positive finite number"):
        figure.snap_up(bad)


RANDOM_WALK = ["KineticsView", "TimelineView", "ExpansionView", "CostExplorer", "Sledai2kView", "StudyExplorerView"]


@pytest.mark.parametrize("name", RANDOM_WALK)
def test_a_random_walk_matches_full_redraws(name):
    """Random controls, random values (as ``benchmarks/bench.py``): the text cache, the axis check and the
    palette encoder's changed-pixel path give what a full redraw gives, state after state."""
    import random
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
    from bench import random_value

    cls = next(c for c in view_classes() if c.__name__ == name)
    view, reference = cls(), cls()
    reference.fast_paths = False
    reference.clear_cache()
    rng = random.Random(15)
    compared = 0
    for _ in range(8):
        key = rng.choice(list(view.controls))
        value = random_value(view.controls[key], rng)
        if value is None:
            continue
        view.controls[key].value = value
        _sync(reference, view)
        if view.message_text:
            continue
        compared += 1
        assert view.alt_text == reference.alt_text, f"{name} {key}={value!r}"
        _assert_same_picture(view.png, reference.png, f"{name} {key}={value!r}")
    assert compared >= 4 and view.stats["miss"] >= 3
    view.close()
    reference.close()
