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
    "LESSON_HANDOUTS",
    "lesson_key_points",
    "lesson_title",
    "lesson_questions",
    "print_picture",
    "picture_handout_html",
    "lesson_handout_html",
    "questions_handout_html",
]
# Not in __all__ (so the fuzz walk does not start Chromium for every string it draws): course_handouts,
# print_html_pages and handout_pages; tests/test_handouts.py checks their refusals of bad input.

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
            # The whole page: the course style's tight bounding box (savefig.bbox) would crop A4 to its ink.
            pdf.savefig(page, bbox_inches=page.bbox_inches)


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
    write(decisions.NOT_MEDICAL_ADVICE, size=9.5, weight="bold", width=96, colour=PALETTE["text"], gap=0.01)
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
             fontsize=9, color=PALETTE["text"], va="bottom", ha="left")
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


# --- Take-home handouts, printed by Chromium: true A4, tagged, every picture with its text alternative -------
#
# The pages are written as HTML (real text, <img alt> for every picture) and printed by Debian's Chromium
# through Playwright, as book/pdf.py prints the course: Chromium writes a tagged PDF (a structure tree in
# which each picture is a Figure carrying its /Alt text). Nothing is fetched: the pictures are data: URIs.

A4_LANDSCAPE_INCHES = (A4_INCHES[1], A4_INCHES[0])
PAGE_MARGIN_MM = 15.0  # most printers cannot print the outer 4-5 mm of a sheet; 15 mm is safe on all
MIN_TEXT_PT = 9.0  # nothing on paper is smaller, picture text included
PRINT_DPI = 200
TEXT_COLOUR = PALETTE["text"]
DISCLAIMER_BACKGROUND = "#FFF4EC"  # a light tint behind black text (contrast above 19:1)
_CONTENT_LANDSCAPE_IN = ((297 - 2 * PAGE_MARGIN_MM) / 25.4, (210 - 2 * PAGE_MARGIN_MM) / 25.4)
_PICTURE_MAX_HEIGHT_IN = 4.6  # a lesson's page: room for a two-line title, the disclaimer and the caption
_PICTURE_HANDOUT_HEIGHT_IN = 5.2  # a picture handout: a one-line title
NOTEBOOKS_DIR = Path(__file__).resolve().parent.parent / "notebooks"

# file stem -> (title, plain-language caption, how to build the picture). Built lazily: the views import ipywidgets.
PICTURE_HANDOUTS: dict[str, tuple[str, str, str]] = {
    "journey": (
        "The CAR-T journey: from you to the laboratory and back",
        "The circle shows the eight steps. Blood is taken and the T cells are kept. In a laboratory they get a new "
        "gene, so that they can find B cells. They are grown and tested. You get a few days of chemotherapy. Then "
        "the cells go back in by drip, and the team watches you closely for weeks. Check-ups go on for years. All "
        "eight steps are written out on the next page.",
        "process_views.JourneyView",
    ),
    "timeline": (
        "The calendar: weeks of preparation, one day of infusion, a year of follow-up",
        "Most of the waiting happens before the drip, while the cells are made. "
        + process.after_infusion_rules_text("plain") + " B cells are gone from the blood for some months. That "
        "is how the treatment works.",
        "process_views.TimelineView",
    ),
    "car_anatomy": (
        "What a CAR is made of",
        "A CAR is a new grabber that is added to a T cell. The T cell is a white blood cell that fights germs. The "
        "CAR is built from parts, like a chain. A tip outside the cell grabs a target, such as CD19 on B cells. A "
        "stalk goes through the skin of the cell. Switches inside tell the T cell to attack and to grow.",
        "cart_views.CarAnatomyView",
    ),
    "b_cell_targets": (
        "Which B-lineage cells a CD19 CAR removes, and which remain",
        "B cells are white blood cells that make antibodies. CD19 is a marker on their outside. A CD19 CAR removes "
        "the cells that carry it, from young B cells to the short-lived cells that make antibodies. This lowers the "
        "antibodies that drive lupus. Some older cells in the bone marrow do not carry CD19. They stay, and they "
        "keep making many of the antibodies that protect you, for example after vaccines.",
        "cart_views.LineageView",
    ),
}

