"""environment.yml (conda, Binder) names the same runtime packages as pyproject.toml.

conda cannot run on the machines that test this course, so this test is what keeps
environment.yml honest.
"""
import re
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).parent.parent


def _split(spec: str) -> tuple[str, str]:
    m = re.match(r"^\s*([A-Za-z0-9_.\-]+)\s*(.*)$", spec)
    return m.group(1).lower().replace("_", "-"), m.group(2).replace(" ", "")


def test_environment_yml_matches_pyproject():
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    wanted = dict(_split(s) for s in pyproject["project"]["dependencies"])
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    conda = dict(_split(s) for s in env["dependencies"] if isinstance(s, str))
    conda.pop("pip", None)
    py = conda.pop("python", None)
    assert conda == wanted, f"environment.yml {conda} != pyproject.toml {wanted}"
    assert py is not None, "environment.yml must pin python"
    assert py.lstrip(">=") == pyproject["project"]["requires-python"].lstrip(">="), "python versions differ"


def test_binder_installs_the_package():
    post = (ROOT / "binder" / "postBuild").read_text()
    assert "pip install" in post and "-e ." in post
