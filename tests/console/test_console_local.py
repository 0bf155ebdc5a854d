"""Local information editor: validated, with history, per tenant; the answers then use it."""

from __future__ import annotations

import html
from datetime import datetime
from pathlib import Path

import pytest
import yaml
from console_helpers import FELLBACH, ULM, csrf_of, login

from actions.local_info import TZ, hours_sentence
from bot.config import PROJECT_ROOT
from bot.console.checks_drafts import check_local_info

FORM = {"mandant": "fellbach", "index": "0", "name": "Bürgerbüro Fellbach", "ags": FELLBACH,
        "h-mo": "08:00-12:00, 14:00-18:30", "h-di": "08:00-12:00", "exceptions": "2026-12-24 Heiligabend",
        "appointment_url": "https://termine.fellbach.example/bb", "phone": "0711 5851-0", "email": "bb@fellbach.example",
        "services": ""}


@pytest.fixture
def local(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("BOT_LOCAL_DIR", str(tmp_path / "local"))
    return tmp_path / "local"


async def test_save_validate_history_and_answer(client, local: Path) -> None:
    await login(client, "anna")
    token = csrf_of(await (await client.get("/staff/local")).text())
    resp = await client.post("/staff/local/save", data={**FORM, "csrf": token})
    assert resp.status == 200 and "Gespeichert." in await resp.text()
    doc = yaml.safe_load((local / "fellbach.yml").read_text(encoding="utf-8"))
    assert doc["offices"][0]["hours"] == {"mo": ["08:00-12:00", "14:00-18:30"], "di": ["08:00-12:00"]}
    assert doc["offices"][0]["exceptions"] == [{"date": "2026-12-24", "closed": True, "note": "Heiligabend"}]
    monday = datetime(2026, 11, 30, 15, 0, tzinfo=TZ)
    assert hours_sentence(FELLBACH, None, monday).startswith("Bürgerbüro Fellbach hat heute bis 18:30 Uhr geöffnet.")
    resp = await client.post("/staff/local/save", data={**FORM, "csrf": token, "h-di": "08:00-07:00"})
    assert resp.status == 400 and "Zeitspanne '08:00-07:00' ungültig" in html.unescape(await resp.text())
    resp = await client.post("/staff/local/save", data={**FORM, "csrf": token, "h-di": "09:00-12:00"})
    assert resp.status == 200
    assert len(list((local / "history" / "fellbach").glob("*.yml"))) == 1  # the earlier version is kept
    assert check_local_info(PROJECT_ROOT, {"personalausweis"}) == []


async def test_other_tenants_local_information_is_closed(client, local: Path) -> None:
    await login(client, "anna")
    token = csrf_of(await (await client.get("/staff/local")).text())
    assert (await client.get("/staff/local?mandant=ulm")).status == 403
    assert (await client.post("/staff/local/save", data={**FORM, "csrf": token, "mandant": "ulm"})).status == 403
    assert (await client.post("/staff/local/save", data={**FORM, "csrf": token, "ags": ULM})).status == 403
    assert not (local / "ulm.yml").exists() and not (local / "fellbach.yml").exists()


def test_validate_reports_broken_local_files(local: Path) -> None:
    local.mkdir(parents=True)
    (local / "x.yml").write_text(yaml.safe_dump({"stand": "gestern", "offices": [
        {"name": "Amt", "ags": "123", "hours": {"montag": ["8-12"]}, "appointment_url": "http://x.de"}]}))
    texts = [f.text for f in check_local_info(PROJECT_ROOT, set())]
    assert "'stand' muss ein Datum sein (JJJJ-MM-TT)." in texts
    assert any("AGS muss 8 Ziffern" in t for t in texts) and any("unbekannter Wochentag" in t for t in texts)
    assert any("Zeitspanne '8-12' ungültig" in t for t in texts) and any("https-Adresse" in t for t in texts)
