"""Each notebook opened and run in JupyterLab in a real Chromium.

Asserts what only a browser shows: no error output, every widget renders, every figure's
picture has a text alternative, the primary control of every interactive figure changes the
picture, the self-check answers, and no request leaves 127.0.0.1.
"""
from __future__ import annotations

from pathlib import Path
from urllib.parse import urlparse

import pytest

from canonical_notebooks import notebooks
from helpers import (LOCAL_HOSTS, assert_alt_texts, assert_figures_respond, assert_no_serious_accessibility_violations,
                     assert_self_check_answers)

pytestmark = pytest.mark.browser

# The lessons; the course map and glossary have no figures (test_course_map_links_open_in_jupyterlab covers the map).
NOTEBOOKS = notebooks(lessons_only=True)
COURSE_MAP = Path(__file__).resolve().parents[2] / "notebooks" / "00_course_map.ipynb"
IDLE = "#jp-main-statusbar >> text=/Idle/"
# axe-core runs on what the course puts into a notebook: every rendered Markdown cell and every output area of the
# open notebook, with the code editors left out. Measured on the whole JupyterLab page (JupyterLab 4.x, axe-core
# 4.11.4), the serious or critical findings outside that area all belong to JupyterLab's own interface, which the
# course cannot change:
#   aria-allowed-attr (critical): the file browser's toolbar buttons (jp-button "Upload Files" ...) carry aria-pressed,
#     which their role does not allow;
#   aria-required-children (critical): the notebook's cell list (.jp-WindowedPanel-viewport) holds children its
#     ARIA role does not allow;
#   aria-input-field-name (serious): each code cell's CodeMirror editor (.cm-content, role textbox) has no name;
#   scrollable-region-focusable (serious): a code cell's editor scroller (.cm-scroller) scrolls but takes no focus.
LAB_AXE_CONTEXT = {
    "include": [".jp-NotebookPanel:not(.lm-mod-hidden) .jp-MarkdownCell .jp-RenderedMarkdown",
                ".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Cell-outputArea"],
    "exclude": [".jp-InputArea-editor"],
}


def _idle(page, timeout_ms=120_000):
    page.wait_for_selector(IDLE, timeout=timeout_ms)


def _all_cells_ran(page, timeout_ms=180_000):
    """Every code cell shows an execution count and the kernel is idle (or an error stopped the run)."""
    page.wait_for_function(
        """() => {
             const idle = /Idle/.test(document.querySelector('#jp-main-statusbar')?.textContent || '');
             if (idle && document.querySelector('.jp-OutputArea [data-mime-type="application/vnd.jupyter.stderr"]')) return true;
             const prompts = [...document.querySelectorAll('.jp-CodeCell .jp-InputArea-prompt')]
                               .map(p => p.textContent.trim());
             return idle && prompts.length > 0 && prompts.every(t => /^\\[\\d+\\]:$/.test(t));
           }""",
        timeout=timeout_ms, polling=250,
    )


def _open_and_run_all(page, base: str, token: str, path: Path) -> None:
    """Open ``path`` in JupyterLab and run every cell, waiting until each has run and the kernel is idle."""
    rel = path.relative_to(path.parents[1]).as_posix()
    page.goto(f"{base}/lab/tree/{rel}?reset&token={token}", wait_until="domcontentloaded")
    page.wait_for_selector(".jp-NotebookPanel .jp-Notebook .jp-Cell", timeout=90_000)
    _idle(page)
    page.locator("#jp-MainMenu .lm-MenuBar-itemLabel", has_text="Run").click()
    page.locator(".lm-Menu-content .lm-Menu-itemLabel", has_text="Run All Cells").first.click()
    _all_cells_ran(page)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_in_jupyterlab(path, lab_server, browser_context, axe_script):
    base, token = lab_server["url"], lab_server["token"]
    page = browser_context.new_page()
    external: list[str] = []
    page.on("request", lambda r: external.append(r.url) if urlparse(r.url).hostname not in LOCAL_HOSTS else None)
    try:
        _open_and_run_all(page, base, token, path)

        # No error output anywhere (tracebacks and stderr both render with this mime type).
        errors = page.locator('.jp-OutputArea [data-mime-type="application/vnd.jupyter.stderr"]')
        assert errors.count() == 0, errors.first.inner_text()[:2000]

        # Every widget output renders (not "Loading widget..." or "Error displaying widget").
        assert page.locator(".jp-OutputArea-output .jupyter-widgets").count() > 0, "no widget rendered"
        page.wait_for_function(
            """() => [...document.querySelectorAll('.jp-OutputArea-output')]
                       .every(o => !/Loading widget|Error displaying widget|Failed to load model/.test(o.textContent))""",
            timeout=30_000,
        )

        # Every picture has a text alternative a screen reader can read.
        images = page.locator(".jp-OutputArea img")
        assert images.count() > 0, "no figure rendered"
        assert_alt_texts(images, path.name)
        assert_figures_respond(page, settled=_idle)
        assert_self_check_answers(page)
        assert_no_serious_accessibility_violations(page, axe_script, context=LAB_AXE_CONTEXT)

        assert not external, f"requests left 127.0.0.1: {sorted(set(external))[:10]}"
    finally:
        for s in page.request.get(f"{base}/api/sessions?token={token}").json():
            page.request.delete(f"{base}/api/sessions/{s['id']}?token={token}")
        page.close()


