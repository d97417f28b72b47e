"""The course glossary: each term with a plain-language definition.

``notebooks/glossary.ipynb`` shows one ``### Term`` heading per entry, in the order of
:data:`ENTRIES` (alphabetical). JupyterLab makes a heading's anchor from its text with spaces
turned into hyphens, so any notebook can link a term as ``[lymphodepletion](glossary.ipynb#Lymphodepletion)``;
:func:`link` writes such a link. ``tests/test_glossary.py`` keeps this module and the notebook in step.
The entries are data: ``widgets/content/glossary.yaml`` (see CONTRIBUTING.md, "Add a glossary term");
``make notebooks`` writes them into the glossary notebook. Nothing here imports ipywidgets or plots.
"""
from __future__ import annotations

import os
from dataclasses import dataclass

from . import content_loader
from .validate import shown

__all__ = ["Entry", "ENTRIES", "GLOSSARY", "REQUIRED_TERMS", "anchor", "link", "lookup", "term_markdown", "write_notebook", "slug"]


@dataclass(frozen=True)
class Entry:
    """One glossary term.

    Parameters
    ----------
    term : str
        The heading, as written in the glossary notebook.
    definition : str
        A plain-language definition, a few sentences at most.
    sources : tuple of str
        Bibliography keys (:mod:`widgets.references`) behind any number or formal definition.
    """

    term: str
    definition: str
    sources: tuple[str, ...] = ()


# The entries live in widgets/content/glossary.yaml (checked by widgets.content_loader).
ENTRIES: tuple[Entry, ...] = tuple(
    Entry(e["term"], e["definition"], tuple(e.get("sources", ()))) for e in content_loader.glossary()
)

GLOSSARY: dict[str, str] = {e.term: e.definition for e in ENTRIES}

# The terms the course promises to define (issue for notebook 05).
REQUIRED_TERMS = (
    "SLE", "Autoantibody", "Anti-dsDNA", "Complement", "B cell", "Plasma cell", "Plasmablast", "T cell", "CAR",
    "scFv", "Costimulatory domain", "CD19", "CD20", "BCMA", "Leukapheresis", "Transduction", "Lentiviral vector",
    "Lymphodepletion", "Fludarabine", "Cyclophosphamide", "CRS", "ICANS", "ICE score", "Tocilizumab",
    "DORIS remission", "LLDAS", "SLEDAI-2K", "Refractory", "Investigational", "Informed consent",
    "Hypogammaglobulinaemia", "Cytopenia", "Vein-to-vein time",
)


def lookup(term: str) -> Entry:
    """Return the entry for ``term`` (case-insensitive)."""
    if not isinstance(term, str):
        raise TypeError(f"term must be a string; got {shown(term)}.")
    for entry in ENTRIES:
        if entry.term.lower() == term.strip().lower():
            return entry
    terms = ", ".join(e.term for e in ENTRIES[:12])
    raise ValueError(f"{shown(term)} is not in the glossary; accepted: {terms}, ... "
                     f"({len(ENTRIES)} in all, listed in widgets.glossary.ENTRIES).")


def slug(heading: str) -> str:
    """The anchor of a heading: its text with spaces as hyphens, case kept.

    JupyterLab and Voila make heading anchors this way; the static site (``book/_config.yml``,
    ``myst_heading_slug_func``) uses this function, so one link works in all three.
    """
    if not isinstance(heading, str):
        raise TypeError(f"heading must be a string; got {heading!r}.")
    return content_loader.term_anchor(heading.strip())


def anchor(term: str) -> str:
    """The anchor JupyterLab gives the heading ``### term``: the text with spaces as hyphens."""
    return content_loader.term_anchor(lookup(term).term)


def link(term: str, text: str | None = None) -> str:
    """A markdown link from a notebook in ``notebooks/`` to ``term`` in the glossary.

    Examples
    --------
    >>> link("Lymphodepletion", "lymphodepletion")
    '[lymphodepletion](glossary.ipynb#Lymphodepletion)'
    """
    if text is not None and (not isinstance(text, str) or not text.strip()):
        raise ValueError(f"text must be a non-empty string or None; got {shown(text)}.")
    return f"[{text or lookup(term).term}](glossary.ipynb#{anchor(term)})"


def term_markdown(entry: Entry) -> str:
    """The glossary notebook's cell for ``entry``: a ``### term`` heading, the definition and its citations."""
    from .references import BIBLIOGRAPHY

    if not isinstance(entry, Entry):
        raise TypeError(f"entry must be a glossary Entry (see widgets.glossary.ENTRIES); got {shown(entry)}.")
    cites = " ".join(f"[{BIBLIOGRAPHY[key].label}]" for key in entry.sources)
    return f"### {entry.term}\n\n{entry.definition}" + (f" {cites}" if cites else "")


def write_notebook(path) -> bool:
    """Rewrite the term cells and the References list of the glossary notebook at ``path`` from the data.

    The cells between the ``## Terms, A to Z`` heading and ``## References`` are replaced by one cell per
    entry (:func:`term_markdown`); the References cell lists exactly the sources the entries cite. Other
    cells (the introduction) are left as written. Returns True when the file changed. ``make notebooks``
    calls it, so an edit to ``widgets/content/glossary.yaml`` reaches the notebook.
    """
    import nbformat

    if not isinstance(path, (str, os.PathLike)) or isinstance(path, bytes):
        raise TypeError(f"path must be the glossary notebook's file name; got {shown(path)}.")
    try:
        nb = nbformat.read(path, as_version=4)
    except (OSError, UnicodeDecodeError, ValueError, nbformat.reader.NotJSONError) as exc:
        raise ValueError(f"path {shown(str(path))} cannot be read as a notebook ({type(exc).__name__}); accepted: "
                         "the glossary notebook, notebooks/glossary.ipynb.") from None
    heads = [i for i, c in enumerate(nb.cells) if c.cell_type == "markdown" and c.source.strip() in
             ("## Terms, A to Z", "## References")]
    if len(heads) != 2:
        raise ValueError(f"{path} needs a '## Terms, A to Z' and a '## References' heading; found {len(heads)}.")
    start, end = heads
    old = [c.source for c in nb.cells[start + 1:end]]
    new = [term_markdown(e) for e in ENTRIES]
    keys = sorted({k for e in ENTRIES for k in e.sources})
    call = "show_references([\n" + "".join(f'    "{k}",\n' for k in keys) + "])"
    refs = next(i for i, c in enumerate(nb.cells) if c.cell_type == "code" and "show_references(" in c.source)
    if old == new and nb.cells[refs].source == call:
        return False
    kept = {c.source: c for c in nb.cells[start + 1:end]}
    cells = [kept.get(text) or nbformat.v4.new_markdown_cell(text) for text in new]
    nb.cells[refs].source = call
    nb.cells = nb.cells[:start + 1] + cells + nb.cells[end:]
    nbformat.validate(nb)
    nbformat.write(nb, path)
    return True
