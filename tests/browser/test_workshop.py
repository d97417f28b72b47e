"""Workshop mode under a room's use: kernels end, pages say when they are dead, the server refuses politely.

- ``test_short_soak`` (in `make test`, about 30 s): one server with short culling times; pages are
  opened, reloaded, closed, abandoned and have their kernel killed; a plain GET leaves an orphan; a
  foreign Host header and the kernel limit are refused. At the end no kernel is left.
- ``test_soak`` (`make soak`): the same actions at random for a few minutes, several notebooks; the
  kernels and the server's memory must come back to the baseline. Writes benchmarks/SOAK.md.
- ``test_room_of_30`` (`make bench-room`): 30 pages opened within 60 s with the shipped settings
  (workshop/voila.json), then every page changes a figure at the same moment. Writes benchmarks/ROOM.md.

Every server listens on 127.0.0.1 only and every wait is bounded.
"""
from __future__ import annotations

import asyncio
import os
import platform
import random
import signal
import time
import urllib.error
import urllib.request
from pathlib import Path

import psutil
import pytest

from workshop_load import (banner_state, change_first_figure, kernel_processes, kernel_status, load_average,
                           memory_mb, open_page, reload_page, summary, wait_until, wait_until_async)

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
# Short culling for the tests: a page-less kernel goes after 8 s idle, checked every second. (Much
# shorter would cull the kernel of a page whose browser is still loading its scripts on a loaded machine.)
SHORT = ("--MappingKernelManager.cull_idle_timeout=8", "--MappingKernelManager.cull_interval=1",
         "--WorkshopKernelManager.dead_check_interval=1", "--WorkshopKernelManager.capacity_grace=1")
CULL_BOUND_S = 8 + 1 + 5  # idle timeout + interval + a margin for a loaded machine


def _get(url: str, host: str | None = None):
    """(status, headers, body) of a GET to ``url``, optionally with another Host header."""
    request = urllib.request.Request(url, headers={"Host": host} if host else {})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, response.headers, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers, exc.read().decode("utf-8", "replace")


def _kernel_pid(server_pid: int, kernel_id: str) -> int:
    for proc in kernel_processes(server_pid):
        if any(kernel_id in part for part in proc.cmdline()):
            return proc.pid
    raise AssertionError(f"no process for kernel {kernel_id}")


async def _browser(launch: dict):
    from playwright.async_api import async_playwright
    playwright = await async_playwright().start()
    browser = await playwright.chromium.launch(**launch)
    return playwright, browser


def _assert_every_page_has_kernel_or_message(base, pages, states):
    for item, state in zip(pages, states):
        if state is None:
            assert kernel_status(base, item.kernel_id) == 200, (
                f"{item.notebook}: its kernel is gone and the page shows no message")


async def _short_soak(server, launch):
    base, pid = server["url"], server["proc"].pid
    measured = {}
    assert not kernel_processes(pid), "a fresh server already runs kernels"
    server_mem0 = memory_mb([psutil.Process(pid)])["rss_mb"]

    # A foreign Host header (DNS rebinding) is refused and starts no kernel.
    status, _, body = _get(f"{base}/voila/render/00_course_map.ipynb", host="rebind.example")
    assert status == 403 and "does not answer" in body
    assert not kernel_processes(pid)

    # A plain GET with no browser starts a kernel that no page will ever use: an orphan.
    status, _, html = _get(f"{base}/voila/render/00_course_map.ipynb")
    assert status == 200
    orphan = html.split('"kernelId": "', 1)[1].split('"', 1)[0]
    orphan_t0 = time.monotonic()

    playwright, browser = await _browser(launch)
    try:
        context = await browser.new_context()
        pages = list(await asyncio.gather(*[open_page(context, base, "00_course_map.ipynb", 90) for _ in range(4)]))
        assert all(p.ready_s for p in pages), [p.error for p in pages]
        assert all(kernel_status(base, p.kernel_id) == 200 for p in pages)
        a, b, c, d = pages

        # Abandon a page (the browser goes away without unloading it): another orphan.
        await c.page.close(run_before_unload=False)

        # Reload: the old page's shutdown request is accepted, so the count stays at 4.
        old = a.kernel_id
        await reload_page(a, 60)
        assert a.ready_s, a.error
        _, measured["reload_old_kernel_gone_s"] = await wait_until(lambda: kernel_status(base, old) == 404, 10)
        assert kernel_status(base, old) == 404, "reloading left the old kernel running"

        # Close (with the page's unload): its kernel is shut down at once.
        await b.page.close(run_before_unload=True)
        _, measured["closed_kernel_gone_s"] = await wait_until(lambda: kernel_status(base, b.kernel_id) == 404, 10)
        assert kernel_status(base, b.kernel_id) == 404, "closing a page left its kernel running"

        # Kill a page's kernel: the page says so, and its reload button brings it back.
        os.kill(_kernel_pid(pid, d.kernel_id), signal.SIGKILL)
        state, measured["killed_message_s"] = await wait_until_async(lambda: banner_state(d.page), 15)
        assert state == "lost", f"a page whose kernel was killed shows {state!r}"
        assert await d.page.locator("#course-kernel-status[role=alert] button").is_visible()
        await reload_page(d, 60, click_selector="#course-kernel-status button")
        assert d.ready_s and await banner_state(d.page) is None, d.error

        # Orphans go within the culling bound, while the open pages (idle longer than the timeout) stay.
        await wait_until(lambda: kernel_status(base, orphan) == 404 and kernel_status(base, c.kernel_id) == 404,
                         CULL_BOUND_S)
        measured["orphan_gone_s"] = time.monotonic() - orphan_t0
        assert kernel_status(base, orphan) == 404, "a kernel started by a plain GET was never culled"
        assert kernel_status(base, c.kernel_id) == 404, "an abandoned page's kernel was never culled"
        open_pages = [a, d]
        states = [await banner_state(p.page) for p in open_pages]
        assert states == [None, None], f"an open page lost its kernel: {states}"
        _assert_every_page_has_kernel_or_message(base, open_pages, states)

        # The limit (5 here): with 2 pages open, 5 requests at once get 3 pages and 2 polite refusals.
        results = await asyncio.gather(*[asyncio.to_thread(_get, f"{base}/voila/render/00_course_map.ipynb")
                                         for _ in range(5)])
        codes = sorted(r[0] for r in results)
        assert codes == [200, 200, 200, 503, 503], codes
        refusal = next(r for r in results if r[0] == 503)
        assert refusal[1].get("Retry-After") and "server is full" in refusal[2] and "Traceback" not in refusal[2]

        # Everything closed: no kernel left, the server's memory near where it started.
        for item in open_pages:
            await item.page.close(run_before_unload=True)
        await context.close()
        left, _ = await wait_until(lambda: not kernel_processes(pid), CULL_BOUND_S)
        assert left, f"{len(kernel_processes(pid))} kernels left after every page closed"
        measured["server_rss_growth_mb"] = memory_mb([psutil.Process(pid)])["rss_mb"] - server_mem0
    finally:
        await browser.close()
        await playwright.stop()
    return measured


def test_short_soak(start_workshop, chromium_launch, record_property):
    with start_workshop(*SHORT, "--WorkshopKernelManager.max_kernels=5", name="short-soak") as server:
        measured = asyncio.run(_short_soak(server, chromium_launch))
    for key, value in measured.items():
        record_property(key, round(value, 2))
    # Generous bound: the server loads templates and caches on its first pages.
    assert measured["server_rss_growth_mb"] < 150, measured
