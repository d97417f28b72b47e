"""Figures that are drawn once, updated in place, and shown with a text alternative.

Every course figure is a :class:`matplotlib.figure.Figure` made without pyplot (so nothing
is displayed twice or kept in pyplot's registry), rendered to PNG and shown as an ``<img>``
whose ``alt`` text says what the figure shows. Interactive figures subclass
:class:`FigureView`: the subclass builds its artists once in ``__init__`` and, in
:meth:`FigureView.update`, changes their data and returns the new text alternative.
Bad input becomes a plain message above the figure; the controls keep what the learner chose.

How an update stays within one frame (``benchmarks/RESULTS.md`` has the measurements):

- **A picture per control state.** After :meth:`FigureView.update` the view looks up the
  encoded picture of the controls' current values; a revisited state costs ``update()`` (which
  keeps the artists, ``result`` and the text alternative in step) and a dictionary look-up.
  The cache fills as the learner visits states, never at notebook start. A view whose picture
  depends on anything but its controls sets ``cache_pictures = False``; a view that returns a
  different text alternative for a cached state is taken off the cache for good.
- **States drawn ahead while the kernel is idle.** After a learner's change (a message from the
  browser, not a notebook cell), the other values of the control they changed (every state, for a
  view with at most ``PRERENDER_ALL``) are drawn one per event-loop slice, without anything shown or
  sent; the next message or cell run stops it (:meth:`FigureView.refresh`). Off under pytest and
  nbval; ``SLE_COURSE_PRERENDER=0`` or ``1`` decides elsewhere.
- **A layout per layout signature.** The constrained layout depends on the laid-out texts
  (their line counts, sizes and weights), the tick labels and the axis limits. It is computed
  from the figure's first (canonical) axes positions, so the same signature always gives the
  same layout, whatever was shown before, and kept per signature.
- **Only what changed is drawn.** The artists an update touched are drawn, in the figure's
  drawing order, over a saved background that holds everything else, axes included. A
  background is filed under the layout, what each axis draws (limits, ticks, labels), the set
  of touched artists and, where it holds an artist placed in data coordinates, the limits; the
  last ``BACKGROUNDS_KEPT`` are kept, so limits that move back and forth between a few round
  values find theirs again. A background holding an artist that has changed since is forgotten.
- **Texts that move with the data are anchored on whole pixels** (:class:`WholePixels`), so
  their words are drawn from the cache below wherever they land.
- **Glyphs drawn once.** Text is most of a picture's cost (matplotlib rasterises it glyph by
  glyph); the fast path keeps each glyph's coverage per font, size and sub-pixel offset, and each
  string's, so a label drawn again, or new words made of glyphs already drawn, cost no
  rasterising (:class:`_TextCache`).
- **A 256-colour palette PNG** (about 2.5 times smaller and faster to encode than 24-bit PNG;
  the largest channel error stays far below what the eye sees on text and lines). Only the pixels
  that changed since the last picture are mapped to the palette (:class:`_PaletteEncoder`).
"""
from __future__ import annotations

import asyncio
import base64
import functools
import html
import io
import math
import os
from abc import abstractmethod
from collections import Counter, OrderedDict
from collections.abc import Mapping, Sequence
from operator import attrgetter

import ipywidgets
import numpy as np
from matplotlib.axis import Axis
from matplotlib.figure import Figure
from matplotlib.layout_engine import ConstrainedLayoutEngine
from matplotlib.transforms import IdentityTransform, Transform

from . import static
from .validate import learner_message, require_bool, require_number, require_text
from .validate import shown as _shown

__all__ = ["new_figure", "snap_up", "figure_png", "figure_html", "StaticFigure", "FigureView"]

RENDER_DPI = 100  # 8 x 4.5 in -> 800 x 450 px: sharp on a projector, small enough to redraw fast
CACHE_ENTRIES = 128  # pictures kept per view (about 40-60 kB each as palette PNG in base64)
BACKGROUNDS_KEPT = 3  # saved backgrounds per view (one per axes state and set of changed artists; about 2 MB each)
MIN_DPI, MAX_DPI = 10, 600  # 600 dots per inch is print quality; more only costs memory (an A4 page at 600: 140 MB)


def new_figure(figsize: tuple[float, float] = (8, 4.5), **subplot_kw) -> tuple[Figure, object]:
    """Return a figure and one axes, laid out with the constrained layout engine."""
    if isinstance(figsize, (str, bytes)) or not isinstance(figsize, Sequence) or len(figsize) != 2:
        raise TypeError(f"figsize must be (width, height) in inches; got {_shown(figsize)}.")
    for part, inches in zip(("width", "height"), figsize):
        require_number(f"figsize {part}", inches, minimum=0.5, maximum=50, unit="inches")
    fig = Figure(figsize=figsize, layout="constrained")
    ax = fig.add_subplot(**subplot_kw)
    return fig, ax


def snap_up(value: float, steps: Sequence[float] = (1, 2, 2.5, 5)) -> float:
    """The smallest round number at or above ``value``: one of ``steps`` times a power of ten.

    An axis limit that snaps to round numbers keeps its ticks, and so the picture keeps its
    layout, while the data move within it (``snap_up(73) == 100``, ``snap_up(0.23) == 0.25``).
    """
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"snap_up needs a positive finite number; got {_shown(value)}.")
    if not (0 < value < math.inf):  # compares a huge int without converting it to float
        raise ValueError(f"snap_up needs a positive finite number; got {_shown(value)}.")
    if value > 1e300:
        raise ValueError(f"snap_up needs a positive finite number up to 1e300; got {_shown(value)}.")
    value = float(value)
    if (isinstance(steps, (str, bytes)) or not isinstance(steps, Sequence) or not steps
            or any(isinstance(s, bool) or not isinstance(s, (int, float)) or not 1 <= s <= 10 for s in steps)):
        raise ValueError(f"steps must be a sequence of numbers from 1 to 10; got {_shown(steps)}.")
    decade = 10.0 ** math.floor(math.log10(value))
    for step in sorted(steps) + [10]:
        if step * decade >= value * (1 - 1e-12):
            return float(step * decade)
    return 10.0 * decade  # pragma: no cover - the loop ends at 10


def _canvas(fig: Figure, dpi: int):
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    _check_figure(fig)
    dpi = require_number("dpi", dpi, minimum=MIN_DPI, maximum=MAX_DPI, unit="dots per inch")
    if fig.dpi != dpi:
        fig.set_dpi(dpi)
    return fig.canvas if isinstance(fig.canvas, FigureCanvasAgg) else FigureCanvasAgg(fig)


