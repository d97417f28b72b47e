"""Measure whether a figure's text can be read: inside the canvas, apart, large enough, in enough contrast.

Used by ``tests/test_figure_legibility.py`` and by ``python -m tests.legibility`` (``make legibility``),
which sweeps more control states and prints every problem it finds.

How a figure is measured, once per control state:

* **One full draw, texts left out.** ``Text.draw`` is replaced for the duration of one ``canvas.draw()``
  by a recorder that notes each text the draw would paint (visible, not empty, at a finite position)
  and paints nothing. The draw uses the layout the learner sees (a :class:`~widgets.figure.FigureView`
  keeps its own layout per signature; the figure's layout engine is not run again). The canvas then
  holds exactly what lies under the texts: bars, boxes, lines, legend handles, and no glyph.
* **Clipped:** a text's box (its window extent, rotated texts included) must lie inside the canvas,
  and inside its clip box when it is clipped to one.
* **Overprinted:** no two texts may overlap (rotated texts as rotated rectangles, so slanted tick labels
  that only share a corner of their upright boxes do not count), and no legend may cover a text that is
  not its own.
* **Size:** at least :data:`MIN_FONT_PT` points in the figure (see the test module for why).
* **Contrast (WCAG 2.x AA):** the text colour against every pixel of the text-free canvas inside the
  text's box; where the text has a box of its own (``bbox=``, ``set_backgroundcolor``), against that
  box's face composited over those pixels. A text fails when more than :data:`FAIL_SHARE` of its box
  gives less than 4.5:1 (3:1 for large text: at least 18 pt, or 14 pt bold, at the shown size). A box
  is larger than its glyphs, so a small share of a neighbouring edge or a thin line is forgiven; a
  label over two fills must read on both. A white label on vermillion (3.8:1) fails over its whole box.
"""
from __future__ import annotations

import dataclasses
import itertools
import math
import random
from collections.abc import Iterator

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure
from matplotlib.legend import Legend
from matplotlib.text import Text

MIN_FONT_PT = 9.0  # points in the figure; at 100 dpi shown at natural size that is 9.4 CSS pt
CSS_PX_PER_INCH = 96
NORMAL_RATIO, LARGE_RATIO = 4.5, 3.0  # WCAG 2.x 1.4.3 (AA)
LARGE_PT, LARGE_BOLD_PT = 18.0, 14.0  # WCAG's "large scale" text, in CSS points
FAIL_SHARE = 0.10  # share of a text's box that may fall below the ratio (edges of neighbours, thin lines)
EDGE_TOLERANCE_PX = 0.5  # a box may touch the canvas edge by antialiasing's half pixel
OVERLAP_TOLERANCE_PX = 1.0  # boxes that share one pixel row (line spacing) do not overprint


@dataclasses.dataclass
class Measured:
    """One drawn text, with what the checks need."""

    text: Text
    string: str
    extent: object  # Bbox in display pixels (origin bottom left)
    corners: np.ndarray  # (4, 2) the text's (possibly rotated) rectangle, display pixels
    fontsize_pt: float
    shown_pt: float
    bold: bool
    ratio: float  # the contrast reached by all but FAIL_SHARE of the box
    needed: float
    background: str  # the commonest background colour that fails, as #RRGGBB ("" when none fails)
    legend: Legend | None

    @property
    def large(self) -> bool:
        return self.needed == LARGE_RATIO


def _luminance(rgb: np.ndarray) -> np.ndarray:
    """WCAG relative luminance of sRGB values in 0..1 (last axis: R, G, B)."""
    c = np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)
    return c[..., 0] * 0.2126 + c[..., 1] * 0.7152 + c[..., 2] * 0.0722


def contrast_ratio(a, b) -> float:
    """WCAG contrast ratio of two colours (anything matplotlib reads as a colour)."""
    la, lb = (float(_luminance(np.asarray(to_rgba(c)[:3]))) for c in (a, b))
    hi, lo = max(la, lb), min(la, lb)
    return (hi + 0.05) / (lo + 0.05)


