"""Every citation in a notebook's text is in the bibliography and in that notebook's References."""
import ast
import re

import nbformat
import pytest

from canonical_notebooks import notebooks
from widgets.references import BIBLIOGRAPHY

NOTEBOOKS = notebooks(lessons_only=True)
BY_LABEL = {ref.label: key for key, ref in BIBLIOGRAPHY.items()}
# A citation is "[Surname YYYY]" (optionally "; " separated) not followed by "(" (that would be a link).
LABEL = r"(?:[A-Z]|van |de |von )[^\[\]\d]*? \d{4}[a-z]?"
CITATION = re.compile(rf"\[({LABEL}(?:; {LABEL})*)\](?!\()")


def cited_labels(nb) -> set[str]:
    labels = set()
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for group in CITATION.findall(cell.source):
                labels.update(part.strip() for part in group.split(";"))
    return labels


def listed_keys(nb) -> set[str]:
    for cell in nb.cells:
        if cell.cell_type == "code" and "show_references(" in cell.source:
            call = re.search(r"show_references\((\[.*?\])\)", cell.source, re.S)
            assert call, "show_references must be called with a literal list of keys"
            return set(ast.literal_eval(call.group(1)))
    return set()


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_citations_resolve_and_are_listed(path):
    nb = nbformat.read(path, as_version=4)
    cited = cited_labels(nb)
    listed = listed_keys(nb)
    assert cited, f"{path.name} cites nothing"
    assert listed, f"{path.name} has no show_references([...]) cell"
    unknown = sorted(cited - set(BY_LABEL))
    assert not unknown, f"{path.name} cites labels not in widgets/references.py: {unknown}"
    cited_keys = {BY_LABEL[label] for label in cited}
    assert cited_keys - listed == set(), f"{path.name}: cited but not in References: {sorted(cited_keys - listed)}"
    assert listed - cited_keys == set(), f"{path.name}: in References but never cited: {sorted(listed - cited_keys)}"


def test_citation_pattern_reads_labels_and_skips_links():
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell(
        "As shown [Tian 2023; van Vollenhoven 2021] and [Müller 2024]; not [a link 2020](http://x) nor [step 1].")])
    assert cited_labels(nb) == {"Tian 2023", "van Vollenhoven 2021", "Müller 2024"}
