"""Build the course website (`make site`) and its one-page print version (used by `make pdf`).

Jupyter Book 1 (Sphinx + myst-nb) turns the notebooks into a static site that works with no
internet: every widget output is shown as the static picture the widget puts in its display data
(:mod:`widgets.static`), no widget manager script is loaded, and MathJax is served from the site
itself (npm ``mathjax``, unpacked into ``_build/vendor`` on the first build). Warnings are errors,
so a broken link or glossary anchor fails the build.

Notebooks are executed once and cached (jupyter-cache in ``_build/.jupyter_cache``); a rebuild
re-executes only the notebooks that changed.

Both editions are in one site (``book/_toc.yml``): the full course from ``notebooks/`` and, as a second
part, the patient edition, which :mod:`widgets.editions` writes from the same notebooks into
``notebooks/patient/`` before each build. Relative links between the editions work as in JupyterLab,
and one search covers both. Another edition would be another folder written the same way and another
part in the table of contents.

Usage: ``python -m book.build [--builder html|singlehtml]``.
"""
from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BOOK = ROOT / "book"
BUILD = ROOT / "_build"
NOTEBOOKS = ROOT / "notebooks"
TOC = BOOK / "_toc.yml"
VENDOR = BUILD / "vendor"

# MathJax from the npm registry, pinned; only what the site needs is unpacked (about 8 MB).
MATHJAX_NPM = "mathjax@3.2.2"
MATHJAX_PARTS = ("es5/tex-mml-chtml.js", "es5/input", "es5/output/chtml", "es5/output/chtml.js", "es5/ui",
                 "es5/a11y", "es5/sre", "es5/core.js", "es5/loader.js", "es5/startup.js")
MATHJAX_ENTRY = "mathjax/tex-mml-chtml.js"  # relative to the site's _static/


def vendor_mathjax(dest: Path = VENDOR / "mathjax") -> Path:
    """Unpack MathJax from its npm package into ``dest`` once (npm checks the package's integrity)."""
    if (dest / "tex-mml-chtml.js").is_file():
        return dest
    npm = shutil.which("npm")
    if npm is None:
        raise SystemExit("make site needs npm to fetch MathJax from the npm registry once "
                         "(Debian: apt-get install npm).")
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([npm, "pack", MATHJAX_NPM, "--silent", "--pack-destination", tmp], check=True,
                       stdout=subprocess.DEVNULL)
        (tarball,) = Path(tmp).glob("mathjax-*.tgz")
        staging = Path(tmp) / "unpacked"
        with tarfile.open(tarball) as tar:
            members = [m for m in tar.getmembers()
                       if any(m.name == f"package/{p}" or m.name.startswith(f"package/{p}/") for p in MATHJAX_PARTS)]
            tar.extractall(staging, members=members, filter="data")
        if dest.exists():
            shutil.rmtree(dest)
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copytree(staging / "package" / "es5", dest)
        shutil.copy(staging / "package" / "LICENSE", dest / "LICENSE") if (staging / "package" / "LICENSE").exists() else None
    return dest


def write_patient_edition() -> Path:
    """Write the patient edition (notebooks/patient/, not committed) from the lessons, as `make patient-edition` does."""
    from widgets import editions

    target = NOTEBOOKS / editions.PATIENT_EDITION_DIR
    editions.build_patient_edition(NOTEBOOKS, target)
    return target


def build(builder: str = "html", warnings_as_errors: bool = True) -> Path:
    """Build the site with ``builder`` (``html`` or ``singlehtml``); return the folder of its pages."""
    if builder not in ("html", "singlehtml"):
        raise ValueError(f"builder must be 'html' or 'singlehtml'; got {builder!r}.")
    from jupyter_book.sphinx import build_sphinx

    vendor_mathjax()
    write_patient_edition()
    out = BUILD / builder
    overrides = {
        "external_toc_path": str(TOC),
        "html_static_path": [str(BOOK / "_static"), str(VENDOR)],
        "html_css_files": ["course.css"],
        "mathjax_path": MATHJAX_ENTRY,
        "nb_execution_cache_path": str(BUILD / ".jupyter_cache"),
        "exclude_patterns": ["_build", "**.ipynb_checkpoints"],
        "latex_individualpages": False,
    }
    result = build_sphinx(
        NOTEBOOKS, out, noconfig=True, path_config=str(BOOK / "_config.yml"), confoverrides=overrides,
        doctreedir=str(BUILD / ".doctrees" / builder), builder=builder,
        warningiserror=warnings_as_errors, keep_going=warnings_as_errors, quiet=True,
    )
    if result != 0:
        raise SystemExit(f"the site did not build ({builder}); the warnings above say why.")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--builder", default="html", choices=("html", "singlehtml"))
    args = parser.parse_args(argv)
    start = time.perf_counter()
    out = build(args.builder)
    print(f"Built the site ({args.builder}) in {time.perf_counter() - start:.0f} s: {out / 'index.html'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
