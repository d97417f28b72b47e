"""The committed notebooks are in one canonical state and follow the course outline."""
import re

import nbformat
import pytest

from canonical_notebooks import notebooks, problems

NOTEBOOKS = notebooks()
LESSONS = notebooks(lessons_only=True)
OUTLINE = [
    r"^# ",  # title
    r"^## Learning objectives",
    r"^## Audience and time",
    r"^## Prerequisites",
    r"^## Self-check",
    r"^## Key points",
    r"^## What's next",
    r"^## References",
]


def _markdown(nb):
    return "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")


def test_there_are_notebooks():
    assert NOTEBOOKS, "no notebooks found in notebooks/"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_is_canonical(path):
    nb = nbformat.read(path, as_version=4)
    found = problems(nb)
    assert not found, f"{path.name}: {found}; run `make notebooks`"


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.name)
def test_notebook_follows_outline(path):
    text = _markdown(nbformat.read(path, as_version=4))
    positions = []
    for pattern in OUTLINE:
        m = re.search(pattern, text, re.M)
        assert m, f"{path.name}: outline heading {pattern!r} missing"
        positions.append(m.start())
    assert positions == sorted(positions), f"{path.name}: outline headings out of order"


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.name)
def test_one_imports_cell_and_no_definitions_in_notebooks(path):
    nb = nbformat.read(path, as_version=4)
    code = [c.source for c in nb.cells if c.cell_type == "code"]
    import_cells = [s for s in code if re.search(r"^\s*(import|from)\s", s, re.M)]
    assert len(import_cells) == 1, f"{path.name}: imports belong in one cell; found {len(import_cells)}"
    for src in code:
        assert not re.search(r"^\s*(def|class)\s", src, re.M), f"{path.name}: define functions in widgets/, not in cells"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_says_it_is_not_medical_advice(path):
    text = _markdown(nbformat.read(path, as_version=4)).lower()
    assert "not medical advice" in text, f"{path.name}: say plainly that the course is not medical advice"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_no_dollar_amount_that_voila_would_typeset_as_mathematics(path):
    """Voila hands markdown to MathJax after converting it, so even an escaped \\$ before a number opens a
    formula that swallows the text up to the next dollar sign: write amounts as "USD 475,000"."""
    for cell in nbformat.read(path, as_version=4).cells:
        if cell.cell_type == "markdown":
            prose = re.sub(r"`[^`]*`", "", cell.source)
            amounts = re.findall(r"\\?\$\s?\d[\d,.]*", prose)
            assert not amounts, f"{path.name}: write {amounts[0]!r} as 'USD ...' (Voila shows it as mathematics)"


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.name)
def test_lesson_ends_with_links_onward_and_to_the_course_map(path):
    text = _markdown(nbformat.read(path, as_version=4))
    whats_next = text[text.index("## What's next"):text.index("## References")]
    assert "](00_course_map.ipynb" in whats_next, f"{path.name}: What's next should link back to the course map"
    later = [p.name for p in LESSONS if p.name > path.name]
    if later:
        assert f"]({later[0]}" in whats_next, f"{path.name}: What's next should link to {later[0]}"
