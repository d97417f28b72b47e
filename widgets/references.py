"""One bibliography for the whole course, and the References section each notebook ends with.

Notebooks cite in their markdown by label, e.g. ``[Gladman 2002]``; the References cell calls
:func:`show_references` with the keys it cites. ``tests/test_citations.py`` checks that every
label in a notebook's text is in this bibliography and in that notebook's References list.

The entries themselves are data: ``widgets/content/bibliography.yaml`` (see CONTRIBUTING.md, "Add a
reference"); this module renders them.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from . import content_loader
from .validate import require_choice, require_keys

__all__ = ["Reference", "BIBLIOGRAPHY", "cite", "references_markdown", "show_references"]


@dataclass(frozen=True)
class Reference:
    """A published source. ``label`` is how the notebooks cite it, e.g. ``"Gladman 2002"``."""

    key: str
    label: str
    authors: str
    title: str
    journal: str
    year: int
    volume: str = ""
    pages: str = ""
    doi: str = ""
    url: str = ""
    pmid: str = ""
    kind: str = "article"  # article, congress abstract, press release, regulatory, registry, web page, book
    accessed: str = ""  # YYYY-MM-DD, for web pages that change

    def markdown(self) -> str:
        where = f"*{self.journal}*. {self.year}"
        if self.volume:
            where += f";{self.volume}"
        if self.pages:
            where += f":{self.pages}"
        text = f"**[{self.label}]** {_sentence(self.authors)} {_sentence(self.title)} {where}."
        if self.kind in ("congress abstract", "press release"):
            text += f" ({self.kind.capitalize()}, not a peer-reviewed paper.)"
        if self.doi:
            text += f" doi:[{self.doi}](https://doi.org/{self.doi})"
        elif self.pmid:
            text += f" PMID [{self.pmid}](https://pubmed.ncbi.nlm.nih.gov/{self.pmid}/)"
        elif self.url:
            text += f" <{self.url}>"
        if self.accessed:
            text += f" Accessed {self.accessed}."
        return text


def _sentence(text: str) -> str:
    """``text`` ending with one full stop: "Cervera R, et al" -> "Cervera R, et al."; "Why?" stays "Why?"."""
    text = text.strip()
    return text if text.endswith((".", "?", "!")) else text + "."


def _entries(*refs: Reference) -> dict[str, Reference]:
    out: dict[str, Reference] = {}
    labels: dict[str, str] = {}
    for ref in refs:
        if ref.key in out:
            raise ValueError(f"duplicate bibliography key {ref.key!r}")
        if ref.label in labels:
            raise ValueError(f"label {ref.label!r} of {ref.key!r} is already used by {labels[ref.label]!r}")
        out[ref.key] = ref
        labels[ref.label] = ref.key
    return out


# The entries live in widgets/content/bibliography.yaml (checked by widgets.content_loader).
BIBLIOGRAPHY: dict[str, Reference] = _entries(*(Reference(**entry) for entry in content_loader.bibliography()))


def cite(key: str) -> str:
    """Return the label to write in a notebook for ``key``, e.g. ``'[Gladman 2002]'``."""
    require_choice("reference key", key, sorted(BIBLIOGRAPHY))
    return f"[{BIBLIOGRAPHY[key].label}]"


def references_markdown(keys: Iterable[str]) -> str:
    """Return the References list for ``keys`` as markdown, sorted by label."""
    keys = require_keys("reference keys", keys, BIBLIOGRAPHY)
    if not keys:
        raise ValueError("references_markdown needs at least one key; got none.")
    refs = sorted({BIBLIOGRAPHY[k] for k in keys}, key=lambda r: r.label.lower())
    return "\n\n".join(r.markdown() for r in refs)


def show_references(keys: Iterable[str]):
    """Return the References list for ``keys`` as a displayable Markdown object."""
    from IPython.display import Markdown

    return Markdown(references_markdown(keys))
