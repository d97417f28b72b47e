"""The course map (notebooks/00_course_map.ipynb) links every lesson, and only notebooks that exist.

Links are relative file names (``01_sle.ipynb``) so that one link works in Voila, where the map is
served at ``/voila/render/00_course_map.ipynb``, and in JupyterLab, where it opens the file beside
the map. The browser test (tests/browser/test_voila.py) follows the links in a real Voila.
"""
import re
import subprocess

import nbformat
import pytest

from canonical_notebooks import NOTEBOOK_DIR, notebooks, problems

ROOT = NOTEBOOK_DIR.parent
MAP = NOTEBOOK_DIR / "00_course_map.ipynb"
# A markdown link [text](target); the target may carry a #fragment.
LINK = re.compile(r"\[[^\]]+\]\(([^)\s]+)\)")


def _markdown(nb) -> str:
    return "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")


@pytest.fixture(scope="module")
def course_map():
    assert MAP.exists(), "notebooks/00_course_map.ipynb is missing"
    return nbformat.read(MAP, as_version=4)


def _notebook_links(nb) -> list[str]:
    return [t.split("#")[0] for t in LINK.findall(_markdown(nb)) if t.split("#")[0].endswith(".ipynb")]


def test_link_pattern_reads_targets():
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell(
        "1. **[Lupus](01_sle.ipynb)**: text; see [part](02_x.ipynb#top) and [site](https://example.org).")])
    assert _notebook_links(nb) == ["01_sle.ipynb", "02_x.ipynb"]


def test_map_is_canonical(course_map):
    assert problems(course_map) == [], "run `.venv/bin/python tests/canonical_notebooks.py notebooks/00_course_map.ipynb`"


def test_map_links_every_lesson_in_course_order(course_map):
    links = _notebook_links(course_map)
    lessons = [p.name for p in notebooks(lessons_only=True)]
    missing = [name for name in lessons if name not in links]
    assert not missing, f"00_course_map.ipynb does not link {missing}: add a line and a link for each"
    first_seen = [name for i, name in enumerate(links) if name in lessons and name not in links[:i]]
    assert first_seen == lessons, f"the map should list the lessons in course order {lessons}; it lists {first_seen}"


def test_every_map_link_is_a_relative_link_to_an_existing_notebook(course_map):
    links = _notebook_links(course_map)
    assert links, "the map links no notebook"
    for target in links:
        # "notebooks/01_sle.ipynb" or "/01_sle.ipynb" would break in Voila (/voila/render/...) or in JupyterLab.
        # The one exception: the patient edition, built into patient/ from the same file names.
        edition = target.startswith("patient/")
        target = target.removeprefix("patient/")
        assert "/" not in target, f"link {target!r} must be a bare file name next to the map (or in patient/)"
        assert (NOTEBOOK_DIR / target).exists(), f"the map links {target!r}, which does not exist"
        assert not edition or target == MAP.name, "link the patient edition through its own course map"


def test_map_says_not_medical_advice_and_investigational(course_map):
    text = _markdown(course_map).lower()
    assert "not medical advice" in text
    assert "investigational" in text


def test_map_explains_moving_between_notebooks_in_voila_and_jupyterlab(course_map):
    text = _markdown(course_map)
    for needle in ("Voila", "JupyterLab", "Back", "Run All Cells"):
        assert needle in text, f"the map should say how to move between notebooks ({needle!r} missing)"


def test_map_has_no_code_but_the_page_style(course_map):
    code = [c.source for c in course_map.cells if c.cell_type == "code"]
    assert code == ["import widgets\n\nwidgets.style.page_style()"], "the map is text only, apart from its page style"


def test_workshop_target_serves_the_notebooks_and_names_the_map():
    dry = subprocess.run(["make", "-n", "workshop"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    assert "voila" in dry and "notebooks" in dry, dry
    assert "/voila/render/00_course_map.ipynb" in dry, "make workshop should print the course map's address"
    assert "/voila/render/patient/00_course_map.ipynb" in dry, "make workshop starts on the patient edition"
    assert "patient-edition" in dry or "widgets.editions build" in dry, "make workshop builds the patient edition"
    full = subprocess.run(["make", "-n", "workshop", "EDITION=full"], cwd=ROOT, capture_output=True, text=True,
                          check=True).stdout
    assert "Course map (full edition): http://127.0.0.1:8866/voila/render/00_course_map.ipynb" in full


def test_readme_voila_binder_link_opens_the_map():
    readme = (ROOT / "README.md").read_text()
    assert "urlpath=voila/render/notebooks/00_course_map.ipynb" in readme
