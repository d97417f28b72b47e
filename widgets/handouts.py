"""Printable handouts: PDFs built from the course with matplotlib's PdfPages (no other dependency).

:func:`write_pdf` writes any list of matplotlib figures, one per page, so that a later
``make handouts`` can add the course's key pictures. :func:`questions_handout` writes the
one-page A4 list of questions to ask the care team (notebook 05). Figures are made without
pyplot; nothing is fetched and nothing runs on import.
"""
from __future__ import annotations

import base64
import html
import io
import os
import re
import sys
import tempfile
import textwrap
from collections.abc import Sequence
from pathlib import Path

from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.figure import Figure

from . import decisions, process
from .style import PALETTE
from .validate import require_items, require_number, require_text, shown

__all__ = [
    "A4_INCHES",
    "write_pdf",
    "pdf_bytes",
    "count_pdf_pages",
    "questions_page",
    "questions_handout",
    "questions_handout_bytes",
    "download_link",
    "questions_handout_link",
    "PICTURE_HANDOUTS",
    "picture_page",
    "course_handouts",
]

A4_INCHES = (8.27, 11.69)  # ISO 216 A4, 210 x 297 mm
_PAGE_OBJECT = re.compile(rb"/Type\s*/Page(?![a-zA-Z])")  # a page object, not the "/Pages" tree


def _check_pages(pages: object) -> list[Figure]:
    if isinstance(pages, Figure):
        pages = [pages]
    if not isinstance(pages, Sequence):
        raise TypeError(f"pages must be a list of matplotlib figures; got {shown(pages)} ({type(pages).__name__}).")
    pages = require_items("pages", pages, max_items=500, what="figures")
    if not pages:
        raise ValueError("pages is empty: give at least one matplotlib figure to print.")
    for i, page in enumerate(pages):
        if not isinstance(page, Figure):
            raise TypeError(f"pages[{i}] must be a matplotlib Figure; got {shown(page)} ({type(page).__name__}).")
    return pages


def _save(target, pages: list[Figure], title: str) -> None:
    require_text("title", title, max_chars=500)
    # CreationDate None: the same pages give the same bytes, so handouts do not change on every build.
    metadata = {"Title": title, "Creator": decisions.COURSE_NAME, "CreationDate": None}
    with PdfPages(target, metadata=metadata) as pdf:
        for page in pages:
            pdf.savefig(page)


def _check_pdf_path(path: object, name: str = "path") -> Path:
    """Return ``path`` as a Path after checking it names a .pdf file in an existing, writable folder."""
    if not isinstance(path, (str, os.PathLike)) or isinstance(path, bytes):
        raise TypeError(f"{name} must be a file name such as 'handout.pdf'; got {shown(path)} ({type(path).__name__}).")
    try:
        target = Path(path)
    except TypeError:  # a PathLike whose __fspath__ returns bytes
        raise TypeError(f"{name} must be a file name such as 'handout.pdf'; got {shown(path)}.") from None
    text = str(target)
    if "\x00" in text:
        raise ValueError(f"{name} {shown(text)} holds a NUL character; accepted: a file name such as 'handout.pdf'.")
    if target.suffix.lower() != ".pdf":
        raise ValueError(f"{name} {shown(text)} must end in .pdf.")
    if len(target.name.encode()) > 255:
        raise ValueError(f"{name}: the file name is {len(target.name.encode())} bytes long; accepted: at most 255.")
    try:
        is_dir, parent_exists, parent_is_dir = target.is_dir(), target.parent.exists(), target.parent.is_dir()
    except OSError as exc:  # a name too long for the file system, a folder we may not look into, ...
        raise ValueError(f"{name} {shown(text)} cannot be used: {exc.strerror or exc}.") from exc
    if is_dir:
        raise ValueError(f"{name} {shown(text)} is a folder; accepted: a file name such as 'handout.pdf'.")
    if not parent_exists:
        raise ValueError(f"{name} {shown(text)}: the folder {shown(str(target.parent))} does not exist; create it or "
                         "choose another path.")
    if not parent_is_dir:
        raise ValueError(f"{name} {shown(text)}: {shown(str(target.parent))} is a file, not a folder; "
                         "choose another path.")
    return target


