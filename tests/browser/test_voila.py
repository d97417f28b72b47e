"""Workshop mode: each notebook served by Voila (as `make workshop` does) in a real Chromium.

One Voila server for the session and one page load per notebook. Asserts what a workshop
participant would see: the page renders with no error, no code cell shows, every widget renders,
the calculators open on a worked case, every control is seen together with its picture at 1366x768,
every interactive figure's primary control changes its picture, the self-check answers, the
course map's links lead to the lessons, and nothing is fetched from outside 127.0.0.1 except
the one stylesheet Voila's own page template asks for.
"""
from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

from helpers import (VOILA_READY_JS, assert_alt_texts, assert_figures_respond, assert_self_check_answers,
                     assert_calculators_open_on_a_picture, assert_controls_with_their_picture,
                     assert_controls_fit_a_phone, assert_no_serious_accessibility_violations,
                     assert_self_check_options_clickable, is_local)

pytestmark = pytest.mark.browser

NOTEBOOK_DIR = Path(__file__).resolve().parents[2] / "notebooks"
NOTEBOOKS = sorted(NOTEBOOK_DIR.glob("*.ipynb"))
COURSE_MAP = NOTEBOOK_DIR / "00_course_map.ipynb"
# Both editions: the patient edition is built into notebooks/patient/ by `make test` (widgets/editions.py).
PAGES = NOTEBOOKS + sorted((NOTEBOOK_DIR / "patient").glob("*.ipynb"))

# Voila's "lab" page template (share/jupyter/voila/templates/lab/index.html.j2, voila 0.5) links
# Font Awesome from a CDN. The course's template (workshop/jupyter/voila/templates/course) sets a
# Content-Security-Policy under which Chromium blocks both before sending them (the console says so),
# but Playwright still reports the attempt; the course uses no icons. These two URLs are the only
# requests allowed.
VOILA_TEMPLATE_CDN = (
    "https://cdn.jsdelivr.net/npm/@fortawesome/fontawesome-free@%5E5/css/all.min.css",
    "https://cdn.jsdelivr.net/npm/@fortawesome/fontawesome-free@%5E5/css/v4-shims.min.css",
)
ERROR_OUTPUT = '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]'


def _code_lines(path: Path) -> list[str]:
    """Distinctive source lines of the notebook's code cells (which must not appear on the page)."""
    nb = nbformat.read(path, as_version=4)
    lines = []
    for cell in nb.cells:
        if cell.cell_type == "code":
            lines += [ln.strip() for ln in cell.source.splitlines()
                      if len(ln.strip()) >= 12 and not ln.strip().startswith("#")]
    return lines


def _open(page, base: str, name: str, external: list[str]):
    page.on("request", lambda r: None if is_local(r.url) else external.append(r.url))
    response = page.goto(f"{base}/voila/render/{name}", wait_until="load", timeout=180_000)
    assert response is not None and response.ok, f"Voila answered {response and response.status} for {name}"
    # Wait until as many outputs hold a rendered widget as the page had widget placeholders.
    expected = response.text().count('"application/vnd.jupyter.widget-view+json"')
    page.wait_for_function(VOILA_READY_JS, arg=expected, timeout=90_000, polling=250)
    return expected


@pytest.mark.parametrize("path", PAGES, ids=lambda p: p.relative_to(NOTEBOOK_DIR).as_posix())
def test_notebook_in_voila(path, voila_server, browser_context, axe_script):
    page = browser_context.new_page()
    external: list[str] = []
    try:
        widget_outputs = _open(page, voila_server["url"], path.relative_to(NOTEBOOK_DIR).as_posix(), external)

        # No error: neither Voila's error page nor an error or stderr output.
        assert page.locator(".voila-error").count() == 0, page.locator(".voila-error").inner_text()[:2000]
        errors = page.locator(ERROR_OUTPUT)
        assert errors.count() == 0, errors.first.inner_text()[:2000]
        body = page.locator("body").inner_text()
        assert "There was an error when executing cell" not in body
        assert not any(s in body for s in ("Loading widget", "Error displaying widget", "Failed to load model")), (
            "a widget did not render")

        # Code is absent: every code cell is rendered without its input, and no source line shows.
        assert page.locator(".jp-CodeCell .jp-InputArea").count() == 0, "a code cell's input is on the page"
        assert page.locator(".jp-CodeCell:not(.jp-mod-noInput)").count() == 0, "a code cell kept its input"
        text = page.evaluate("() => document.body.textContent")
        shown = [line for line in _code_lines(path) if line in text]
        assert not shown, f"code shows on the Voila page: {shown[:3]}"

        rendered = page.locator(".jp-OutputArea-output:has(.jupyter-widgets)").count()
        assert rendered >= widget_outputs, f"{widget_outputs} widget outputs sent, {rendered} rendered"
        assert_alt_texts(page.locator("img.course-figure-img"), path.name)
        # Before any control changes: the calculators show a worked case, and at 1366x768 (and 1024, 390) every
        # control can be seen together with the picture it changes.
        assert_calculators_open_on_a_picture(page)
        assert_controls_with_their_picture(page)
        # Voila shows no kernel status: the new picture arriving is the signal that the kernel answered.
        assert_figures_respond(page, settled=lambda _page: None)
        assert_self_check_answers(page)
        assert_no_serious_accessibility_violations(page, axe_script)
        assert_self_check_options_clickable(page)
        assert_controls_fit_a_phone(page)

        unexpected = sorted(set(external) - set(VOILA_TEMPLATE_CDN))
        assert not unexpected, f"requests left 127.0.0.1: {unexpected[:10]}"
    finally:
        page.close()


def test_course_map_links_lead_to_the_lessons_in_voila(voila_server, browser_context):
    """Relative links in the map resolve to /voila/render/<lesson>, and following one opens that lesson."""
    base = voila_server["url"]
    lessons = [p.name for p in NOTEBOOKS if p != COURSE_MAP]
    if not COURSE_MAP.exists() or not lessons:
        pytest.skip("no course map or no lesson to link to")
    page = browser_context.new_page()
    try:
        _open(page, base, COURSE_MAP.name, [])
        hrefs = page.locator('a[href$=".ipynb"]').evaluate_all("as => as.map(a => a.href)")
        for name in lessons:
            assert f"{base}/voila/render/{name}" in hrefs, f"the map has no working Voila link to {name}: {hrefs}"
        first = lessons[0]
        page.locator(f'a[href="{first}"]').first.click()
        page.wait_for_url(f"{base}/voila/render/{first}", timeout=30_000)
        page.wait_for_selector(".jp-MarkdownCell h1", timeout=180_000)
        assert page.locator(".voila-error").count() == 0
    finally:
        page.close()


def test_a_glossary_link_opens_at_its_term_in_voila(voila_server, browser_context):
    """Following a link to glossary.ipynb#Term shows the term, not the top of a 3,000 px page."""
    page = browser_context.new_page()
    try:
        page.set_viewport_size({"width": 1280, "height": 800})
        _open(page, voila_server["url"], "glossary.ipynb#Vein-to-vein-time", [])
        page.wait_for_timeout(500)
        top = page.evaluate("() => document.getElementById('Vein-to-vein-time').getBoundingClientRect().top")
        assert 0 <= top < 800, f"the term's heading is {top:.0f} px from the top of the window"
    finally:
        page.close()
