"""``bot review`` / ``bot purge`` on an SQLite tracker store seeded through Rasa's own SQLTrackerStore."""

from __future__ import annotations

import asyncio
import json
import shutil
import time
from pathlib import Path
from typing import Any

import pytest

from bot.cli import main
from bot.gateway.relay import message_id
from bot.staff.flagged import normalise
from bot.staff.review import _example_line

NOW = time.time()
HOUR, DAY = 3600.0, 86400.0
ANSWER = "Der Bewohnerparkausweis kostet in Fellbach 30 Euro im Jahr."
BUTTONS = [{"title": "Antrag stellen", "payload": "/ask_online"}]
RAW_PII = ["Anna", "Müller", "peter", "schmidt", "p.schmidt@example.org", "0171/1234567", "DE89", "3704 0044",
           "Hauptstraße 12"]


def user(text: str, intent: str, conf: float, ts: float, metadata: dict | None = None) -> Any:
    from rasa.shared.core.events import UserUttered

    ranking = [{"name": intent, "confidence": conf}]
    if intent == "nlu_fallback":
        ranking.append({"name": "ask_fees", "confidence": 0.31})
    return UserUttered(text, {"name": intent, "confidence": conf}, [], {"intent_ranking": ranking},
                       timestamp=ts, metadata=metadata or {})


def turn(ts: float, action: str, *texts: str, buttons: list | None = None) -> list[Any]:
    from rasa.shared.core.events import ActionExecuted, BotUttered

    bots = [BotUttered(t, data={"buttons": buttons} if buttons and i == 0 else {}, timestamp=ts + 0.2 + i / 100)
            for i, t in enumerate(texts)]
    return [ActionExecuted(action, timestamp=ts + 0.1), *bots, ActionExecuted("action_listen", timestamp=ts + 0.3)]


def conversations() -> dict[str, list[Any]]:
    a, p, e, o, t = NOW - 2 * DAY, NOW - DAY, NOW - 3 * HOUR, NOW - 10 * DAY, NOW - 2 * HOUR
    sorry = "Das habe ich leider nicht verstanden. Können Sie es anders sagen?"
    return {
        "conv-anna": [
            user("Ich heiße Anna Müller, was kostet ein Anwohnerparkausweis?", "nlu_fallback", 0.45, a),
            *turn(a, "action_fallback", sorry),
            user("Wie teuer ist ein Bewohnerparkausweis in 70734 Fellbach", "ask_fees", 0.30, a + 60),
            *turn(a + 60, "action_answer_fees", ANSWER, "Kann ich sonst noch helfen?", buttons=BUTTONS),
            user("/feedback_negative", "feedback_negative", 1.0, a + 90,
                 {"feedback_for": message_id(ANSWER, BUTTONS), "tenant_ags": "08119020"}),
            *turn(a + 90, "action_feedback", "Danke für Ihre Rückmeldung."),
        ],
        "conv-peter": [
            user("ich heisse peter schmidt was kostet ein anwohnerparkausweis", "nlu_fallback", 0.45, p),
            *turn(p, "action_fallback", sorry),
            user("Meine Mail ist p.schmidt@example.org und Tel 0171/1234567", "human_handoff", 0.35, p + 30),
            *turn(p + 30, "action_handoff", "Sie erreichen das Bürgerbüro ..."),
            user("Ich wohne in der Hauptstraße 12, 70734 Fellbach", "inform_place", 0.98, p + 60),
            *turn(p + 60, "action_answer_place", "Fellbach, verstanden."),
            user("das war nicht hilfreich", "feedback_negative", 0.93, p + 90),  # no message id: guessed
            *turn(p + 90, "action_feedback", "Danke."),
            user("/feedback_positive", "feedback_positive", 1.0, p + 120, {"feedback_for": "m-0123456789abcdef"}),
        ],
        "conv-erika": [
            user("IBAN DE89 3704 0044 0532 0130 00 für die Hundesteuer", "ask_fees", 0.2, e),
            *turn(e, "action_answer_fees", "Die Hundesteuer ..."),
            user("Ich brauche einen neuen Perso", "search_service", 0.99, e + 30),
            *turn(e + 30, "action_answer_service", "Personalausweis beantragen ..."),
            user('/choose_place{"ags":"08119020"}', "choose_place", 1.0, e + 40),
            *turn(e + 40, "action_answer_place", "Fellbach."),
            user("Wie teuer ist ein Bewohnerparkausweis in 70734 Fellbach?", "ask_fees", 0.9, e + 60),
            *turn(e + 60, "action_fallback", sorry),  # core fallback despite a confident intent
        ],
        "conv-old": [
            user("Hundesteuer Mühlacker wie viel", "nlu_fallback", 0.45, o),
            *turn(o, "action_fallback", sorry),
        ],
        "conv-unknown-id": [
            user("Gibt es einen Zuschuss für Lastenräder?", "search_service", 0.92, t),
            *turn(t, "action_answer_service", "Förderprogramme ..."),
            user("/feedback_negative", "feedback_negative", 1.0, t + 10, {"feedback_for": "m-ffffffffffffffff"}),
        ],
    }


