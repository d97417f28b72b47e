"""Measure how responsive the course is, and write the figures to benchmarks/RESULTS.md.

A benchmark, not a test: it asserts nothing and always writes its table, marking each missed
target plainly. Run it with ``make bench`` (about ten minutes on two quiet cores; longer when shared).

What is measured, and how
-------------------------
1. **Each notebook executed in a fresh kernel** (nbclient, kernel ``python3``, working directory
   ``notebooks/``): the time to start the kernel and the time to run every cell, as ``make test``
   and Binder would.
2. **Each kernel's peak memory**: a cell appended (in memory only) after the notebook's last cell
   reads ``resource.getrusage(RUSAGE_SELF).ru_maxrss``, the kernel process's peak resident set size
   (kibibytes on Linux, bytes on macOS). An empty notebook gives the bare kernel's figure.
3. **``import widgets``** in a fresh interpreter (median of 5), and the same with every
   ``widgets.*_views`` module imported too (what a notebook's imports cell pays).
4. **Interactive update latency, random exploration** (:func:`measure_figure`): every public
   :class:`widgets.figure.FigureView` subclass in a ``widgets.*_views`` module that builds with no
   arguments (found by introspection). A random control gets a random new value, again and again
   (fixed seed); cache hits and misses, blits, full draws and layouts are counted. A value the view
   refuses with a message is counted as refused and put back before the next change, as a learner
   who reads the message does (the put-back is not timed). A second view of
   the same class, drawing every picture from scratch (``fast_paths = False``), gets the same change
   in the same run, in random order with the first: the naive redraw. Memoised model results are
   cleared before each timing, so each update pays its model (the kinetics solve included). No state
   is drawn ahead: pre-rendering while a kernel is idle needs a kernel's event loop, which this
   process does not run, so a hit here is only a state the walk visited before.
5. **End to end in Voila** (:func:`voila_end_to_end`): Voila on 127.0.0.1 and Debian's Chromium via
   Playwright (never ``playwright install``). Page open per notebook, and for every figure random
   changes of its primary control timed from the input event to the new picture painted.
"""
from __future__ import annotations

import argparse
import datetime as _dt
import importlib
import os
import pkgutil
import platform
import random
import statistics
import subprocess
import sys
import time
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK_DIR = ROOT / "notebooks"

# Targets agreed for the course (see README "Workshop mode" and docs/WORKSHOP.md).
COURSE_TARGET_S = 30.0  # whole course, every notebook in a fresh kernel, on 2 cores
UPDATE_TARGET_MS = 16.7  # median, control change -> new picture ready in the kernel (one frame at 60 Hz)
SPEEDUP_TARGET = 5.0  # at least this many times faster than a naive full redraw measured beside it
E2E_MEDIAN_MS, E2E_P95_MS = 100.0, 200.0  # in Voila, control change -> new picture painted
KERNEL_TARGET_MB = 250.0  # peak resident memory of one notebook's kernel

PACKAGES = ["ipywidgets", "matplotlib", "numpy", "scipy", "pillow", "ipykernel", "jupyter_client",
            "nbclient", "jupyterlab", "voila"]
MEMORY_PROBE = (
    "import resource as _r, sys as _s\n"
    "print(_r.getrusage(_r.RUSAGE_SELF).ru_maxrss * (1 if _s.platform == 'darwin' else 1024))"
)


# -- machine ------------------------------------------------------------------
def machine() -> dict[str, str]:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    versions = []
    for name in PACKAGES:
        try:
            versions.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            versions.append(f"{name} (not installed)")
    return {
        "date": _dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z"),
        "cpu": cpu,
        "cores": f"{usable} usable of {os.cpu_count()}",
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "packages": ", ".join(versions),
    }


def load_average() -> str:
    try:
        return ", ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "n/a"


