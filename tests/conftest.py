"""Shared test settings: no screen, no writes to the home directory."""
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
    import time

    from book import build

    start = time.perf_counter()
    out = build.build("html", warnings_as_errors=True)
    print(f"site built in {time.perf_counter() - start:.0f} s")
    return out
