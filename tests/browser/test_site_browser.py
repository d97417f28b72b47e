"""The course website (`make site`) in a real Chromium with no way out to the internet.

The site built once for the run (fixture ``built_site``) is served from 127.0.0.1. Three pages are
opened; every request that would leave the machine is recorded and refused. Asserts that every
picture has a text alternative, equations are typeset by the site's own MathJax, a self-check
answer unfolds without a kernel, axe-core finds no serious or critical WCAG A/AA violation, and the
site's search finds a glossary term.
"""
from __future__ import annotations

import functools
import http.server
import threading

import pytest

from helpers import assert_alt_texts, assert_no_serious_accessibility_violations, is_local

pytestmark = pytest.mark.browser

PAGES = ("01_sle", "03_process", "patient/02_cart_principles")  # both editions


@pytest.fixture(scope="module")
def site_url(built_site):
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(built_site))
    handler.log_message = lambda *args: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture()
def offline_page(browser_context):
    page = browser_context.new_page()
    outside: list[str] = []

    def guard(route):
        if is_local(route.request.url):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    page.route("**/*", guard)
    yield page, outside
    page.close()


def test_site_pages_work_offline(site_url, offline_page, axe_script):
    page, outside = offline_page
    for name in PAGES:
        page.goto(f"{site_url}/{name}.html")
        page.wait_for_load_state("networkidle")
        images = page.locator("img")
        assert images.count() >= 2, name
        assert_alt_texts(images, name)
        figures = page.locator("figure.course-static-figure img.course-figure-img")
        for i in range(figures.count()):
            assert figures.nth(i).evaluate("img => img.complete && img.naturalWidth > 0"), f"{name}: figure {i} blank"
        if name == "03_process":
            page.wait_for_function("() => window.MathJax && MathJax.startup && MathJax.startup.document"
                                   " && document.querySelectorAll('mjx-container').length > 0", timeout=30_000)
            question = page.locator(".course-static-question").first
            answer = question.locator("details p").first
            assert not answer.is_visible()
            question.locator("summary").click()
            assert answer.is_visible() and answer.inner_text().startswith("Answer:")
        assert_no_serious_accessibility_violations(page, axe_script)
    assert not outside, f"requests left the machine: {outside}"


def test_site_search_finds_a_glossary_term(site_url, offline_page):
    page, outside = offline_page
    page.goto(f"{site_url}/search.html?q=leukapheresis")
    # The search lists the glossary's own section for the term, linked to its anchor.
    hit = page.locator("#search-results a[href*='glossary.html'][href$='#leukapheresis']").first
    hit.wait_for(timeout=30_000)
    assert "Leukapheresis" in hit.inner_text()
    assert not outside, f"requests left the machine: {outside}"
