"""The whole course as one printable A4 PDF (`make pdf`), without TeX.

Builds the course as a single HTML page (Sphinx ``singlehtml``, reusing the executed notebooks
cached by ``make site``), then prints it with Debian's Chromium through Playwright: every figure
as its static picture with its caption, every equation typeset by the site's own MathJax, every
self-check answer unfolded. Nothing is fetched from outside the machine.

Usage: ``python -m book.pdf [--output _build/course.pdf]``.
"""
from __future__ import annotations

import argparse
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path

import yaml

from book.build import BUILD, TOC, build

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def chromium_path() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path is None:
        raise SystemExit("make pdf needs Chromium: on Debian/Ubuntu `sudo apt-get install chromium` "
                         "(never `playwright install`).")
    return path


def page_count(pdf: bytes) -> int:
    """Number of pages in a PDF written by Chromium (counts its page objects)."""
    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", pdf))


def print_pdf(site_page: Path, output: Path) -> int:
    """Print ``site_page`` to ``output`` as A4; return the number of pages."""
    from playwright.sync_api import sync_playwright

    outside: list[str] = []
    with tempfile.TemporaryDirectory() as home, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS,
                                    env={"HOME": home, "XDG_CONFIG_HOME": home, "XDG_CACHE_HOME": home})
        page = browser.new_page()

        def guard(route):
            if route.request.url.startswith(("file:", "data:", "blob:")):
                route.continue_()
            else:
                outside.append(route.request.url)
                route.abort()

        page.route("**/*", guard)
        page.goto(site_page.as_uri())
        page.wait_for_load_state("load")
        # MathJax typesets after the page loads; its promise settles when every equation is done.
        page.evaluate("() => window.MathJax && MathJax.startup ? MathJax.startup.promise.then(() => true) : true")
        # Unfold every self-check answer: on paper there is nothing to click.
        page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
        page.emulate_media(media="print")
        pdf = page.pdf(format="A4", print_background=True, outline=True, tagged=True,
                       margin={"top": "16mm", "bottom": "16mm", "left": "14mm", "right": "14mm"},
                       display_header_footer=True, header_template="<span></span>",
                       footer_template='<div style="font-size:8px;width:100%;text-align:center">'
                                       '<span class="pageNumber"></span> / <span class="totalPages"></span></div>')
        browser.close()
    if outside:
        raise SystemExit(f"the print page asked for files outside the machine: {outside}")
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_bytes(pdf)
    return page_count(pdf)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=BUILD / "course.pdf")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    site = build("singlehtml")
    root = yaml.safe_load(TOC.read_text())["root"]  # singlehtml writes the book into the root page
    pages = print_pdf(site / f"{root}.html", args.output)
    print(f"Wrote {args.output} ({pages} A4 pages) in {time.perf_counter() - start:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
