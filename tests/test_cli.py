"""The CLI contract: JSON shapes, --jsonl batch mode and clean errors (run as a real subprocess)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest


def bot(*args: str, stdin: str | None = None, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", *args], input=stdin, capture_output=True, text=True,
        env={**os.environ, **(env or {})}, timeout=60,
    )


def test_lookup_names_personalausweis_and_stadt_fellbach():
    res = bot("lookup", "Ich brauche einen neuen Perso", "--place", "70734", "--json")
    assert res.returncode == 0, res.stderr
    out = json.loads(res.stdout)
    assert out["services"][0]["id"] == "personalausweis"
    assert out["services"][0]["servicebw_id"] == "2020"
    assert set(out["services"][0]) >= {"id", "name", "servicebw_id", "score"}
    assert out["place"]["candidates"][0]["ags"] == "08119020"
    assert out["office"]["name"].startswith("Stadt Fellbach")
    assert out["office"]["kind"] == "Gemeinde"
    assert out["office"]["url"] == "https://www.service-bw.de/zufi/leistungen/2020?plz=70734&ags=08119020"


def test_lookup_takes_the_place_from_the_text():
    out = json.loads(bot("lookup", "Kfz-Zulassung in Stuttgart", "--json").stdout)
    assert out["office"]["name"].startswith("Landeshauptstadt Stuttgart")
    assert out["office"]["kind"] == "Stadtkreis"


def test_lookup_without_place_has_no_office():
    out = json.loads(bot("lookup", "Sperrmüll", "--json").stdout)
    assert out["services"][0]["id"] == "sperrmuell"
    assert out["place"] is None and out["office"] is None


def test_place_json_shape_and_ambiguity():
    out = json.loads(bot("place", "Altdorf", "--json").stdout)
    assert out["in_bw"] is True
    assert len(out["candidates"]) == 2
    assert set(out["candidates"][0]) >= {"ags", "name", "gemeindetyp", "kreis", "plz"}
    out = json.loads(bot("place", "Berlin", "--json").stdout)
    assert out == {**out, "in_bw": False, "candidates": []}


def test_jsonl_batch_loads_once_and_answers_each_line():
    lines = "\n".join(
        [json.dumps({"text": "Hund anmelden", "place": "Aidlingen"}), "kein json", json.dumps({"text": "Reisepass"})]
    )
    res = bot("lookup", "--jsonl", stdin=lines)
    rows = [json.loads(line) for line in res.stdout.splitlines()]
    assert len(rows) == 3
    assert rows[0]["office"]["name"].startswith("Gemeinde Aidlingen")
    assert "error" in rows[1] and rows[1]["line"] == 2
    assert rows[2]["services"][0]["id"] == "reisepass"
    assert res.returncode == 1  # one bad line


def test_place_jsonl():
    res = bot("place", "--jsonl", stdin='{"text": "70734"}\n{"text": "Stutgart"}\n')
    rows = [json.loads(line) for line in res.stdout.splitlines()]
    assert [r["candidates"][0]["name"] for r in rows] == ["Fellbach", "Stuttgart"]


@pytest.mark.parametrize(
    ("args", "env", "code", "message"),
    [
        (("lookup", "", "--json"), None, 2, "Bitte geben Sie an"),
        (("place", "   ", "--json"), None, 2, "Bitte geben Sie einen Ort"),
        (("lookup", "Perso", "--place", "Atlantis", "--json"), None, 3, "Ort nicht gefunden"),
        (("place", "Qwertzuiop"), None, 3, "Ort nicht gefunden"),
        (("place", "Ulm"), {"BOT_DATA_DIR": "/nonexistent/dir"}, 4, "Datenverzeichnis nicht gefunden"),
    ],
)
def test_errors_are_one_line_without_traceback(args, env, code, message):
    res = bot(*args, env=env)
    assert res.returncode == code
    assert message in res.stderr
    assert "Traceback" not in res.stderr
    assert len(res.stderr.strip().splitlines()) == 1
