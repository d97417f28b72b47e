"""Measure how responsive the course is, and write the figures to benchmarks/RESULTS.md.

A benchmark, not a test: it asserts nothing and always writes its table, marking each missed
target plainly. Run it with ``make bench`` (about two to three minutes on two cores).

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
4. **Interactive update latency**: every public :class:`widgets.figure.FigureView` subclass defined in a
   ``widgets.*_views`` module and constructible with no arguments (found by introspection, so a new
   figure is measured without registering it). Its first control (the one the browser tests change)
   is set to alternate values; the time from the assignment to ``view.image.value`` holding the new
   picture (the PNG the browser will show) is recorded. ipywidgets calls observers synchronously, so
   the assignment returns once the picture is ready in the kernel; sending it to the browser is not
   included. **Naive baseline**, interleaved with the in-place updates in the same run: rebuild the
   figure from scratch for each value and render it, as the usual ``interact`` pattern does, i.e.
   ``cls(**{name: value})`` when the constructor takes the control's name as an argument, otherwise
   ``cls()`` followed by setting the control (marked "build+set", an upper bound).
"""
from __future__ import annotations

import argparse
import datetime as _dt
import importlib
import inspect
import math
import os
import pkgutil
import platform
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
UPDATE_TARGET_MS = 50.0  # median, control change -> new picture ready in the kernel
SPEEDUP_TARGET = 2.0  # in-place update at least this many times faster than a naive rebuild
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


def alternate_values(control) -> list:
    """Two or more values for ``control`` that differ from each other, starting with a new one."""
    options = getattr(control, "options", None)
    if options:
        values = [o[1] if isinstance(o, tuple) and len(o) == 2 else o for o in options]
        current = control.value
        others = [v for v in values if v != current]
        return others + [current] if others else []
    value = control.value
    if isinstance(value, bool):
        return [not value, value]
    if isinstance(value, (int, float)):
        step = getattr(control, "step", None) or 1
        lo, hi = getattr(control, "min", None), getattr(control, "max", None)
        if hasattr(control, "base"):  # FloatLogSlider: min, max and step are exponents of base
            exponent = math.log(value, control.base)
            other_exp = exponent + step if exponent + step <= hi else exponent - step
            return [control.base ** other_exp, value] if other_exp >= lo else []
        other = value + step if hi is None or value + step <= hi else value - step
        if lo is not None and other < lo:
            return []
        return [other, value]
    return []


def measure_figure(cls: type, changes: int) -> dict:
    view = cls()
    key, control = next(iter(view.controls.items()))
    values = alternate_values(control)
    name = f"{cls.__module__.removeprefix('widgets.')}.{cls.__name__}"
    if len(values) < 1:
        view.close()
        return {"name": name, "control": key, "error": f"no alternate value for {type(control).__name__}"}
    params = inspect.signature(cls).parameters
    naive_kind = "rebuild" if key in params else "build+set"
    in_place, naive, unchanged, messages = [], [], 0, 0
    for i in range(changes + 3):  # the first 3 rounds warm caches and are not counted
        value = values[i % len(values)]
        before = view.image.value
        t0 = time.perf_counter()
        control.value = value
        t1 = time.perf_counter()
        unchanged += view.image.value == before
        messages += bool(view.message_text)
        t2 = time.perf_counter()
        fresh = cls(**{key: value}) if naive_kind == "rebuild" else cls()
        if naive_kind != "rebuild":
            fresh.controls[key].value = value
        t3 = time.perf_counter()
        fresh.close()
        if i >= 3:
            in_place.append((t1 - t0) * 1000)
            naive.append((t3 - t2) * 1000)
    view.close()  # only the views made here: Widget.close_all() would also close layouts shared at module level
    return {"name": name, "control": key, "kind": type(control).__name__, "naive_kind": naive_kind,
            "in_place": in_place, "naive": naive, "unchanged": unchanged, "messages": messages}


def p95(xs: list[float]) -> float:
    return statistics.quantiles(xs, n=20, method="inclusive")[18]


# -- report -------------------------------------------------------------------------
def verdict(ok: bool, miss: str) -> str:
    return "yes" if ok else f"**MISSED**: {miss}"