# One take-home page per lesson: notebook -> (how to build its key picture, the picture's plain caption).
# The title, the key points and the questions are read from the notebook and its plain self-check.
LESSON_HANDOUTS: dict[str, tuple[str, str]] = {
    "01_sle": (
        "sle_views.PathogenesisView(organ='kidney')",
        "How lupus can harm the kidneys, step by step. The immune system makes antibodies against the body's own "
        "material. They stick together in clumps that lodge in the kidney's filters. The filters get inflamed and "
        "leak protein and blood into the urine. You often feel nothing, so the urine is checked at every visit.",
    ),
    "01b_sle_care": (
        "clinical_views.DamageIndexView(case='fictional case C')",
        "Damage is harm that stays, like a scar. The bars show the damage score of an invented person, organ by "
        "organ, next to the most each organ can score. The score can only go up. Keeping lupus calm and steroid "
        "doses low helps keep it at zero.",
    ),
    "02_cart_principles": (
        "cart_views.recognition_figure()",
        "Left: a normal T cell can only see small bits of protein that another cell shows it. Right: a CAR T cell "
        "has a new grabber. It grips a whole protein on the outside of a B cell, such as CD19, and the T cell then "
        "removes the B cell.",
    ),
    "03_process": (
        "process_views.JourneyView(step=1)",
        "The eight steps of CAR-T, from you to the laboratory and back. Step 1 is shown in detail on the right. "
        "All eight steps are listed on the next page.",
    ),
    "04_evidence_and_safety": (
        "evidence_views.SafetyComparisonView(measure='crs_grade3plus')",
        "How often a severe fever reaction (grade 3 CRS or worse) was reported. The top bars are people with lupus. "
        "The lower bars are people treated for a blood cancer called lymphoma. In lupus it was rare. But the groups "
        "are small, so rare harms can still be missed.",
    ),
    "05_decisions": (
        "decisions_views.BalanceView()",
        "What matters to you. Each bar is one thing that may count in your choice. The top four are what you may "
        "gain. The lower bars are risks and burdens. Here every bar is set to 3. At home, mark how much each one "
        "matters to you, from 0 (not at all) to 5 (very much). Bring the page to your care team and talk it through.",
    ),
}


def _check_folder(out_dir: object) -> Path:
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
    return folder


def _notebook_path(notebook: object, notebooks_dir: object) -> Path:
    require_text("notebook", notebook, max_chars=100)
    if notebooks_dir is None:
        return NOTEBOOKS_DIR / f"{notebook}.ipynb"
    if not isinstance(notebooks_dir, (str, os.PathLike)) or isinstance(notebooks_dir, bytes):
        raise TypeError(f"notebooks_dir must be a folder name; got {shown(notebooks_dir)} "
                        f"({type(notebooks_dir).__name__}).")
    return Path(notebooks_dir) / f"{notebook}.ipynb"


def _is_file(path: Path) -> bool:
    try:
        return path.is_file()
    except (OSError, ValueError):  # a name too long for the file system, a NUL character
        return False


def lesson_key_points(notebook: str, notebooks_dir: str | os.PathLike | None = None) -> list[str]:
    """The plain-words key points of ``notebook`` (e.g. ``"01_sle"``), read from the notebook itself.

    They are the bullets of the **In plain words.** list under the notebook's ``## Key points``; markdown
    links keep their words. Raises ValueError if the notebook has none.
    """
    import nbformat

    path = _notebook_path(notebook, notebooks_dir)
    folder = path.parent
    if not _is_file(path):
        raise ValueError(f"notebook {shown(notebook)}: no file {shown(str(path))}; accepted: a lesson such as "
                         f"'01_sle' in {shown(str(folder))}.")
    cells = [c for c in nbformat.read(path, as_version=4).cells if c.cell_type == "markdown"]
    heading = next((i for i, c in enumerate(cells) if c.source.lstrip().startswith("## Key points")), None)
    for cell in cells[heading:heading + 3] if heading is not None else []:
        if "**In plain words.**" in cell.source:
            body = cell.source.split("**In plain words.**", 1)[1]
            points = [re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", line.strip()[2:]).strip()
                      for line in body.splitlines() if line.strip().startswith(("- ", "* "))]
            if points:
                return points
    raise ValueError(f"notebook {shown(notebook)} has no key points in plain words (an **In plain words.** list "
                     "under ## Key points); write them in the notebook first.")