def _is_bold(text: Text) -> bool:
    weight = text.get_fontweight()
    if isinstance(weight, str):
        return weight in ("bold", "heavy", "extra bold", "black", "demibold", "semibold", "demi")
    return weight >= 600


def _corners(text: Text, extent, renderer) -> np.ndarray:
    """The text's rectangle as drawn: rotated about its anchor, placed to fill its upright extent."""
    angle = text.get_rotation() % 360
    if angle % 90 == 0:
        return np.array([[extent.x0, extent.y0], [extent.x1, extent.y0], [extent.x1, extent.y1], [extent.x0, extent.y1]])
    text.set_rotation(0)
    try:
        upright = text.get_window_extent(renderer)
    finally:
        text.set_rotation(angle)
    w, h = upright.width, upright.height
    a = math.radians(angle)
    rot = np.array([[math.cos(a), -math.sin(a)], [math.sin(a), math.cos(a)]])
    box = np.array([[0, 0], [w, 0], [w, h], [0, h]]) @ rot.T
    return box - box.min(axis=0) + [extent.x0, extent.y0]


def _separated(p: np.ndarray, q: np.ndarray, shrink: float) -> bool:
    """Separating-axis test for two convex quadrilaterals, each shrunk by ``shrink`` pixels per side."""
    for poly in (p, q):
        for i in range(4):
            edge = poly[(i + 1) % 4] - poly[i]
            axis = np.array([-edge[1], edge[0]])
            norm = np.hypot(*axis)
            if norm == 0:
                continue
            axis = axis / norm
            a, b = p @ axis, q @ axis
            if a.max() - shrink <= b.min() + shrink or b.max() - shrink <= a.min() + shrink:
                return True
    return False


def _legend_of(text: Text, legends: list[Legend]) -> Legend | None:
    for legend in legends:
        if text in legend.texts or text is legend.get_title():
            return legend
    return None


def _background_pixels(buffer: np.ndarray, extent) -> np.ndarray:
    height, width = buffer.shape[:2]
    x0, x1 = max(0, int(math.floor(extent.x0))), min(width, int(math.ceil(extent.x1)))
    top, bottom = max(0, int(math.floor(height - extent.y1))), min(height, int(math.ceil(height - extent.y0)))
    if x1 <= x0 or bottom <= top:
        return np.zeros((0, 3))
    return buffer[top:bottom, x0:x1, :3].reshape(-1, 3) / 255.0


def _contrast(text: Text, pixels: np.ndarray, needed: float) -> tuple[float, str]:
    """The ratio reached by all but FAIL_SHARE of the pixels, and the commonest failing background colour."""
    if not len(pixels):
        return math.inf, ""
    patch = text.get_bbox_patch()
    if patch is not None and patch.get_visible() and patch.get_fill():
        face = np.asarray(patch.get_facecolor())
        pixels = face[3] * face[:3] + (1 - face[3]) * pixels
    r, g, b, a = to_rgba(text.get_color())
    if text.get_alpha() is not None:
        a = text.get_alpha()
    ink = a * np.array([r, g, b]) + (1 - a) * pixels  # a translucent text is seen mixed with what is under it
    l_ink, l_bg = _luminance(ink), _luminance(pixels)
    ratios = (np.maximum(l_ink, l_bg) + 0.05) / (np.minimum(l_ink, l_bg) + 0.05)
    reached = float(np.quantile(ratios, FAIL_SHARE))
    if reached >= needed:
        return reached, ""
    rgb = np.round(pixels[ratios < needed] * 255).astype(np.int64)
    packed = rgb[:, 0] << 16 | rgb[:, 1] << 8 | rgb[:, 2]
    colours, counts = np.unique(packed, return_counts=True)
    return reached, f"#{colours[counts.argmax()]:06X}"  # the commonest failing background colour


