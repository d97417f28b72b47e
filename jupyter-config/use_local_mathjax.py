"""Make Voila inside a Jupyter server (Binder, JupyterHub, `jupyter lab`) typeset with its bundled MathJax.

Standalone Voila (`make workshop`) already uses the MathJax bundled in its own page. Voila served as a
Jupyter server extension instead reads ``mathjax_url`` from the server's settings and, when it is
missing, loads MathJax from a CDN, so a hub without internet shows raw LaTeX. Setting ``mathjax_url``
and ``mathjax_config`` to null (None) in ``ServerApp.tornado_settings`` makes its page use the bundled
copy, served by the Jupyter server itself (voila 0.5: voila/utils.py ``get_page_config``).

Jupyter reads ServerApp settings from ``jupyter_server_config.json`` files only (the ``.d`` folders hold
extension switches), so this script merges the two keys into ``<prefix>/etc/jupyter/jupyter_server_config.json``,
keeping whatever else the file says. Run it once in the environment that serves the course:

    python jupyter-config/use_local_mathjax.py            # this Python's environment (sys.prefix)
    python jupyter-config/use_local_mathjax.py --prefix /opt/conda
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

SETTINGS = {"mathjax_url": None, "mathjax_config": None}


def apply(prefix: Path) -> Path:
    """Merge the local-MathJax settings into ``prefix``'s server config; return the file written."""
    path = Path(prefix) / "etc" / "jupyter" / "jupyter_server_config.json"
    config = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
    config.setdefault("ServerApp", {}).setdefault("tornado_settings", {}).update(SETTINGS)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(config, indent=2) + "\n", encoding="utf-8")
    return path


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--prefix", type=Path, default=Path(sys.prefix))
    print(f"Voila will use its bundled MathJax: {apply(parser.parse_args().prefix)}")
