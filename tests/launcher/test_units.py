"""The deployable units: the public gateway runs in its own environment (current Python and aiohttp,
installed only from requirements/gateway.lock) and imports nothing of Rasa; the domain core loads there.

numpy is allowed in the gateway since issue 13, for one reason only: the language detection
(bot/gateway/detect.py, py3langid) computes with it. It is loaded with the model on the first message
without ``lang``, never at startup; Rasa, TensorFlow, spaCy and Sanic stay out."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

from bot.config import PROJECT_ROOT
from bot.launcher.stack import GATEWAY_VENV, gateway_python

PROBE = """
import json, sys, importlib.metadata as md
import bot.gateway.__main__, bot.gateway.app, bot.gateway.limits
from bot.gateway import Settings, create_app
create_app(Settings())
from bot.core import get_core
core = get_core()
hit = core.search("Ich brauche einen neuen Personalausweis")
def heavy():
    return sorted({m.split(".")[0] for m in sys.modules} & {"rasa", "rasa_sdk", "sanic", "spacy", "tensorflow", "numpy"})
at_start = heavy()
from bot.gateway.detect import Detector
detected = Detector().detect("Hello, how do I register my new flat?")
print(json.dumps({"python": list(sys.version_info[:2]), "aiohttp": md.version("aiohttp"), "heavy": at_start,
                  "found": bool(hit), "detected": detected.language if detected else None,
                  "heavy_after_detection": heavy()}))
"""


def test_gateway_environment_is_current_and_free_of_rasa() -> None:
    assert (GATEWAY_VENV / "bin" / "python").exists(), "make gateway-venv (scripts/bootstrap_gateway.sh)"
    assert gateway_python() == str(GATEWAY_VENV / "bin" / "python")  # the launcher starts it with this one
    proc = subprocess.run([gateway_python(), "-c", PROBE], cwd=PROJECT_ROOT, capture_output=True, text=True,
                          timeout=300, env={**os.environ, "PYTHONPATH": str(PROJECT_ROOT)})
    assert proc.returncode == 0, proc.stderr[-2000:]
    info = json.loads(proc.stdout.strip().splitlines()[-1])
    assert info["python"] >= [3, 12]
    assert tuple(int(p) for p in info["aiohttp"].split(".")[:3]) >= (3, 13, 3)  # CVE-2025-69223 and later fixes
    assert info["heavy"] == [] and info["found"]
    assert info["detected"] == "en" and info["heavy_after_detection"] == ["numpy"]


def test_gateway_lock_pins_every_package_with_hashes() -> None:
    lock = (PROJECT_ROOT / "requirements" / "gateway.lock").read_text(encoding="utf-8")
    blocks = [b for b in lock.split("\n") if b and not b.startswith((" ", "#"))]
    assert blocks and all("==" in b and b.rstrip().endswith("\\") for b in blocks), blocks
    assert "rasa" not in {b.split("==")[0] for b in blocks}
    clean_env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}  # the checkout's egg-info is no package
    frozen = subprocess.run([gateway_python(), "-m", "pip", "freeze", "--all"], capture_output=True, text=True,
                            timeout=60, env=clean_env).stdout
    def norm(name: str) -> str:  # PEP 503: "ruamel.yaml" == "ruamel-yaml"
        return name.lower().replace("_", "-").replace(".", "-")

    installed = {norm(line.split("==")[0]) for line in frozen.splitlines() if "==" in line}
    locked = {norm(b.split("==")[0]) for b in blocks}
    assert installed - {"pip", "setuptools"} == locked  # nothing installed beside the lock
    assert Path(PROJECT_ROOT / "requirements" / "dev.txt").is_file()