def _drawn(fig: Figure) -> tuple[list[Text], list[Legend], np.ndarray, object]:
    """Draw ``fig`` once without its texts; return the texts and legends the draw would paint, the pixels, the renderer."""
    canvas = fig.canvas if isinstance(fig.canvas, FigureCanvasAgg) else FigureCanvasAgg(fig)
    texts: list[Text] = []
    legends: list[Legend] = []
    text_draw, legend_draw = Text.draw, Legend.draw

    def record_text(self, renderer):
        if renderer is not None and self.get_visible() and self.get_text().strip():
            x, y = self.get_transform().transform(self.get_unitless_position())
            if np.isfinite(x) and np.isfinite(y):
                texts.append(self)

    def record_legend(self, renderer):
        if self.get_visible():
            legends.append(self)
        return legend_draw(self, renderer)

    Text.draw, Legend.draw = record_text, record_legend
    try:
        canvas.draw()
    finally:
        Text.draw, Legend.draw = text_draw, legend_draw
    buffer = np.asarray(canvas.buffer_rgba()).copy()
    return texts, legends, buffer, canvas.get_renderer()


def measure(fig: Figure) -> tuple[list[Measured], list[Legend], tuple[float, float], object]:
    """Every text the figure draws, measured; the legends drawn; the canvas size in pixels; the renderer."""
    texts, legends, buffer, renderer = _drawn(fig)
    measured = []
    for text in texts:
        extent = text.get_window_extent(renderer)
        size = float(text.get_fontsize())
        shown = size * fig.dpi / CSS_PX_PER_INCH  # figure points -> CSS points, shown at natural size
        bold = _is_bold(text)
        large = shown >= LARGE_PT or (bold and shown >= LARGE_BOLD_PT)
        needed = LARGE_RATIO if large else NORMAL_RATIO
        ratio, background = _contrast(text, _background_pixels(buffer, extent), needed)
        measured.append(Measured(text, text.get_text(), extent, _corners(text, extent, renderer), size, shown, bold,
                                 ratio, needed, background, _legend_of(text, legends)))
    return measured, legends, (buffer.shape[1], buffer.shape[0]), renderer


KINDS = ("clipped", "too small", "low contrast", "overprinted", "legend over text")


def _name(m: Measured) -> str:
    s = " ".join(m.string.split())
    return repr(s if len(s) <= 60 else s[:57] + "...")


def problems(fig: Figure) -> tuple[list[str], int]:
    """Every legibility problem of the figure as drawn now (one line each), and how many texts were checked."""
    measured, legends, (width, height), renderer = measure(fig)
    found = []
    for m in measured:
        e = m.extent
        if (e.x0 < -EDGE_TOLERANCE_PX or e.y0 < -EDGE_TOLERANCE_PX or e.x1 > width + EDGE_TOLERANCE_PX
                or e.y1 > height + EDGE_TOLERANCE_PX):
            found.append(f"clipped by the canvas edge: {_name(m)} spans x {e.x0:.0f}..{e.x1:.0f}, "
                         f"y {e.y0:.0f}..{e.y1:.0f} of {width} x {height} px")
        clip = m.text.get_clip_box() if m.text.get_clip_on() else None
        if clip is not None and (e.x0 < clip.x0 - 1 or e.x1 > clip.x1 + 1 or e.y0 < clip.y0 - 1 or e.y1 > clip.y1 + 1):
            found.append(f"clipped by its axes: {_name(m)}")
        if m.fontsize_pt < MIN_FONT_PT:
            found.append(f"too small: {_name(m)} at {m.fontsize_pt:g} pt ({m.shown_pt:.1f} CSS pt shown)")
        if m.ratio < m.needed:
            colour = to_rgba(m.text.get_color())
            ink = "#{:02X}{:02X}{:02X}".format(*(round(255 * v) for v in colour[:3]))
            found.append(f"low contrast: {_name(m)} {ink} on {m.background}, {m.ratio:.2f}:1 < {m.needed:g}:1")
    for a, b in itertools.combinations(measured, 2):
        if a.legend is not None and a.legend is b.legend:
            continue  # a legend lays out its own texts
        if not _separated(a.corners, b.corners, OVERLAP_TOLERANCE_PX / 2):
            found.append(f"overprinted: {_name(a)} and {_name(b)}")
    for legend in legends:
        box = legend.get_window_extent(renderer)
        quad = np.array([[box.x0, box.y0], [box.x1, box.y0], [box.x1, box.y1], [box.x0, box.y1]])
        for m in measured:
            if m.legend is legend or (m.legend is not None and m.legend in legends):
                continue  # a legend's own texts; texts of two legends are compared above
            if not _separated(quad, m.corners, OVERLAP_TOLERANCE_PX / 2):
                found.append(f"legend over text: the legend ({', '.join(t.get_text() for t in legend.texts)[:50]}) "
                             f"covers {_name(m)}")
    return found, len(measured)