# -- notebooks ----------------------------------------------------------------
def run_notebook(path: Path | None) -> dict:
    """Execute ``path`` (or an empty notebook) in a fresh kernel; return times (s) and peak RSS (MB)."""
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4) if path else nbformat.v4.new_notebook()
    n_cells = len(nb.cells)
    nb.cells.append(nbformat.v4.new_code_cell(MEMORY_PROBE))
    client = NotebookClient(nb, timeout=600, kernel_name="python3",
                            resources={"metadata": {"path": str(NOTEBOOK_DIR)}})
    t0 = time.perf_counter()
    with client.setup_kernel():
        t1 = time.perf_counter()
        for index, cell in enumerate(nb.cells[:n_cells]):
            client.execute_cell(cell, index)
        t2 = time.perf_counter()
        probe = client.execute_cell(nb.cells[-1], n_cells)
    text = "".join(o.get("text", "") for o in probe.outputs if o.get("name") == "stdout")
    return {"start_s": t1 - t0, "cells_s": t2 - t1, "peak_mb": int(text.strip()) / 2**20}


# -- imports --------------------------------------------------------------------
def view_modules() -> list[str]:
    import widgets

    return sorted(f"widgets.{m.name}" for m in pkgutil.iter_modules(widgets.__path__) if m.name.endswith("_views"))


def import_time_ms(statement: str, repeats: int = 5) -> float:
    code = f"import time; t = time.perf_counter(); {statement}; print(time.perf_counter() - t)"
    runs = []
    for _ in range(repeats):
        out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
        runs.append(float(out.stdout.strip()) * 1000)
    return statistics.median(runs)


# -- interactive figures ----------------------------------------------------------
def figure_classes() -> tuple[list[type], list[str]]:
    """Every public FigureView subclass in widgets.*_views that builds with no arguments."""
    from widgets.figure import FigureView

    found, skipped = [], []
    for name in view_modules():
        module = importlib.import_module(name)
        for cls_name, cls in vars(module).items():
            if (isinstance(cls, type) and issubclass(cls, FigureView) and cls is not FigureView
                    and cls.__module__ == module.__name__ and not cls_name.startswith("_")):
                found.append(cls)
    usable = []
    for cls in found:
        try:
            view = cls()
        except Exception as exc:  # noqa: BLE001 - a benchmark reports, it does not stop
            skipped.append(f"{cls.__module__}.{cls.__name__}: cannot be built with defaults ({type(exc).__name__}: {exc})")
            continue
        if not view.controls:
            skipped.append(f"{cls.__module__}.{cls.__name__}: has no controls")
        else:
            usable.append(cls)
        view.close()
    return usable, skipped


def random_value(control, rng):
    """A random value for ``control`` other than its current one (None when it has no other)."""
    value = control.value
    options = getattr(control, "options", None)
    kind = type(control).__name__
    if options and kind == "SelectMultiple":
        values = [o[1] if isinstance(o, tuple) and len(o) == 2 else o for o in options]
        choice = tuple(rng.sample(values, rng.randint(1, len(values))))
        return choice if set(choice) != set(value) else None
    if options:
        values = [o[1] if isinstance(o, tuple) and len(o) == 2 else o for o in options]
        others = [v for v in values if v != value]
        return rng.choice(others) if others else None
    if isinstance(value, bool):
        return not value
    if hasattr(control, "base"):  # FloatLogSlider: min, max and step are exponents of base
        n = round((control.max - control.min) / control.step)
        exponents = [control.min + control.step * i for i in range(n + 1)]
        others = [control.base ** e for e in exponents if abs(control.base ** e - value) > 1e-9 * value]
        return rng.choice(others) if others else None
    if isinstance(value, (int, float)) and hasattr(control, "max") and hasattr(control, "step"):
        n = round((control.max - control.min) / control.step)
        grid = [control.min + control.step * i for i in range(n + 1)]
        grid = [int(round(g)) if isinstance(value, int) else round(g, 10) for g in grid]
        others = [g for g in grid if g != value]
        return rng.choice(others) if others else None
    if isinstance(value, float):  # a number box: a plausible new number
        return float(rng.choice([0.5, 0.8, 1.25, 2.0]) * value) if value else float(rng.choice([1e3, 1e4, 1e5]))
    if isinstance(value, str):  # a text box: blank, one number, or (where it asks for a list) numbers with commas
        entries = ["", "0.3", "1.5", "4", "12", "37.2", "38.6", "90", "180"]
        if "," in getattr(control, "description", ""):  # "e.g. 900, 1200"
            entries = ["", "900, 1200", "80, 150", "300, 450, 800", "1500, 2100", "450, 600"]
        others = [e for e in entries if e != value]
        return rng.choice(others)
    return None