def _write_atomically(target: Path, pages: list[Figure], title: str) -> None:
    """Write the PDF to a temporary file in the same folder, then rename it over ``target``.

    A full disk or a read-only folder leaves ``target`` as it was (absent, or the previous
    complete file) and raises a plain ValueError; never a truncated PDF under the final name.
    """
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{target.stem[:40]}-", suffix=".pdf.part", dir=target.parent)
    except OSError as exc:
        raise ValueError(f"cannot write in the folder {shown(str(target.parent))}: {exc.strerror or exc}. "
                         "Choose a folder you can write to.") from exc
    try:
        with os.fdopen(handle, "wb") as out:
            _save(out, pages, title)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temporary, 0o644)  # mkstemp makes it private; a handout is for sharing
        os.replace(temporary, target)
    except OSError as exc:
        _remove_quietly(temporary)
        raise ValueError(f"could not write {shown(str(target))}: {exc.strerror or exc}. Nothing was left half-written; "
                         "free some disk space or choose another folder.") from exc
    except BaseException:
        _remove_quietly(temporary)
        raise


def _remove_quietly(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


def write_pdf(path: str | os.PathLike, pages: Sequence[Figure] | Figure, title: str = decisions.COURSE_NAME) -> Path:
    """Write ``pages`` (matplotlib figures, one per page) to the PDF file ``path``.

    The file appears complete or not at all: it is written to a temporary file in the same
    folder and then renamed, so a full disk or a read-only folder gives a plain ``ValueError``
    and leaves no truncated PDF behind.

    Parameters
    ----------
    path : str or path-like
        Where to write; the folder must exist. A ``.pdf`` suffix is required.
    pages : sequence of matplotlib.figure.Figure, or one Figure
        The pages, in order; each page keeps its figure size (use :data:`A4_INCHES` for A4).
    title : str
        The document title stored in the PDF.

    Returns
    -------
    pathlib.Path
        The file written.
    """
    target = _check_pdf_path(path)
    checked = _check_pages(pages)
    require_text("title", title, max_chars=500)
    _write_atomically(target, checked, title)
    return target


def pdf_bytes(pages: Sequence[Figure] | Figure, title: str = decisions.COURSE_NAME) -> bytes:
    """Return ``pages`` as the bytes of a PDF document (nothing is written to disk)."""
    buffer = io.BytesIO()
    _save(buffer, _check_pages(pages), title)
    return buffer.getvalue()


def count_pdf_pages(data: bytes) -> int:
    """Count the page objects in PDF ``data`` (``/Type /Page``, not the ``/Pages`` tree)."""
    if not isinstance(data, (bytes, bytearray)):
        raise TypeError(f"data must be the bytes of a PDF; got {shown(data)} ({type(data).__name__}).")
    if not data.startswith(b"%PDF"):
        raise ValueError("data is not a PDF: it does not start with %PDF.")
    return len(_PAGE_OBJECT.findall(data))


def questions_page() -> Figure:
    """One A4 page: what to know before consenting and the questions to ask the care team."""
    fig = Figure(figsize=A4_INCHES)
    left, y = 0.08, 0.95
    line = 0.0175  # height of one 10.5-pt line as a fraction of the A4 page

    # 9-pt body text (the list grew with the 2026 evidence update: death, LICATS, washout, randomisation).
    def write(text: str, size: float = 9.0, weight: str = "normal", width: int = 108, indent: str = "",
              colour: str = PALETTE["text"], gap: float = 0.0) -> None:
        nonlocal y
        wrapped = textwrap.fill(text, width=width, subsequent_indent=indent)
        fig.text(left, y, wrapped, fontsize=size, fontweight=weight, va="top", ha="left", color=colour)
        y -= line * (size / 10.5) * (wrapped.count("\n") + 1) + gap

    write("Questions to ask your care team about CAR-T cell therapy for lupus", size=12.5, weight="bold", width=70,
          gap=0.006)
    write(decisions.COURSE_NAME, size=10.5, colour=PALETTE["primary"], gap=0.012)
    write(decisions.NOT_MEDICAL_ADVICE, size=9.5, weight="bold", width=96, colour=PALETTE["highlight"], gap=0.01)
    write("Good to know before you decide", size=12.5, weight="bold", gap=0.004)
    for point in decisions.CONSENT_POINTS:
        write(f"-  {point}", indent="   ")
    y -= 0.008
    write("Questions to ask (tick them off, write the answers on the back)", size=12.5, weight="bold", gap=0.004)
    last = None
    for i, (topic, question) in enumerate(decisions.QUESTIONS_TO_ASK, start=1):
        if topic != last:
            y -= 0.0015
            write(topic, size=9.5, weight="bold", colour=PALETTE["primary"])
            last = topic
        write(f"[  ]  {i}. {question}", indent="         ")
    y -= 0.012
    write("Write down your own questions:", size=10.5, weight="bold", gap=0.004)
    for _ in range(2):
        fig.add_artist(_rule(fig, left, y - 0.012))
        y -= 0.02
    fig.text(left, 0.03, f"{decisions.COURSE_NAME}. Not medical advice. No clinic or hospital is recommended.",
             fontsize=8.5, color=PALETTE["neutral"], va="bottom", ha="left")
    if y < 0.05:  # pragma: no cover - guards future edits of the question list
        raise ValueError(f"the questions no longer fit on one A4 page (they end at {y:.2f} of the page height); "
                         "shorten the list.")
    return fig


def _rule(fig: Figure, x: float, y: float):
    from matplotlib.lines import Line2D

    return Line2D([x, 1 - x], [y, y], transform=fig.transFigure, color=PALETTE["neutral"], linewidth=0.6)


def questions_handout(path: str | os.PathLike) -> Path:
    """Write the one-page A4 questions handout (plain-language questions, not-medical-advice line, course name).

    Parameters
    ----------
    path : str or path-like
        Where to write, ending in ``.pdf``.
    """
    return write_pdf(path, [questions_page()], title="Questions to ask your care team")


def questions_handout_bytes() -> bytes:
    """The questions handout as PDF bytes."""
    return pdf_bytes([questions_page()], title="Questions to ask your care team")


def download_link(data: bytes, filename: str, text: str):
    """Return a displayable link that saves ``data`` (a PDF) as ``filename`` (nothing is written or fetched)."""
    from IPython.display import HTML

    require_text("filename", filename, max_chars=255)
    if not filename.lower().endswith(".pdf"):
        raise ValueError(f"filename must end in .pdf; got {shown(filename)}.")
    require_text("text", text, max_chars=500)
    count_pdf_pages(data)  # refuses anything that is not a PDF
    encoded = base64.b64encode(bytes(data)).decode("ascii")
    return HTML(
        f'<a download="{html.escape(filename)}" href="data:application/pdf;base64,{encoded}" '
        f'style="font-weight:bold">{html.escape(text)}</a>'
    )


def questions_handout_link():
    """A link to download the questions handout as ``questions-for-your-care-team.pdf``."""
    return download_link(questions_handout_bytes(), "questions-for-your-care-team.pdf",
                         "Download the one-page handout: questions to ask your care team (PDF, A4)")


# --- The course's key pictures, one A4 landscape page each ------------------------------------

A4_LANDSCAPE_INCHES = (A4_INCHES[1], A4_INCHES[0])

# file stem -> (title, plain-language caption, how to build the picture). Built lazily: the views import ipywidgets.
PICTURE_HANDOUTS: dict[str, tuple[str, str, str]] = {
    "journey": (
        "The CAR-T journey: from the patient to the laboratory and back",
        "Blood is collected (leukapheresis). In a laboratory, T cells are given a new gene so that they can recognise "
        "B cells, then grown to a dose and tested. After a few days of chemotherapy that makes room for them, the cells "
        "are given back by drip, and the care team watches closely for weeks, then follows up for years.",
        "process_views.JourneyView",
    ),
    "timeline": (
        "The calendar: weeks of preparation, one day of infusion, a year of follow-up",
        "Most of the waiting happens before the infusion, while the cells are made. "
        + process.after_infusion_rules_text("plain") + " B cells are expected to be absent from the blood for some "
        "months; that is how the treatment works.",
        "process_views.TimelineView",
    ),
    "car_anatomy": (
        "What a CAR is made of",
        "A chimeric antigen receptor is built from parts: an antibody tip outside the cell that grabs a target "
        "(such as CD19 on B cells), a stalk through the cell's skin, and switches inside that tell the T cell to "
        "attack and to multiply.",
        "cart_views.CarAnatomyView",
    ),
    "b_cell_targets": (
        "Which B-lineage cells a CD19 CAR removes, and which remain",
        "CD19 sits on B cells from their early stages up to the short-lived antibody factories (plasmablasts). "
        "Removing them lowers the antibodies that drive lupus. Some long-lived plasma cells in the bone marrow lack "
        "CD19, survive, and keep making many protective antibodies, for example from past vaccines.",
        "cart_views.LineageView",
    ),
}


def picture_page(picture: Figure, title: str, caption: str, dpi: int = 200) -> Figure:
    """Return an A4 landscape page showing ``picture`` under ``title`` with a plain-language ``caption``."""
    import numpy as np
    from PIL import Image

    from .figure import figure_png

    if not isinstance(picture, Figure):
        raise TypeError(f"picture must be a matplotlib Figure; got {shown(picture)} ({type(picture).__name__}).")
    require_text("title", title, max_chars=200)
    require_text("caption", caption, max_chars=2000)
    require_number("dpi", dpi, minimum=50, maximum=300, unit="dots per inch")
    image = np.asarray(Image.open(io.BytesIO(figure_png(picture, dpi=dpi))))
    page = Figure(figsize=A4_LANDSCAPE_INCHES)
    page.text(0.05, 0.95, title, fontsize=17, fontweight="bold", va="top", ha="left")
    ax = page.add_axes((0.05, 0.24, 0.9, 0.64))
    ax.imshow(image, interpolation="antialiased")
    ax.set_axis_off()
    page.text(0.05, 0.2, textwrap.fill(caption, width=120), fontsize=12, va="top", ha="left")
    page.text(0.05, 0.03, f"{decisions.COURSE_NAME}. Not medical advice. No clinic or hospital is recommended.",
              fontsize=8.5, color=PALETTE["neutral"], va="bottom", ha="left")
    return page


def course_handouts(out_dir: str | os.PathLike) -> list[Path]:
    """Write the course's printable handouts into ``out_dir`` and return the files written.

    One one-page PDF per key picture (:data:`PICTURE_HANDOUTS`) plus ``questions.pdf``.
    """
    import importlib

    from .style import course_style

    if not isinstance(out_dir, (str, os.PathLike)) or isinstance(out_dir, bytes):
        raise TypeError(f"out_dir must be a folder name; got {shown(out_dir)} ({type(out_dir).__name__}).")
    folder = Path(out_dir)
    if "\x00" in str(folder):
        raise ValueError(f"out_dir {shown(str(folder))} holds a NUL character; accepted: a folder name.")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise ValueError(f"out_dir {shown(str(folder))} is a file, not a folder; choose another name.") from None
    except OSError as exc:
        raise ValueError(f"cannot create the folder {shown(str(folder))}: {exc.strerror or exc}.") from exc
    written = []
    with course_style():
        for stem, (title, caption, view_path) in PICTURE_HANDOUTS.items():
            module_name, class_name = view_path.split(".")
            view = getattr(importlib.import_module(f"widgets.{module_name}"), class_name)()
            written.append(write_pdf(folder / f"{stem}.pdf", [picture_page(view.figure, title, caption)], title=title))
        written.append(questions_handout(folder / "questions.pdf"))
    return written


def main(argv: Sequence[str]) -> int:
    """``python -m widgets.handouts [folder]``: write the handouts, or say in one line why not (exit status 1)."""
    try:
        written = course_handouts(argv[0] if argv else "handouts")
    except (ValueError, TypeError) as exc:
        print(f"make handouts: {exc}", file=sys.stderr)
        return 1
    for path in written:
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
