"""Drive a workshop server (`python -m workshop`) the way a room does, and measure what it leaves behind.

Used by tests/browser/test_workshop.py: the short soak in `make test`, the long soak (`make soak`)
and the room of 30 (`make bench-room`). Pages run in Debian's Chromium through Playwright's async
API, so that many pages load and click at the same moment. Kernels and their memory are read from
the server's child processes (psutil). Everything talks to 127.0.0.1 only, and every wait is bounded.
"""
from __future__ import annotations

import asyncio
import json
import os
import statistics
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field

import psutil

from helpers import VOILA_READY_JS

__all__ = ["Page", "kernel_processes", "memory_mb", "kernel_status", "wait_until", "wait_until_async",
           "open_page", "wait_ready", "reload_page",
           "banner_state", "change_first_figure", "percentile", "summary", "load_average"]

WIDGET_MIME = '"application/vnd.jupyter.widget-view+json"'


@dataclass
class Page:
    """One learner's page: the Playwright page, its notebook, its kernel id and what was measured."""
    page: object
    notebook: str
    kernel_id: str | None = None
    ready_s: float | None = None
    error: str | None = None
    events: list[str] = field(default_factory=list)


def kernel_processes(server_pid: int) -> list[psutil.Process]:
    """The ipykernel processes started by the server with PID ``server_pid``."""
    try:
        children = psutil.Process(server_pid).children(recursive=True)
    except psutil.NoSuchProcess:
        return []
    found = []
    for child in children:
        try:
            if any("ipykernel" in part for part in child.cmdline()):
                found.append(child)
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            pass
    return found


def memory_mb(processes) -> dict[str, float]:
    """Resident (RSS) and unique (USS) memory of ``processes`` together, in MB (dead ones count 0)."""
    rss = uss = 0
    for proc in processes:
        try:
            info = proc.memory_full_info()
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            continue
        rss += info.rss
        uss += getattr(info, "uss", info.rss)
    return {"rss_mb": rss / 2**20, "uss_mb": uss / 2**20}


def kernel_status(base: str, kernel_id: str) -> int:
    """HTTP status of ``GET /api/kernels/<id>`` (200: the server has that kernel; 404: it has not)."""
    try:
        with urllib.request.urlopen(f"{base}/api/kernels/{kernel_id}", timeout=5) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


async def wait_until(predicate, timeout_s: float, every_s: float = 0.25):
    """Poll ``predicate()`` until it is truthy or ``timeout_s`` passes; return (value, seconds waited)."""
    start = time.monotonic()
    while True:
        value = predicate()
        elapsed = time.monotonic() - start
        if value or elapsed >= timeout_s:
            return value, elapsed
        await asyncio.sleep(every_s)


async def wait_until_async(coroutine_function, timeout_s: float, every_s: float = 0.25):
    """Like ``wait_until`` for a predicate that must be awaited."""
    start = time.monotonic()
    while True:
        value = await coroutine_function()
        elapsed = time.monotonic() - start
        if value or elapsed >= timeout_s:
            return value, elapsed
        await asyncio.sleep(every_s)


async def open_page(context, base: str, notebook: str, timeout_s: float = 180) -> Page:
    """Open ``notebook`` in a new page and wait until every widget has rendered (bounded)."""
    page = await context.new_page()
    item = Page(page, notebook)
    start = time.monotonic()
    try:
        response = await page.goto(f"{base}/voila/render/{notebook}", wait_until="load",
                                   timeout=timeout_s * 1000)
        await wait_ready(item, response, start, timeout_s)
    except Exception as exc:  # a page that never became ready is a result, not a crash of the run
        item.error = f"{type(exc).__name__}: {str(exc).splitlines()[0][:200]}"
    return item


