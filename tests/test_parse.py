"""``bot parse --jsonl`` on the trained model (needs ``make train``; marked slow)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

pytestmark = pytest.mark.slow


def test_parse_jsonl_gives_nlu_and_domain_core_per_line():
    lines = "\n".join(json.dumps({"text": t}) for t in ("Ich brauche einen neuen Perso", "Hallo", "wohne in 70734"))
    res = subprocess.run([sys.executable, "-m", "bot.cli", "parse", "--jsonl"], input=lines + "\n{}\n",
                         capture_output=True, text=True, timeout=300, env={**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"})
    rows = [json.loads(line) for line in res.stdout.splitlines()]  # every stdout line is JSON
    assert len(rows) == 4
    perso, hallo, plz, bad = rows
    assert set(perso) == {"text", "intent", "entities", "services", "place"}
    assert perso["intent"]["name"] == "search_service" and 0 < perso["intent"]["confidence"] <= 1
    assert {"entity": "service", "value": "personalausweis"}.items() <= perso["entities"][0].items()
    assert perso["services"][0]["id"] == "personalausweis" and perso["place"] is None
    assert hallo["intent"]["name"] == "greet" and hallo["services"] == []
    assert plz["place"]["candidates"][0]["name"] == "Fellbach"
    assert "error" in bad
    assert res.returncode == 1


def test_parse_without_model_is_a_clear_error(tmp_path):
    res = subprocess.run([sys.executable, "-m", "bot.cli", "parse", "--jsonl", "--model", str(tmp_path)],
                         input='{"text": "Hallo"}\n', capture_output=True, text=True, timeout=120)
    assert res.returncode == 4
    assert "Kein trainiertes Modell" in res.stderr and "Traceback" not in res.stderr