def lesson_title(notebook: str, notebooks_dir: str | os.PathLike | None = None) -> str:
    """The title (first ``# `` heading) of ``notebook``."""
    import nbformat

    path = _notebook_path(notebook, notebooks_dir)
    if not _is_file(path):
        raise ValueError(f"notebook {shown(notebook)}: no file {shown(str(path))}; accepted: a lesson such as "
                         f"'01_sle' in {shown(str(path.parent))}.")
    for cell in nbformat.read(path, as_version=4).cells:
        if cell.cell_type == "markdown" and cell.source.startswith("# "):
            return cell.source.splitlines()[0][2:].strip()
    raise ValueError(f"notebook {shown(notebook)} has no title; accepted: a notebook whose first heading is a "
                     "line starting with '# '.")


def _build(expression: str):
    """Build a view from ``"module.Callable(arg=value)"`` (a literal from this file, not user input)."""
    import ast
    import importlib

    call = ast.parse(expression, mode="eval").body
    target = call.func if isinstance(call, ast.Call) else call
    module_name, name = ast.unparse(target).split(".")
    kwargs = {k.arg: ast.literal_eval(k.value) for k in call.keywords} if isinstance(call, ast.Call) else {}
    return getattr(importlib.import_module(f"widgets.{module_name}"), name)(**kwargs)


def _drawn_texts(fig: Figure) -> list:
    """The Text artists that a draw of ``fig`` really paints (hidden axes' tick labels are not painted)."""
    from matplotlib.text import Text

    drawn: list = []
    original = Text.draw

    def spy(self, renderer):
        if self.get_visible() and self.get_text().strip() and self not in drawn:
            drawn.append(self)
        return original(self, renderer)

    Text.draw = spy  # for one draw only: the renderer is not told which artist a multi-line text belongs to
    try:
        fig.canvas.draw()
    finally:
        Text.draw = original
    return drawn


def print_picture(fig: Figure, max_width_in: float, max_height_in: float, dpi: int = PRINT_DPI) -> dict:
    """Render ``fig`` for paper inside a box of ``max_width_in`` x ``max_height_in`` inches, no text below 9 pt.

    The picture is scaled to fit the box; text that would print smaller than :data:`MIN_TEXT_PT` is
    enlarged in ``fig`` first (a copy made for the handout), and a ValueError is raised if that would push
    a text off the canvas or onto a text it did not touch before. Returns ``png`` (bytes), ``width_in``
    and ``height_in`` (the printed size) and ``smallest_pt`` (the smallest text on paper).
    """
    _check_figure_arg(fig)
    require_number("max_width_in", max_width_in, minimum=1, maximum=20, unit="inches")
    require_number("max_height_in", max_height_in, minimum=1, maximum=20, unit="inches")
    require_number("dpi", dpi, minimum=72, maximum=400, unit="dots per inch")
    from .figure import figure_png

    width, height = fig.get_size_inches()
    scale = min(max_width_in / width, max_height_in / height)
    figure_png(fig, dpi=dpi)  # sets the print resolution, so the boxes below are the ones printed
    canvas = fig.bbox

    def boxes() -> list:
        renderer = fig.canvas.get_renderer()
        return [(t, t.get_text(), t.get_window_extent(renderer)) for t in _drawn_texts(fig)]

    def outside(box) -> bool:
        return box.x0 < canvas.x0 - 1 or box.x1 > canvas.x1 + 1 or box.y0 < canvas.y0 - 1 or box.y1 > canvas.y1 + 1

    def touching(found) -> set:
        return {(a[1], b[1]) for i, a in enumerate(found) for b in found[i + 1:] if a[2].overlaps(b[2])}

    before = boxes()
    needed = MIN_TEXT_PT / scale + 0.01
    if any(t.get_fontsize() < needed for t, _, _ in before):
        for ax in fig.axes:  # tick labels take their size from the axis, not from the Text
            for axis in (ax.xaxis, ax.yaxis):
                labels = [t for t in axis.get_ticklabels(which="both") if t.get_text().strip()]
                if labels and min(t.get_fontsize() for t in labels) < needed:
                    axis.set_tick_params(which="both", labelsize=needed)
        for t, _, _ in before:
            if t.get_fontsize() < needed:
                t.set_fontsize(needed)
    after = boxes()
    if any(outside(box) for _, _, box in after):
        fig.set_layout_engine("constrained")  # lay the axes out again around their (larger) labels
        after = boxes()
    for _, text, box in after:
        if outside(box):  # on paper nothing may be cut, whether it was cut on screen or not
            raise ValueError(f"the text {shown(text)} does not fit on the picture at {needed:.1f} pt or more; "
                             "give the picture more room on the page.")
    for first, second in touching(after) - touching(before):
        raise ValueError(f"enlarged to {needed:.1f} pt, {shown(first)} would print over {shown(second)}; "
                         "give the picture more room on the page.")
    texts = [t for t, _, _ in boxes()]
    png = figure_png(fig, dpi=dpi)
    smallest = min((t.get_fontsize() for t in texts), default=MIN_TEXT_PT) * scale
    return {"png": png, "width_in": width * scale, "height_in": height * scale, "smallest_pt": smallest}