def model_caches() -> list:
    """Every memoised function of the course's pure modules (e.g. the kinetics solve), to clear before a timing."""
    import widgets

    found = []
    for info in pkgutil.iter_modules(widgets.__path__):
        if info.name.endswith("_views") or info.name in ("figure", "handouts"):
            continue
        module = importlib.import_module(f"widgets.{info.name}")
        found += [f for f in vars(module).values() if callable(getattr(f, "cache_clear", None))]
    return found


def _timed(action, caches) -> tuple[float, float]:
    for cache in caches:
        cache.cache_clear()
    w0, c0 = time.perf_counter(), time.thread_time()
    action()
    return (time.perf_counter() - w0) * 1000, (time.thread_time() - c0) * 1000


def measure_figure(cls: type, changes: int, seed: int) -> dict:
    """Random exploration: a random control gets a random new value, ``changes`` times.

    The same change is made to a second view of the same class that draws every picture from
    scratch (``fast_paths = False``: a fresh constrained layout, a full draw, 24-bit PNG), in random
    order with the first. Memoised model results are cleared before each timing, so each update
    pays its model (the kinetics solve included).
    """
    from widgets.figure import FigureView

    rng = random.Random(seed)
    name = f"{cls.__module__.removeprefix('widgets.')}.{cls.__name__}"
    caches = model_caches()
    view, naive = cls(), cls()
    naive.fast_paths, naive.palette_png = False, False
    naive.clear_cache()
    naive.refresh()
    rows, messages, skipped = [], 0, 0
    for _ in range(changes):
        for _attempt in range(20):
            key = rng.choice(list(view.controls))
            value = random_value(view.controls[key], rng)
            if value is not None:
                break
        else:
            skipped += 1
            continue
        before = dict(view.stats)
        previous = {name: control.value for name, control in view.controls.items()}

        def fast(key=key, value=value):
            view.controls[key].value = value

        def full(key=key, value=value):
            naive.controls[key].value = value
            for other, control in view.controls.items():  # presets move other controls too
                if naive.controls[other].value != control.value:
                    naive.controls[other].value = control.value

        if rng.random() < 0.5:
            wall, cpu = _timed(fast, caches)
            naive_wall, naive_cpu = _timed(full, caches)
        else:
            naive_wall, naive_cpu = _timed(full, caches)
            wall, cpu = _timed(fast, caches)
        delta = {k: view.stats[k] - before.get(k, 0) for k in ("hit", "miss", "blit", "full", "layout")}
        if view.message_text:  # refused: the learner reads the message and puts the value back (not timed)
            messages += 1
            for other in (view, naive):
                for control_name, control in other.controls.items():
                    if control.value != previous[control_name]:
                        control.value = previous[control_name]
        kind = "hit" if delta["hit"] else ("miss" if delta["miss"] else "none")
        rows.append({"kind": kind, "wall": wall, "cpu": cpu, "naive_wall": naive_wall, "naive_cpu": naive_cpu,
                     **delta})
    view.close()
    naive.close()
    return {"name": name, "rows": rows, "messages": messages, "skipped": skipped,
            "cacheable": cls.cache_pictures is not False and issubclass(cls, FigureView)}


def p95(xs: list[float]) -> float:
    if len(xs) < 2:
        return xs[0] if xs else float("nan")
    return statistics.quantiles(xs, n=20, method="inclusive")[18]


def med(xs: list[float]) -> float:
    return statistics.median(xs) if xs else float("nan")


# -- end to end in Voila ------------------------------------------------------------
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]