async def _seed(db: Path) -> None:
    from rasa.core.tracker_store import SQLTrackerStore
    from rasa.shared.core.trackers import DialogueStateTracker

    store = SQLTrackerStore(dialect="sqlite", db=str(db))
    for sender, events in conversations().items():
        await store.save(DialogueStateTracker.from_events(sender, events))
    store.engine.dispose()


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("review") / "tracker.db"
    asyncio.run(_seed(db))
    return db


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


def review_json(capsys: pytest.CaptureFixture[str], db: Path, *args: str) -> dict[str, Any]:
    code, out, err = run(capsys, "review", "--tracker-store", f"sqlite:///{db}", "--json", *args)
    assert code == 0, err
    return json.loads(out)


def by_key(result: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {normalise(g["example"]): g for g in result["groups"]}


def test_groups_counts_and_reasons(store: Path, capsys: pytest.CaptureFixture[str]) -> None:
    result = review_json(capsys, store, "--since", "7d")
    groups = by_key(result)
    assert result["threshold"] == 0.45  # FallbackClassifier threshold from config.yml
    assert [g["id"] for g in result["groups"]] == list(range(1, len(groups) + 1))
    assert [g["count"] for g in result["groups"]] == sorted((g["count"] for g in result["groups"]), reverse=True)

    parking = groups["ich heisse name was kostet ein anwohnerparkausweis"]
    assert (parking["count"], parking["conversations"], parking["reasons"]) == (2, 2, {"fallback": 2})
    assert parking["intent_guess"] == "ask_fees"  # the best intent below nlu_fallback

    fees = groups["wie teuer ist ein bewohnerparkausweis in 0 fellbach"]  # "?" and numbers normalised
    assert fees["count"] == 2
    assert fees["reasons"] == {"fallback": 1, "low_confidence": 1, "thumbs_down": 1}
    assert fees["thumbs_down_guessed"] == 0  # matched through feedback_for = message_id(...)

    address = groups["ich wohne in der adresse 0 fellbach"]
    assert address["reasons"] == {"thumbs_down": 1} and address["thumbs_down_guessed"] == 1
    bikes = groups["gibt es einen zuschuss fuer lastenraeder"]
    assert bikes["reasons"] == {"thumbs_down": 1} and bikes["thumbs_down_guessed"] == 1
    assert groups["meine mail ist e mail und tel telefon"]["reasons"] == {"low_confidence": 1}
    assert groups["iban iban fuer die hundesteuer"]["reasons"] == {"low_confidence": 1}
    # well understood messages, button payloads and the feedback messages themselves are not listed
    assert len(groups) == 6 and result["messages"] == 8
    assert not any("perso" in key or "feedback" in key or "hilfreich" in key for key in groups)


def test_time_window(store: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert "hundesteuer muehlacker wie viel" not in by_key(review_json(capsys, store, "--since", "7d"))
    assert "hundesteuer muehlacker wie viel" in by_key(review_json(capsys, store, "--since", "14d"))
    early = review_json(capsys, store, "--since", "7d", "--until", "36h")  # only conv-anna (2 days ago)
    assert {k: g["count"] for k, g in by_key(early).items()} == {
        "ich heisse name was kostet ein anwohnerparkausweis": 1,
        "wie teuer ist ein bewohnerparkausweis in 0 fellbach": 1}
    day = time.strftime("%Y-%m-%d", time.gmtime(NOW - 10 * DAY))
    assert review_json(capsys, store, "--since", day, "--until", "8d")["messages"] == 1


def test_table_masks_personal_data(store: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "review", "--tracker-store", f"sqlite:///{store}", "--since", "7d")
    assert code == 0, err
    for placeholder in ("[NAME]", "[E-MAIL]", "[TELEFON]", "[IBAN]", "[ADRESSE]"):
        assert placeholder in out
    assert "70734 Fellbach" in out  # PLZ and Gemeinde are what staff need
    assert "Daumen runter 1*" in out and "vorigen Nachricht zugeordnet" in out
    lowered = out.lower()
    assert not [pii for pii in RAW_PII if pii.lower() in lowered]


def test_export_yaml_stub_loads_in_rasa(store: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from rasa.shared.nlu.training_data.loading import load_data

    result = review_json(capsys, store, "--since", "7d")
    wanted = [g["id"] for g in result["groups"] if g["reasons"].get("fallback")]
    target = tmp_path / "nlu" / "review.yml"
    code, _out, err = run(capsys, "review", "--tracker-store", f"sqlite:///{store}", "--since", "7d", "--json",
                          "--export", str(target), "--select", ",".join(map(str, wanted)))
    assert code == 0, err
    text = target.read_text(encoding="utf-8")
    assert 'version: "3.1"' in text and text.count("# TODO: Absicht eintragen") == len(wanted) == 2
    assert not [pii for pii in RAW_PII if pii.lower() in text.lower()]
    data = load_data(str(target))
    examples = {(m.get("intent"), m.get("text")) for m in data.intent_examples}
    assert {intent for intent, _ in examples} == {f"todo_gruppe_{n}" for n in wanted}
    assert any(t == "Ich heiße [NAME], was kostet ein Anwohnerparkausweis?" for _, t in examples)
    assert any(t == "ich heisse [NAME] was kostet ein anwohnerparkausweis" for _, t in examples)
    assert not data.entity_examples  # placeholders are not read as entity annotations


def test_export_guards_rasa_markup() -> None:
    assert _example_line("[NAME](Vater) und [NAME][TELEFON]\nzweite Zeile") == \
        "[NAME] (Vater) und [NAME] [TELEFON] zweite Zeile"


def test_bad_arguments(store: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    url = f"sqlite:///{store}"
    assert run(capsys, "review", "--tracker-store", url, "--since", "gestern")[0] == 2
    assert run(capsys, "review", "--tracker-store", url, "--since", "1d", "--until", "2d")[0] == 2
    assert run(capsys, "review", "--tracker-store", url, "--select", "99", "--export", str(tmp_path / "x.yml"))[0] == 2
    code, _out, err = run(capsys, "review", "--tracker-store", f"sqlite:///{tmp_path / 'missing.db'}")
    assert code == 4 and "nicht gefunden" in err


def test_purge_retention(store: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "tracker.db"
    shutil.copy(store, db)
    url = f"sqlite:///{db}"
    code, out, _err = run(capsys, "purge", "--tracker-store", url, "--dry-run")  # default: 30 days
    assert code == 0 and out.startswith("0 Ereignisse")
    code, out, _err = run(capsys, "purge", "--tracker-store", url, "--older-than", "5d", "--dry-run")
    assert code == 0 and "aus 1 Gesprächen" in out and "würden gelöscht" in out
    assert "hundesteuer muehlacker wie viel" in by_key(review_json(capsys, db, "--since", "30d"))
    code, out, _err = run(capsys, "purge", "--tracker-store", url, "--older-than", "5d")
    assert code == 0 and "gelöscht" in out
    after = review_json(capsys, db, "--since", "30d")
    assert "hundesteuer muehlacker wie viel" not in by_key(after) and after["messages"] == 8
    assert run(capsys, "purge", "--tracker-store", url, "--older-than", "5d")[1].startswith("0 Ereignisse")