def _check_figure_arg(fig: object) -> None:
    if not isinstance(fig, Figure):
        raise TypeError(f"fig must be a matplotlib Figure; got {shown(fig)} ({type(fig).__name__}).")


_CSS = f"""
@page {{ size: A4 landscape; margin: {PAGE_MARGIN_MM}mm; }}
@page portrait {{ size: A4 portrait; }}
html {{ -webkit-print-color-adjust: exact; print-color-adjust: exact; }}
body {{ margin: 0; font-family: "DejaVu Sans", sans-serif; font-size: 10.5pt; line-height: 1.3;
        color: {TEXT_COLOUR}; background: #ffffff; }}
h1 {{ font-size: 14pt; margin: 0 0 1.5mm 0; }}
h2 {{ font-size: 12.5pt; margin: 0 0 1.5mm 0; }}
p, li {{ margin: 0 0 1.2mm 0; }}
.course {{ font-size: 10pt; margin: 0 0 2mm 0; }}
.disclaimer {{ color: {TEXT_COLOUR}; background: {DISCLAIMER_BACKGROUND}; border-left: 2mm solid {PALETTE["highlight"]};
               padding: 1mm 3mm; font-weight: bold; font-size: 9.5pt; margin: 0 0 2mm 0; }}
.picture {{ margin: 0; break-inside: avoid; }}
.picture img {{ display: block; margin: 0 auto 2mm auto; }}
.caption {{ font-size: 10.5pt; }}
.sheet {{ break-before: page; }}
.columns {{ display: flex; gap: 10mm; }}
.columns > section {{ flex: 1 1 0; }}
ol.questions > li {{ margin-bottom: 2.5mm; break-inside: avoid; }}
ul.options {{ list-style: none; padding-left: 0; margin: 1mm 0 0 0; }}
ul.options li::before {{ content: "\\2610\\00a0\\00a0"; }}
.steps li {{ margin-bottom: 1.8mm; }}
.answers {{ margin-top: 3mm; }}
footer {{ font-size: 9pt; margin-top: 2mm; }}
"""


def _html_page(title: str, body: str) -> str:
    return (f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)}</title>'
            f"<style>{_CSS}</style></head><body>{body}</body></html>")


def _header(title: str) -> str:
    return (f"<header><h1>{html.escape(title)}</h1></header>"
            f'<p class="disclaimer" role="note">{html.escape(decisions.NOT_MEDICAL_ADVICE)}</p>')


_FOOTER = (f"<footer>{html.escape(decisions.COURSE_NAME)}. Not medical advice. No clinic or hospital is recommended."
           "</footer>")


def _figure_html(view, caption: str, max_height_in: float = _PICTURE_MAX_HEIGHT_IN) -> str:
    printed = print_picture(view.figure, _CONTENT_LANDSCAPE_IN[0], max_height_in)
    encoded = base64.b64encode(printed["png"]).decode("ascii")
    # A div, not <figure>: Chromium tags <figure> as a second Figure element without alternative text.
    return (f'<div class="picture"><img src="data:image/png;base64,{encoded}" alt="{html.escape(view.alt_text)}" '
            f'style="width:{printed["width_in"]:.3f}in;height:{printed["height_in"]:.3f}in">'
            f'<p class="caption">{html.escape(caption)}</p></div>')


def _journey_steps_html() -> str:
    steps = "".join(f"<li><strong>{html.escape(s.name)}.</strong> {html.escape(s.what)} "
                    f"<em>How long:</em> {html.escape(s.how_long)}</li>" for s in process.JOURNEY)
    return f'<h2>All {len(process.JOURNEY)} steps of the journey</h2><ol class="steps">{steps}</ol>'


