"""Publishing basics: licences, citation, changelog, and a Binder set-up that runs what the tests ran."""
import importlib.metadata
import json
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import yaml
from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())


def test_code_and_content_licences():
    assert (ROOT / "LICENSE").read_text().startswith("MIT License")
    assert PYPROJECT["project"]["license"] == "MIT"
    content = (ROOT / "LICENSE-content.md").read_text()
    assert "CC BY 4.0" in content and "creativecommons.org/licenses/by/4.0/" in content
    readme = (ROOT / "README.md").read_text()
    assert "LICENSE-content.md" in readme and "CC BY 4.0" in readme and "MIT" in readme


def test_one_version_in_pyproject_citation_and_changelog():
    version = PYPROJECT["project"]["version"]
    citation = yaml.safe_load((ROOT / "CITATION.cff").read_text())
    assert citation["cff-version"] == "1.2.0"
    for key in ("message", "title", "authors", "version", "license"):
        assert citation.get(key), f"CITATION.cff lacks {key}"
    assert citation["version"] == version
    assert set(citation["license"]) == {"MIT", "CC-BY-4.0"}
    top = re.search(r"^## \[(\d+\.\d+\.\d+)\]", (ROOT / "CHANGELOG.md").read_text(), re.M)
    assert top and top.group(1) == version, "the newest CHANGELOG.md entry must be the package version"


def _binder_pins() -> dict[str, str]:
    """name -> exact version: Python from conda, the packages from the pip section."""
    env = yaml.safe_load((ROOT / "binder" / "environment.yml").read_text())
    pins = {}
    for spec in env["dependencies"]:
        if isinstance(spec, dict):
            for req in spec["pip"]:
                name, sep, version = req.partition("==")
                assert sep and version, f"binder pip pin {req!r} must be name==version"
                pins[name.lower()] = version
        elif spec != "pip":
            name, _, version = spec.partition("=")
            assert name == "python" and version, f"binder conda entry {spec!r}: only python=X.Y is expected"
            pins[name] = version
    return pins


def test_binder_pins_python_311_and_every_runtime_package():
    pins = _binder_pins()
    assert pins.pop("python") == "3.11"
    # repo2docker takes the Python version only from a spec matching this (its PYTHON_REGEX).
    assert re.search(r"python\s*=+\s*([\d\.]*)", (ROOT / "binder" / "environment.yml").read_text()).group(1) == "3.11"
    wanted = {Requirement(s).name.lower(): Requirement(s) for s in PYPROJECT["project"]["dependencies"]}
    assert set(pins) == set(wanted), "binder/environment.yml and pyproject.toml name different packages"
    for name, version in pins.items():
        assert wanted[name].specifier.contains(version), f"binder pins {name}={version}, outside {wanted[name]}"


def test_binder_pins_are_the_versions_the_tests_run_with():
    assert sys.version_info[:2] == (3, 11), "CI runs Python 3.11, as binder/environment.yml pins"
    for name, version in _binder_pins().items():
        if name != "python":
            installed = importlib.metadata.version(name)
            assert installed == version, (f"tests run {name} {installed} but Binder pins {version}: run `make install` "
                                          "(it installs the pins) or update binder/environment.yml after a green run")


def test_binder_installs_the_package_and_local_mathjax():
    post = (ROOT / "binder" / "postBuild").read_text()
    assert "pip install" in post and "-e ." in post and "use_local_mathjax.py" in post


def test_local_mathjax_setting_keeps_the_rest_of_the_server_config(tmp_path):
    config = tmp_path / "etc" / "jupyter" / "jupyter_server_config.json"
    config.parent.mkdir(parents=True)
    config.write_text(json.dumps({"ServerApp": {"tornado_settings": {"headers": {"X": "1"}}, "port": 9999}}))
    subprocess.run([sys.executable, str(ROOT / "jupyter-config" / "use_local_mathjax.py"), "--prefix", str(tmp_path)],
                   check=True, capture_output=True)
    server = json.loads(config.read_text())["ServerApp"]
    assert server["port"] == 9999
    assert server["tornado_settings"] == {"headers": {"X": "1"}, "mathjax_url": None, "mathjax_config": None}