# Armed before a change: the first input event starts the clock; the picture's <img> getting a new src
# stops the DOM clock; after img.decode() and two animation frames the new picture is painted.
_ARM = """el => {
    const img = el.querySelector('img.course-figure-img');
    const src0 = img ? img.getAttribute('src') : null;
    window.__perf = {armed: true, t0: null, dom: null, painted: null};
    if (!window.__perfListening) {
        window.__perfListening = true;
        for (const ev of ['keydown', 'mousedown', 'input', 'change']) {
            document.addEventListener(ev, () => {
                if (window.__perf && window.__perf.armed) { window.__perf.armed = false; window.__perf.t0 = performance.now(); }
            }, true);
        }
    }
    const obs = new MutationObserver(() => {
        const im = el.querySelector('img.course-figure-img');
        if (!im || im.getAttribute('src') === src0 || window.__perf.dom !== null) return;
        window.__perf.dom = performance.now();
        obs.disconnect();
        im.decode().catch(() => null).then(() => requestAnimationFrame(() => requestAnimationFrame(() => {
            window.__perf.painted = performance.now(); })));
    });
    obs.observe(el, {subtree: true, childList: true, attributes: true, attributeFilter: ['src']});
}"""


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _random_change(control, page, rng) -> bool:
    """Change a figure's primary control to a random new value as a learner would; False if it cannot."""
    select = control.locator("select")
    if select.count():
        values = select.first.locator("option").evaluate_all("os => os.map(o => o.value)")
        current = select.first.input_value()
        others = [v for v in values if v != current]
        if not others:
            return False
        select.first.select_option(rng.choice(others))
        return True
    handle = control.locator(".noUi-handle")
    if handle.count():
        now, low, high = (float(handle.first.get_attribute(a) or 0) for a in
                          ("aria-valuenow", "aria-valuemin", "aria-valuemax"))
        key = "ArrowRight" if now <= low or (now < high and rng.random() < 0.5) else "ArrowLeft"
        handle.first.focus()
        page.keyboard.press(key)
        return True
    toggles = control.locator("button.widget-toggle-button:not(.mod-active)")
    if toggles.count():
        toggles.nth(rng.randrange(toggles.count())).click()
        return True
    box = control.locator("input[type=checkbox]")
    if box.count():
        box.first.click()
        return True
    number = control.locator("input[type=number], input[type=text]")
    if number.count():
        old = float(number.first.input_value() or 0)
        number.first.fill(f"{old * rng.choice([0.5, 0.8, 1.25, 2.0]) if old else 1000.0:g}")
        page.evaluate("() => { window.__perf.armed = true; }")  # the clock starts at Enter, not while typing
        number.first.press("Enter")
        return True
    return False