def _encode(canvas, palette: bool) -> bytes:
    """PNG of the canvas's buffer: 24-bit, or quantised to a 256-colour palette (no dithering)."""
    from PIL import Image

    width, height = canvas.get_width_height()
    image = Image.frombuffer("RGBA", (width, height), canvas.buffer_rgba(), "raw", "RGBA", 0, 1).convert("RGB")
    if palette:
        image = image.quantize(256, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE)
    buf = io.BytesIO()
    image.save(buf, format="PNG", compress_level=1)
    return buf.getvalue()


class _GlyphRecorder:
    """Stands in for Agg's C++ renderer while a string is drawn: forwards each glyph and keeps a copy."""

    def __init__(self, real):
        self.real = real
        self.calls: list | None = []

    def draw_text_image(self, image, x, y, angle, gc):
        self.real.draw_text_image(image, x, y, angle, gc)
        if self.calls is not None and isinstance(image, np.ndarray) and image.ndim == 2 and angle == 0:
            self.calls.append((image.copy(), int(x), int(y)))
        else:  # another matplotlib's way of drawing text: drawn, not kept
            self.calls = None

    def __getattr__(self, name):
        return getattr(self.real, name)


def _merge_glyphs(calls: list) -> tuple | None:
    """One coverage image for a string's glyphs (each given with its left and bottom pixel), blended as Agg does."""
    calls = [c for c in calls if c[0].size]
    if not calls:
        return None
    if len(calls) == 1:
        return calls[0]
    left = min(x for _, x, _ in calls)
    top = min(y - image.shape[0] for image, _, y in calls)
    right = max(x + image.shape[1] for image, x, _ in calls)
    bottom = max(y for _, _, y in calls)
    clear = np.ones((bottom - top, right - left), dtype=np.float32)  # the share of the background left uncovered
    for image, x, y in calls:
        rows = slice(y - image.shape[0] - top, y - top)
        clear[rows, x - left:x - left + image.shape[1]] *= 1 - image / np.float32(255)
    return np.rint((1 - clear) * 255).astype(np.uint8), left, bottom


def _glyph_api():
    """matplotlib's own glyph calls (3.11), or None where they differ: the cache then records whole strings."""
    try:
        from matplotlib.backends.backend_agg import get_hinting_flag
        from matplotlib.ft2font import FT2Font, RenderMode
    except ImportError:  # pragma: no cover - another matplotlib
        return None
    if not all(hasattr(FT2Font, name) for name in ("_layout", "_set_transform", "_render_glyph", "set_size")):
        return None  # pragma: no cover - another matplotlib
    return get_hinting_flag, RenderMode


def _flag_value(flag):
    """A FreeType load flag as a plain value (an enum in matplotlib 3.10+, an int before)."""
    return getattr(flag, "value", flag)


