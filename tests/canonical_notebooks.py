"""Put notebooks in the course's canonical committed state, or report how they differ from it.

The canonical state: no outputs and no execution counts, except on cells marked
``# NBVAL_CHECK_OUTPUT``, which keep the text they print (the result nbval compares) and
their execution count (nbval refuses stored outputs on a cell that was never run);
no saved widget state; no per-user metadata. Small diffs, nothing stale, and Binder
learners start from a clean page.

Usage::

    python tests/canonical_notebooks.py notebooks/*.ipynb   # executes and rewrites in place
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

import nbformat

CHECK_MARK = "# NBVAL_CHECK_OUTPUT"
NOTEBOOK_DIR = Path(__file__).resolve().parent.parent / "notebooks"
# Pages that are not lessons (no outline, self-check or references): still canonical, still "not medical advice".
NOT_LESSONS = {"00_course_map.ipynb", "glossary.ipynb"}


def notebooks(lessons_only: bool = False) -> list[Path]:
    """The course's notebooks, sorted; only the lessons when ``lessons_only``."""
    found = sorted(NOTEBOOK_DIR.glob("*.ipynb"))
    return [p for p in found if not (lessons_only and p.name in NOT_LESSONS)]
KEEP_NOTEBOOK_METADATA = {"kernelspec", "language_info", "title"}


def page_title(nb) -> str:
    """The page title Voila and static HTML show for ``nb``: its ``# `` heading, without markup."""
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            m = re.search(r"^# (.+)$", cell.source, re.M)
            if m:
                return re.sub(r"[*_`]", "", m.group(1)).strip()
    return ""
KEEP_CELL_METADATA = {"tags"}


def is_checked(cell) -> bool:
    return cell.cell_type == "code" and CHECK_MARK in cell.source


def text_outputs(outputs):
    """Only the printed text of a cell: stdout streams and text/plain results."""
    kept = []
    for out in outputs:
        if out.output_type == "stream" and out.name == "stdout":
            kept.append(nbformat.v4.new_output("stream", name="stdout", text=out.text))
        elif out.output_type == "execute_result" and "text/plain" in out.data:
            kept.append(nbformat.v4.new_output("execute_result", data={"text/plain": out.data["text/plain"]}))
    return kept


def problems(nb) -> list[str]:
    """Every way ``nb`` differs from the canonical state (empty when canonical)."""
    found = []
    if "widgets" in nb.metadata:
        found.append("notebook metadata holds saved widget state")
    if nb.metadata.get("title") != page_title(nb):
        found.append(f"notebook metadata 'title' should be the page title {page_title(nb)!r} (a page's title in the "
                     "browser and for screen readers)")
    extra = set(nb.metadata) - KEEP_NOTEBOOK_METADATA
    if extra:
        found.append(f"notebook metadata has extra keys {sorted(extra)}")
    for i, cell in enumerate(nb.cells):
        extra = set(cell.get("metadata", {})) - KEEP_CELL_METADATA
        if extra:
            found.append(f"cell {i} metadata has extra keys {sorted(extra)}")
        if cell.cell_type != "code":
            continue
        if is_checked(cell):
            if cell.execution_count is None:
                found.append(f"cell {i} is marked {CHECK_MARK} but has no execution count")
            if not cell.outputs:
                found.append(f"cell {i} is marked {CHECK_MARK} but stores no output to compare")
            elif text_outputs(cell.outputs) != cell.outputs:
                found.append(f"cell {i} stores non-text output")
        else:
            if cell.outputs:
                found.append(f"cell {i} stores outputs (only {CHECK_MARK} cells may)")
            if cell.execution_count is not None:
                found.append(f"cell {i} has an execution count (only {CHECK_MARK} cells may)")
    return found


def canonicalise(path: Path, timeout_s: int = 300) -> None:
    """Execute ``path`` in a fresh kernel and rewrite it in the canonical state."""
    from nbclient import NotebookClient

    if path.name == "glossary.ipynb":  # its term cells are written from widgets/content/glossary.yaml
        from widgets.glossary import write_notebook

        write_notebook(path)
    nb = nbformat.read(path, as_version=4)
    NotebookClient(nb, timeout=timeout_s, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}).execute()
    nb.metadata = {k: v for k, v in nb.metadata.items() if k in KEEP_NOTEBOOK_METADATA}
    nb.metadata["title"] = page_title(nb)
    for cell in nb.cells:
        cell.metadata = {k: v for k, v in cell.get("metadata", {}).items() if k in KEEP_CELL_METADATA}
        if cell.cell_type == "code" and not is_checked(cell):
            cell.execution_count = None
            cell.outputs = []
        elif cell.cell_type == "code":
            cell.outputs = text_outputs(cell.outputs)
            for out in cell.outputs:
                if out.output_type == "execute_result":
                    out.execution_count = cell.execution_count
    nbformat.validate(nb)
    nbformat.write(nb, path)


if __name__ == "__main__":
    for name in sys.argv[1:]:
        canonicalise(Path(name))
        print(f"canonical: {name}")
