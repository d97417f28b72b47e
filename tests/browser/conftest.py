"""A JupyterLab served on 127.0.0.1 and Debian's Chromium driven by Playwright.

Everything Jupyter, matplotlib and Chromium would write to the home directory goes to a
temporary directory. The tests skip, saying how to get a browser, when no Chromium is found.
"""
from __future__ import annotations

import contextlib
import json
import os
import shutil
import socket
import subprocess
import sys
import tarfile
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
TOKEN = "course-test"


def chromium_path() -> str | None:
    for name in (os.environ.get("CHROMIUM"), "chromium", "chromium-browser"):
        if name and shutil.which(name):
            return shutil.which(name)
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def browser_env(tmp_path_factory):
    """Environment for a Jupyter server and a browser that write nothing outside a temp dir."""
    tmp = tmp_path_factory.mktemp("jupyter-home")
    settings = tmp / "lab-settings" / "@jupyterlab" / "apputils-extension"
    settings.mkdir(parents=True)
    (settings / "notification.jupyterlab-settings").write_text(json.dumps({"fetchNews": "false", "checkForUpdates": False}))
    # Keep every cell in the DOM so the tests can see all outputs without scrolling.
    notebook_settings = tmp / "lab-settings" / "@jupyterlab" / "notebook-extension"
    notebook_settings.mkdir(parents=True)
    (notebook_settings / "tracker.jupyterlab-settings").write_text(json.dumps({"windowingMode": "none"}))
    env = dict(os.environ)
    for var, sub in [("JUPYTER_CONFIG_DIR", "config"), ("JUPYTER_DATA_DIR", "data"), ("JUPYTER_RUNTIME_DIR", "runtime"),
                     ("IPYTHONDIR", "ipython"), ("MPLCONFIGDIR", "mpl"), ("XDG_CONFIG_HOME", "xdg-config"),
                     ("XDG_CACHE_HOME", "xdg-cache")]:
        (tmp / sub).mkdir()
        env[var] = str(tmp / sub)
    env["JUPYTERLAB_SETTINGS_DIR"] = str(tmp / "lab-settings")
    env["JUPYTERLAB_WORKSPACES_DIR"] = str(tmp / "workspaces")
    # The kernel must find the same Python that runs the tests (and so the installed course).
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    return tmp, env


@pytest.fixture(scope="session")
def chromium():
    path = chromium_path()
    if path is None:
        pytest.skip("browser tests need Chromium: on Debian/Ubuntu `sudo apt-get install chromium` "
                    "(never `playwright install`); or set CHROMIUM=/path/to/chromium")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("browser tests need the playwright Python package: `pip install -e '.[test]'`")
    return path, sync_playwright


def _wait_for_http(url: str, proc: subprocess.Popen, timeout_s: float) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with code {proc.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.3)
    raise TimeoutError(f"server did not answer at {url} within {timeout_s} s")


@contextlib.contextmanager
def _serve(command: list[str], ready_url: str, env: dict, log_path: Path):
    """Run a server with ``command``, wait until ``ready_url`` answers, and stop it by PID afterwards."""
    with open(log_path, "w") as log:
        proc = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            _wait_for_http(ready_url, proc, 90)
            yield proc
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()


@pytest.fixture(scope="session")
def lab_server(browser_env, chromium):
    """JupyterLab serving the repository root on a free 127.0.0.1 port; stopped by PID afterwards."""
    tmp, env = browser_env
    port = _free_port()
    with _serve([sys.executable, "-m", "jupyterlab", "--no-browser", "--allow-root", f"--port={port}",
                 "--ip=127.0.0.1", f"--ServerApp.token={TOKEN}", "--ServerApp.password=",
                 f"--ServerApp.root_dir={ROOT}", "--LabApp.news_url=", "--ServerApp.open_browser=False"],
                f"http://127.0.0.1:{port}/api/status?token={TOKEN}", env, tmp / "jupyterlab.log"):
        yield {"url": f"http://127.0.0.1:{port}", "token": TOKEN}