class _TextCache:
    """Glyph coverage kept per string and per glyph, so drawing a label again is one image blend.

    Text dominates the cost of a course picture: matplotlib rasterises it glyph by glyph with
    FreeType. A glyph's coverage depends only on its font, size, angle and its position within a
    pixel (FreeType works in 1/64 pixel), so it is kept under those; a string's coverage is kept
    likewise, relative to the whole pixel it starts in, and blended with the current colour, alpha
    and clip. Moving a label by whole pixels, or writing new words with glyphs already drawn at the
    same sub-pixel offsets, costs no rasterising. Shared by every view of the process; the least
    recently used entries go beyond ``TEXT_CACHE_BYTES``. Only a view's fast path uses it: a full
    redraw (``fast_paths = False``) draws every glyph as matplotlib does.
    """

    def __init__(self, budget: int):
        self.budget = budget
        self.size = 0
        self.strings: OrderedDict = OrderedDict()
        self.glyphs: OrderedDict = OrderedDict()
        self.layouts: OrderedDict = OrderedDict()
        self.stats: Counter = Counter()
        self.api = _glyph_api()

    def install(self, renderer) -> None:
        if not isinstance(renderer.__dict__.get("draw_text"), functools.partial):
            renderer.draw_text = functools.partial(self.draw_text, renderer)

    @staticmethod
    def uninstall(renderer) -> None:
        renderer.__dict__.pop("draw_text", None)

    def _keep(self, store: OrderedDict, key, value, nbytes: int) -> None:
        store[key] = value
        self.size += nbytes
        while self.size > self.budget and (self.strings or self.glyphs or self.layouts):
            for victim in (self.strings, self.glyphs, self.layouts):
                if victim:
                    _, old = victim.popitem(last=False)
                    self.size -= old[-1]

    def draw_text(self, renderer, gc, x, y, s, prop, angle, ismath=False, mtext=None):
        draw = type(renderer).draw_text
        if ismath or not s or not (math.isfinite(x) and math.isfinite(y)):
            return draw(renderer, gc, x, y, s, prop, angle, ismath=ismath, mtext=mtext)
        font = renderer._prepare_font(prop)
        features = mtext.get_fontfeatures() if mtext is not None and hasattr(mtext, "get_fontfeatures") else None
        language = mtext.get_language() if mtext is not None and hasattr(mtext, "get_language") else None
        # FreeType places in 1/64 pixel: the position is kept at that precision, so that a float's last bits
        # (a text put on a whole pixel lands at 411.99999) do not make the same string a new entry.
        x64, up64 = round(x * 64), round((renderer.height - y) * 64)  # FreeType's y runs upwards
        whole_x, whole_y = x64 >> 6, up64 >> 6
        frac_x, frac_y = (x64 & 63) / 64, (up64 & 63) / 64
        aa = bool(gc.get_antialiased())
        hinting = _flag_value(self.api[0]()) if self.api else None
        key = (s, id(font), prop.get_size_in_points(), float(angle), frac_x, frac_y, aa, renderer.dpi,
               repr(features), repr(language), hinting)
        found = self.strings.get(key)
        if found is None:
            self.stats["string miss"] += 1
            if self.api is not None:
                merged = self._compose(renderer, font, s, prop, angle, frac_x, frac_y, aa, features, language)
            else:
                merged = self._record(renderer, gc, x, y, s, prop, angle, mtext, whole_x, whole_y)
                if merged is False:
                    return None  # drawn, not kept
            found = (font, merged, 200 + (merged[0].nbytes if merged is not None else 0))
            self._keep(self.strings, key, found, found[-1])
            if self.api is None:
                return None  # the recorder has drawn it
        else:
            self.strings.move_to_end(key)
            self.stats["string hit"] += 1
        if found[1] is not None:
            image, left, top = found[1]
            renderer._renderer.draw_text_image(image, whole_x + left, int(renderer.height) - (whole_y + top)
                                               + image.shape[0], 0, gc)
        return None

    def _compose(self, renderer, font, s, prop, angle, frac_x, frac_y, aa, features, language):
        """The string's coverage from cached glyphs: (image, left, top), pixels from the string's start pixel, y up."""
        get_hinting_flag, render_mode = self.api
        flags = get_hinting_flag()
        size = prop.get_size_in_points()
        shaped = (s, id(font), size, renderer.dpi, _flag_value(flags), repr(features), repr(language))
        items = self.layouts.get(shaped)
        if items is None:  # the glyphs and their offsets: the same wherever the string is drawn
            items = [(item.ft_object, item.glyph_index, item.x, item.y)
                     for item in font._layout(s, flags=flags, features=features, language=language)]
            self._keep(self.layouts, shaped, (items, 200 + 64 * len(items)), 200 + 64 * len(items))
        else:
            self.layouts.move_to_end(shaped)
            items = items[0]
        cos, sin = math.cos(math.radians(angle)), math.sin(math.radians(angle))
        prefix = (size, renderer.dpi, float(angle), aa, _flag_value(flags))
        glyphs = self.glyphs
        matrix = None
        placed = []
        for ft, index, dx, dy in items:
            gx = round(0x40 * (frac_x + dx * cos - dy * sin))
            gy = round(0x40 * (frac_y + dx * sin + dy * cos))
            key = (*prefix, id(ft), index, gx & 63, gy & 63)
            glyph = glyphs.get(key)
            if glyph is None:
                self.stats["glyph miss"] += 1
                if matrix is None:
                    matrix = (0x10000 * np.array([[cos, -sin], [sin, cos]])).round().astype(int)
                ft.set_size(size, renderer.dpi)
                ft._set_transform(matrix, [gx & 63, gy & 63])
                bitmap = ft._render_glyph(index, flags, render_mode.NORMAL if aa else render_mode.MONO)
                coverage = np.asarray(bitmap.buffer, dtype=np.float32)
                if not aa:
                    coverage = np.minimum(coverage * 255, 255)
                keep = 1 - coverage / np.float32(255)
                glyph = (ft, keep, bitmap.left, bitmap.top, 200 + keep.nbytes)
                self._keep(glyphs, key, glyph, glyph[-1])
            else:
                glyphs.move_to_end(key)
            if glyph[1].size:
                placed.append((glyph[1], glyph[2] + (gx >> 6), glyph[3] + (gy >> 6)))
        if not placed:
            return None
        left = min(g[1] for g in placed)
        top = max(g[2] for g in placed)
        right = max(g[1] + g[0].shape[1] for g in placed)
        bottom = min(g[2] - g[0].shape[0] for g in placed)
        clear = np.ones((top - bottom, right - left), dtype=np.float32)
        for keep, gl, gt in placed:
            row = top - gt
            clear[row:row + keep.shape[0], gl - left:gl - left + keep.shape[1]] *= keep
        return np.rint((1 - clear) * 255).astype(np.uint8), left, top

    def _record(self, renderer, gc, x, y, s, prop, angle, mtext, whole_x, whole_y):
        """Draw with matplotlib's own code, keeping what it drew (for matplotlib versions without the glyph calls)."""
        recorder = _GlyphRecorder(renderer._renderer)
        renderer._renderer = recorder
        try:
            type(renderer).draw_text(renderer, gc, x, y, s, prop, angle, ismath=False, mtext=mtext)
        finally:
            renderer._renderer = recorder.real
        if recorder.calls is None:
            return False
        merged = _merge_glyphs(recorder.calls)
        if merged is None:
            return None
        image, left, bottom = merged
        top_up = int(renderer.height) - bottom + image.shape[0]
        return image, left - whole_x, top_up - whole_y


TEXT_CACHE_BYTES = 12 * 2**20
_TEXT_CACHE = _TextCache(TEXT_CACHE_BYTES)