async def wait_ready(item: Page, response, start: float, timeout_s: float) -> Page:
    """After a navigation answered by ``response``: wait until the page is ready; record kernel and time."""
    if response is None or not response.ok:
        item.error = f"HTTP {response and response.status}"
        return item
    expected = (await response.text()).count(WIDGET_MIME)
    remaining = max(1.0, timeout_s - (time.monotonic() - start))
    await item.page.wait_for_function(VOILA_READY_JS, arg=expected, timeout=remaining * 1000, polling=250)
    item.ready_s = time.monotonic() - start
    config = await item.page.locator("#jupyter-config-data").text_content()
    item.kernel_id = json.loads(config)["kernelId"]
    return item


async def reload_page(item: Page, timeout_s: float = 180, click_selector: str | None = None) -> Page:
    """Reload the page (by the browser, or by clicking ``click_selector``) and wait until it is ready again."""
    start = time.monotonic()
    item.ready_s = item.kernel_id = None
    try:
        if click_selector:
            async with item.page.expect_navigation(wait_until="load", timeout=timeout_s * 1000) as nav:
                await item.page.locator(click_selector).click()
            response = await nav.value
        else:
            response = await item.page.reload(wait_until="load", timeout=timeout_s * 1000)
        await wait_ready(item, response, start, timeout_s)
    except Exception as exc:
        item.error = f"{type(exc).__name__}: {str(exc).splitlines()[0][:200]}"
    return item


async def banner_state(page) -> str | None:
    """The page's kernel message: None when hidden, else "lost" or "unreachable"."""
    return await page.evaluate("""() => { const b = document.getElementById('course-kernel-status');
                                          return b && !b.hidden ? b.getAttribute('data-state') : null; }""")


# Change the primary control of the first interactive figure from inside the page and resolve with the
# milliseconds until its picture changed (or null after the timeout). Dropdowns get the next option and a
# change event; toggle buttons a click; sliders an ArrowRight key on the handle.
_CHANGE_AND_TIME_JS = """async (timeoutMs) => {
  const panel = document.querySelector('.course-interactive');
  if (!panel) return {error: 'no interactive figure'};
  const src = () => { const img = panel.querySelector('img.course-figure-img'); return img && img.getAttribute('src'); };
  const before = src();
  const control = panel.querySelector('.course-primary-control');
  const t0 = performance.now();
  const select = control.querySelector('select');
  const toggle = control.querySelector('button.widget-toggle-button:not(.mod-active)');
  const handle = control.querySelector('.noUi-handle');
  if (select) {
    select.selectedIndex = (select.selectedIndex + 1) % select.options.length;
    select.dispatchEvent(new Event('change', {bubbles: true}));
  } else if (toggle) { toggle.click(); }
  else if (handle) {
    handle.focus();
    handle.dispatchEvent(new KeyboardEvent('keydown', {key: 'ArrowRight', keyCode: 39, which: 39, bubbles: true}));
  } else { return {error: 'unknown control'}; }
  while (performance.now() - t0 < timeoutMs) {
    if (src() !== before) return {ms: performance.now() - t0};
    await new Promise(r => setTimeout(r, 10));
  }
  return {ms: null};
}"""


async def change_first_figure(page, timeout_s: float = 60) -> float | None:
    """Milliseconds from a control change to the new picture in the page's first figure (None: no change)."""
    result = await page.evaluate(_CHANGE_AND_TIME_JS, timeout_s * 1000)
    if "error" in result:
        raise AssertionError(result["error"])
    return result["ms"]


def percentile(values, q: float) -> float | None:
    """The ``q``-th percentile (0-100) by linear interpolation; None for no values."""
    values = sorted(values)
    if not values:
        return None
    k = (len(values) - 1) * q / 100
    low, high = int(k), min(int(k) + 1, len(values) - 1)
    return values[low] + (values[high] - values[low]) * (k - low)


def summary(values) -> dict[str, float | None]:
    values = [v for v in values if v is not None]
    return {"n": len(values), "median": statistics.median(values) if values else None,
            "p95": percentile(values, 95), "max": max(values) if values else None}


def load_average() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f} / {five:.2f} / {fifteen:.2f}"
