"""Figures that are drawn once, updated in place, and shown with a text alternative.

Every course figure is a :class:`matplotlib.figure.Figure` made without pyplot (so nothing
is displayed twice or kept in pyplot's registry), rendered to PNG and shown as an ``<img>``
whose ``alt`` text says what the figure shows. Interactive figures subclass
:class:`FigureView`: the subclass builds its artists once in ``__init__`` and, in
:meth:`FigureView.update`, changes their data and returns the new text alternative.
Bad input becomes a plain message above the figure; the controls keep what the learner chose.
"""
from __future__ import annotations

import base64
import html
import io
from abc import abstractmethod
from collections.abc import Mapping, Sequence

import ipywidgets
from matplotlib.figure import Figure
from matplotlib.layout_engine import ConstrainedLayoutEngine

from .validate import learner_message, require_number, require_text
from .validate import shown as _shown

__all__ = ["new_figure", "figure_png", "figure_html", "StaticFigure", "FigureView"]

RENDER_DPI = 100  # 8 x 4.5 in -> 800 x 450 px: sharp on a projector, small enough to redraw fast
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


def figure_png(fig: Figure, dpi: int = RENDER_DPI) -> bytes:
    """Render ``fig`` to PNG bytes at a fixed canvas size, so the picture does not jump between updates.

    Draws with Agg and encodes with light compression: about 25 ms faster per update than
    ``savefig`` for the course's figures, at a few kB more per picture.
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from PIL import Image

    _check_figure(fig)
    dpi = require_number("dpi", dpi, minimum=MIN_DPI, maximum=MAX_DPI, unit="dots per inch")
    if fig.dpi != dpi:
        fig.set_dpi(dpi)
    canvas = fig.canvas if isinstance(fig.canvas, FigureCanvasAgg) else FigureCanvasAgg(fig)
    canvas.draw()
    width, height = canvas.get_width_height()
    image = Image.frombuffer("RGBA", (width, height), canvas.buffer_rgba(), "raw", "RGBA", 0, 1)
    buf = io.BytesIO()
    image.convert("RGB").save(buf, format="PNG", compress_level=1)
    return buf.getvalue()


def _check_figure(fig: object) -> None:
    if not isinstance(fig, Figure):
        raise TypeError(f"fig must be a matplotlib Figure; got {_shown(fig)} ({type(fig).__name__}).")


def figure_html(fig: Figure, alt: str, dpi: int = RENDER_DPI) -> str:
    """Return an ``<img>`` element holding ``fig`` as an inline PNG with ``alt`` as its text alternative."""
    if not isinstance(alt, str) or not alt.strip():
        raise ValueError(f"every figure needs a text alternative: alt must be a non-empty string; got {_shown(alt)}.")
    data = base64.b64encode(figure_png(fig, dpi)).decode("ascii")
    return (
        f'<img class="course-figure-img" style="max-width:100%;height:auto" '
        f'alt="{html.escape(alt, quote=True)}" src="data:image/png;base64,{data}">'
    )


def _message_html(text: str) -> str:
    if not text:
        return ""
    return (
        '<div role="alert" style="border-left:4px solid #D55E00;padding:4px 10px;'
        f'background:#FFF4EC;color:#000">{html.escape(text)}</div>'
    )


def _layout_signature(fig: Figure) -> tuple:
    """What the constrained layout depends on: every laid-out text, tick label and axis limit.

    Two updates with the same signature need the same layout, so it is computed once and reused
    (the layout pass costs 5-40 ms of a redraw).
    """
    parts: list = [fig.get_size_inches().tobytes()]
    for ax in fig.axes:
        # A title changes the layout through its height only: its line count, not its words.
        titles = tuple(ax.get_title(loc).count("\n") + bool(ax.get_title(loc)) for loc in ("left", "center", "right"))
        parts.append((titles, ax.get_xlabel(), ax.get_ylabel(), ax.get_xlim(), ax.get_ylim(), ax.get_visible()))
        parts.append(tuple(t.get_text() for t in ax.get_xticklabels() + ax.get_yticklabels()))
        legend = ax.get_legend()
        if legend is not None:
            parts.append(tuple(t.get_text() for t in legend.get_texts()))
        parts.append(tuple(t.get_text() for t in ax.texts if t.get_in_layout() and t.get_visible()))
    parts.append(tuple(t.get_text() for t in fig.texts if t.get_in_layout()))
    suptitle = getattr(fig, "_suptitle", None)
    parts.append(suptitle.get_text() if suptitle is not None else None)
    return tuple(parts)


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


class FigureView(ipywidgets.VBox):
    """Base class of every interactive figure: controls, a message line, and the picture.

    Subclasses create ``self.figure`` and its artists, then call ``super().__init__(controls)``
    and implement :meth:`update`. Attributes a test or the next notebook cell can read:
    ``figure``, ``controls`` (name -> widget), ``alt_text``, ``message_text``.
    """

    figure: Figure

    def __init__(self, controls: dict[str, ipywidgets.Widget], *, layout_controls: Sequence[ipywidgets.Widget] | None = None):
        if not isinstance(controls, Mapping) or not all(isinstance(w, ipywidgets.Widget) for w in controls.values()):
            raise TypeError(f"controls must map names to ipywidgets controls; got {_shown(controls)}.")
        if layout_controls is not None and (not isinstance(layout_controls, Sequence)
                                            or not all(isinstance(w, ipywidgets.Widget) for w in layout_controls)):
            raise TypeError(f"layout_controls must be a list of ipywidgets or None; got {_shown(layout_controls)}.")
        self.controls = dict(controls)
        self._layout_key: tuple | None = None
        self.alt_text = ""
        self.message_text = ""
        self.last_error: BaseException | None = None
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
        for widget in self.controls.values():
            widget.observe(self._on_change, names="value")
        self.refresh()

    # -- subclass interface -------------------------------------------------
    @abstractmethod
    def update(self) -> str:  # pragma: no cover - abstract
        """Read the controls, change the artists in place and return the text alternative."""
        raise NotImplementedError

    # -- machinery ----------------------------------------------------------
    def _on_change(self, _change) -> None:
        self.refresh()

    def refresh(self) -> None:
        """Redraw from the current controls; turn any failure into a plain message."""
        try:
            alt = self.update()
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
        self.image.value = self._render(alt)

    def _render(self, alt: str) -> str:
        """Draw the picture, re-running the constrained layout only when what it depends on changed."""
        if self._layout_key is None and not isinstance(self.figure.get_layout_engine(), ConstrainedLayoutEngine):
            return figure_html(self.figure, alt)  # a figure that manages its own layout
        key = _layout_signature(self.figure)
        if key == self._layout_key:
            return figure_html(self.figure, alt)
        self.figure.set_layout_engine("constrained")
        out = figure_html(self.figure, alt)
        self.figure.set_layout_engine("none")  # keep the positions just computed for the next updates
        self._layout_key = key
        return out

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
