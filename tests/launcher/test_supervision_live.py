"""Kill the action server / Rasa mid-conversation: it comes back and the conversation continues.

Runs the real stack (``make run``'s launcher) on free ports. While a child is down every message
gets either a real answer or the German "kurz nicht verfügbar" (503) — never an empty answer;
after the restart the conversation continues with its place (Fellbach, named by the citizen on
Stuttgart's site) and its Leistung (Personalausweis). Restart times are printed (-s to see them).
Finally Rasa's and the action server's logs hold no citizen text and no sender id.
"""

from __future__ import annotations

import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from live_helpers import assert_answered, chat, free_port, kill, tenants_for, texts, until_answered

from bot.launcher import Stack

pytestmark = pytest.mark.slow
PRIVATE = "Ottilie Quastenberg"


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    work = tmp_path_factory.mktemp("supervision")
    port = free_port()
    stack = Stack(gateway_port=port, rasa_port=free_port(), actions_port=free_port(),
                  tenants=tenants_for(port, work), log_dir=work / "logs", backoff_initial=0.5)
    stack.start(timeout=900)
    try:
        yield stack
    finally:
        stack.stop()


def _conversation(stack: Stack) -> str:
    sender = str(uuid.uuid4())
    status, body = chat(stack.base_url, sender, "Ich brauche einen neuen Personalausweis")
    assert status == 200 and "Personalausweis" in texts(body)
    status, body = chat(stack.base_url, sender, "Ich wohne in Fellbach")
    assert status == 200 and "Fellbach" in texts(body)
    return sender


def _continues(stack: Stack, sender: str, seen: list) -> None:
    assert "Personalausweis" in texts(until_answered(stack.base_url, sender, "Was kostet das?", 5, seen))
    status, body = chat(stack.base_url, sender, "Wer ist zuständig?")
    assert status == 200 and "Fellbach" in texts(body) and "Stuttgart" not in texts(body)


def _kill_and_measure(stack: Stack, name: str, timeout: float) -> tuple[str, list, float]:
    sender = _conversation(stack)
    sup = stack.supervisor
    restarts = sup.restart_count(name)
    killed = time.monotonic()
    kill(sup.children[name].proc.pid)
    seen: list = []
    body = until_answered(stack.base_url, sender, "Was kostet das?", timeout, seen)
    recovered = time.monotonic() - killed
    assert sup.restart_count(name) == restarts + 1 and sup.alive()
    assert "Personalausweis" in texts(body)
    return sender, seen, recovered


def test_action_server_killed_comes_back(live: Stack) -> None:
    others = {n: c.proc.pid for n, c in live.supervisor.children.items() if n != "actions"}
    sender, seen, recovered = _kill_and_measure(live, "actions", 180)
    _continues(live, sender, seen)
    assert {n: c.proc.pid for n, c in live.supervisor.children.items() if n != "actions"} == others
    print(f"\naction server: answered again {recovered:.1f} s after SIGKILL; "
          f"{sum(s == 503 for s, _ in seen)} × 503 'kurz nicht verfügbar' meanwhile", file=sys.stderr)


def test_rasa_killed_comes_back(live: Stack) -> None:
    others = {n: c.proc.pid for n, c in live.supervisor.children.items() if n != "rasa"}
    sender, seen, recovered = _kill_and_measure(live, "rasa", 900)
    assert any(status == 503 for status, _ in seen)  # Rasa needs a while to load its model
    _continues(live, sender, seen)
    assert {n: c.proc.pid for n, c in live.supervisor.children.items() if n != "rasa"} == others
    print(f"\nrasa: answered again {recovered:.1f} s after SIGKILL; "
          f"{sum(s == 503 for s, _ in seen)} × 503 'kurz nicht verfügbar' meanwhile", file=sys.stderr)


def test_rasa_and_actions_logs_hold_no_citizen_data(live: Stack) -> None:
    sender = str(uuid.uuid4())
    for text in (f"Mein Name ist {PRIVATE}", "Ich brauche einen Reisepass", "Ich wohne in Fellbach"):
        assert_answered(*chat(live.base_url, sender, text))
    time.sleep(1)
    assert live.log_dir is not None
    logs = {p.name: p.read_text(encoding="utf-8", errors="replace") for p in Path(live.log_dir).glob("*.log")}
    assert {"rasa.log", "actions.log", "gateway.log"} <= set(logs)
    for name, text in logs.items():
        for secret in (PRIVATE, "Quastenberg", sender, "Reisepass", "Ich wohne"):
            assert secret not in text, (name, secret)