@pytest.fixture(scope="session")
def chromium_launch(chromium, browser_env):
    """Keyword arguments for launching Chromium from Playwright's async API, as ``browser_context`` does."""
    path, _ = chromium
    tmp, env = browser_env
    return {"executable_path": path, "headless": True, "args": CHROMIUM_ARGS, "env": {**env, "HOME": str(tmp)}}


@pytest.fixture(scope="session")
def browser_context(chromium, browser_env):
    path, sync_playwright = chromium
    tmp, env = browser_env
    with sync_playwright() as p:
        ctx = p.chromium.launch_persistent_context(
            str(tmp / "chromium-profile"), executable_path=path, headless=True, args=CHROMIUM_ARGS,
            viewport={"width": 1280, "height": 900},
            env={**env, "HOME": str(tmp)},
        )
        yield ctx
        ctx.close()


@pytest.fixture(scope="session")
def start_workshop(browser_env, chromium):
    """Start `python -m workshop` (as `make workshop` does) with extra Voila options on a free 127.0.0.1 port.

    Returns a context manager: ``with start_workshop("--Option=value", name="x") as server:``; the
    server is stopped by PID when the block ends. ``server`` holds ``url``, ``port``, ``proc`` and ``log``.
    """
    tmp, env = browser_env

    @contextlib.contextmanager
    def start(*options: str, name: str = "workshop"):
        port = _free_port()
        log = tmp / f"{name}-{port}.log"
        with _serve([sys.executable, "-m", "workshop", str(ROOT / "notebooks"), "--no-browser",
                     "--Voila.ip=127.0.0.1", f"--port={port}", "--Voila.port_retries=0", *options],
                    f"http://127.0.0.1:{port}/", env, log) as proc:
            yield {"url": f"http://127.0.0.1:{port}", "port": port, "proc": proc, "log": log}

    return start


@pytest.fixture(scope="session")
def voila_server(start_workshop):
    """Voila serving notebooks/ on a free 127.0.0.1 port, as `make workshop` does; stopped by PID afterwards.

    One server for the session, started by `python -m workshop` with workshop/voila.json; each page
    load starts its own kernel, which is shut down when the page unloads or, at the latest, culled
    once idle and unconnected. Tracebacks are shown so that a failing cell names its error in the
    test report.
    """
    with start_workshop("--VoilaConfiguration.show_tracebacks=True", name="voila") as server:
        yield server


AXE_CORE_VERSION = "4.11.4"  # axe-core from npm (the accessibility engine of Deque), pinned for repeatable results
AXE_DIR = ROOT / ".cache" / f"axe-core-{AXE_CORE_VERSION}"


@pytest.fixture(scope="session")
def axe_script(tmp_path_factory) -> str:
    """The source of axe.min.js, fetched once from the npm registry with `npm pack` into .cache/ (not committed)."""
    target = AXE_DIR / "axe.min.js"
    if not target.exists():
        npm = shutil.which("npm")
        if npm is None:
            if os.environ.get("CI"):
                pytest.fail("npm is needed for the accessibility checks (axe-core); .ci/run installs it")
            pytest.skip("npm not found: install Node.js/npm to run the accessibility checks (axe-core)")
        work = tmp_path_factory.mktemp("axe")
        subprocess.run([npm, "pack", f"axe-core@{AXE_CORE_VERSION}", "--silent"], cwd=work, check=True,
                       capture_output=True, timeout=300)
        with tarfile.open(next(work.glob("axe-core-*.tgz"))) as tar:
            member = tar.getmember("package/axe.min.js")
            AXE_DIR.mkdir(parents=True, exist_ok=True)
            partial = target.with_name(f"{target.name}.{os.getpid()}.part")  # two test workers may fetch at once
            partial.write_bytes(tar.extractfile(member).read())
            os.replace(partial, target)
    return target.read_text(encoding="utf-8")

