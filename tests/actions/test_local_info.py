"""Opening hours and appointments from the local information a Kommune entered (data/local/)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
import yaml

from actions.local_info import TZ, appointment_sentence, hours_sentence
from actions.support import ActionAnswerAppointment, ActionAnswerOpeningHours

from .conftest import make_tracker, rendered, responses

FELLBACH = "08119020"
OFFICE = {
    "name": "Bürgerbüro Fellbach", "ags": FELLBACH, "services": [],
    "hours": {"mo": ["08:00-12:00", "14:00-18:30"], "di": ["08:00-12:00"], "sa": []},
    "exceptions": [{"date": "2026-12-24", "closed": True, "note": "Heiligabend"}],
    "appointment_url": "https://termine.fellbach.example/buergerbuero", "phone": "0711 5851-0",
}


@pytest.fixture
def local_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("BOT_LOCAL_DIR", str(tmp_path))
    (tmp_path / "fellbach.yml").write_text(yaml.safe_dump({"stand": "2026-12-01", "offices": [OFFICE]},
                                                          allow_unicode=True), encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize(("when", "first_line"), [
    (datetime(2026, 11, 30, 15, 0, tzinfo=TZ), "Bürgerbüro Fellbach hat heute bis 18:30 Uhr geöffnet."),  # Monday
    (datetime(2026, 11, 30, 12, 30, tzinfo=TZ), "Bürgerbüro Fellbach öffnet heute um 14:00 Uhr."),
    (datetime(2026, 12, 1, 13, 0, tzinfo=TZ), "Bürgerbüro Fellbach hat heute schon geschlossen."),  # Tuesday
    (datetime(2026, 12, 5, 10, 0, tzinfo=TZ), "Bürgerbüro Fellbach hat heute geschlossen."),  # Saturday
    (datetime(2026, 12, 24, 9, 0, tzinfo=TZ), "Bürgerbüro Fellbach ist heute geschlossen (Heiligabend)."),
])
def test_hours_sentence(local_dir: Path, when: datetime, first_line: str) -> None:
    text = hours_sentence(FELLBACH, "personalausweis", when)
    lines = text.splitlines()
    assert lines[0] == first_line
    assert lines[1] == "Öffnungszeiten: Mo 08:00–12:00, 14:00–18:30; Di 08:00–12:00."
    assert lines[-1] == "Stand: 01.12.2026 (Angaben der Gemeinde)."


def test_nothing_entered_keeps_the_service_bw_pointer(local_dir: Path) -> None:
    assert hours_sentence("08111000", "personalausweis") is None
    assert appointment_sentence("08111000", None) is None


async def test_actions_use_the_local_information(local_dir: Path, run_action) -> None:
    tracker = make_tracker("Wann hat das Bürgerbüro offen?", "ask_opening_hours",
                           slots={"place_ags": FELLBACH, "place_source": "tenant", "service_id": "personalausweis"})
    messages, slots = await run_action(ActionAnswerOpeningHours(), tracker)
    assert responses(messages) == ["utter_local_info"]
    assert "Öffnungszeiten: Mo 08:00–12:00, 14:00–18:30" in (await rendered(messages))[0]
    assert slots == {"service_id": "personalausweis"}
    messages, _ = await run_action(ActionAnswerAppointment(), tracker)
    assert (await rendered(messages))[0].startswith("Termin buchen bei Bürgerbüro Fellbach: https://termine.fellbach.example/")
    english, = await rendered(messages, "en")  # the Kommune's German entry, introduced as such
    assert english.startswith("Your municipality has entered this information in German:\nTermin buchen bei ")
    stuttgart = make_tracker("Wann hat das Bürgerbüro offen?", "ask_opening_hours",
                             slots={"place_ags": "08111000", "place_source": "tenant", "service_id": "personalausweis"})
    messages, _ = await run_action(ActionAnswerOpeningHours(), stuttgart)
    assert responses(messages) == ["utter_opening_hours"]  # nothing entered: today's service-bw pointer