class _PaletteEncoder:
    """Palette PNGs of one canvas, mapping only the pixels that changed since the last picture.

    The first picture is quantised whole to ``QUANTISED`` colours (as :func:`_encode` does, leaving
    a few of the PNG's 256 palette entries free). After that, the pixels that differ from the last
    picture get a palette entry by look-up, and the last picture's colour indices are updated in
    place. The look-up table has one slot per cube of 8 x 8 x 8 colour levels, filled the first time
    a colour in that cube appears, with the entry nearest the cube's centre: a pixel is then at most
    ``MAX_ERROR`` + 4 levels off in any channel. A cube's centre more than ``MAX_ERROR`` from every
    entry (a colour the first picture did not have) gets a free entry of its own; when none is left,
    the whole picture is quantised again.
    """

    QUANTISED = 232  # colours of a whole quantisation; 24 entries stay free for new colours
    MAX_ERROR = 20  # of 255 in any channel; the quantiser's own rounding is at most about 15

    def __init__(self):
        self.rgba = None  # the last picture, one uint32 per pixel (rows x columns)
        self.indices = None  # its palette indices (uint8, rows x columns)
        self.palette = None  # (entries, 3) uint8
        self.table = np.full(1 << 15, -1, dtype=np.int16)  # 5 bits per channel -> palette entry (-1: not yet)
        self.stats: Counter = Counter()

    def encode(self, canvas) -> bytes:
        from PIL import Image

        width, height = canvas.get_width_height()
        pixels = np.asarray(canvas.buffer_rgba())
        now = pixels.view(np.uint32).reshape(height, width)
        if self.rgba is None or self.rgba.shape != now.shape or not self._patch(now):
            image = Image.frombuffer("RGBA", (width, height), pixels, "raw", "RGBA", 0, 1).convert("RGB")
            quantised = image.quantize(self.QUANTISED, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE)
            self.palette = np.frombuffer(bytes(quantised.getpalette()), dtype=np.uint8).reshape(-1, 3).copy()
            self.indices = np.array(quantised, dtype=np.uint8)
            self.rgba = now.copy()
            self.table.fill(-1)
            self.stats["whole"] += 1
        out = Image.fromarray(self.indices, mode="L")
        out.putpalette(self.palette.tobytes())
        buf = io.BytesIO()
        out.save(buf, format="PNG", compress_level=1)
        return buf.getvalue()

    def _patch(self, now) -> bool:
        flat, last = now.reshape(-1), self.rgba.reshape(-1)
        changed = np.flatnonzero(flat != last)
        if changed.size:
            colours = flat[changed]
            # RGBA in a little-endian uint32: red in the low byte. The slot: the top 5 bits of each channel.
            slots = ((colours >> 3) & 0x1F) | ((colours >> 6) & 0x3E0) | ((colours >> 9) & 0x7C00)
            entries = self.table[slots]
            if (entries < 0).any():
                new = np.unique(slots[entries < 0]).astype(np.uint32)
                centres = ((new & 0x1F) << 3 | 4) | ((new >> 5 & 0x1F) << 3 | 4) << 8 | ((new >> 10 & 0x1F) << 3 | 4) << 16
                found = self._nearest(centres)
                if found is None:
                    return False
                self.table[new] = found
                entries = self.table[slots]
            self.indices.reshape(-1)[changed] = entries.astype(np.uint8)
            last[changed] = colours
        self.stats["patched"] += 1
        return True

    def _nearest(self, colours):
        """The nearest palette entry of each new colour (largest channel difference), adding entries for far ones."""
        rgb = np.stack([colours & 0xFF, (colours >> 8) & 0xFF, (colours >> 16) & 0xFF], axis=1).astype(np.int16)
        palette = self.palette.astype(np.int16)
        distance = np.abs(rgb[:, None, :] - palette[None, :, :]).max(axis=2)
        chosen = distance.argmin(axis=1)
        far = np.flatnonzero(distance[np.arange(len(rgb)), chosen] > self.MAX_ERROR)
        for i in far:  # a colour the palette lacks gets an entry, unless one added just now is close enough
            extra = np.abs(palette[len(self.palette):] - rgb[i]).max(axis=1) if len(palette) > len(self.palette) else None
            if extra is not None and extra.min() <= self.MAX_ERROR:
                chosen[i] = len(self.palette) + int(extra.argmin())
                continue
            if len(palette) >= 256:
                return None
            chosen[i] = len(palette)
            palette = np.vstack([palette, rgb[i][None, :]])
        if len(palette) > len(self.palette):
            self.stats["colours added"] += len(palette) - len(self.palette)
            self.palette = palette.astype(np.uint8)
        return chosen.astype(np.uint8)


def _check_figure(fig: object) -> None:
    if not isinstance(fig, Figure):
        raise TypeError(f"fig must be a matplotlib Figure; got {_shown(fig)} ({type(fig).__name__}).")


def figure_png(fig: Figure, dpi: int = RENDER_DPI, palette: bool = False) -> bytes:
    """Render ``fig`` to PNG bytes at a fixed canvas size, so the picture does not jump between updates.

    Draws with Agg and encodes with light compression. ``palette=True`` quantises to 256 colours
    (smaller and faster; used for the interactive pictures, not for print).
    """
    require_bool("palette", palette)
    canvas = _canvas(fig, dpi)
    canvas.draw()
    return _encode(canvas, palette)


def _img_html(png: bytes, alt: str) -> str:
    if not isinstance(alt, str) or not alt.strip():
        raise ValueError(f"every figure needs a text alternative: alt must be a non-empty string; got {_shown(alt)}.")
    data = base64.b64encode(png).decode("ascii")
    return (
        f'<img class="course-figure-img" style="max-width:100%;height:auto" '
        f'alt="{html.escape(alt, quote=True)}" src="data:image/png;base64,{data}">'
    )


def figure_html(fig: Figure, alt: str, dpi: int = RENDER_DPI, palette: bool = False) -> str:
    """Return an ``<img>`` element holding ``fig`` as an inline PNG with ``alt`` as its text alternative."""
    if not isinstance(alt, str) or not alt.strip():
        raise ValueError(f"every figure needs a text alternative: alt must be a non-empty string; got {_shown(alt)}.")
    return _img_html(figure_png(fig, dpi, palette), alt)


def _message_html(text: str) -> str:
    if not text:
        return ""
    return (
        '<div role="alert" style="border-left:4px solid #D55E00;padding:4px 10px;'
        f'background:#FFF4EC;color:#000">{html.escape(text)}</div>'
    )


def _text_key(t) -> tuple:
    """What a text contributes to the layout: its words, size, weight, rotation and visibility."""
    return (t.get_text(), t.get_fontsize(), t.get_fontweight(), t.get_rotation(), t.get_visible())


def _lines_key(t) -> tuple:
    """A title or axis label adds its height to the layout, not its width: line count and size."""
    s = t.get_text()
    return (s.count("\n") + bool(s), t.get_fontsize(), t.get_visible())


def _layout_signature(fig: Figure, tick_parts: dict | None = None) -> tuple:
    """What the constrained layout depends on: laid-out texts, tick labels, legends and axis limits.

    Titles and axis labels count by their line count and size only: the constrained layout
    collapses their width (a title's) or length (an axis label's) to one pixel. ``tick_parts``
    keeps each axis's tick labels between calls: an axis nothing has changed since is not asked
    to place its ticks again (a log axis's tick search is the dearest part of this).
    """
    def ticks(axis) -> tuple:
        if tick_parts is not None and axis in tick_parts and not _touched(axis):
            return tick_parts[axis]
        part = tuple(_text_key(t) for t in axis.get_majorticklabels())
        if tick_parts is not None:
            tick_parts[axis] = part
        return part

    parts: list = [fig.get_size_inches().tobytes(), fig.dpi]
    for ax in fig.axes:
        titles = tuple(_lines_key(t) for t in (ax.title, ax._left_title, ax._right_title))
        parts.append((titles, _lines_key(ax.xaxis.label), _lines_key(ax.yaxis.label), ax.get_xlim(), ax.get_ylim(),
                      ax.get_visible(), ax.axison))
        if ax.axison:
            parts.append(ticks(ax.xaxis) + ticks(ax.yaxis))
        legend = ax.get_legend()
        if legend is not None:
            parts.append((legend.get_visible(), legend._loc, tuple(_text_key(t) for t in legend.get_texts())))
        parts.append(tuple(_text_key(t) + (t.get_position(),) for t in ax.texts if t.get_in_layout()))
    parts.append(tuple(_text_key(t) + (t.get_position(),) for t in fig.texts if t.get_in_layout()))
    return tuple(parts)


