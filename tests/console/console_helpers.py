"""Shared bits of the console tests: tenants, a seeded tracker store, accounts, logging in."""

from __future__ import annotations

import re
import time
import uuid
from pathlib import Path
from typing import Any

import yaml

PASSWORD = "Gruener-Apfel-2026"
NOW = time.time() - 600
FELLBACH, ULM = "08119020", "08421000"
PREFIXED = f"web:fellbach:{FELLBACH}:{uuid.UUID(int=7)}"
ULM_TEXT = "Zuschuss für die Turmbesteigung am Münster?"


def write_tenants(path: Path, extra_origin: str | None = None) -> Path:
    origins = ["https://www.fellbach.de"] + ([extra_origin] if extra_origin else [])
    path.write_text(yaml.safe_dump({"tenants": [
        {"id": "fellbach", "title": "Stadt Fellbach", "origins": origins, "ags": [FELLBACH]},
        {"id": "ulm", "title": "Stadt Ulm", "origins": ["https://www.ulm.de"], "ags": [ULM]},
    ]}), encoding="utf-8")
    return path


def meta(ags: str, **extra: Any) -> dict[str, Any]:
    return {"tenant_ags": ags, "tenant_title": "x", **extra}


def conversations() -> dict[str, list[Any]]:
    """Expected, Fellbach (last 7 days): 2 conversations, 4 typed messages (2 understood, 1 fallback,
    1 low confidence), 1 thumbs down, 1 handoff, 1 outside BW, Leistung personalausweis once.
    Ulm: 1 conversation, 1 message (fallback), 1 thumbs up, 1 unknown place."""
    from rasa.shared.core.events import ActionExecuted, BotUttered, SlotSet, UserUttered

    def user(text: str, intent: str, conf: float, ts: float, m: dict[str, Any]) -> UserUttered:
        ranking = [{"name": intent, "confidence": conf}]
        if intent == "nlu_fallback":
            ranking.append({"name": "search_service", "confidence": 0.3})
        return UserUttered(text, {"name": intent, "confidence": conf}, [], {"intent_ranking": ranking},
                           timestamp=ts, metadata=m)

    def listen(ts: float) -> ActionExecuted:
        return ActionExecuted("action_listen", timestamp=ts)

    a, b, c = NOW - 3600, NOW - 1800, NOW - 900
    return {
        str(uuid.UUID(int=1)): [
            user("Ich brauche einen neuen Perso", "search_service", 0.97, a, meta(FELLBACH)),
            ActionExecuted("action_answer_service", timestamp=a + 0.1),
            SlotSet("service_id", "personalausweis", timestamp=a + 0.15),
            BotUttered("Personalausweis beantragen ...", metadata={"utter_action": "utter_service"},
                       timestamp=a + 0.2), listen(a + 0.3),
            user("Ich heiße Anna Müller, gibt es Geld für ein Lastenrad?", "nlu_fallback", 0.45, a + 60,
                 meta(FELLBACH)),
            ActionExecuted("action_fallback", timestamp=a + 60.1),
            BotUttered("Das habe ich leider nicht verstanden.", timestamp=a + 60.2), listen(a + 60.3),
            user("/feedback_negative", "feedback_negative", 1.0, a + 90, meta(FELLBACH, feedback_for="m-x")),
            ActionExecuted("action_feedback", timestamp=a + 90.1), listen(a + 90.2),
        ],
        PREFIXED: [
            user("Was kostet das Parken vor dem Rathaus", "ask_fees", 0.3, b, meta(FELLBACH)),
            ActionExecuted("action_answer_fees", timestamp=b + 0.1),
            BotUttered("Hamburg liegt nicht in Baden-Württemberg.", metadata={"utter_action": "utter_place_outside_bw"},
                       timestamp=b + 0.2), listen(b + 0.3),
            user("Ich möchte mit einem Menschen sprechen", "human_handoff", 0.96, b + 30, meta(FELLBACH)),
            ActionExecuted("action_handoff", timestamp=b + 30.1), listen(b + 30.2),
        ],
        str(uuid.UUID(int=2)): [
            user(ULM_TEXT, "nlu_fallback", 0.45, c, meta(ULM)),
            ActionExecuted("action_fallback", timestamp=c + 0.1),
            BotUttered("Diesen Ort kenne ich nicht.", metadata={"utter_action": "utter_place_unknown"},
                       timestamp=c + 0.2), listen(c + 0.3),
            user("/feedback_positive", "feedback_positive", 1.0, c + 20, meta(ULM)),
            ActionExecuted("action_feedback", timestamp=c + 20.1), listen(c + 20.2),
        ],
    }


async def seed_with_rasa(**store_args: Any) -> None:
    from rasa.core.tracker_store import SQLTrackerStore
    from rasa.shared.core.trackers import DialogueStateTracker

    store = SQLTrackerStore(**store_args)
    for sender, events in conversations().items():
        await store.save(DialogueStateTracker.from_events(sender, events))
    store.engine.dispose()


CSRF_RE = re.compile(r'name="csrf" value="([^"]+)"')


def csrf_of(html: str) -> str:
    match = CSRF_RE.search(html)
    assert match, html[:500]
    return match.group(1)


async def login(client: Any, name: str, password: str = PASSWORD) -> Any:
    page = await client.get("/staff/login")
    token = csrf_of(await page.text())
    return await client.post("/staff/login", data={"name": name, "password": password, "csrf": token},
                             allow_redirects=False)
