"""Two editions from one source: the full course, and a patient edition built from the same notebooks.

Every cell of a lesson carries an audience tag in its metadata:

* ``audience-all``: in both editions (titles, objectives, the plain-words paragraphs' section headings,
  figures a patient can use, the questions to ask, references);
* ``audience-clinician``: only in the full edition (the "For clinicians" depth, calculators, equations,
  tables of trial criteria, the clinician self-check and key points);
* ``audience-patient``: only in the patient edition (its self-check, its key points in plain words).

``python -m widgets.editions tag notebooks/*.ipynb`` proposes tags for cells that have none, by the
course's own conventions (a section opens with an **In plain words.** paragraph; depth opens with
**For clinicians**), and splits a markdown cell where plain words and clinician depth share it. A
writer then reviews the tags like any other edit. ``python -m widgets.editions build notebooks
notebooks/patient`` writes the patient edition (``make patient-edition``; ``make workshop`` serves it).

Nothing here imports ipywidgets or plots.
"""
from __future__ import annotations

import copy
import re
import statistics
from collections.abc import Iterable, Mapping
from pathlib import Path

from .validate import require_items, require_path, require_text, shown

__all__ = [
    "AUDIENCES",
    "PATIENT_EDITION_DIR",
    "audience",
    "split_mixed_cells",
    "tag_notebook",
    "patient_notebook",
    "build_patient_edition",
    "plain_paragraphs",
    "reading_grade",
    "readability_report",
]

AUDIENCES = ("audience-all", "audience-clinician", "audience-patient")
PATIENT_EDITION_DIR = "patient"
EDITION_NOTE = ("> **Patient edition.** This page is part of the plain-language edition of the course. The full "
                "edition for clinicians, with the clinical calculators, equations and trial details, is here: "
                "[{name}](../{name}).")

PLAIN = re.compile(r"^\*\*In plain words[.:*]", re.M)
CLINICIAN = re.compile(r"^\*\*For clinicians", re.M)
# Sections every reader needs, whatever the edition.
SHARED_HEADINGS = ("# ", "## Learning objectives", "## Audience and time", "## Prerequisites", "## Self-check",
                   "## What's next", "## References", "**Go on:**")
# Code cells a patient can use: the figures, the checklist, the balance, the cost explorer, the questions.
CLINICIAN_CODE = re.compile(r"clinical_views\.|NBVAL_CHECK_OUTPUT|_table\(|StudyTable\(|\.SELF_CHECK\b|self_check\(\)")
PATIENT_OK_CHECKED_CODE = re.compile(r"questions_text\(\)")


def _check_cell(cell: object) -> None:
    if not isinstance(cell, Mapping):
        raise TypeError(f"cell must be a notebook cell (a mapping with 'cell_type' and 'source'); got {shown(cell)}.")


def _check_notebook(nb: object) -> None:
    import nbformat

    if not isinstance(nb, nbformat.NotebookNode) or not isinstance(nb.get("cells"), list):
        raise TypeError(f"nb must be a notebook read with nbformat.read; got {shown(nb)} ({type(nb).__name__}).")
    for cell in nb.cells:
        _check_cell(cell)


def _read_notebook(path: Path):
    import nbformat

    try:
        return nbformat.read(path, as_version=4)
    except (OSError, UnicodeDecodeError, ValueError) as exc:  # NotJSONError is a ValueError
        raise ValueError(f"{shown(str(path))} cannot be read as a notebook ({type(exc).__name__}); accepted: a "
                         ".ipynb file.") from None


def audience(cell) -> str:
    """The audience of ``cell``: its ``audience-*`` tag, or the one the course's conventions give it."""
    _check_cell(cell)
    tags = [t for t in cell.get("metadata", {}).get("tags", []) if t in AUDIENCES]
    if len(tags) > 1:
        raise ValueError(f"a cell has more than one audience tag {tags}; keep one of {', '.join(AUDIENCES)}.")
    if tags:
        return tags[0]
    source = cell.get("source", "")
    source = "".join(source) if isinstance(source, list) else source
    if cell.get("cell_type") == "code":
        if re.search(r"^\s*(import|from)\s", source, re.M) or "show_references(" in source:
            return "audience-all"
        if PATIENT_OK_CHECKED_CODE.search(source):
            return "audience-all"
        return "audience-clinician" if CLINICIAN_CODE.search(source) else "audience-all"
    text = source.lstrip()
    if PLAIN.search(text) and not CLINICIAN.search(text):
        return "audience-all"
    if text.startswith(SHARED_HEADINGS) and not CLINICIAN.search(text):
        return "audience-all"
    return "audience-clinician"


