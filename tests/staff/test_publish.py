"""``bot publish``: hot reload into the running Rasa; broken or weak models are refused.

The slow test starts the real stack (action server, Rasa, gateway) on free ports, holds a
conversation, publishes a freshly trained model (``bot publish`` trains into a staging dir; the new
archive has its own model_id) and checks that the SAME conversation continues on the new model.
A corrupt archive and a model below the evaluation floor are refused and the served model stays.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import sys
import threading
import time
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bot.cli import main
from bot.config import PROJECT_ROOT
from bot.staff.publish import EXIT_FLOOR, EXIT_MODEL, PublishError, RasaApi, model_id_of, staged_model


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_model_id_of_rejects_non_models(tmp_path: Path) -> None:
    corrupt = tmp_path / "corrupt.tar.gz"
    corrupt.write_bytes(os.urandom(4096))
    with pytest.raises(PublishError) as err:
        model_id_of(corrupt)
    assert err.value.code == EXIT_MODEL


def test_publish_needs_a_reachable_rasa(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["publish", "--model", str(tmp_path / "x.tar.gz"), "--rasa-url", f"http://127.0.0.1:{_free_port()}",
                 "--jwt-secret", "t"])
    assert code == 1 and "nicht erreichbar" in capsys.readouterr().err


def test_skip_train_takes_the_newest_staged_model(tmp_path: Path) -> None:
    args = argparse.Namespace(model=None, skip_train=True, staging_dir=tmp_path)
    with pytest.raises(PublishError) as err:
        staged_model(args)
    assert err.value.code == EXIT_MODEL
    older, newer = tmp_path / "a.tar.gz", tmp_path / "b.tar.gz"
    older.write_bytes(b"1")
    newer.write_bytes(b"2")
    os.utime(older, (time.time() - 60, time.time() - 60))
    assert staged_model(args) == newer


def _base_model() -> Path:
    models = sorted((PROJECT_ROOT / "models").glob("*.tar.gz"), key=lambda p: p.stat().st_mtime)
    if not models:  # a fresh checkout: train once (make test trains before the slow tests anyway)
        from bot.train import train

        assert train()[0] == 0
        models = sorted((PROJECT_ROOT / "models").glob("*.tar.gz"), key=lambda p: p.stat().st_mtime)
    return models[-1]


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    from bot.launcher import Stack

    work = tmp_path_factory.mktemp("publish")
    base = _base_model()
    stack = Stack(gateway_port=_free_port(), rasa_port=_free_port(), actions_port=_free_port(),
                  log_dir=work / "logs", model=base)
    stack.start(timeout=300)
    try:
        yield {"work": work, "base": base, "url": f"http://127.0.0.1:{stack.rasa_port}",
               "secret": stack.rasa_jwt_secret,
               "api": RasaApi(f"http://127.0.0.1:{stack.rasa_port}", stack.rasa_jwt_secret)}
    finally:
        stack.stop()
        _forget_test_conversations()


def _forget_test_conversations() -> None:
    """The stack uses the project's SQLite tracker store (endpoints.yml): remove this test's rows."""
    import sqlalchemy as sa

    from bot.staff.trackers import DEFAULT_STORE, engine_for

    engine = engine_for(DEFAULT_STORE)
    with engine.begin() as conn:
        conn.execute(sa.text("DELETE FROM events WHERE sender_id LIKE 'publish-test-%'"))
    engine.dispose()


def say(live: dict[str, Any], sender: str, text: str) -> str:
    body = json.dumps({"sender": sender, "message": text}).encode()
    req = urllib.request.Request(f"{live['url']}/webhooks/rest/webhook", data=body,
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=60) as resp:  # noqa: S310 - loopback
        return "\n".join(m.get("text", "") for m in json.loads(resp.read()))


def tracker(live: dict[str, Any], sender: str) -> dict[str, Any]:
    return live["api"].tracker(sender)


def publish(live: dict[str, Any], *args: str) -> int:
    return main(["publish", "--rasa-url", live["url"], f"--jwt-secret={live['secret']}",  # may start with "-"
                 "--staging-dir", str(live["work"] / "staging"), "--models-dir", str(live["work"] / "models"), *args])


@pytest.mark.slow
def test_hot_reload_keeps_the_conversation(live: dict[str, Any], capsys: pytest.CaptureFixture[str]) -> None:
    started = time.monotonic()
    api: RasaApi = live["api"]
    old_id = api.status()["model_id"]
    assert old_id == model_id_of(live["base"])
    sender = f"publish-test-{uuid.uuid4()}"
    assert "Personalausweis" in say(live, sender, "Ich brauche einen neuen Perso")
    say(live, sender, "Fellbach")
    slots = tracker(live, sender)["slots"]
    assert slots["service_id"] and slots["place_ags"] == "08119020"

    # 1. A newly trained model (bot publish trains into the staging dir) is loaded without a restart,
    #    while another citizen keeps chatting: no message fails during training, evaluation or the swap.
    stop, chatted, failures = threading.Event(), [], []

    def chat() -> None:
        other = f"publish-test-{uuid.uuid4()}"
        while not stop.is_set():
            try:
                chatted.append(say(live, other, "Was kostet ein Reisepass?"))
            except Exception as exc:  # noqa: BLE001 - collected and asserted below
                failures.append(repr(exc))
            stop.wait(1.0)

    chatter = threading.Thread(target=chat, daemon=True)
    chatter.start()
    try:
        assert publish(live) == 0, capsys.readouterr()
    finally:
        stop.set()
        chatter.join(timeout=90)
    assert not failures and len(chatted) >= 5 and all("Reisepass" in answer for answer in chatted)
    out = capsys.readouterr().out
    new_id = api.status()["model_id"]
    assert new_id != old_id and "Veröffentlicht" in out
    published = list((live["work"] / "models").glob("*.tar.gz"))
    assert len(published) == 1 and model_id_of(published[0]) == new_id  # moved into models/ after success
    assert not list((live["work"] / "staging").glob("*.tar.gz"))

    # The same conversation continues on the new model: slots kept, follow-up answered for the Perso.
    answer = say(live, sender, "was kostet das?")
    assert "Gebühr" in answer and "Personalausweis" in answer
    after = tracker(live, sender)
    assert after["slots"]["service_id"] == slots["service_id"] and after["slots"]["place_ags"] == "08119020"
    served_by = [e["metadata"].get("model_id") for e in after["events"] if e["event"] == "user"]
    assert served_by[:2] == [old_id, old_id] and served_by[-1] == new_id

    # 2. A corrupt archive is refused: by bot publish before Rasa sees it, and by Rasa itself.
    corrupt = live["work"] / "corrupt.tar.gz"
    corrupt.write_bytes(os.urandom(64 * 1024))
    assert publish(live, "--model", str(corrupt)) == EXIT_MODEL
    assert "kein lesbares Rasa-Modell" in capsys.readouterr().err
    with pytest.raises(PublishError) as err:
        api.load(corrupt)
    assert "bisherige Modell bleibt aktiv" in str(err.value)
    assert api.status()["model_id"] == new_id
    assert "Personalausweis" in say(live, sender, "was muss ich mitbringen?")

    # 3. A model below the evaluation floor is refused (a copy of the old model: were it loaded,
    #    /status would show the old id again).
    candidate = live["work"] / "candidate.tar.gz"
    shutil.copy(live["base"], candidate)
    assert publish(live, "--model", str(candidate), "--min-intent-f1", "0.999") == EXIT_FLOOR
    assert "unter der Mindestgüte" in capsys.readouterr().err
    assert api.status()["model_id"] == new_id
    assert candidate.exists() and len(list((live["work"] / "models").glob("*.tar.gz"))) == 1
    assert "Gebühr" in say(live, sender, "und was kostet das?")
    print(f"hot reload test body: {time.monotonic() - started:.0f} s", file=sys.stderr)