def _draw_units(fig: Figure) -> list:
    """The artists a full draw paints, in its order: figure-level artists and each axes' children.

    Mirrors ``Figure.draw`` and ``Axes.draw`` (sorted by zorder, stable; an axes' patch first;
    no spines or axis objects on an axes whose axis is off). An axes' own patch and the figure's
    patch are left out: they are never drawn alone.
    """
    units = []
    top = [a for a in fig.get_children() if a is not fig.patch]
    for item in sorted(top, key=attrgetter("zorder")):
        if item in fig.axes:
            if not item.get_visible():
                continue
            children = [a for a in item.get_children() if a is not item.patch]
            if not (item.axison and item._frameon):
                children = [a for a in children if a not in item.spines.values()]
            if not item.axison:
                children = [a for a in children if a not in item._axis_map.values()]
            units.extend(sorted(children, key=attrgetter("zorder")))
        else:
            units.append(item)
    return units


def _axis_key(axis) -> tuple:
    """What an axis draws: limits, scale, ticks and their labels, its label. Equal keys draw equal pixels.

    ``set_xlim`` with the limits it already has, or ``set_yticks`` with the same ticks, marks the axis
    as changed; comparing this key keeps such an axis in the saved background instead of redrawing
    its ticks and labels. The ticks are placed once, as a draw places them (``Axis._update_ticks``).
    """
    if not axis.get_visible():
        return (False,)
    ticks = axis._update_ticks()
    first = ticks[0] if ticks else None
    style = () if first is None else tuple(
        (part.get_visible(), part.get_color() if hasattr(part, "get_color") else None)
        for part in (first.tick1line, first.tick2line, first.gridline, first.label1, first.label2))
    labels = tuple(_text_key(t.label1) + (t.label1.get_color(), t.label1.get_position(), t.label2.get_text())
                   for t in ticks)
    return (tuple(axis.get_view_interval()), axis.get_scale(), tuple(t.get_loc() for t in ticks), labels, style,
            _text_key(axis.label) + (axis.label.get_color(),))


class WholePixels(Transform):
    """Rounds display coordinates to whole pixels; add it after a text's transform (``ax.transData + WholePixels()``).

    A text that moves with the data (a note at a bar's end) then starts at the same fraction of a
    pixel wherever it lands, so words drawn before are one cached image blend (:class:`_TextCache`)
    instead of every glyph rasterised again. The text moves by less than half a pixel.
    """

    input_dims = output_dims = 2

    def transform_non_affine(self, values):
        return np.round(values)

    def inverted(self):
        return IdentityTransform()  # within half a pixel


def _in_data_coordinates(artist, ax) -> bool:
    """Whether ``artist`` is placed (in x or in y) by ``ax``'s data coordinates, so its axes' limits move it."""
    try:
        return any(artist.get_transform().contains_branch_seperately(ax.transData))
    except (AttributeError, ValueError):  # a transform of other dimensions: counted as moved, to be safe
        return True


def _children(artist) -> list:
    """``artist.get_children()``, except that an axis gives the ticks it has made without placing them again.

    ``Axis.get_children`` runs the tick locator (a log axis's is dear) to know how many ticks to
    return; every tick the axis keeps is a superset of those, and enough to read and clear flags.
    """
    if isinstance(artist, Axis):
        return [artist.label, artist.offsetText, *artist.majorTicks, *artist.minorTicks]
    return artist.get_children()


def _touched(artist) -> bool:
    """Whether ``artist`` or anything it draws was changed since the last picture (matplotlib's stale flags)."""
    if artist.stale:
        return True
    return any(_touched(child) for child in _children(artist))


def _settle(artist) -> None:
    artist.stale = False
    for child in _children(artist):
        _settle(child)


class StaticFigure(ipywidgets.HTML):
    """A figure that does not change, shown with its text alternative.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
    alt : str
        What the figure shows, in words a screen reader can read aloud.
    """

    def __init__(self, fig: Figure, alt: str):
        _check_figure(fig)
        super().__init__(value=figure_html(fig, alt))
        self.figure = fig
        self.alt_text = alt
        self.add_class("course-figure")

    def _repr_mimebundle_(self, **kwargs):
        # The static version (site, PDF, GitHub) reuses the PNG already in self.value.
        page = static.figure_static_html(self.value, self.alt_text)
        return static.with_static(super()._repr_mimebundle_(**kwargs), page, self.alt_text, static.png_base64(self.value))


def _freeze(value):
    """A hashable stand-in for a control's value (lists, sets and dicts become tuples)."""
    if isinstance(value, (list, tuple)):
        return tuple(_freeze(v) for v in value)
    if isinstance(value, (set, frozenset)):
        return ("set", tuple(sorted(repr(v) for v in value)))
    if isinstance(value, dict):
        return ("dict", tuple(sorted((repr(k), _freeze(v)) for k, v in value.items())))
    try:
        hash(value)
    except TypeError:
        return ("repr", type(value).__name__, repr(value))
    return (type(value).__name__, value)


PRERENDER_ENV = "SLE_COURSE_PRERENDER"  # "0" turns idle pre-rendering off, "1" on (default: on, off under pytest)
PRERENDER_ALL = 64  # a view with at most this many control states (all discrete) gets every state pre-rendered
PRERENDER_STEPS = 3  # on a slider: this many steps each side of the learner's value
PRERENDER_ROOM = 16  # cache entries left free for states the learner visits
IDLE_DELAY_S = 0.3  # quiet time after a learner's change before the first pre-render
STEP_GAP_S = 0.02  # between two pre-renders: the kernel handles any waiting message first


class _Idle:
    """Process-wide: every learner message (any view's control change, any cell run) stops pre-rendering."""

    generation = 0
    hooked = False

    @classmethod
    def interrupt(cls, *_args) -> None:
        cls.generation += 1

    @classmethod
    def hook_cells(cls) -> None:
        if cls.hooked:
            return
        cls.hooked = True
        try:
            from IPython import get_ipython

            shell = get_ipython()
            if shell is not None:
                shell.events.register("pre_execute", cls.interrupt)
        except Exception:  # noqa: BLE001 - no IPython: only control changes interrupt  # pragma: no cover
            pass


def prerender_enabled() -> bool:
    """Whether views pre-render neighbouring states while the kernel is idle (``SLE_COURSE_PRERENDER``)."""
    setting = os.environ.get(PRERENDER_ENV, "").strip().lower()
    if setting in ("0", "false", "no", "off"):
        return False
    if setting in ("1", "true", "yes", "on"):
        return True
    return "PYTEST_CURRENT_TEST" not in os.environ


