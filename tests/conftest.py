"""Shared test settings: no screen, no writes to the home directory.

`make test` runs the tests in two processes (pytest-xdist, ``--dist loadscope``): a file's tests stay
together on one worker, so a notebook's cells share one kernel (nbval) and a module's fixtures start
their servers once; the website, needed by two files, is built once (``built_site``).
"""
import os
import tempfile

os.environ.setdefault("MPLBACKEND", "Agg")
os.environ.setdefault("MPLCONFIGDIR", tempfile.mkdtemp(prefix="mpl-"))
# No pre-rendering while kernels are idle (widgets/figure.py), here and in the kernels tests start
# (nbval, Voila, JupyterLab inherit this); tests/test_figure_prerender.py turns it on where it is tested.
os.environ.setdefault("SLE_COURSE_PRERENDER", "0")


import pytest  # noqa: E402


@pytest.fixture(scope="session")
def built_site():
    """The course website, built once per test run with warnings as errors (book/build.py).

    Executed notebooks are cached in _build/, so a second run rebuilds only what changed.
    """
    import fcntl
    import time
    from pathlib import Path

    from book import build

    # Two test workers (pytest-xdist) may both need it: one builds, the other waits and uses that build.
    run = os.environ.get("PYTEST_XDIST_TESTRUNUID", "")
    build.BUILD.mkdir(exist_ok=True)
    with open(build.BUILD / ".site.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        done = build.BUILD / f".site-built-{run}"
        if run and done.exists():
            return Path(done.read_text(encoding="utf-8"))
        for old in build.BUILD.glob(".site-built-*"):  # markers of earlier runs
            old.unlink()
        start = time.perf_counter()
        out = build.build("html", warnings_as_errors=True)
        print(f"site built in {time.perf_counter() - start:.0f} s")
        if run:
            done.write_text(str(out), encoding="utf-8")
    return out
