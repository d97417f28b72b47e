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
import concurrent.futures
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
# Short culling for the tests: the kernel of a page that has gone goes after 5 s idle, one that never had
# a page (a plain GET) after 15 s; checked every second.
SHORT = ("--MappingKernelManager.cull_idle_timeout=5", "--MappingKernelManager.cull_interval=1",
         "--WorkshopKernelManager.unconnected_grace=15", "--WorkshopKernelManager.dead_check_interval=1",
         "--WorkshopKernelManager.capacity_grace=1")
CULL_BOUND_S = 5 + 1 + 5  # idle timeout + interval + a margin for a loaded machine
ORPHAN_BOUND_S = 15 + 1 + 5


def _run(coroutine):
    """Run an async scenario to the end in a thread of its own: the session's sync Playwright (the
    other browser tests) keeps an event loop running in this thread, where asyncio.run() refuses."""
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def _get(url: str, host: str | None = None):
    """(status, headers, body) of a GET to ``url``, optionally with another Host header."""
    request = urllib.request.Request(url, headers={"Host": host} if host else {})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, response.headers, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers, exc.read().decode("utf-8", "replace")


def _kernel_id(html: str) -> str:
    return html.split('"kernelId": "', 1)[1].split('"', 1)[0]


def _shutdown_as_the_page_does(base: str, headers, html: str) -> int:
    """POST /voila/api/shutdown/<id> with the page's _xsrf cookie, as the page does on unload; the status."""
    cookie = next(c.split(";", 1)[0] for c in headers.get_all("Set-Cookie") if c.startswith("_xsrf="))
    request = urllib.request.Request(f"{base}/voila/api/shutdown/{_kernel_id(html)}", method="POST",
                                     data=f"_xsrf={cookie.split('=', 1)[1]}".encode(),
                                     headers={"Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


def _kernel_pid(server_pid: int, kernel_id: str) -> int:
    for proc in kernel_processes(server_pid):
        if any(kernel_id in part for part in proc.cmdline()):
            return proc.pid
    raise AssertionError(f"no process for kernel {kernel_id}")


async def _browser(launch: dict, nice: int = 0):
    """Playwright and a Chromium; with ``nice`` > 0 the browser's processes (and the renderers they fork
    later) yield the CPU to the server, as learners' browsers on their own laptops would."""
    from playwright.async_api import async_playwright
    playwright = await async_playwright().start()
    browser = await playwright.chromium.launch(**launch)
    if nice:
        for proc in psutil.Process().children(recursive=True):
            try:
                if "chrom" in proc.name().lower():
                    proc.nice(nice)
            except (psutil.NoSuchProcess, psutil.AccessDenied):
                pass
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
    orphan = _kernel_id(html)
    orphan_t0 = time.monotonic()

    playwright, browser = await _browser(launch)
    try:
        context = await browser.new_context()
        pages = list(await asyncio.gather(*[open_page(context, base, "00_course_map.ipynb", 90) for _ in range(4)]))
        assert all(p.ready_s for p in pages), [p.error for p in pages]
        assert all(kernel_status(base, p.kernel_id) == 200 for p in pages)
        a, b, c, d = pages

        measured["pages_ready_s"] = max(p.ready_s for p in pages)

        async def abandon():  # the browser goes away without unloading the page: an orphan, culled
            await c.page.close(run_before_unload=False)
            t0 = time.monotonic()
            gone, measured["abandoned_gone_s"] = await wait_until(lambda: kernel_status(base, c.kernel_id) == 404,
                                                                  CULL_BOUND_S)
            assert gone, "an abandoned page's kernel was never culled"

        async def reload():  # the old page's shutdown request is accepted at once
            old = a.kernel_id
            await reload_page(a, 60)
            assert a.ready_s, a.error
            gone, measured["reload_old_kernel_gone_s"] = await wait_until(lambda: kernel_status(base, old) == 404, 10)
            assert gone, "reloading left the old kernel running"

        async def close():  # closing the page (with its unload) shuts its kernel down at once
            await b.page.close(run_before_unload=True)
            gone, measured["closed_kernel_gone_s"] = await wait_until(
                lambda: kernel_status(base, b.kernel_id) == 404, 10)
            assert gone, "closing a page left its kernel running"

        async def kill():  # the page says so, and its reload button brings it back
            os.kill(_kernel_pid(pid, d.kernel_id), signal.SIGKILL)
            state, measured["killed_message_s"] = await wait_until_async(lambda: banner_state(d.page), 15)
            assert state == "lost", f"a page whose kernel was killed shows {state!r}"
            assert await d.page.locator("#course-kernel-status[role=alert] button").is_visible()
            await reload_page(d, 60, click_selector="#course-kernel-status button")
            assert d.ready_s and await banner_state(d.page) is None, d.error

        t_tasks = time.monotonic()
        await asyncio.gather(abandon(), reload(), close(), kill())
        measured["tasks_s"] = time.monotonic() - t_tasks
        gone, _ = await wait_until(lambda: kernel_status(base, orphan) == 404,
                                   max(0.0, ORPHAN_BOUND_S - (time.monotonic() - orphan_t0)))
        measured["orphan_gone_s"] = time.monotonic() - orphan_t0
        assert gone, "a kernel started by a plain GET was never culled"
        # The open pages, idle for longer than the culling timeout, keep their kernels.
        open_pages = [a, d]
        states = [await banner_state(p.page) for p in open_pages]
        assert states == [None, None], f"an open page lost its kernel: {states}"
        _assert_every_page_has_kernel_or_message(base, open_pages, states)

        t_limit = time.monotonic()
        # The limit (5 here): with 2 pages open, 5 requests at once get 3 pages and 2 polite refusals.
        results = await asyncio.gather(*[asyncio.to_thread(_get, f"{base}/voila/render/00_course_map.ipynb")
                                         for _ in range(5)])
        codes = sorted(r[0] for r in results)
        assert codes == [200, 200, 200, 503, 503], codes
        refusal = next(r for r in results if r[0] == 503)
        assert refusal[1].get("Retry-After") and "server is full" in refusal[2] and "Traceback" not in refusal[2]
        # The pages' own shutdown request (with the _xsrf cookie the page got) is accepted.
        assert [_shutdown_as_the_page_does(base, h, body) for code, h, body in results if code == 200] == [204] * 3

        measured["limit_s"] = time.monotonic() - t_limit
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
    t0 = time.monotonic()
    with start_workshop(*SHORT, "--WorkshopKernelManager.max_kernels=5", name="short-soak") as server:
        started = time.monotonic() - t0
        measured = _run(_short_soak(server, chromium_launch))
    measured["server_start_s"] = started
    for key, value in measured.items():
        record_property(key, round(value, 2))
    # Generous bound: the server loads templates and caches on its first pages.
    assert measured["server_rss_growth_mb"] < 150, measured


async def _room_pool(server, launch):
    """Two kernels execute the course map ahead of time; a page gets one of them at once."""
    base, pid = server["url"], server["proc"].pid
    measured = {}
    filled, measured["pool_filled_s"] = await wait_until(lambda: len(kernel_processes(pid)) == 2, 60)
    assert filled, f"the room's pool holds {len(kernel_processes(pid))} kernels, not 2"
    # Longer than the culling timeouts: a pooled kernel waiting for its page is never culled.
    await asyncio.sleep(POOL_IDLE_S)
    assert len(kernel_processes(pid)) == 2, "a kernel waiting in the room's pool was culled"
    pooled = {p.pid for p in kernel_processes(pid)}
    playwright, browser = await _browser(launch)
    try:
        context = await browser.new_context()
        # max_kernels is 1 here: pooled kernels do not count, so two pages still open (one pooled, one not).
        first = await open_page(context, base, "00_course_map.ipynb", 90)
        assert first.ready_s, first.error
        measured["pooled_page_ready_s"] = first.ready_s
        assert _kernel_pid(pid, first.kernel_id) in pooled, "the page did not get a kernel from the room's pool"
        # The page's kernel, idle since it executed, is not culled while the page connects and stays open.
        await asyncio.sleep(POOL_IDLE_S)
        assert kernel_status(base, first.kernel_id) == 200 and await banner_state(first.page) is None
        await first.page.close(run_before_unload=True)
        gone, _ = await wait_until(lambda: kernel_status(base, first.kernel_id) == 404, 10)
        assert gone, "closing a page left its pooled kernel running"
        # The pool is refilled after room_refill_delay (1 s here).
        refilled, measured["refilled_s"] = await wait_until(lambda: len(kernel_processes(pid)) == 2, 60)
        assert refilled, "the room's pool was not refilled"
        await context.close()
    finally:
        await browser.close()
        await playwright.stop()
    return measured


POOL_IDLE_S = 7  # > cull_idle_timeout (5 s) and unconnected_grace (3 s here), + the 1 s cull interval


def test_room_pool_serves_pages_from_kernels_executed_ahead(start_workshop, chromium_launch, record_property):
    options = (*SHORT[:2], "--WorkshopKernelManager.unconnected_grace=3", *SHORT[3:],
               "--WorkshopKernelManager.max_kernels=1", "--WorkshopVoila.room_size=2",
               "--WorkshopVoila.room_notebook=00_course_map.ipynb", "--WorkshopVoila.room_refill_delay=1")
    with start_workshop(*options, name="room-pool") as server:
        measured = _run(_room_pool(server, chromium_launch))
        log = server["log"].read_text()
    assert "Using pre-heated kernel" in log
    for key, value in measured.items():
        record_property(key, round(value, 2))


# ---------------------------------------------------------------------------------------------
# The room of 30 (`make bench-room`): skipped unless WORKSHOP_ROOM_REPORT names the report to write.

ROOM_PAGES = int(os.environ.get("WORKSHOP_ROOM_PAGES", "30"))
ROOM_WINDOW_S = float(os.environ.get("WORKSHOP_ROOM_WINDOW_S", "60"))
ROOM_NOTEBOOK = os.environ.get("WORKSHOP_ROOM_NOTEBOOK", "01_sle.ipynb")
ROOM_READY_TIMEOUT_S = 300
ROOM_BROWSER_NICE = int(os.environ.get("WORKSHOP_ROOM_BROWSER_NICE", "0"))  # >0: the browser yields the cores
# Kernels executing the room's notebook before the room arrives (`make workshop ROOM=30`); 0 for none.
ROOM_POOL = int(os.environ.get("WORKSHOP_ROOM_POOL", str(ROOM_PAGES)))


def _kernel_cpus_s(pid: int) -> list[float]:
    """Each kernel's CPU time so far (user + system) [s]."""
    found = []
    for k in kernel_processes(pid):
        try:
            times = k.cpu_times()
            found.append(times.user + times.system)
        except psutil.NoSuchProcess:
            pass
    return found


def _kernel_cpu_s(pid: int) -> float:
    return sum(_kernel_cpus_s(pid))


# A kernel that has executed a lesson has used at least this much CPU; a bare kernel about 0.3 s. Without it, a
# pause between the kernels' start and the notebooks' execution (a busy server) looked like "executed, idle".
POOL_EXECUTED_CPU_S = 1.0


async def _wait_for_pool(pid: int, size: int, timeout_s: float = 600) -> dict:
    """Wait until the room's pool holds ``size`` kernels that have finished executing the notebook (their
    CPU time has stopped growing); return how long that took from now and the CPU it cost."""
    start = time.monotonic()
    filled, _ = await wait_until(lambda: len(kernel_processes(pid)) >= size, timeout_s, 0.5)
    assert filled, f"the room's pool started {len(kernel_processes(pid))} of {size} kernels in {timeout_s} s"
    last = -1.0
    while time.monotonic() - start < timeout_s:
        each = _kernel_cpus_s(pid)
        cpu = sum(each)
        executed = len(each) >= size and min(each) >= POOL_EXECUTED_CPU_S
        if executed and cpu - last < 0.05 * size:  # every kernel has run the notebook, and all are idle now
            break
        last = cpu
        await asyncio.sleep(2)
    return {"pool_ready_s": time.monotonic() - start, "pool_cpu_s": _kernel_cpu_s(pid)}


async def _sample_memory(pid: int, peaks: dict, stop: asyncio.Event):
    """Every second until ``stop``: the peak number of kernels and memory of kernels, server and machine."""
    while not stop.is_set():
        kernels = kernel_processes(pid)
        mem = memory_mb(kernels)
        peaks["kernels"] = max(peaks.get("kernels", 0), len(kernels))
        peaks["kernel_rss_mb"] = max(peaks.get("kernel_rss_mb", 0), mem["rss_mb"])
        peaks["kernel_uss_mb"] = max(peaks.get("kernel_uss_mb", 0), mem["uss_mb"])
        peaks["server_rss_mb"] = max(peaks.get("server_rss_mb", 0), memory_mb([psutil.Process(pid)])["rss_mb"])
        used = (psutil.virtual_memory().total - psutil.virtual_memory().available) / 2**20
        peaks["machine_used_mb"] = max(peaks.get("machine_used_mb", 0), used)
        try:
            await asyncio.wait_for(stop.wait(), 1.0)
        except asyncio.TimeoutError:
            pass


async def _room(server, launch):
    base, pid = server["url"], server["proc"].pid
    result = {"load_before": load_average(), "machine_used_before_mb":
              (psutil.virtual_memory().total - psutil.virtual_memory().available) / 2**20,
              "server_rss_before_mb": memory_mb([psutil.Process(pid)])["rss_mb"]}
    if ROOM_POOL:  # the educator starts the server before the room arrives
        result.update(await _wait_for_pool(pid, ROOM_POOL))
        result["load_before"] = load_average()
    peaks: dict = {}
    stop = asyncio.Event()
    sampler = asyncio.create_task(_sample_memory(pid, peaks, stop))
    playwright, browser = await _browser(launch, nice=ROOM_BROWSER_NICE)
    try:
        context = await browser.new_context()
        start = time.monotonic()

        async def learner(i):
            await asyncio.sleep(i * ROOM_WINDOW_S / ROOM_PAGES)
            item = await open_page(context, base, ROOM_NOTEBOOK, ROOM_READY_TIMEOUT_S)
            item.events.append(f"opened at {i * ROOM_WINDOW_S / ROOM_PAGES:.1f} s")
            return item

        pages = list(await asyncio.gather(*[learner(i) for i in range(ROOM_PAGES)]))
        result["all_ready_after_s"] = time.monotonic() - start
        result["ready"] = summary([p.ready_s for p in pages])
        result["failed"] = [p.error for p in pages if p.ready_s is None]
        kernels = kernel_processes(pid)
        per_kernel = [memory_mb([k]) for k in kernels]
        result["kernels_open"] = len(kernels)
        result["kernel_uss"] = summary([m["uss_mb"] for m in per_kernel])
        result["kernel_rss"] = summary([m["rss_mb"] for m in per_kernel])
        cpu = []
        for k in kernels:
            try:
                times = k.cpu_times()
                cpu.append(times.user + times.system)
            except psutil.NoSuchProcess:
                pass
        result["kernel_cpu_s"] = summary(cpu)
        server_cpu = psutil.Process(pid).cpu_times()
        result["server_cpu_s"] = server_cpu.user + server_cpu.system
        result["load_after_open"] = load_average()

        # Every ready page changes its first figure at the same moment.
        ready = [p for p in pages if p.ready_s is not None]
        clicks = await asyncio.gather(*[change_first_figure(p.page, 120) for p in ready], return_exceptions=True)
        result["click_errors"] = [repr(c) for c in clicks if isinstance(c, Exception)]
        result["click_ms"] = summary([c for c in clicks if isinstance(c, (int, float))])
        result["clicks_unchanged"] = sum(1 for c in clicks if c is None)

        # Everyone leaves: kernels must go (page-close shutdown), bounded.
        leave = time.monotonic()
        for item in pages:
            await item.page.close(run_before_unload=True)
        gone, _ = await wait_until(lambda: not kernel_processes(pid), 90, 0.5)
        result["kernels_left_after_close"] = len(kernel_processes(pid))
        result["all_kernels_gone_s"] = time.monotonic() - leave if gone else None
        await context.close()
    finally:
        stop.set()
        await sampler
        await browser.close()
        await playwright.stop()
    result["peaks"] = peaks
    result["server_rss_after_mb"] = memory_mb([psutil.Process(pid)])["rss_mb"]
    result["load_after"] = load_average()
    return result


def _fmt(value, digits=1):
    return "-" if value is None else f"{value:.{digits}f}"


def _room_report(result: dict, options: list[str]) -> str:
    import importlib.metadata as md
    r, k, u, c = result["ready"], result["click_ms"], result["kernel_uss"], result["kernel_cpu_s"]
    peaks = result["peaks"]
    met = not result["failed"] and r["n"] == ROOM_PAGES and not result["click_errors"]
    lines = [
        "# A room of 30 on one machine (`make bench-room`)",
        "",
        f"Written by `make bench-room` on {time.strftime('%Y-%m-%d %H:%M')}: {ROOM_PAGES} Chromium pages of "
        f"`{ROOM_NOTEBOOK}` opened one every {ROOM_WINDOW_S / ROOM_PAGES:.1f} s (all within {ROOM_WINDOW_S:.0f} s) "
        "against one `python -m workshop` server on 127.0.0.1, with the settings of `workshop/voila.json`"
        + (f" plus `{' '.join(options)}`" if options else "") + ". "
        + (f"Before the room arrived, {ROOM_POOL} kernels executed the notebook ahead of time (Voila's preheated "
           f"kernel pool, as `make workshop ROOM={ROOM_POOL}` does): {_fmt(result.get('pool_ready_s'))} s from the "
           f"server's start and {_fmt(result.get('pool_cpu_s'))} s of CPU in all. " if ROOM_POOL else "")
        + "Then every page changed its first figure at the same moment, and every page was closed.",
        "",
        f"Machine: {os.cpu_count()} cores, {psutil.virtual_memory().total / 2**30:.1f} GB memory, "
        f"{platform.python_implementation()} {platform.python_version()}, voila {md.version('voila')}, "
        f"jupyter_server {md.version('jupyter_server')}. Load average (1/5/15 min) before: {result['load_before']}; "
        f"after the pages opened: {result['load_after_open']}; at the end: {result['load_after']}. "
        f"The browser ran on the same machine (at nice {ROOM_BROWSER_NICE}) and competed with the server for the "
        "cores and memory. In a room each learner's browser runs on their own laptop, so these times are "
        "pessimistic for the server.",
        "",
        f"**Target: all {ROOM_PAGES} pages ready, none failing: {'met' if met else 'NOT met'}.** "
        f"Page-ready p95: {_fmt(r['p95'])} s.",
        "",
        "| measure | value |",
        "|---|---|",
        f"| pages ready | {r['n']} of {ROOM_PAGES} |",
        f"| page ready (request to every widget drawn): median / p95 / max | {_fmt(r['median'])} / {_fmt(r['p95'])} / {_fmt(r['max'])} s |",
        f"| last page ready, from the first request | {_fmt(result['all_ready_after_s'])} s |",
        f"| kernels running with every page open | {result['kernels_open']} |",
        f"| memory per kernel, unique (USS): median / max | {_fmt(u['median'])} / {_fmt(u['max'])} MB |",
        f"| memory per kernel, resident (RSS): median / max | {_fmt(result['kernel_rss']['median'])} / {_fmt(result['kernel_rss']['max'])} MB |",
        f"| all kernels together, peak: RSS / USS | {_fmt(peaks.get('kernel_rss_mb'), 0)} / {_fmt(peaks.get('kernel_uss_mb'), 0)} MB |",
        f"| Voila server RSS: before / peak / after | {_fmt(result['server_rss_before_mb'], 0)} / {_fmt(peaks.get('server_rss_mb'), 0)} / {_fmt(result['server_rss_after_mb'], 0)} MB |",
        f"| machine memory in use (includes the browser and other users): before / peak | {_fmt(result['machine_used_before_mb'], 0)} / {_fmt(peaks.get('machine_used_mb'), 0)} MB |",
        f"| CPU per kernel to open the page (user + system): median / max | {_fmt(c['median'], 2)} / {_fmt(c['max'], 2)} s |",
        f"| CPU of the Voila server for all pages | {_fmt(result['server_cpu_s'], 1)} s |",
        f"| {len(k) if isinstance(k, list) else k['n']} simultaneous control changes, change to new picture: median / p95 / max | {_fmt(k['median'], 0)} / {_fmt(k['p95'], 0)} / {_fmt(k['max'], 0)} ms |",
        f"| control changes with no new picture within 120 s | {result['clicks_unchanged']} |",
        f"| kernels left after every page closed | {result['kernels_left_after_close']} (all gone after {_fmt(result['all_kernels_gone_s'])} s) |",
        "",
    ]
    if result["failed"] or result["click_errors"]:
        lines += ["Failures:", ""] + [f"- {e}" for e in result["failed"] + result["click_errors"]] + [""]
    return "\n".join(lines)


def test_room_of_30(start_workshop, chromium_launch):
    report = os.environ.get("WORKSHOP_ROOM_REPORT")
    if not report:
        pytest.skip("the room of 30 runs with `make bench-room` (a few minutes)")
    options = os.environ.get("WORKSHOP_ROOM_ARGS", "").split()
    if ROOM_POOL:  # as `make workshop ROOM=30` does; no refill during the measurement
        options = [f"--WorkshopVoila.room_size={ROOM_POOL}", f"--WorkshopVoila.room_notebook={ROOM_NOTEBOOK}",
                   "--WorkshopVoila.room_refill_delay=3600", *options]
    with start_workshop(*options, name="room") as server:
        result = _run(_room(server, chromium_launch))
    Path(report).write_text(_room_report(result, options))
    assert not result["failed"], f"pages never ready: {result['failed']}"
    assert result["ready"]["n"] == ROOM_PAGES
    assert not result["click_errors"] and result["clicks_unchanged"] == 0
    assert result["kernels_left_after_close"] == 0


# ---------------------------------------------------------------------------------------------
# The long soak (`make soak`): skipped unless WORKSHOP_SOAK_SECONDS is set.

SOAK_NOTEBOOKS = ("00_course_map.ipynb", "glossary.ipynb", "02_cart_principles.ipynb", "00_course_map.ipynb")
SOAK_MAX_OPEN = 5
SOAK_OPTIONS = ("--MappingKernelManager.cull_idle_timeout=15", "--MappingKernelManager.cull_interval=3",
                "--WorkshopKernelManager.unconnected_grace=45", "--WorkshopKernelManager.dead_check_interval=2")
SOAK_SETTLE_S = 45 + 3 + 15  # the longest culling wait plus a margin


async def _soak(server, launch, duration_s: float, seed: int):
    base, pid = server["url"], server["proc"].pid
    rng = random.Random(seed)
    counts = {k: 0 for k in ("open", "reload", "close", "abandon", "kill", "get", "click", "idle")}
    problems: list[str] = []
    playwright, browser = await _browser(launch)
    try:
        context = await browser.new_context()
        # Warm-up: the server's first page loads its templates; the baseline is taken after it.
        warm = await open_page(context, base, SOAK_NOTEBOOKS[0], 120)
        await warm.page.close(run_before_unload=True)
        await wait_until(lambda: not kernel_processes(pid), SOAK_SETTLE_S)
        baseline = {"kernels": len(kernel_processes(pid)),
                    "server_rss_mb": memory_mb([psutil.Process(pid)])["rss_mb"],
                    "load": load_average()}
        pages = []
        deadline = time.monotonic() + duration_s
        while time.monotonic() < deadline:
            choices = ["open"] * (3 if len(pages) < SOAK_MAX_OPEN else 0)
            if pages:
                choices += ["reload", "close", "abandon", "click", "idle", "idle"] + ["kill"] * (rng.random() < 0.3)
            choices += ["get"] if rng.random() < 0.2 else []
            action = rng.choice(choices)
            counts[action] += 1
            if action == "open":
                item = await open_page(context, base, rng.choice(SOAK_NOTEBOOKS), 180)
                if item.ready_s is None:
                    problems.append(f"open {item.notebook}: {item.error}")
                    await item.page.close()
                else:
                    pages.append(item)
            elif action == "get":
                status, _, _ = await asyncio.to_thread(_get, f"{base}/voila/render/{SOAK_NOTEBOOKS[0]}")
                if status not in (200, 503):
                    problems.append(f"plain GET answered {status}")
            elif action == "idle":
                await asyncio.sleep(rng.uniform(2, 8))
            else:
                item = rng.choice(pages)
                if action == "reload":
                    await reload_page(item, 180)
                    if item.ready_s is None:
                        problems.append(f"reload {item.notebook}: {item.error}")
                elif action in ("close", "abandon"):
                    pages.remove(item)
                    await item.page.close(run_before_unload=action == "close")
                elif action == "kill":
                    try:
                        os.kill(_kernel_pid(pid, item.kernel_id), signal.SIGKILL)
                    except AssertionError:
                        pass  # already gone: the invariant below covers it
                    state, _ = await wait_until_async(lambda: banner_state(item.page), 20)
                    if state != "lost":
                        problems.append(f"killed kernel of {item.notebook}: the page shows {state!r}")
                    await reload_page(item, 180, click_selector="#course-kernel-status button")
                    if item.ready_s is None:
                        problems.append(f"reload button on {item.notebook}: {item.error}")
                elif action == "click" and await item.page.locator(".course-interactive").count():
                    if await change_first_figure(item.page, 60) is None:
                        problems.append(f"{item.notebook}: a control change drew no new picture in 60 s")
            # No page may be left without a kernel and without a message (a message may take one check).
            for item in pages:
                if kernel_status(base, item.kernel_id) != 200:
                    state, _ = await wait_until_async(lambda: banner_state(item.page), 12)
                    if state is None:
                        problems.append(f"{item.notebook}: kernel gone and no message")
        for i, item in enumerate(pages):
            await item.page.close(run_before_unload=i % 2 == 0)  # half closed, half abandoned
        await context.close()
        settled, waited = await wait_until(lambda: not kernel_processes(pid), SOAK_SETTLE_S, 1)
        end = {"kernels": len(kernel_processes(pid)), "server_rss_mb": memory_mb([psutil.Process(pid)])["rss_mb"],
               "load": load_average(), "settle_s": waited}
    finally:
        await browser.close()
        await playwright.stop()
    return {"counts": counts, "problems": problems, "baseline": baseline, "end": end}


def test_soak(start_workshop, chromium_launch):
    seconds = float(os.environ.get("WORKSHOP_SOAK_SECONDS", "0"))
    if not seconds:
        pytest.skip("the long soak runs with `make soak` (a few minutes)")
    seed = int(os.environ.get("WORKSHOP_SOAK_SEED", "2026"))
    with start_workshop(*SOAK_OPTIONS, name="soak") as server:
        result = _run(_soak(server, chromium_launch, seconds, seed))
    b, e = result["baseline"], result["end"]
    growth = e["server_rss_mb"] - b["server_rss_mb"]
    report = os.environ.get("WORKSHOP_SOAK_REPORT")
    if report:
        Path(report).write_text("\n".join([
            "# Soak test of workshop mode (`make soak`)", "",
            f"Written by `make soak` on {time.strftime('%Y-%m-%d %H:%M')}: {seconds:.0f} s of random page actions "
            f"(seed {seed}) against one `python -m workshop` server on 127.0.0.1 with `{' '.join(SOAK_OPTIONS)}` "
            "(shorter culling than workshop/voila.json, so that the run ends in minutes). "
            f"Notebooks: {', '.join(sorted(set(SOAK_NOTEBOOKS)))}; at most {SOAK_MAX_OPEN} pages open at once.", "",
            "| action | times |", "|---|---|",
            *[f"| {k} | {v} |" for k, v in result["counts"].items()], "",
            "| | baseline (after one warm-up page) | end (every page closed or abandoned) |", "|---|---|---|",
            f"| kernels | {b['kernels']} | {e['kernels']} (after {e['settle_s']:.0f} s) |",
            f"| Voila server RSS | {b['server_rss_mb']:.0f} MB | {e['server_rss_mb']:.0f} MB ({growth:+.0f} MB) |",
            f"| load average (1/5/15 min) | {b['load']} | {e['load']} |", "",
            f"Problems: {len(result['problems'])}" + "".join(f"\n- {p}" for p in result["problems"]), ""]))
    assert not result["problems"], result["problems"]
    assert e["kernels"] == 0, f"{e['kernels']} kernels left after every page went"
    assert growth < 60, f"the server grew by {growth:.0f} MB over the soak"
