"""The systemd units in deploy/systemd pass ``systemd-analyze verify`` and keep to loopback.

``systemd-analyze`` comes from Debian's systemd (scripts/setup_deploy_test.sh installs it where it
is missing). Paths are rewritten to this checkout so verify can check the executables exist.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from bot.config import PROJECT_ROOT

pytestmark = pytest.mark.slow
UNITS = PROJECT_ROOT / "deploy" / "systemd"
INSTANCES = ["bwbot-gateway@1.service", "bwbot-rasa@0.service", "bwbot-actions@0.service",
             "bwbot-purge.service", "bwbot-purge.timer", "bwbot.target"]


@pytest.fixture
def units(tmp_path: Path) -> Path:
    if shutil.which("systemd-analyze") is None:
        pytest.skip("systemd-analyze fehlt (Paket systemd; scripts/setup_deploy_test.sh installiert es)")
    for unit in UNITS.iterdir():
        if unit.is_file() and unit.suffix in (".service", ".timer", ".target"):
            text = unit.read_text(encoding="utf-8").replace("/srv/bwbot", str(PROJECT_ROOT))
            (tmp_path / unit.name).write_text(text.replace("/etc/bwbot/", f"{tmp_path}/etc/"), encoding="utf-8")
    return tmp_path


def test_units_verify_cleanly(units: Path) -> None:
    proc = subprocess.run(["systemd-analyze", "verify", "--man=no", *INSTANCES], cwd=units,
                          capture_output=True, text=True, timeout=120)
    problems = [line for line in (proc.stdout + proc.stderr).splitlines() if line.strip()]
    assert proc.returncode == 0 and not problems, problems


def test_units_restart_and_listen_on_loopback_only() -> None:
    for name in ("bwbot-gateway@.service", "bwbot-rasa@.service", "bwbot-actions@.service"):
        text = (UNITS / name).read_text(encoding="utf-8")
        assert "Restart=always" in text and "StartLimitIntervalSec=0" in text, name
        assert "NoNewPrivileges=yes" in text and "ProtectSystem=strict" in text, name
        assert "0.0.0.0" not in text, name
    gateway = (UNITS / "bwbot-gateway@.service").read_text(encoding="utf-8")
    assert ".venv-gateway/bin/python -m bot.gateway --host 127.0.0.1" in gateway
    rasa = (UNITS / "bwbot-rasa@.service").read_text(encoding="utf-8")
    assert "bot.launcher.run_rasa run --interface 127.0.0.1" in rasa and "RASA_TELEMETRY_ENABLED=false" in rasa
    assert "--auth-token" not in rasa and "token=" not in rasa
    assert re.search(r"OnCalendar=\*-\*-\* 03:15", (UNITS / "bwbot-purge.timer").read_text(encoding="utf-8"))
    assert "bot.cli purge --endpoints config/production/endpoints.yml" in (
        UNITS / "bwbot-purge.service").read_text(encoding="utf-8")