# ---------------------------------------------------------------------------------------------------
# Control states to sweep
# ---------------------------------------------------------------------------------------------------
# Values for controls whose type alone does not say what a learner would type.
TYPED_VALUES = {
    ("IcahtView", "late_anc_per_ul"): ["", "900, 1200", "50, 80, 90"],
    ("TreatToTargetView", "prednisolone_mg_per_day"): [0.0, 5.0, 7.5, 20.0],
}


def control_values(view_name: str, name: str, control) -> list:
    """The values of one control worth showing: every option, both ends of a range, typical numbers."""
    value = control.value
    if (view_name, name) in TYPED_VALUES:
        values = TYPED_VALUES[(view_name, name)]
        return [value] + [v for v in values if v != value]
    kind = type(control).__name__
    options = getattr(control, "options", None)
    if kind == "SelectMultiple":
        keys = [o[1] if isinstance(o, tuple) else o for o in options]
        return [tuple(value), tuple(keys), (keys[0],), tuple(keys[-3:]), tuple(keys[::2]), tuple(keys[:6]), tuple(keys[-6:]),
                tuple(keys[1::2][:6])]
    if options:
        return [o[1] if isinstance(o, tuple) and len(o) == 2 else o for o in options]
    if isinstance(value, bool):
        return [value, not value]
    if hasattr(control, "base"):  # a log slider: min and max are exponents
        return [value, control.base ** control.min, control.base ** control.max,
                control.base ** ((control.min + control.max) / 2)]
    if isinstance(value, int) and hasattr(control, "max") and (control.max - control.min) / control.step < 12:
        return [value] + [v for v in range(control.min, control.max + 1, control.step) if v != value]
    if hasattr(control, "max") and isinstance(value, (int, float)):
        mid = control.min + (control.max - control.min) / 2
        mid = round(mid) if isinstance(value, int) else mid
        return list(dict.fromkeys([value, control.min, control.max, mid]))
    if isinstance(value, float):  # a number box: the default, then larger and smaller
        return list(dict.fromkeys([value, 0.0, value * 10 + 1000.0, value / 4]))
    if isinstance(value, str):
        return [value]
    return [value]


def states(view, limit: int, seed: int = 18) -> Iterator[dict]:
    """Control states to show, as the controls to change from the view's first state.

    All combinations when there are at most ``limit``; else every value of each control alone (a preset
    control alone, with the values it fills in), then seeded random combinations, ``limit`` states in all.
    """
    name = type(view).__name__
    choices = {k: control_values(name, k, w) for k, w in view.controls.items()}
    total = math.prod(len(v) for v in choices.values())
    if total <= limit:
        for combo in itertools.product(*choices.values()):
            yield dict(zip(choices, combo))
        return
    shown = 0
    for k, values in choices.items():
        for v in values[1:]:
            if shown >= limit:
                return
            yield {k: v}
            shown += 1
    rng = random.Random(f"{seed}-{name}")
    while shown < limit:
        yield {k: rng.choice(v) for k, v in choices.items()}
        shown += 1


def apply(view, state: dict, first: dict) -> None:
    """Show ``state``: every control back at its ``first`` value, then ``state``'s values, a preset
    control (``case``) first so that it does not undo the others; one redraw at the end, as after one change."""
    view.refresh = lambda: None  # the controls' observers (presets, linked sliders) still run
    try:
        for values in (first, state):
            for key in sorted(values, key=lambda k: k != "case"):
                control = view.controls[key]
                if control.value != values[key]:
                    control.value = values[key]
    finally:
        del view.refresh
    view.refresh()


