"""Workshop mode's server settings, without starting a server (the browser tests start one)."""
from __future__ import annotations

import json
import re
import socket
from pathlib import Path

import pytest

from workshop.hosts import allowed_host_pattern

ROOT = Path(__file__).resolve().parents[1]


def _answers(pattern: str, host: str) -> bool:
    # tornado's HostMatches anchors the pattern at both ends and matches the lower-cased host name.
    return re.fullmatch(pattern, host.lower()) is not None


@pytest.mark.parametrize("host", ["127.0.0.1", "127.0.1.1", "localhost", "LOCALHOST", "[::1]"])
def test_loopback_server_answers_to_loopback_names(host):
    assert _answers(allowed_host_pattern("127.0.0.1"), host)


@pytest.mark.parametrize("host", ["rebind.example", "192.168.1.20", "127.0.0.1.rebind.example",
                                  "localhost.rebind.example", "[fe80::1]", ""])
def test_loopback_server_refuses_other_names(host):
    assert not _answers(allowed_host_pattern("127.0.0.1"), host)


@pytest.mark.parametrize("host", ["192.168.1.20", "10.0.0.7", "[fe80::1]", "localhost", "course.example.org",
                                  socket.gethostname().lower()])
def test_room_server_answers_to_addresses_its_names_and_listed_names(host):
    assert _answers(allowed_host_pattern("0.0.0.0", ["course.example.org"]), host)


@pytest.mark.parametrize("host", ["rebind.example", "192.168.1.20.rebind.example", "course.example.org.evil"])
def test_room_server_refuses_other_names(host):
    assert not _answers(allowed_host_pattern("0.0.0.0", ["course.example.org"]), host)


def test_bad_ip_is_refused_with_a_plain_message():
    with pytest.raises(ValueError, match="not an IP address"):
        allowed_host_pattern("my laptop")
    with pytest.raises(TypeError, match="ip must be a string"):
        allowed_host_pattern(None)


def test_every_setting_in_voila_json_is_explained_in_the_guide():
    settings = json.loads((ROOT / "workshop" / "voila.json").read_text())
    guide = (ROOT / "docs" / "WORKSHOP.md").read_text()
    for section, values in settings.items():
        for name in values:
            assert name in guide, f"{section}.{name} (workshop/voila.json) is not explained in docs/WORKSHOP.md"


def test_shipped_settings_reap_orphans_but_keep_open_pages():
    settings = json.loads((ROOT / "workshop" / "voila.json").read_text())
    cull = settings["MappingKernelManager"]
    assert 0 < cull["cull_idle_timeout"] + cull["cull_interval"] <= 60, "a gone page's kernel must go within a minute"
    assert cull["cull_connected"] is False, "an open page must keep its kernel"
    assert settings["KernelManager"]["autorestart"] is False, "a dead kernel must not come back empty"
    assert settings["WorkshopKernelManager"]["max_kernels"] > 0


def test_make_workshop_runs_the_workshop_server():
    import subprocess
    dry = subprocess.run(["make", "-n", "workshop"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    assert "-m workshop notebooks" in dry, dry


def test_a_room_pool_of_a_missing_notebook_is_refused_in_plain_words():
    options = ["--WorkshopVoila.room_size=2", "--WorkshopVoila.room_notebook=nope.ipynb"]
    message = "room_notebook 'nope.ipynb' is not a notebook in"
    import subprocess
    import sys
    done = subprocess.run([sys.executable, "-m", "workshop", str(ROOT / "notebooks"), "--no-browser",
                           "--Voila.ip=127.0.0.1", "--port=0", *options],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    output = done.stdout + done.stderr
    assert done.returncode == 2, output
    assert message in output and "Traceback" not in output
    assert "01_sle.ipynb" in output  # the accepted notebooks are listed