def report(info, load_before, load_after, notebooks, bare, imports, figures, skipped, changes) -> str:
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
        "Other work on the machine (other engineers' tests shared these 2 cores) makes timings noisy; "
        "a load above the core count means the figures below are pessimistic.",
        "",
        "## Targets",
        "",
        "| target | measured | met? |",
        "|---|---|---|",
    ]
    lines.append(f"| whole course executes in under {COURSE_TARGET_S:.0f} s (every notebook, fresh kernel each) "
                 f"| {total:.1f} s | {verdict(total < COURSE_TARGET_S, f'{total:.1f} s')} |")
    measured = [f for f in figures if "in_place" in f]
    slow = [f["name"] for f in measured if statistics.median(f["in_place"]) >= UPDATE_TARGET_MS]
    weak = [f["name"] for f in measured
            if statistics.median(f["naive"]) < SPEEDUP_TARGET * statistics.median(f["in_place"])]
    worst = max((statistics.median(f["in_place"]) for f in measured), default=float("nan"))
    lines.append(f"| each interactive update under {UPDATE_TARGET_MS:.0f} ms median | slowest median {worst:.0f} ms "
                 f"| {verdict(not slow, ', '.join(slow))} |")
    lines.append(f"| each update at least {SPEEDUP_TARGET:.0f}x faster than a naive rebuild | "
                 f"{len(measured) - len(weak)} of {len(measured)} figures | {verdict(not weak, ', '.join(weak))} |")
    heavy = [n for n, r in notebooks.items() if r["peak_mb"] >= KERNEL_TARGET_MB]
    biggest = max((r["peak_mb"] for r in notebooks.values()), default=float("nan"))
    lines.append(f"| each kernel under {KERNEL_TARGET_MB:.0f} MB peak | largest {biggest:.0f} MB "
                 f"| {verdict(not heavy, ', '.join(heavy))} |")
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
    lines += [
        "",
        f"## Interactive figures: control change to new picture, {changes} changes each",
        "",
        "Every public `FigureView` subclass in `widgets.*_views` that builds with no arguments, found by "
        "introspection. Its first control is set to alternate values; the time is from the assignment to "
        "`view.image.value` holding the new PNG, in this process (no browser). The naive baseline, measured "
        "interleaved with it, builds a new figure for each value and renders it (`rebuild`: the constructor "
        "takes the value; `build+set`: built at defaults, then the control set, an upper bound).",
        "",
        "| figure | first control | in place: median [ms] | in place: p95 [ms] | naive: median [ms] | "
        "naive: p95 [ms] | speed-up | under 50 ms? | 2x faster? |",
        "|---|---|---:|---:|---:|---:|---:|---|---|",
    ]
    for f in figures:
        if "in_place" not in f:
            lines.append(f"| `{f['name']}` | `{f['control']}` | not measured: {f['error']} | | | | | | |")
            continue
        med, med_naive = statistics.median(f["in_place"]), statistics.median(f["naive"])
        note = []
        if f["unchanged"]:
            note.append(f"picture unchanged after {f['unchanged']} changes")
        if f["messages"]:
            note.append(f"message shown after {f['messages']} changes")
        name = f"`{f['name']}`" + (f" ({'; '.join(note)})" if note else "")
        lines.append(
            f"| {name} | `{f['control']}` ({f['kind']}) | {med:.1f} | {p95(f['in_place']):.1f} | {med_naive:.1f} | "
            f"{p95(f['naive']):.1f} ({f['naive_kind']}) | {med_naive / med:.1f}x | "
            f"{'yes' if med < UPDATE_TARGET_MS else '**MISSED**'} | "
            f"{'yes' if med_naive >= SPEEDUP_TARGET * med else '**MISSED**'} |")
    if skipped:
        lines += ["", "Not measured:", ""] + [f"- {s}" for s in skipped]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=ROOT / "benchmarks" / "RESULTS.md")
    parser.add_argument("--changes", type=int, default=40, help="control changes per figure (at least 30)")
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
    figures = []
    for cls in classes:
        figures.append(measure_figure(cls, args.changes))
        f = figures[-1]
        if "in_place" in f:
            print(f"  {f['name']}: {statistics.median(f['in_place']):.1f} ms vs naive "
                  f"{statistics.median(f['naive']):.1f} ms", flush=True)
    text = report(info, load_before, load_average(), notebooks, bare, imports, figures, skipped, args.changes)
    args.output.write_text(text)
    print(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