def _paragraphs(text: str) -> list[str]:
    return [p for p in re.split(r"\n\s*\n", text.strip()) if p.strip()]


def split_mixed_cells(nb) -> int:
    """Split each untagged markdown cell where an **In plain words** part is followed by **For clinicians** depth.

    The plain part (with the section heading) stays in the cell; the depth moves to a new cell after it.
    Returns how many cells were split.
    """
    import nbformat

    _check_notebook(nb)
    out, split = [], 0
    for cell in nb.cells:
        tagged = any(t in AUDIENCES for t in cell.get("metadata", {}).get("tags", []))
        paras = _paragraphs(cell.source) if cell.cell_type == "markdown" else []
        first_depth = next((i for i, p in enumerate(paras) if CLINICIAN.match(p.lstrip())), None)
        if tagged or first_depth is None or first_depth == 0 or not any(PLAIN.match(p) for p in paras[:first_depth]):
            out.append(cell)
            continue
        cell.source = "\n\n".join(paras[:first_depth])
        out += [cell, nbformat.v4.new_markdown_cell("\n\n".join(paras[first_depth:]))]
        split += 1
    nb.cells = out
    return split


def tag_notebook(path: str | Path) -> tuple[int, int]:
    """Split mixed cells and write the proposed audience tag on every untagged cell of the notebook at ``path``.

    Returns ``(cells split, cells tagged)``. Cells already tagged are left as the writer set them.
    """
    import nbformat

    nb = _read_notebook(require_path("path", path))
    split = split_mixed_cells(nb)
    tagged = 0
    for cell in nb.cells:
        tags = cell.metadata.setdefault("tags", [])
        if not any(t in AUDIENCES for t in tags):
            tags.append(audience(cell))
            tagged += 1
    nbformat.validate(nb)
    nbformat.write(nb, path)
    return split, tagged


def patient_notebook(nb, name: str):
    """A copy of the lesson ``nb`` (file ``name``) holding only the cells for patients, with a note on the edition."""
    import nbformat

    _check_notebook(nb)
    require_text("name", name, max_chars=255)
    out = copy.deepcopy(nb)
    split_mixed_cells(out)
    out.cells = [c for c in out.cells if audience(c) in ("audience-all", "audience-patient")]
    _add_edition_note(out, name)
    return out


def _add_edition_note(nb, name: str) -> None:
    import nbformat

    title = next((i for i, c in enumerate(nb.cells) if c.cell_type == "markdown" and c.source.startswith("# ")), None)
    if title is not None:
        note = nbformat.v4.new_markdown_cell(EDITION_NOTE.format(name=name))
        note.metadata["tags"] = ["audience-patient"]
        nb.cells.insert(title + 1, note)
    if "title" in nb.metadata:
        nb.metadata["title"] = f"{nb.metadata['title']} (patient edition)"


def build_patient_edition(source: str | Path, target: str | Path, notebooks: Iterable[str] | None = None) -> list[Path]:
    """Write the patient edition of every notebook in ``source`` (or the names in ``notebooks``) to ``target``.

    Lessons are filtered by audience; the course map and the glossary are copied whole, so the relative
    links between pages work inside the edition as they do in the full course. Returns the files written.
    """
    import nbformat

    source, target = require_path("source", source), require_path("target", target)
    try:
        return _build_patient_edition(source, target, notebooks)
    except OSError as exc:
        raise ValueError(f"the patient edition could not be written from {shown(str(source))} to "
                         f"{shown(str(target))}: {exc.strerror or exc}; accepted: a folder of notebooks and a "
                         "folder the course may write in.") from None