def voila_end_to_end(names: list[str], changes: int, seed: int) -> dict:
    """Serve notebooks/ with Voila on 127.0.0.1, open each page in Debian's Chromium and time it.

    Page open: from the request to every widget rendered. Each figure: ``changes`` random changes of
    its primary control, each from the input event to the new picture painted.
    """
    import shutil
    import tempfile
    import urllib.request

    chromium = os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return {"error": "the playwright Python package is missing (pip install -e '.[test]')"}
    if not chromium:
        return {"error": "no Chromium found (Debian: apt-get install chromium; never `playwright install`)"}
    rng = random.Random(seed)
    tmp = Path(tempfile.mkdtemp(prefix="course-bench-"))
    env = dict(os.environ)
    for var in ("JUPYTER_CONFIG_DIR", "JUPYTER_DATA_DIR", "JUPYTER_RUNTIME_DIR", "IPYTHONDIR", "MPLCONFIGDIR",
                "XDG_CONFIG_HOME", "XDG_CACHE_HOME"):
        (tmp / var.lower()).mkdir()
        env[var] = str(tmp / var.lower())
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    log = open(tmp / "voila.log", "w")
    proc = subprocess.Popen([sys.executable, "-m", "voila", str(NOTEBOOK_DIR), "--no-browser", "--Voila.ip=127.0.0.1",
                             f"--port={port}", "--Voila.port_retries=0"], cwd=ROOT, env=env, stdout=log,
                            stderr=subprocess.STDOUT)
    pages, figures = {}, {}
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                with urllib.request.urlopen(base + "/", timeout=2):
                    break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    return {"error": f"Voila did not start (see {tmp / 'voila.log'})"}
                time.sleep(0.3)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium, headless=True, args=CHROMIUM_ARGS,
                                        env={**env, "HOME": str(tmp)})
            try:
                for name in names:
                    page = browser.new_page(viewport={"width": 1280, "height": 900})
                    t0 = time.perf_counter()
                    response = page.goto(f"{base}/voila/render/{name}", wait_until="load", timeout=300_000)
                    expected = response.text().count('"application/vnd.jupyter.widget-view+json"')
                    page.wait_for_function(
                        """n => { const outs = [...document.querySelectorAll('.jp-OutputArea-output')];
                                  return !document.querySelector('script[type="application/vnd.voila.cell-output+json"]')
                                         && outs.filter(o => o.querySelector('.jupyter-widgets')).length >= n
                                         && outs.every(o => !/Loading widget/.test(o.textContent)); }""",
                        arg=expected, timeout=300_000, polling=100)
                    pages[name] = time.perf_counter() - t0
                    panels = page.locator(".course-interactive")
                    for i in range(panels.count()):
                        panel = panels.nth(i)
                        classes = panel.get_attribute("class") or ""
                        figure = next((c.removeprefix("course-view-") for c in classes.split()
                                       if c.startswith("course-view-")), f"{name} figure {i + 1}")
                        panel.scroll_into_view_if_needed()
                        control = panel.locator(".course-primary-control").first
                        painted, unchanged = [], 0
                        for _ in range(changes):
                            handle = panel.element_handle()
                            page.evaluate(_ARM, handle)
                            if not _random_change(control, page, rng):
                                break
                            try:
                                page.wait_for_function("() => window.__perf.painted !== null && window.__perf.t0 !== null",
                                                       timeout=15_000, polling="raf")
                            except Exception:  # noqa: BLE001 - the picture did not change (same state, message)
                                unchanged += 1
                                continue
                            perf = page.evaluate("() => window.__perf")
                            painted.append(perf["painted"] - perf["t0"])
                            page.wait_for_timeout(rng.randint(50, 250))  # a learner's pause between changes
                        figures[figure] = {"notebook": name, "painted": painted, "unchanged": unchanged}
                    page.close()
            finally:
                browser.close()
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()
        shutil.rmtree(tmp, ignore_errors=True)
    return {"pages": pages, "figures": figures}


# -- report -------------------------------------------------------------------------
# Why a figure misses a kernel target, as measured by profiling its misses (thread CPU time; see
# benchmarks/profile_misses.py). Printed under the targets for every figure that misses one.
WHY_SLOW = {
    "evidence_views.StudyExplorerView": "every update redraws all its bars and about 30 labels over the saved "
                                        "background (so the set of redrawn artists never changes), and a new "
                                        "selection brings new label strings to lay out (about 50 us a character)",
    "kinetics_views.KineticsView": "each change solves the cell-kinetics model anew (about 1.5 ms of CPU) and the "
                                   "curves span the whole plot, so about 22,000 pixels change and are re-encoded",
    "process_views.TimelineView": "each new manufacturing time brings two new strings (the vein-to-vein note and the "
                                  "manufacturing note) to lay out, about 2 ms each",
    "process_views.ExpansionView": "its number boxes move the limits between round values, and each new pair of "
                                   "limits needs one layout and one full draw before its background is saved; the "
                                   "three-line note is new text on every change",
}


def verdict(ok: bool, miss: str) -> str:
    return "yes" if ok else f"**MISSED**: {miss}"


def summarise(f: dict) -> dict:
    rows = [r for r in f["rows"] if r["kind"] != "none"]
    hits = [r["wall"] for r in rows if r["kind"] == "hit"]
    misses = [r["wall"] for r in rows if r["kind"] == "miss"]
    allw = [r["wall"] for r in rows]
    naive = [r["naive_wall"] for r in rows]
    return {
        "n": len(rows), "hits": len(hits), "misses": len(misses),
        "blits": sum(r["blit"] for r in rows), "fulls": sum(r["full"] for r in rows),
        "layouts": sum(r["layout"] for r in rows),
        "hit_med": med(hits), "miss_med": med(misses), "miss_p95": p95(misses),
        "miss_cpu_med": med([r["cpu"] for r in rows if r["kind"] == "miss"]),
        "all_med": med(allw), "all_p95": p95(allw), "naive_med": med(naive),
        "naive_cpu_med": med([r["naive_cpu"] for r in rows]),
        "ratio": med(naive) / med(allw) if allw and med(allw) > 0 else float("nan"),
    }


