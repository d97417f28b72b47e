"""The course glossary: widgets/glossary.py and notebooks/glossary.ipynb hold the same terms, and links to it resolve."""
import re
from pathlib import Path

import nbformat
import pytest

from widgets import glossary
from widgets.references import BIBLIOGRAPHY

NOTEBOOK_DIR = Path(__file__).resolve().parent.parent / "notebooks"
GLOSSARY_NB = NOTEBOOK_DIR / "glossary.ipynb"
LINK = re.compile(r"\]\(glossary\.ipynb#([^)\s]+)\)")


def _markdown(path):
    nb = nbformat.read(path, as_version=4)
    return [c.source for c in nb.cells if c.cell_type == "markdown"]


def _headings():
    return [m for src in _markdown(GLOSSARY_NB) for m in re.findall(r"^### (.+?)\s*$", src, re.M)]


# --- the module ------------------------------------------------------------------------------------

def test_every_required_term_is_defined():
    missing = [t for t in glossary.REQUIRED_TERMS if t not in glossary.GLOSSARY]
    assert not missing, f"glossary lacks {missing}"


def test_entries_are_alphabetical_unique_and_complete_sentences():
    terms = [e.term for e in glossary.ENTRIES]
    assert terms == sorted(terms, key=str.lower)
    assert len({t.lower() for t in terms}) == len(terms)
    assert len({glossary.anchor(t) for t in terms}) == len(terms)
    for e in glossary.ENTRIES:
        assert e.definition.strip().endswith("."), e.term
        assert 20 < len(e.definition) < 400, e.term
        assert set(e.sources) <= set(BIBLIOGRAPHY), e.term


def test_anchor_and_link_follow_jupyterlab_heading_ids():
    assert glossary.anchor("CAR T cell") == "CAR-T-cell"
    assert glossary.anchor("lymphodepletion") == "Lymphodepletion"  # case-insensitive lookup, heading's case
    assert glossary.link("Lymphodepletion", "lymphodepletion") == "[lymphodepletion](glossary.ipynb#Lymphodepletion)"
    assert glossary.link("ICE score") == "[ICE score](glossary.ipynb#ICE-score)"


def test_unknown_terms_are_refused_with_the_list():
    with pytest.raises(ValueError, match="accepted: .*Anti-dsDNA"):
        glossary.lookup("Cytokine storm")
    with pytest.raises(TypeError):
        glossary.lookup(None)
    with pytest.raises(ValueError):
        glossary.link("CRS", "  ")


# --- the notebook is in step with the module -----------------------------------------------------------

def test_notebook_headings_are_the_glossary_terms_in_order():
    assert _headings() == [e.term for e in glossary.ENTRIES]


def test_notebook_definitions_match_the_module_and_cite_their_sources():
    cells = {re.match(r"### (.+)", src).group(1).strip(): src for src in _markdown(GLOSSARY_NB) if src.startswith("### ")}
    for e in glossary.ENTRIES:
        assert e.definition in cells[e.term], f"{e.term}: notebook text differs from widgets/glossary.py"
        for key in e.sources:
            assert BIBLIOGRAPHY[key].label in cells[e.term], f"{e.term} should cite {key}"


def test_notebook_lists_exactly_the_sources_it_cites():
    nb = nbformat.read(GLOSSARY_NB, as_version=4)
    call = next(c.source for c in nb.cells if c.cell_type == "code" and "show_references(" in c.source)
    listed = set(re.findall(r'"([^"]+)"', call))
    assert listed == {k for e in glossary.ENTRIES for k in e.sources}
    assert "not medical advice" in "\n".join(_markdown(GLOSSARY_NB)).lower()


# --- every link into the glossary, from any notebook, lands on a heading ---------------------------------

@pytest.mark.parametrize("path", sorted(NOTEBOOK_DIR.glob("*.ipynb")), ids=lambda p: p.name)
def test_links_to_the_glossary_resolve(path):
    anchors = {glossary.anchor(e.term) for e in glossary.ENTRIES}
    broken = sorted({a for src in _markdown(path) for a in LINK.findall(src)} - anchors)
    assert not broken, f"{path.name} links to glossary anchors that do not exist: {broken}"