def _build_patient_edition(source: Path, target: Path, notebooks: Iterable[str] | None) -> list[Path]:
    import nbformat

    if not source.is_dir():
        raise ValueError(f"source {shown(str(source))} is not a folder of notebooks.")
    if target.resolve() == source.resolve():
        raise ValueError("target must be another folder than source, or the full edition would be overwritten.")
    if notebooks is None:
        names = sorted(p.name for p in source.glob("*.ipynb"))
    else:
        names = require_items("notebooks", notebooks, max_items=500, what="notebook names")
        for n in names:
            if not isinstance(n, str) or not n.endswith(".ipynb") or "/" in n or "\x00" in n:
                raise ValueError(f"notebooks must hold notebook file names such as '01_sle.ipynb'; got {shown(n)}.")
    target.mkdir(parents=True, exist_ok=True)
    written = []
    for name in names:
        nb = _read_notebook(source / name)
        if not re.match(r"\d\d[a-z]?_", name) or name.startswith("00_"):  # lessons: 01_..., 01b_...
            # The course map and the glossary: whole, with links pointing inside the edition.
            out = copy.deepcopy(nb)
            for cell in out.cells:
                if cell.cell_type == "markdown":
                    cell.source = cell.source.replace(f"]({PATIENT_EDITION_DIR}/", "](")
                    # A link titled "full edition" leads out of the edition to the full page.
                    cell.source = re.sub(r'\]\(([^)\s]+\.ipynb) "full edition"\)', r'](../\1 "full edition")', cell.source)
            _add_edition_note(out, name)
        else:
            out = patient_notebook(nb, name)
            for cell in out.cells:  # the printed handouts stay in notebooks/handouts/, one folder up
                if cell.cell_type == "markdown":
                    cell.source = cell.source.replace("](handouts/", "](../handouts/")
        nbformat.validate(out)
        path = target / name
        tmp = path.with_suffix(".ipynb.tmp")
        nbformat.write(out, tmp)
        tmp.replace(path)
        written.append(path)
    return written


# --- Readability -----------------------------------------------------------------------------------------

def plain_paragraphs(nb) -> list[str]:
    """The plain-words text a patient reads in ``nb``: each **In plain words** paragraph and each key point.

    Markdown links keep their text, glossary anchors and citations in brackets are dropped, so the grade
    measures the words read.
    """
    _check_notebook(nb)
    out = []
    for cell in nb.cells:
        if cell.cell_type != "markdown" or audience(cell) == "audience-clinician":
            continue
        paras = _paragraphs(cell.source)
        for para in paras:
            if PLAIN.match(para):
                out.append(_words_only(para))
        if any(PLAIN.match(p) for p in paras):  # a plain list, such as the key points in plain words
            out += [_words_only(line) for line in cell.source.splitlines() if line.lstrip().startswith(("- ", "* "))]
    return [p for p in out if p]


def _words_only(text: str) -> str:
    text = re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", text)  # links keep their words
    text = re.sub(r"\[[^\]]*\d{4}[^\]]*\]", "", text)  # [Author 2024] citations
    text = re.sub(r"^\*\*In plain words[^*]*\*\*\s*", "", text.strip())
    text = re.sub(r"^[-*]\s+", "", text)
    return re.sub(r"[*_`>#]", "", text).strip()


def reading_grade(text: str) -> float:
    """Flesch-Kincaid grade level of ``text`` (textstat, syllables by the Pyphen dictionaries; no download)."""
    import textstat

    if not isinstance(text, str) or not text.strip():
        raise ValueError(f"text must be non-empty prose; got {shown(text)}.")
    return float(textstat.flesch_kincaid_grade(text))


def readability_report(nb) -> dict:
    """The grade of every plain paragraph of ``nb`` and their median: ``{"grades": [(grade, text)], "median": g}``."""
    grades = [(reading_grade(p), p) for p in plain_paragraphs(nb)]
    return {"grades": grades, "median": statistics.median(g for g, _ in grades) if grades else None}


def main(argv: list[str] | None = None) -> int:
    """``python -m widgets.editions tag FILES...`` or ``python -m widgets.editions build SOURCE TARGET``."""
    import sys

    args = sys.argv[1:] if argv is None else argv
    if len(args) >= 2 and args[0] == "tag":
        for name in args[1:]:
            split, tagged = tag_notebook(name)
            print(f"{name}: {split} cell(s) split, {tagged} cell(s) tagged")
        return 0
    if len(args) == 3 and args[0] == "build":
        written = build_patient_edition(args[1], args[2])
        print(f"patient edition: {len(written)} notebooks in {args[2]}")
        return 0
    print("usage: python -m widgets.editions tag NOTEBOOK... | build SOURCE_DIR TARGET_DIR", file=sys.stderr)
    return 2


if __name__ == "__main__":
    raise SystemExit(main())