def fmt(x: float, digits: int = 1) -> str:
    return "-" if x != x else f"{x:.{digits}f}"


def report(info, load_before, load_after, notebooks, bare, imports, figures, skipped, changes, e2e) -> str:
    total = sum(r["start_s"] + r["cells_s"] for r in notebooks.values())
    lines = [
        "# Measured responsiveness",
        "",
        "Written by `make bench` (benchmarks/bench.py); the method is in that file's docstring and summarised "
        "below. Numbers from one run on the machine named here; rerun to measure yours.",
        "",
        f"- **Date:** {info['date']}",
        f"- **CPU:** {info['cpu']}, {info['cores']} cores",
        f"- **OS / Python:** {info['os']} / Python {info['python']}",
        f"- **Packages:** {info['packages']}",
        f"- **Load average (1, 5, 15 min):** before the run {load_before}; after it {load_after}. "
        f"This machine has {os.cpu_count()} cores: a load above that means other work shared them during the run, "
        "and every wall-clock time below is pessimistic by roughly load / cores. Ratios (fast against naive) "
        "are measured interleaved in the same run and are fairer than absolute times.",
        "",
        "## Targets",
        "",
        "| target | measured | met? |",
        "|---|---|---|",
    ]
    lines.append(f"| whole course executes in under {COURSE_TARGET_S:.0f} s (every notebook, fresh kernel each) "
                 f"| {total:.1f} s | {verdict(total < COURSE_TARGET_S, f'{total:.1f} s')} |")
    stats = {f["name"]: summarise(f) for f in figures}
    slow = [n for n, st in stats.items() if not st["all_med"] < UPDATE_TARGET_MS]
    weak = [n for n, st in stats.items() if not st["ratio"] >= SPEEDUP_TARGET]
    slow_miss = [n for n, st in stats.items() if st["misses"] and not st["miss_med"] < UPDATE_TARGET_MS]
    worst = max((st["all_med"] for st in stats.values()), default=float("nan"))
    lines.append(f"| each figure's median update under {UPDATE_TARGET_MS} ms in the kernel (random exploration) "
                 f"| {len(stats) - len(slow)} of {len(stats)} figures; slowest median {worst:.1f} ms "
                 f"| {verdict(not slow, ', '.join(slow))} |")
    lines.append(f"| each figure at least {SPEEDUP_TARGET:.0f}x faster than the naive redraw measured beside it "
                 f"| {len(stats) - len(weak)} of {len(stats)} figures | {verdict(not weak, ', '.join(weak))} |")
    lines.append(f"| (stricter, not an issue target) cache misses alone under {UPDATE_TARGET_MS} ms median "
                 f"| {len(stats) - len(slow_miss)} of {len(stats)} figures | {verdict(not slow_miss, ', '.join(slow_miss))} |")
    if "error" in e2e:
        lines.append(f"| end to end in Voila: median under {E2E_MEDIAN_MS:.0f} ms, p95 under {E2E_P95_MS:.0f} ms "
                     f"| not measured: {e2e['error']} | **NOT MEASURED** |")
    else:
        e2e_figs = {n: f["painted"] for n, f in e2e["figures"].items() if f["painted"]}
        bad = [n for n, xs in e2e_figs.items() if not (med(xs) < E2E_MEDIAN_MS and p95(xs) < E2E_P95_MS)]
        worst_med = max((med(xs) for xs in e2e_figs.values()), default=float("nan"))
        worst_p95 = max((p95(xs) for xs in e2e_figs.values()), default=float("nan"))
        lines.append(f"| end to end in Voila (control change to new picture painted): median under "
                     f"{E2E_MEDIAN_MS:.0f} ms and p95 under {E2E_P95_MS:.0f} ms for every figure "
                     f"| {len(e2e_figs) - len(bad)} of {len(e2e_figs)} figures; worst median {worst_med:.0f} ms, "
                     f"worst p95 {worst_p95:.0f} ms | {verdict(not bad, ', '.join(bad))} |")
    why = [f"- `{n}`: {WHY_SLOW.get(n, 'not profiled yet')}." for n in dict.fromkeys(slow + weak)]
    heavy = [n for n, r in notebooks.items() if r["peak_mb"] >= KERNEL_TARGET_MB]
    biggest = max((r["peak_mb"] for r in notebooks.values()), default=float("nan"))
    lines.append(f"| each kernel under {KERNEL_TARGET_MB:.0f} MB peak | largest {biggest:.0f} MB "
                 f"| {verdict(not heavy, ', '.join(heavy))} |")
    if why:
        lines += ["", "Why the figures that miss a kernel target miss it:", "", *why]
    lines += [
        "",
        f"## Interactive figures: random exploration, {changes} changes each",
        "",
        "Every public `FigureView` subclass in `widgets.*_views` that builds with no arguments, found by "
        "introspection. Each change sets a random control to a random new value (a fixed seed, so reruns "
        "explore the same way). **Fast** is the course's view: a cached picture on a revisited state (*hit*), "
        "otherwise a *miss*: the changed artists redrawn over a saved background (*blit*) or a full draw, with "
        "the layout of its signature (no state is pre-rendered here: that needs a kernel's idle event loop). "
        "**Naive** is a second view of the same class given the same change, "
        "drawing every picture from scratch: a fresh constrained layout, a full draw and a 24-bit PNG "
        "(rebuilding the figure with its constructor would cost more). The two are timed in random order, "
        "and memoised model results are cleared before each timing, so every update pays its model, the "
        "kinetics solve included. Times are wall-clock from the assignment to `view.image.value` holding "
        "the new picture, in this process (no browser); miss CPU is the thread's CPU time. "
        "Ratio = naive median / fast median over all changes.",
        "",
        "| figure | changes (hits / misses; blit / full draws; layouts) | miss median [ms] | miss CPU median [ms] "
        "| hit median [ms] | all: median / p95 [ms] | naive median [ms] | ratio | Voila end to end: median / p95 [ms] |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    e2e_figs = e2e.get("figures", {})
    for f in figures:
        st = stats[f["name"]]
        cls_name = f["name"].rsplit(".", 1)[-1]
        e = e2e_figs.get(cls_name)
        if e and e["painted"]:
            e2e_text = f"{med(e['painted']):.0f} / {p95(e['painted']):.0f} (n={len(e['painted'])})"
        else:
            e2e_text = "not measured"
        note = f"; {f['messages']} refused with a message" if f["messages"] else ""
        lines.append(
            f"| `{f['name']}` | {st['n']} ({st['hits']} / {st['misses']}; {st['blits']} / {st['fulls']}; "
            f"{st['layouts']}){note} | {fmt(st['miss_med'])} | {fmt(st['miss_cpu_med'])} | {fmt(st['hit_med'], 2)} | "
            f"{fmt(st['all_med'])} / {fmt(st['all_p95'])} | {fmt(st['naive_med'])} | {fmt(st['ratio'])}x | {e2e_text} |")
    if skipped:
        lines += ["", "Not measured:", ""] + [f"- {s}" for s in skipped]
    lines += [
        "",
        "## End to end in Voila, and page open",
        "",
    ]
    if "error" in e2e:
        lines.append(f"Not measured: {e2e['error']}.")
    else:
        lines += [
            "Voila serves `notebooks/` on 127.0.0.1 (as `make workshop` does) and Debian's Chromium, headless, "
            "driven by Playwright, opens each notebook with figures. **Page open**: from the request to every "
            "widget rendered (the notebook executed in a fresh kernel). **End to end** (in the table above): each "
            "figure's primary control is changed to a random new value, with a short pause between changes, and "
            "the time runs from the input event to the new picture painted (a `MutationObserver` sees the new "
            "`src`, then `img.decode()` and two animation frames). A change that leaves the picture as it was is "
            "not timed.",
            "",
            "| notebook | page open [s] |",
            "|---|---:|",
        ]
        for name, secs in e2e["pages"].items():
            lines.append(f"| `{name}` | {secs:.1f} |")
    lines += [
        "",
        "## Notebooks: execution in a fresh kernel and peak kernel memory",
        "",
        "Kernel start and cell execution by nbclient; peak memory is the kernel's own "
        "`getrusage(RUSAGE_SELF).ru_maxrss`, read by a cell run after the last one.",
        "",
        "| notebook | kernel start [s] | cells [s] | total [s] | peak kernel memory [MB] | memory target |",
        "|---|---:|---:|---:|---:|---|",
        f"| (empty notebook: the bare kernel) | {bare['start_s']:.1f} | {bare['cells_s']:.2f} | "
        f"{bare['start_s'] + bare['cells_s']:.1f} | {bare['peak_mb']:.0f} | |",
    ]
    for name, r in notebooks.items():
        ok = r["peak_mb"] < KERNEL_TARGET_MB
        lines.append(f"| `{name}` | {r['start_s']:.1f} | {r['cells_s']:.1f} | {r['start_s'] + r['cells_s']:.1f} | "
                     f"{r['peak_mb']:.0f} | {'met' if ok else '**MISSED**'} |")
    lines.append(f"| **whole course** | | | **{total:.1f}** | | |")
    lines += [
        "",
        "## Import time (fresh interpreter, median of 5)",
        "",
        "| statement | time [ms] |",
        "|---|---:|",
    ]
    for statement, ms in imports.items():
        lines.append(f"| `{statement}` | {ms:.0f} |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=ROOT / "benchmarks" / "RESULTS.md")
    parser.add_argument("--changes", type=int, default=40, help="random control changes per figure (at least 30)")
    parser.add_argument("--browser-changes", type=int, default=12, help="changes per figure in Voila (0: skip)")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--only", nargs="*", default=None, help="figure class names to measure (default: all)")
    args = parser.parse_args(argv)
    if args.changes < 30:
        parser.error("--changes must be at least 30 for a 95th percentile")
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("MPLBACKEND", "Agg")

    info, load_before = machine(), load_average()
    paths = sorted(NOTEBOOK_DIR.glob("*.ipynb"))
    print(f"notebooks: {len(paths)}", flush=True)
    bare = run_notebook(None)
    notebooks = {}
    for path in paths:
        notebooks[path.name] = run_notebook(path)
        r = notebooks[path.name]
        print(f"  {path.name}: {r['start_s']:.1f} s + {r['cells_s']:.1f} s, {r['peak_mb']:.0f} MB", flush=True)

    views = " ; ".join(f"import {m}" for m in view_modules())
    imports = {"import widgets": import_time_ms("import widgets"),
               "import widgets + every widgets.*_views": import_time_ms(f"import widgets ; {views}")}
    print(f"imports: {imports}", flush=True)

    import widgets.style

    widgets.style.use_course_style()
    classes, skipped = figure_classes()
    if args.only:
        classes = [c for c in classes if c.__name__ in args.only]
    figures = []
    for index, cls in enumerate(classes):
        figures.append(measure_figure(cls, args.changes, args.seed + index))
        st = summarise(figures[-1])
        print(f"  {figures[-1]['name']}: median {st['all_med']:.1f} ms (miss {st['miss_med']:.1f}, "
              f"hit {st['hit_med']:.2f}; {st['hits']} hits / {st['misses']} misses) vs naive {st['naive_med']:.1f} ms",
              flush=True)
    if args.browser_changes:
        with_figures = [p.name for p in paths if '"application/vnd.jupyter.widget-view+json"' in p.read_text()
                        or "View(" in p.read_text()]
        e2e = voila_end_to_end(with_figures, args.browser_changes, args.seed)
        for name, f in e2e.get("figures", {}).items():
            print(f"  e2e {name}: {fmt(med(f['painted']), 0)} / {fmt(p95(f['painted']), 0)} ms", flush=True)
    else:
        e2e = {"error": "skipped (--browser-changes 0)"}
    text = report(info, load_before, load_average(), notebooks, bare, imports, figures, skipped, args.changes, e2e)
    args.output.write_text(text)
    print(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