def _machine_busy() -> bool:
    """Whether the machine's cores are all in use (a room of kernels): then nothing is drawn ahead."""
    try:
        return os.getloadavg()[0] >= (len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity")
                                      else (os.cpu_count() or 1))
    except OSError:  # pragma: no cover - no load average on this system
        return False


def _idle_scheduler():
    """``call_later`` of the running event loop (an IPython kernel's), or None outside one."""
    try:
        return asyncio.get_running_loop().call_later
    except RuntimeError:
        return None


def _option_values(control) -> list | None:
    """The values a single-choice control (a dropdown, toggle buttons) offers, or None for any other control."""
    options = getattr(control, "options", None)
    if options is None or type(control).__name__ == "SelectMultiple" or isinstance(options, str):
        return None
    return [o[1] if isinstance(o, tuple) and len(o) == 2 else o for o in options]


def _neighbours(control) -> list:
    """The values a learner is likely to pick next on ``control``: other options, nearby slider steps."""
    value = control.value
    values = _option_values(control)
    if values is not None:
        return [v for v in values if v != value]
    if isinstance(value, bool):
        return [not value]
    step = getattr(control, "step", None)
    if step is None or isinstance(step, bool) or not isinstance(value, (int, float)) or not step > 0:
        return []
    if hasattr(control, "base"):  # a log slider: min, max and step are exponents
        exponent = math.log(value, control.base) if value > 0 else control.min
        found = []
        for k in range(1, PRERENDER_STEPS + 1):
            for e in (exponent - k * step, exponent + k * step):
                if control.min - 1e-9 <= e <= control.max + 1e-9:
                    found.append(control.base ** round(e, 10))
        return found
    found = []
    for k in range(1, PRERENDER_STEPS + 1):
        for v in (value - k * step, value + k * step):
            if control.min <= v <= control.max:
                found.append(int(round(v)) if isinstance(value, int) else round(v, 10))
    return found


def _all_values(control) -> list | None:
    """Every value of a discrete control, or None (a number box, a multiple choice, a fine slider)."""
    values = _option_values(control)
    if values is not None:
        return values
    if isinstance(control.value, bool):
        return [False, True]
    if isinstance(control.value, int) and getattr(control, "step", None) and hasattr(control, "max"):
        count = (control.max - control.min) // control.step + 1
        return list(range(control.min, control.max + 1, control.step)) if count <= PRERENDER_ALL else None
    return None


class _Quiet:
    """While a state is pre-rendered: widgets send nothing to the browser, and control values change silently.

    A control's value is written to its trait storage directly (no observer runs, no message is
    sent); whatever ``update()`` sets on other widgets (a summary, a status line) is not sent either,
    and is set back, quietly, by the ``update()`` that restores the shown state.
    """

    def __init__(self, controls: dict):
        self.controls = controls
        self.saved = {name: w._trait_values.get("value") for name, w in controls.items()}

    def __enter__(self):
        self.send = ipywidgets.Widget.__dict__.get("_should_send_property")
        ipywidgets.Widget._should_send_property = lambda *_args: False
        return self

    def set(self, values: dict) -> None:
        for name, value in values.items():
            self.controls[name]._trait_values["value"] = value

    def restore(self) -> None:
        for name, value in self.saved.items():
            self.controls[name]._trait_values["value"] = value

    def __exit__(self, *exc):
        self.restore()
        if self.send is not None:
            ipywidgets.Widget._should_send_property = self.send
        else:  # pragma: no cover - defined on Widget in every ipywidgets 8
            del ipywidgets.Widget._should_send_property
        return False


