"""Where a cache miss spends its CPU time, figure by figure (a profiling aid, not a test).

    .venv/bin/python benchmarks/profile_misses.py [--changes 40] [--only KineticsView ...]

The workload is ``bench.py``'s random exploration (a random control gets a random new value, fixed
seed; memoised model results cleared before each change, so the kinetics solve is paid). Only
changes that miss the picture cache are reported. Times are the thread's CPU time
(``time.thread_time``), so other work on the machine inflates them far less than wall-clock time.

Columns (medians over the misses, in ms):

- **model**: the pure functions of ``widgets.<topic>`` that ``update()`` calls (outermost calls only);
- **artists**: the rest of ``update()`` (setters, text formatting, the text alternative);
- **layout**: finding (or running) the layout of the current signature;
- **draw**: the Agg draw (a blit or a full draw), of which **glyphs** is ``RendererAgg.draw_text``;
- **encode**: the PNG encoding; **other**: the rest (cache look-up, base64, traitlets).
"""
from __future__ import annotations

import argparse
import functools
import importlib
import os
import pkgutil
import random
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))
os.environ.setdefault("MPLBACKEND", "Agg")

import bench  # noqa: E402  (the workload and the figure list are bench.py's)

PHASES = ("model", "artists", "layout", "draw", "glyphs", "encode", "other", "total")


class Clock:
    """Exclusive-free accumulators of thread CPU time per phase, for one change."""

    def __init__(self):
        self.spent = defaultdict(float)
        self.depth = defaultdict(int)

    def wrap(self, phase: str, fn):
        @functools.wraps(fn)
        def timed(*args, **kwargs):
            self.depth[phase] += 1
            if self.depth[phase] > 1:  # nested: counted by the outermost call
                try:
                    return fn(*args, **kwargs)
                finally:
                    self.depth[phase] -= 1
            t0 = time.thread_time()
            try:
                return fn(*args, **kwargs)
            finally:
                self.spent[phase] += time.thread_time() - t0
                self.depth[phase] -= 1
        return timed


def _model_functions() -> list[tuple[object, str]]:
    """(module, name) of every public function of the pure topic modules."""
    import widgets

    found = []
    for info in pkgutil.iter_modules(widgets.__path__):
        if info.name.endswith("_views") or info.name in ("figure", "handouts", "style", "validate", "static"):
            continue
        module = importlib.import_module(f"widgets.{info.name}")
        for name, value in vars(module).items():
            if callable(value) and getattr(value, "__module__", "") == module.__name__ and not isinstance(value, type):
                found.append((module, name))
    return found


def profile_figure(cls, changes: int, seed: int) -> dict:
    import widgets.figure as figmod
    from matplotlib.backends.backend_agg import RendererAgg

    clock = Clock()
    patches = []

    def patch(owner, name, phase):
        original = getattr(owner, name)
        patches.append((owner, name, original))
        setattr(owner, name, clock.wrap(phase, original))

    for module, name in _model_functions():
        patch(module, name, "model")
    patch(figmod, "_encode", "encode")
    if hasattr(figmod, "_PaletteEncoder"):
        patch(figmod._PaletteEncoder, "encode", "encode")
    patch(RendererAgg, "draw_text", "glyphs")
    view = cls()
    for name, phase in (("update", "update"), ("_place_axes", "layout"), ("_render", "render"),
                        ("refresh", "total")):
        setattr(view, name, clock.wrap(phase, getattr(view, name)))
    caches = bench.model_caches()
    rng = random.Random(seed)
    rows = []
    try:
        for _ in range(changes):
            for _attempt in range(20):
                key = rng.choice(list(view.controls))
                value = bench.random_value(view.controls[key], rng)
                if value is not None:
                    break
            else:
                continue
            for cache in caches:
                cache.cache_clear()
            before = view.stats["miss"], view.stats["blit"], view.stats["layout"]
            clock.spent.clear()
            view.controls[key].value = value
            s = dict(clock.spent)
            if view.stats["miss"] == before[0]:
                continue
            row = {
                "model": s.get("model", 0), "artists": s.get("update", 0) - s.get("model", 0),
                "layout": s.get("layout", 0), "glyphs": s.get("glyphs", 0), "encode": s.get("encode", 0),
                "draw": s.get("render", 0) - s.get("layout", 0) - s.get("encode", 0),
                "total": s.get("total", 0), "blit": view.stats["blit"] > before[1],
                "relayout": view.stats["layout"] > before[2],
            }
            row["other"] = row["total"] - row["model"] - row["artists"] - row["layout"] - row["draw"] - row["encode"]
            rows.append(row)
    finally:
        for owner, name, original in reversed(patches):
            setattr(owner, name, original)
        view.close()
    encoder = getattr(view, "_encoder", None)
    return {"name": f"{cls.__module__.removeprefix('widgets.')}.{cls.__name__}", "rows": rows,
            "encoder": dict(encoder.stats) if encoder is not None else {}}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--changes", type=int, default=40)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--only", nargs="*", default=None)
    args = parser.parse_args(argv)
    import widgets.style

    widgets.style.use_course_style()
    classes, _ = bench.figure_classes()
    if args.only:
        classes = [c for c in classes if c.__name__ in args.only]
    print(f"load average {bench.load_average()}; CPU ms, medians over misses")
    print("| figure | misses (blit / relayout) | " + " | ".join(PHASES) + " | palette encoder |")
    print("|---|---|" + "---:|" * len(PHASES) + "---|")
    for index, cls in enumerate(bench.figure_classes()[0] if False else classes):
        result = profile_figure(cls, args.changes, args.seed + index)
        rows = result["rows"]
        if not rows:
            print(f"| `{result['name']}` | 0 |" + " - |" * len(PHASES))
            continue
        meds = [statistics.median(r[p] for r in rows) * 1000 for p in PHASES]
        blits = sum(r["blit"] for r in rows)
        layouts = sum(r["relayout"] for r in rows)
        print(f"| `{result['name']}` | {len(rows)} ({blits} / {layouts}) | " + " | ".join(f"{m:.1f}" for m in meds)
              + f" | {result['encoder']} |", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