def picture_handout_html(stem: str) -> str:
    """The HTML of the picture handout ``stem`` (a key of :data:`PICTURE_HANDOUTS`)."""
    require_text("stem", stem, max_chars=100)
    if stem not in PICTURE_HANDOUTS:
        raise ValueError(f"stem {shown(stem)} is not a picture handout; accepted: {', '.join(PICTURE_HANDOUTS)}.")
    title, caption, view_path = PICTURE_HANDOUTS[stem]
    body = _header(title) + _figure_html(_build(view_path), caption, _PICTURE_HANDOUT_HEIGHT_IN)
    if stem == "journey":
        body += f'<section class="sheet">{_journey_steps_html()}</section>'
    return _html_page(title, body + _FOOTER)


def lesson_questions(notebook: str) -> tuple:
    """The plain self-check of ``notebook`` (``questions/<notebook>_plain.yaml``), placeholders filled."""
    from . import evidence
    from .question import load_questions

    require_text("notebook", notebook, max_chars=100)
    return load_questions(f"{notebook}_plain", values={"studies": evidence.STUDIES})


def lesson_handout_html(notebook: str, notebooks_dir: str | os.PathLike | None = None) -> str:
    """The HTML of the take-home page of ``notebook`` (a key of :data:`LESSON_HANDOUTS`).

    Side one: the lesson's key picture with its plain caption (for notebook 03 the whole journey follows).
    Side two: the key points in plain words and the plain self-check, with the answers at the foot.
    """
    require_text("notebook", notebook, max_chars=100)
    if notebook not in LESSON_HANDOUTS:
        raise ValueError(f"notebook {shown(notebook)} has no take-home page; accepted: {', '.join(LESSON_HANDOUTS)}.")
    view_path, caption = LESSON_HANDOUTS[notebook]
    title = lesson_title(notebook, notebooks_dir)
    points = lesson_key_points(notebook, notebooks_dir)
    questions = lesson_questions(notebook)
    body = _header(f"Take-home page: {title}") + _figure_html(_build(view_path), caption)
    if notebook == "03_process":
        body += f'<section class="sheet">{_journey_steps_html()}</section>'
    items = "".join(f"<li>{html.escape(p)}</li>" for p in points)
    asked = "".join(
        f"<li>{html.escape(q.prompt)}<ul class=\"options\">"
        + "".join(f"<li>{html.escape(o)}</li>" for o in q.options) + "</ul></li>" for q in questions)
    answers = " ".join(f"{i}. {html.escape(q.options[q.correct])}" for i, q in enumerate(questions, start=1))
    body += (f'<section class="sheet columns"><section><h2>Key points</h2><ul>{items}</ul>'
             f'<p class="answers"><strong>Answers to the questions:</strong> {answers}</p></section>'
             f'<section><h2>Check yourself: tick one answer</h2><ol class="questions">{asked}</ol></section></section>')
    return _html_page(f"{title}: take-home page", body + _FOOTER)


def questions_handout_html() -> str:
    """The HTML of the one-page A4 (portrait) questions handout."""
    points = "".join(f"<li>{html.escape(p)}</li>" for p in decisions.CONSENT_POINTS)
    parts, last = [], None
    for i, (topic, question) in enumerate(decisions.QUESTIONS_TO_ASK, start=1):
        if topic != last:
            parts.append(f"</ol><h3>{html.escape(topic)}</h3><ol class=\"ask\" start=\"{i}\">")
            last = topic
        parts.append(f"<li>{html.escape(question)}</li>")
    asked = ("<ol class=\"ask\">" + "".join(parts) + "</ol>").replace("<ol class=\"ask\"></ol>", "", 1)
    style = ("<style>@page { size: A4 portrait; } body { font-size: 9.5pt; line-height: 1.2; } "
             "h1 { font-size: 14pt; } h2 { font-size: 11pt; margin: 2mm 0 1mm 0; } "
             "h3 { font-size: 9.5pt; margin: 1mm 0 0 0; } ol.ask li::marker { content: '\\2610  ' counter(list-item) '. '; }"
             " ol.ask, ul { margin: 0; padding-left: 12mm; } li { margin-bottom: 0.4mm; } "
             ".lines div { border-bottom: 0.5pt solid #000; height: 8mm; }</style>")
    body = (style + _header("Questions to ask your care team about CAR-T cell therapy for lupus")
            + f"<h2>Good to know before you decide</h2><ul>{points}</ul>"
            + "<h2>Questions to ask (tick them off, write the answers on the back)</h2>" + asked
            + '<h2>Write down your own questions:</h2><div class="lines"><div></div><div></div></div>')
    return _html_page("Questions to ask your care team", body + _FOOTER)