def view_classes() -> list[type]:
    """Every interactive figure of the course: each public FigureView subclass in ``widgets.*_views``."""
    import importlib
    import pkgutil

    import widgets
    from widgets.figure import FigureView

    found = []
    for info in sorted(pkgutil.iter_modules(widgets.__path__), key=lambda m: m.name):
        if info.name.endswith("_views"):
            module = importlib.import_module(f"widgets.{info.name}")
            found += [cls for n, cls in vars(module).items()
                      if isinstance(cls, type) and issubclass(cls, FigureView) and cls is not FigureView
                      and cls.__module__ == module.__name__ and not n.startswith("_")]
    return found


def static_figures() -> dict[str, Figure]:
    """Every figure of the course that never changes, by name: each function in ``widgets.*_views`` that
    returns a :class:`~widgets.figure.StaticFigure`."""
    import importlib
    import inspect
    import pkgutil

    import widgets

    found = {}
    for info in sorted(pkgutil.iter_modules(widgets.__path__), key=lambda m: m.name):
        if info.name.endswith("_views"):
            module = importlib.import_module(f"widgets.{info.name}")
            for n in getattr(module, "__all__", ()):
                func = getattr(module, n)
                if inspect.isfunction(func) and "StaticFigure" in str(inspect.signature(func).return_annotation):
                    found[n] = func().figure
    return found


def sweep_view(cls: type, limit: int) -> tuple[list[str], int, int]:
    """Show ``cls`` in up to ``limit`` control states; return its problems (with the state), states and texts checked."""
    from widgets.figure import _draw_units, _settle

    view = cls()
    first = {k: w.value for k, w in view.controls.items()}
    found, n_states, n_texts = [], 0, 0
    seen = set()
    try:
        for state in [{}, *states(view, limit)]:
            apply(view, state, first)
            if view.message_text:
                continue  # a refused value: the learner sees the message and the last good picture
            key = view.state_key()
            if key in seen:
                continue
            seen.add(key)
            lines, count = problems(view.figure)
            for artist in _draw_units(view.figure):
                _settle(artist)  # nothing changed: the view's saved background still holds
            n_states += 1
            n_texts += count
            where = ", ".join(f"{k}={_short(view.controls[k].value)}" for k in view.controls)
            found += [f"{cls.__name__} [{where}]: {line}" for line in lines]
    finally:
        view.close()
    return found, n_states, n_texts


def _short(value) -> str:
    s = repr(value)
    return s if len(s) <= 30 else s[:27] + "..."


def main(argv: list[str]) -> int:  # python -m tests.legibility [states per view]
    import collections
    import time

    from widgets import style

    limit = int(argv[0]) if argv else 200
    style.use_course_style()
    total_states = total_texts = 0
    everything = []
    start = time.perf_counter()
    for name, fig in static_figures().items():
        lines, count = problems(fig)
        total_states += 1
        total_texts += count
        everything += [f"{name}: {line}" for line in lines]
    for cls in view_classes():
        t0 = time.perf_counter()
        found, n_states, n_texts = sweep_view(cls, limit)
        total_states += n_states
        total_texts += n_texts
        everything += found
        print(f"{cls.__name__}: {n_states} states, {n_texts} texts, {len(found)} problems, "
              f"{time.perf_counter() - t0:.1f} s", flush=True)
    for line in everything:
        print(line)
    kinds = collections.Counter(next((k for k in KINDS if f": {k}" in line), "other") for line in everything)
    print(f"{len(view_classes())} views + {len(static_figures())} static figures, {total_states} states, "
          f"{total_texts} texts, {len(everything)} problems {dict(kinds)}, {time.perf_counter() - start:.0f} s")
    return 1 if everything else 0


if __name__ == "__main__":
    import sys

    sys.exit(main(sys.argv[1:]))