def test_course_map_links_open_in_jupyterlab(lab_server, browser_context):
    """A lesson link in the course map opens that notebook in JupyterLab (the same link works in Voila)."""
    if not COURSE_MAP.exists() or not NOTEBOOKS:
        pytest.skip("no course map or no lesson to link to")
    base, token = lab_server["url"], lab_server["token"]
    first = NOTEBOOKS[0].name
    page = browser_context.new_page()
    try:
        page.goto(f"{base}/lab/tree/notebooks/{COURSE_MAP.name}?reset&token={token}", wait_until="domcontentloaded")
        # JupyterLab points a relative link at the file's URL and opens the notebook in Lab when clicked.
        link = page.locator(f'.jp-RenderedMarkdown a[href*="/notebooks/{first}"]').first
        link.wait_for(timeout=90_000)
        link.click()
        page.wait_for_selector(f'.lm-TabBar-tab.jp-mod-current >> text="{first}"', timeout=60_000)
        page.wait_for_selector(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-MarkdownCell h1", timeout=60_000)
    finally:
        for s in page.request.get(f"{base}/api/sessions?token={token}").json():
            page.request.delete(f"{base}/api/sessions/{s['id']}?token={token}")
        page.close()


def test_arrow_keys_on_a_dropdown_change_the_figure_in_jupyterlab(lab_server, browser_context):
    """ArrowDown on a focused dropdown picks the next option (and redraws its figure) instead of moving
    JupyterLab's cell selection (widgets.style.PAGE_SCRIPT keeps the keys for the dropdown)."""
    base, token = lab_server["url"], lab_server["token"]
    path = next(p for p in NOTEBOOKS if p.name.startswith("05_"))
    page = browser_context.new_page()
    try:
        _open_and_run_all(page, base, token, path)
        panel = page.locator(".course-interactive:has(.widget-dropdown select)").first
        panel.scroll_into_view_if_needed()
        select = panel.locator(".widget-dropdown select").first
        before_value = select.input_value()
        before_src = panel.locator("img.course-figure-img").first.get_attribute("src")
        select.focus()
        page.keyboard.press("ArrowDown")
        page.wait_for_function("([el, src]) => el.querySelector('img.course-figure-img').src !== src",
                               arg=[panel.element_handle(), before_src], timeout=30_000)
        assert select.input_value() != before_value, "ArrowDown did not move the dropdown to its next option"
    finally:
        for s in page.request.get(f"{base}/api/sessions?token={token}").json():
            page.request.delete(f"{base}/api/sessions/{s['id']}?token={token}")
        page.close()


PATIENT_LESSONS = [p for p in sorted((COURSE_MAP.parent / "patient").glob("*.ipynb"))
                   if p.name not in {COURSE_MAP.name, "glossary.ipynb"}]


def test_patient_edition_in_jupyterlab_is_accessible(lab_server, browser_context, axe_script):
    """axe-core on every lesson of the patient edition (notebooks/patient/, built by `make patient-edition`) as
    JupyterLab shows it. The lessons are opened, not run: what the patient edition adds or leaves out is its text
    (plain-words cells, key points, the patient self-check's questions and handout links), which renders without a
    kernel; its figures and widgets are the same classes the full edition runs in test_notebook_in_jupyterlab."""
    if not PATIENT_LESSONS:
        pytest.skip("no patient edition: `make patient-edition` builds notebooks/patient/")
    base, token = lab_server["url"], lab_server["token"]
    page = browser_context.new_page()
    try:
        for path in PATIENT_LESSONS:
            page.goto(f"{base}/lab/tree/notebooks/patient/{path.name}?reset&token={token}", wait_until="domcontentloaded")
            page.wait_for_selector(f'.lm-TabBar-tab.jp-mod-current >> text="{path.name}"', timeout=90_000)
            page.wait_for_selector(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-MarkdownCell .jp-RenderedMarkdown h1",
                                   timeout=60_000)
            try:
                assert_no_serious_accessibility_violations(page, axe_script, context=LAB_AXE_CONTEXT)
            except AssertionError as exc:
                raise AssertionError(f"patient edition, {path.name}: {exc}") from None
    finally:
        for s in page.request.get(f"{base}/api/sessions?token={token}").json():
            page.request.delete(f"{base}/api/sessions/{s['id']}?token={token}")
        page.close()