class FigureView(ipywidgets.VBox):
    """Base class of every interactive figure: controls, a message line, and the picture.

    Subclasses create ``self.figure`` and its artists, then call ``super().__init__(controls)``
    and implement :meth:`update`. Attributes a test or the next notebook cell can read:
    ``figure``, ``controls`` (name -> widget), ``alt_text``, ``message_text``, ``png`` (the
    picture shown, PNG bytes) and ``stats`` (how each picture was made: ``hit``, ``miss``,
    ``blit``, ``full``, ``layout``).

    Class attributes a subclass may set:

    ``cache_pictures``
        ``False`` when the picture depends on anything but the controls' values (the time, a file,
        state kept between updates); such a view is redrawn on every update.
    ``palette_png``
        ``False`` for a picture that 256 colours cannot show (photographs, smooth colour maps).
    ``prerender_states``
        ``False`` to never draw states ahead while the kernel is idle (see :meth:`refresh`).
    ``prerender_skip``
        Names of controls whose change is not followed by pre-rendering (a preset that sets the
        other controls: its neighbouring states are not what the learner would get).
    """

    figure: Figure
    cache_pictures: bool = True
    palette_png: bool = True
    prerender_states: bool = True
    prerender_skip: tuple = ()

    def __init__(self, controls: dict[str, ipywidgets.Widget], *, layout_controls: Sequence[ipywidgets.Widget] | None = None):
        if not isinstance(getattr(self, "figure", None), Figure):
            raise TypeError(f"{type(self).__name__} must create self.figure (a matplotlib Figure) before calling "
                            "FigureView.__init__; FigureView itself is a base class to subclass.")
        if not isinstance(controls, Mapping) or not all(isinstance(w, ipywidgets.Widget) for w in controls.values()):
            raise TypeError(f"controls must map names to ipywidgets controls; got {_shown(controls)}.")
        if layout_controls is not None and (not isinstance(layout_controls, Sequence)
                                            or not all(isinstance(w, ipywidgets.Widget) for w in layout_controls)):
            raise TypeError(f"layout_controls must be a list of ipywidgets or None; got {_shown(layout_controls)}.")
        self.controls = dict(controls)
        self.alt_text = ""
        self.message_text = ""
        self.png = b""
        self.last_error: BaseException | None = None
        self.stats: Counter = Counter()
        # False draws every picture from scratch (layout included): the reference the fast paths are tested against.
        self.fast_paths = True
        self._pictures: OrderedDict = OrderedDict()  # control state -> (alt, png, html)
        engine = self.figure.get_layout_engine()
        self._engine = engine if isinstance(engine, ConstrainedLayoutEngine) else None
        if self._engine is not None:
            self.figure.set_layout_engine("none")  # the layout is run by _place_axes, once per signature
        # The axes positions before any layout: every layout starts from them, so none depends on the one before.
        self._canonical = [(ax, ax.get_position(original=True).frozen()) for ax in self.figure.axes]
        self._layouts: dict[tuple, list] = {}
        # (layout, limits, artists, axes; the artists update() changed) -> the picture without those artists
        self._backgrounds: OrderedDict = OrderedDict()
        self._axes_drawn: dict = {}  # axis -> _axis_key when the last picture was drawn
        self._tick_parts: dict = {}  # axis -> its tick labels' part of the layout signature (see _layout_signature)
        self._encoder = _PaletteEncoder()
        self._prerender_queue: list = []
        self.image = ipywidgets.HTML()
        self.image.add_class("course-figure")
        self.message = ipywidgets.HTML()
        self.message.add_class("course-message")
        shown = list(layout_controls) if layout_controls is not None else list(self.controls.values())
        if self.controls:
            # The browser tests change this control and expect the picture to change.
            next(iter(self.controls.values())).add_class("course-primary-control")
        control_box = ipywidgets.Box(shown, layout=ipywidgets.Layout(flex_flow="row wrap", gap="4px 16px"))
        super().__init__([control_box, self.message, self.image])
        self.add_class("course-interactive")
        self.add_class(f"course-view-{type(self).__name__}")  # lets a benchmark or test name the figure
        for widget in self.controls.values():
            widget.observe(self._on_change, names="value")
        for artist in _draw_units(self.figure):
            _settle(artist)  # from here on a stale flag means "changed by update()"
        self.refresh()

    # -- subclass interface -------------------------------------------------
    @abstractmethod
    def update(self) -> str:  # pragma: no cover - abstract
        """Read the controls, change the artists in place and return the text alternative."""
        raise NotImplementedError

    # -- machinery ----------------------------------------------------------
    def _repr_mimebundle_(self, **kwargs):
        # The static version (site, PDF, GitHub) reuses the PNG and alt text already drawn: no second render.
        img = self.image.value
        page = static.figure_static_html(img, self.alt_text, self.message_text, static.settings_text(self.controls))
        return static.with_static(super()._repr_mimebundle_(**kwargs), page, self.alt_text, static.png_base64(img))

    def _on_change(self, _change) -> None:
        self.refresh()

    def picture(self) -> "StaticFigure":
        """The picture the view shows now, with its text alternative and without its controls.

        For a page that should show what the view shows but offer nothing to change (the patient
        edition shows a calculator's result this way).
        """
        return StaticFigure(self.figure, self.alt_text)

    def state_key(self) -> tuple:
        """The controls' current values, hashable: what a cached picture is filed under."""
        return tuple((name, _freeze(widget.value)) for name, widget in self.controls.items())

    def refresh(self) -> None:
        """Redraw from the current controls; turn any failure into a plain message.

        After a learner's change (one that came from the browser), the neighbouring states of the
        control they changed are pre-rendered while the kernel is idle (:meth:`prerender`).
        """
        _Idle.interrupt()  # a message arrived: any pre-rendering in progress stops
        learner = next((w for w in self.controls.values() if w._property_lock), None)
        self._draw()
        if learner is not None and not self.message_text:
            self._plan_prerender(learner)

    def _draw(self) -> None:
        try:
            alt = self.update()
            # Read after update(): a view may set some controls from others (a preset, a measured value).
            key = self.state_key() if (self.cache_pictures and self.fast_paths) else None
            cached = self._pictures.get(key) if key is not None else None
            if cached is not None and cached[0] != alt:
                # Same controls, other text: the picture depends on more than the controls. Stop caching.
                self.cache_pictures = False
                self._pictures.clear()
                key = cached = None
            if cached is not None:
                self._pictures.move_to_end(key)
                self.stats["hit"] += 1
                _, png, out = cached
            else:
                png = self._render()
                out = _img_html(png, alt)
                self.stats["miss"] += 1
                if key is not None:
                    self._keep(key, alt, png, out)
        except (ValueError, TypeError) as exc:
            self.show_message(learner_message(exc, self.control_labels()))
            return
        except Exception as exc:  # a bug, not bad input: still no traceback in front of a learner
            self.last_error = exc
            self.show_message(
                "This figure could not be redrawn with these settings. Try another value; "
                f"the course maintainers would like to hear about it ({type(exc).__name__})."
            )
            return
        self.show_message("")
        self.alt_text = alt
        self.png = png
        self.image.value = out

    def _keep(self, key, alt: str, png: bytes, out: str) -> None:
        self._pictures[key] = (alt, png, out)
        while len(self._pictures) > CACHE_ENTRIES:
            self._pictures.popitem(last=False)

    # -- pre-rendering while the kernel is idle ---------------------------------
    def _plan_prerender(self, changed) -> None:
        """Queue the states a learner is likely to visit next, to draw while the kernel is idle.

        Every state when the controls are few and discrete (at most ``PRERENDER_ALL``), otherwise
        the other values of the control the learner just changed, at most ``CACHE_ENTRIES`` minus
        ``PRERENDER_ROOM`` pictures in all. Nothing runs outside an event loop (a script, a test),
        under pytest, or with ``SLE_COURSE_PRERENDER=0``; never before a learner's first change; and
        it stops while the machine's cores are all busy (a load average at or above their number: a
        room of kernels needs the CPU for what learners ask).
        """
        if not (self.cache_pictures and self.fast_paths and self.prerender_states and prerender_enabled()):
            return
        schedule = _idle_scheduler()
        if schedule is None:
            return
        _Idle.hook_cells()
        names = {id(w): name for name, w in self.controls.items()}
        if names.get(id(changed)) in self.prerender_skip:
            return
        every = [_all_values(w) for w in self.controls.values()]
        if all(v is not None for v in every) and math.prod(len(v) for v in every) <= PRERENDER_ALL:
            import itertools

            states = [dict(zip(self.controls, combo)) for combo in itertools.product(*every)]
        else:
            states = [{names[id(changed)]: value} for value in _neighbours(changed)]
        self._prerender_queue = states
        token = _Idle.generation
        schedule(IDLE_DELAY_S, self._prerender_next, token, schedule)

    def _prerender_next(self, token: int, schedule) -> None:
        """Draw one queued state, then give the kernel back its loop; stop at the next message."""
        while self._prerender_queue and token == _Idle.generation:
            if len(self._pictures) >= CACHE_ENTRIES - PRERENDER_ROOM or _machine_busy():
                self._prerender_queue = []
                return
            drawn = self.prerender(self._prerender_queue.pop(0))
            if drawn:
                if self._prerender_queue:
                    schedule(STEP_GAP_S, self._prerender_next, token, schedule)
                return

    def prerender(self, values: Mapping) -> bool:
        """Draw and cache the picture of the controls set to ``values`` (others as shown), without showing it.

        The controls, the picture shown, the message and every other widget stay as the learner sees
        them: control values change silently for the drawing and nothing is sent to the browser. The
        artists are returned to the shown state afterwards. True if a picture was drawn; False if the
        state was already cached, could not be drawn, or the view is not cached.
        """
        if not (self.cache_pictures and self.fast_paths) or not isinstance(values, Mapping):
            return False
        unknown = [name for name in values if name not in self.controls]
        if unknown:
            raise ValueError(f"prerender: no control named {_shown(unknown[0])}; accepted: {', '.join(self.controls)}.")
        drawn = updated = False
        with _Quiet(self.controls) as quiet:
            quiet.set(values)
            try:
                key = self.state_key()
                if key not in self._pictures:
                    updated = True
                    alt = self.update()
                    key = self.state_key()
                    if key not in self._pictures:
                        png = self._render()
                        self._keep(key, alt, png, _img_html(png, alt))
                        self._pictures.move_to_end(key, last=False)  # first to go: the learner has not seen it
                        self.stats["prerendered"] += 1
                        drawn = True
            except Exception:  # noqa: BLE001 - a state the model refuses (or a bug) is simply not kept
                pass
            finally:
                quiet.restore()
                if updated:
                    try:
                        self.update()  # artists, result and other widgets back to the shown state
                    except Exception:  # noqa: BLE001 - it was drawn before; refresh() shows any problem next time
                        pass
        return drawn

    def clear_cache(self) -> None:
        """Forget every cached picture, layout and background (the next update draws from scratch)."""
        self._pictures.clear()
        self._layouts.clear()
        self._backgrounds.clear()
        self._axes_drawn.clear()
        self._tick_parts.clear()
        self._encoder = _PaletteEncoder()

    # -- drawing --------------------------------------------------------------
    def _apply_layout(self, positions: list) -> None:
        for ax, pos in positions:
            ax._set_position(pos, which="both")

    def _place_axes(self) -> tuple | None:
        """Put the axes where the layout of the current signature puts them; return that signature."""
        if self._engine is None:
            return None
        fig = self.figure
        self._apply_layout(self._canonical)  # the signature's tick labels as a fresh figure would have them
        signature = _layout_signature(fig, self._tick_parts)
        positions = self._layouts.get(signature) if self.fast_paths else None
        if positions is None:
            self._engine.execute(fig)
            positions = [(ax, ax.get_position(original=True).frozen()) for ax in fig.axes]
            self.stats["layout"] += 1
            if self.fast_paths:
                self._layouts[signature] = positions
        else:
            self._apply_layout(positions)
        return signature

    def _render(self) -> bytes:
        """Draw the picture: only the touched artists over the saved background when nothing else changed."""
        fig = self.figure
        canvas = _canvas(fig, RENDER_DPI)
        if self.fast_paths:
            _TEXT_CACHE.install(canvas.get_renderer())
        else:
            _TEXT_CACHE.uninstall(canvas.get_renderer())
        units = _draw_units(fig)
        touched = [a for a in units if _touched(a)]
        signature = self._place_axes()
        # An axis is drawn into the saved background, which is filed under what every axis draws (its limits,
        # ticks and labels): a picture whose axes are as in a background kept before is drawn over that one.
        for axis in [a for a in units if isinstance(a, Axis)]:
            if axis in touched or axis not in self._axes_drawn:
                self._axes_drawn[axis] = _axis_key(axis)
        touched = tuple(a for a in touched if not isinstance(a, Axis))
        # An axes' limits matter to a background that holds an artist placed in its data coordinates; a view
        # that redraws all of those on every update keeps one background whatever its limits.
        kept = [a for a in units if a not in touched and not isinstance(a, Axis)]
        limits = tuple((ax.get_xlim(), ax.get_ylim()) if any(_in_data_coordinates(a, ax) for a in kept) else None
                       for ax in fig.axes)
        base = (signature, limits, tuple(ax.get_position().bounds for ax in fig.axes), tuple(map(id, units)),
                tuple(self._axes_drawn.get(a) for a in units if isinstance(a, Axis)))
        key = (base, tuple(map(id, touched)))
        # A background holding (not leaving out) an artist that has changed since is wrong now: forgotten.
        changed = set(key[1])
        for old in [k for k in self._backgrounds if not changed <= set(k[1])]:
            del self._backgrounds[old]
        background = self._backgrounds.get(key) if self.fast_paths else None
        if background is not None:
            self._backgrounds.move_to_end(key)
            canvas.restore_region(background)
            renderer = canvas.get_renderer()
            for ax in fig.axes:  # what Axes.draw does first: the view limits and a fixed aspect's box
                ax._unstale_viewLim()
                locator = ax.get_axes_locator()
                ax.apply_aspect(locator(ax, renderer) if locator else None)
            for artist in touched:
                artist.draw(renderer)
            self.stats["blit"] += 1
        else:
            animated = touched if self.fast_paths else ()
            for artist in animated:
                artist.set_animated(True)  # only while the background is drawn: other draws see every artist
            try:
                canvas.draw()
            finally:
                for artist in animated:
                    artist.set_animated(False)
            if animated:
                self._backgrounds[key] = canvas.copy_from_bbox(fig.bbox)
                while len(self._backgrounds) > BACKGROUNDS_KEPT:
                    self._backgrounds.popitem(last=False)
                renderer = canvas.get_renderer()
                for artist in animated:
                    artist.draw(renderer)
            self.stats["full"] += 1
        for artist in units:
            _settle(artist)
        if self.palette_png and self.fast_paths:
            return self._encoder.encode(canvas)
        return _encode(canvas, self.palette_png)

    def control_labels(self) -> dict[str, str]:
        """Parameter name -> the label the learner sees, for messages in the controls' own words.

        By default each control's description, keyed by its name in ``controls``; a view whose
        model parameters differ from its control names extends this.
        """
        return {name: w.description for name, w in self.controls.items() if getattr(w, "description", "")}

    def show_message(self, text: str) -> None:
        """Show ``text`` above the figure (an empty string clears it)."""
        require_text("text", text, allow_empty=True)
        self.message_text = text
        self.message.value = _message_html(text)
