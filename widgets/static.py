"""Static pictures of the course's widgets, for places where no Python runs.

A live widget needs a kernel. GitHub, nbviewer, the course website (``make site``) and its PDF
(``make pdf``) have none, so every course widget also puts a static version of itself in its
display data: ``text/html`` (and, for a figure, ``image/png``) beside the widget view.
JupyterLab and Voila still choose the widget view; a page without a kernel shows the static one.

Each static version reuses what the widget has already drawn (the figure's PNG is taken from the
``<img>`` it shows), so displaying a widget never renders its figure twice.
Nothing here imports ipywidgets or plots.
"""
from __future__ import annotations

import html
import re

from .validate import require_int, require_items, require_text, shown

__all__ = ["LIVE_NOTE", "BINDER_URL", "live_links", "with_static", "png_base64", "figure_static_html", "settings_text", "questions_html", "questions_text"]

LIVE_NOTE = (
    "A static picture at the notebook's first setting. To change it with the controls, run the notebook "
    "live in JupyterLab, in Voila (workshop mode) or on Binder."
)

# The live course with nothing to install: the course map in Voila on Binder (the README's link).
BINDER_URL = ("https://mybinder.org/v2/gh/sle-cart-course/sle-cart-course/HEAD"
              "?urlpath=voila/render/notebooks/00_course_map.ipynb")

_PNG_SRC = re.compile(r'src="data:image/png;base64,([A-Za-z0-9+/=]+)"')
_WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def png_base64(img_html: str) -> str | None:
    """The base64 PNG inside an ``<img src="data:image/png;base64,...">``, or None if there is none."""
    match = _PNG_SRC.search(require_text("img_html", "" if img_html is None else img_html, allow_empty=True))
    return match.group(1) if match else None


def with_static(bundle: dict | None, static_html: str, text: str, png: str | None = None) -> dict:
    """Add the static versions to a widget's display data, keeping its widget view.

    Parameters
    ----------
    bundle : dict or None
        What :meth:`ipywidgets.Widget._repr_mimebundle_` returned (None when the widget has no view).
    static_html : str
        The ``text/html`` version.
    text : str
        The ``text/plain`` version: what the widget shows, in words (a text alternative, not a repr).
    png : str, optional
        A base64 PNG for ``image/png``.
    """
    if bundle is not None and not isinstance(bundle, dict):
        raise TypeError(f"bundle must be a dict of display data or None; got {shown(bundle)}.")
    out = dict(bundle or {})
    out["text/html"] = require_text("static_html", static_html, allow_empty=True)
    out["text/plain"] = require_text("text", text, allow_empty=True)
    if png is not None:
        png = require_text("png", png, allow_empty=True)
        if png:
            out["image/png"] = png
    return out


def live_links(note: str) -> str:
    """``note`` as HTML, its closing "on Binder." linked to the live course on Binder."""
    text = html.escape(require_text("note", note, allow_empty=True))
    return text.replace("on Binder.", f'<a href="{BINDER_URL}">on Binder</a>.')


def settings_text(controls: dict, most: int = 3) -> str:
    """The first ``most`` labelled controls' values in words, e.g. ``"Step: 1; Dose: 1.0"``; "..." marks more."""
    if not isinstance(controls, dict):
        raise TypeError(f"controls must be a dict of control name to widget; got {shown(controls)}.")
    most = require_int("most", most, minimum=0)
    parts = []
    for widget in controls.values():
        label = str(getattr(widget, "description", "") or "").strip().rstrip(":")
        value = getattr(widget, "value", None)
        if label and isinstance(value, (str, int, float, bool)):
            parts.append(f"{label}: {value}")
    return "; ".join(parts[:most]) + ("; ..." if len(parts) > most else "")


def figure_static_html(img_html: str, alt: str, message: str = "", settings: str | None = None) -> str:
    """A figure's static version: its picture (with its ``alt``), any message and, for an interactive
    figure (``settings`` not None), a note that the live figure runs in JupyterLab, Voila or Binder."""
    alt = require_text("alt", alt, allow_empty=True)
    message = require_text("message", message, allow_empty=True)
    if settings is not None:
        settings = require_text("settings", settings, allow_empty=True)
    warn = f'<p class="course-static-message" role="note">{html.escape(message)}</p>' if message else ""
    if not png_base64(img_html):  # nothing drawn yet: say so in words rather than show nothing
        return f'<div class="course-static">{warn}<p>{html.escape(alt or "No picture.")}</p></div>'
    caption = ""
    if settings is not None:
        note = LIVE_NOTE.replace("first setting", f"first setting ({settings})") if settings else LIVE_NOTE
        caption = f'<figcaption class="course-static-note">{live_links(note)}</figcaption>'
    return f'<figure class="course-static course-static-figure">{warn}{img_html}{caption}</figure>'


def questions_html(questions, title: str = "Self-check") -> str:
    """Self-check questions as HTML that needs no script: each answer in a ``<details>`` fold-out."""
    questions, title = _questions(questions), require_text("title", title)
    items = []
    for q in questions:
        options = "".join(f"<li>{html.escape(o)}</li>" for o in q.options)
        why = "".join(
            f"<li><b>{html.escape(o)}</b>: {html.escape(e)}</li>" for o, e in zip(q.options, q.explanations)
        )
        items.append(
            f'<li class="course-static-question"><p><b>{html.escape(q.prompt)}</b></p>'
            f'<ol type="a">{options}</ol>'
            f"<details><summary>Show the answer</summary>"
            f"<p><b>Answer: {html.escape(q.options[q.correct])}</b></p>"
            f"<p>Why each option is right or wrong:</p><ul>{why}</ul></details></li>"
        )
    return (
        f'<div class="course-static course-static-selfcheck"><p><b>{html.escape(title)}</b></p>'
        f'<ol>{"".join(items)}</ol></div>'
    )


def questions_text(questions, title: str = "Self-check") -> str:
    """The same questions as plain text, answers last, for front ends that show only text."""
    questions, title = _questions(questions), require_text("title", title)
    lines = [title]
    for n, q in enumerate(questions, 1):
        lines.append(f"{n}. {q.prompt}")
        lines += [f"   {chr(97 + i)}) {o}" for i, o in enumerate(q.options)]
    lines.append("Answers: " + "; ".join(f"{n}. {chr(97 + q.correct)}" for n, q in enumerate(questions, 1)))
    return "\n".join(lines)


def _questions(questions) -> list:
    from .question import Question

    items = require_items("questions", questions, what="questions")
    for q in items:
        if not isinstance(q, Question):
            raise TypeError(f"questions must be widgets.question.Question objects; got {shown(q)}.")
    return items