def print_html_pages(pages: dict[str, str], out_dir: str | os.PathLike) -> list[Path]:
    """Print each HTML page of ``pages`` (file stem -> HTML) to ``out_dir/<stem>.pdf`` with Debian's Chromium.

    The PDFs are A4 (the pages' own ``@page`` size), tagged (a structure tree whose pictures carry their
    alternative text), and written atomically. Requests for anything but data: URIs are refused.
    Raises ValueError when Chromium or Playwright is missing.
    """
    import shutil

    folder = _check_folder(out_dir)
    if not isinstance(pages, dict) or not pages:
        raise TypeError(f"pages must be a non-empty dict of file stem -> HTML; got {shown(pages)}.")
    for stem, page in pages.items():
        require_text("stem", stem, max_chars=100)
        require_text("page", page, max_chars=50_000_000)
        if not re.fullmatch(r"[A-Za-z0-9_.-]+", stem):
            raise ValueError(f"stem {shown(stem)} must be a plain file name (letters, digits, - _ .).")
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        raise ValueError("printing the handouts needs Chromium: on Debian/Ubuntu `apt-get install chromium` "
                         "(never `playwright install`).")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        raise ValueError("printing the handouts needs Playwright: `pip install -e '.[test]'`.") from None
    # Playwright's sync API refuses to run where an asyncio loop is running (a notebook's kernel, some test
    # runners): print from a thread of our own, which has none.
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(_print_with_chromium, sync_playwright, chromium, pages, folder).result()


def _print_with_chromium(sync_playwright, chromium: str, pages: dict[str, str], folder: Path) -> list[Path]:
    args = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync"]
    written, outside = [], []
    with tempfile.TemporaryDirectory() as home, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=args,
                                    env={"HOME": home, "XDG_CONFIG_HOME": home, "XDG_CACHE_HOME": home})
        try:
            page = browser.new_page()

            def guard(route):
                if route.request.url.startswith(("data:", "about:")):
                    route.continue_()
                else:
                    outside.append(route.request.url)
                    route.abort()

            page.route("**/*", guard)
            page.emulate_media(media="print")
            for stem, source in pages.items():
                page.set_content(source, wait_until="load")
                data = page.pdf(prefer_css_page_size=True, print_background=True, tagged=True, outline=False,
                                margin={side: f"{PAGE_MARGIN_MM}mm" for side in ("top", "bottom", "left", "right")})
                target = folder / f"{stem}.pdf"
                _write_bytes_atomically(target, data)
                written.append(target)
        finally:
            browser.close()
    if outside:
        raise ValueError(f"a handout asked for files outside the machine: {outside[:3]}")
    return written


def _write_bytes_atomically(target: Path, data: bytes) -> None:
    handle, temporary = tempfile.mkstemp(prefix=f".{target.stem[:40]}-", suffix=".pdf.part", dir=target.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.chmod(temporary, 0o644)
        os.replace(temporary, target)
    except BaseException:
        _remove_quietly(temporary)
        raise


def handout_pages(notebooks_dir: str | os.PathLike | None = None) -> dict[str, str]:
    """Every handout as HTML: file stem -> page. Lessons are ``take-home-<notebook>``."""
    from .style import course_style

    with course_style():
        pages = {stem: picture_handout_html(stem) for stem in PICTURE_HANDOUTS}
        pages.update({f"take-home-{nb}": lesson_handout_html(nb, notebooks_dir) for nb in LESSON_HANDOUTS})
    pages["questions"] = questions_handout_html()
    return pages


def course_handouts(out_dir: str | os.PathLike) -> list[Path]:
    """Write the course's printable handouts into ``out_dir`` and return the files written.

    A take-home page per lesson (``take-home-01_sle.pdf``...), one PDF per key picture
    (:data:`PICTURE_HANDOUTS`) and ``questions.pdf``: A4, tagged, printed by Chromium.
    """
    folder = _check_folder(out_dir)
    return print_html_pages(handout_pages(), folder)


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
