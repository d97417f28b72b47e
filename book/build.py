"""Build the course website (`make site`) and its one-page print version (used by `make pdf`).

Jupyter Book 1 (Sphinx + myst-nb) turns the notebooks into a static site that works with no
internet: every widget output is shown as the static picture the widget puts in its display data
(:mod:`widgets.static`), no widget manager script is loaded, and MathJax is served from the site
itself (npm ``mathjax``, unpacked into ``_build/vendor`` on the first build). Warnings are errors,
so a broken link or glossary anchor fails the build.

Notebooks are executed once and cached (jupyter-cache in ``_build/.jupyter_cache``); a rebuild
re-executes only the notebooks that changed.

An *edition* is one book: the course edition builds ``notebooks/`` as they are into
``_build/html``. A further edition (for example a patient edition) is an :class:`Edition` with its
own table of contents and a ``transform`` that filters each notebook; it is built from a filtered
copy into ``_build/html/<name>/``, beside the course.

Usage: ``python -m book.build [--edition NAME] [--builder html|singlehtml]``.
"""
from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BOOK = ROOT / "book"
BUILD = ROOT / "_build"
VENDOR = BUILD / "vendor"

# MathJax from the npm registry, pinned; only what the site needs is unpacked (about 8 MB).
MATHJAX_NPM = "mathjax@3.2.2"
MATHJAX_PARTS = ("es5/tex-mml-chtml.js", "es5/input", "es5/output/chtml", "es5/output/chtml.js", "es5/ui",
                 "es5/a11y", "es5/sre", "es5/core.js", "es5/loader.js", "es5/startup.js")
MATHJAX_ENTRY = "mathjax/tex-mml-chtml.js"  # relative to the site's _static/


@dataclass(frozen=True)
class Edition:
    """One book built from the course's notebooks.

    Parameters
    ----------
    name : str
        Short name; also the sub-folder of ``_build/html`` for every edition but the course.
    title : str
        The site title.
    toc : pathlib.Path
        Its Jupyter Book table of contents (``_toc.yml``), naming notebooks without the suffix.
    transform : callable, optional
        ``notebook -> notebook``, applied to a copy of each notebook (remove cells, swap text).
        None builds ``notebooks/`` in place.
    """

    name: str
    title: str
    toc: Path
    transform: Callable | None = None

    def source(self) -> Path:
        return ROOT / "notebooks" if self.transform is None else BUILD / "editions" / self.name

    def output(self, builder: str) -> Path:
        base = BUILD / builder
        return base if self.name == "course" else base / self.name


EDITIONS: dict[str, Edition] = {
    "course": Edition("course", "Lupus and CAR-T cell therapy", BOOK / "_toc.yml"),
}


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


def _prepare_source(edition: Edition) -> Path:
    """The folder to build from: ``notebooks/`` itself, or a transformed copy for another edition."""
    src = edition.source()
    if edition.transform is None:
        return src
    import nbformat

    src.mkdir(parents=True, exist_ok=True)
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        nb = edition.transform(nbformat.read(path, as_version=4))
        target = src / path.name
        text = nbformat.writes(nb)
        if not target.exists() or target.read_text(encoding="utf-8") != text:  # unchanged copies stay cached
            target.write_text(text, encoding="utf-8")
    return src


def build(edition: str = "course", builder: str = "html", warnings_as_errors: bool = True) -> Path:
    """Build one edition with ``builder`` (``html`` or ``singlehtml``); return the folder of its pages."""
    if edition not in EDITIONS:
        raise ValueError(f"edition must be one of {', '.join(EDITIONS)}; got {edition!r}.")
    if builder not in ("html", "singlehtml"):
        raise ValueError(f"builder must be 'html' or 'singlehtml'; got {builder!r}.")
    from jupyter_book.sphinx import build_sphinx

    ed = EDITIONS[edition]
    vendor_mathjax()
    src = _prepare_source(ed)
    out = ed.output(builder)
    overrides = {
        "external_toc_path": str(ed.toc),
        "html_title": ed.title,
        "html_static_path": [str(BOOK / "_static"), str(VENDOR)],
        "html_css_files": ["course.css"],
        "mathjax_path": MATHJAX_ENTRY,
        "nb_execution_cache_path": str(BUILD / ".jupyter_cache"),
        "exclude_patterns": ["_build", "**.ipynb_checkpoints"],
        "latex_individualpages": False,
    }
    result = build_sphinx(
        src, out, noconfig=True, path_config=str(BOOK / "_config.yml"), confoverrides=overrides,
        doctreedir=str(BUILD / ".doctrees" / f"{edition}-{builder}"), builder=builder,
        warningiserror=warnings_as_errors, keep_going=warnings_as_errors, quiet=True,
    )
    if result != 0:
        raise SystemExit(f"the {edition} site did not build ({builder}); the warnings above say why.")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--edition", default="course", choices=sorted(EDITIONS))
    parser.add_argument("--builder", default="html", choices=("html", "singlehtml"))
    args = parser.parse_args(argv)
    start = time.perf_counter()
    out = build(args.edition, args.builder)
    print(f"Built {args.edition} ({args.builder}) in {time.perf_counter() - start:.0f} s: {out / 'index.html'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
