"""Publishing from the console on the real path: ``bot publish`` against a real Rasa serving the real
trained model, with the evaluation floors raised above what the model reaches (the operator override
``BOT_PUBLISH_MIN_*_F1``). The candidate (a copy of the served model with its own ``model_id``) is
really evaluated on the held-out NLU test file and refused; the page explains it in German with the
figures, and Rasa keeps serving the old model (``/status`` and a chat answer)."""

from __future__ import annotations

import io
import json
import re
import tarfile
import time
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from browser_support import ensure_browser_deps, free_port, tenants_for
from test_browser_console import PASSWORD, expect, login
from test_browser_widget import run_axe

from bot.config import PROJECT_ROOT
from bot.staff.publish import RasaApi, model_id_of

pytestmark = [pytest.mark.browser, pytest.mark.slow]
FLOOR = "0.999"
SENDER = f"console-publish-test-{uuid.uuid4()}"


def served_model() -> Path:
    models = sorted((PROJECT_ROOT / "models").glob("*.tar.gz"), key=lambda p: p.stat().st_mtime)
    if not models:  # a fresh checkout: train once (make test trains before the slow tests anyway)
        from bot.train import train

        assert train()[0] == 0
        models = sorted((PROJECT_ROOT / "models").glob("*.tar.gz"), key=lambda p: p.stat().st_mtime)
    return models[-1]


def candidate_from(model: Path, target: Path) -> str:
    """A copy of ``model`` with a new ``model_id`` (were it loaded, Rasa's /status would show it)."""
    new_id = uuid.uuid4().hex
    with tarfile.open(model, "r:gz") as src, tarfile.open(target, "w:gz", compresslevel=1) as dst:
        for member in src:
            data = src.extractfile(member) if member.isfile() else None
            if member.name.lstrip("./") == "metadata.json" and data is not None:
                meta = json.load(data)
                meta["model_id"] = new_id
                raw = json.dumps(meta).encode()
                member.size = len(raw)
                dst.addfile(member, io.BytesIO(raw))
            else:
                dst.addfile(member, data)
    return new_id


@pytest.fixture(scope="module")
def publish_stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict]:
    from bot.console.accounts import AccountStore
    from bot.launcher.stack import Stack

    ensure_browser_deps()
    work = tmp_path_factory.mktemp("console_publish")
    base = served_model()
    (work / "staging").mkdir()
    candidate = work / "staging" / "20991231-000000-kandidat.tar.gz"
    candidate_id = candidate_from(base, candidate)
    AccountStore(work / "users.yml").add("lena", "landesredaktion", None, PASSWORD)
    env = {"BOT_STAFF_USERS": str(work / "users.yml"), "BOT_STAFF_STATE": str(work / "state"),
           "BOT_STAFF_INSECURE_COOKIE": "1", "BOT_TRACKER_STORE": f"sqlite:///{work / 'tracker.db'}",
           "BOT_PUBLISH_STAGING": str(work / "staging"),
           "BOT_PUBLISH_MIN_INTENT_F1": FLOOR, "BOT_PUBLISH_MIN_ENTITY_F1": FLOOR}
    (work / "tracker.db").touch()
    with pytest.MonkeyPatch.context() as mp:  # the stack's processes (and bot publish) inherit the environment
        for key, value in env.items():
            mp.setenv(key, value)
        port = free_port()
        stack = Stack(gateway_port=port, rasa_port=free_port(), actions_port=free_port(),
                      tenants=tenants_for(port, work), log_dir=work / "logs", model=base)
        base_url = stack.start(timeout=900)
        try:
            yield {"base": base_url, "model": base, "candidate": candidate, "candidate_id": candidate_id,
                   "rasa": RasaApi(stack.rasa_url(), stack.rasa_jwt_secret, timeout=60),
                   "rasa_url": stack.rasa_url(), "work": work}
        finally:
            stack.stop()
            _forget(SENDER)


def _forget(sender: str) -> None:
    """The dev stack's Rasa uses the project's SQLite tracker store: remove this test's conversation."""
    import sqlalchemy as sa

    from bot.staff.trackers import DEFAULT_STORE, engine_for

    engine = engine_for(DEFAULT_STORE)
    with engine.begin() as conn:
        conn.execute(sa.text("DELETE FROM events WHERE sender_id = :s"), {"s": sender})
    engine.dispose()


def say(rasa_url: str, text: str) -> str:
    body = json.dumps({"sender": SENDER, "message": text}).encode()
    req = urllib.request.Request(f"{rasa_url}/webhooks/rest/webhook", data=body,
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=120) as resp:  # noqa: S310 - loopback
        return "\n".join(m.get("text", "") for m in json.loads(resp.read()))


def test_a_model_below_the_raised_floor_is_refused_and_the_old_one_keeps_serving(
        publish_stack: dict, new_page, artifacts: Path) -> None:
    rasa: RasaApi = publish_stack["rasa"]
    old_id = model_id_of(publish_stack["model"])
    assert rasa.status()["model_id"] == old_id != publish_stack["candidate_id"]

    page = new_page(bypass_csp=True, viewport={"width": 1280, "height": 900})
    login(page, publish_stack["base"], "lena")
    page.get_by_role("link", name="Veröffentlichen").click()
    page.get_by_label("Nicht neu trainieren, das zuletzt trainierte Modell nehmen").check()
    started = time.monotonic()
    page.get_by_role("button", name="Trainieren und veröffentlichen").click()
    expect()(page.get_by_role("heading", name="Letzter Lauf")).to_be_visible()
    progress = set()
    while "Läuft" in page.content():
        progress.add(page.locator("pre.log").inner_text())
        assert time.monotonic() - started < 900, progress
        page.wait_for_timeout(3000)
        page.get_by_role("link", name="Fortschritt aktualisieren").click()
    # while it ran, the page showed what it was doing
    assert f"Bewertung von {publish_stack['candidate'].name} auf tests/nlu/test_nlu.yml läuft …" in progress
    seconds = time.monotonic() - started

    log = page.locator("pre.log").inner_text()
    figures = re.search(rf"Bewertung {publish_stack['candidate'].name} auf tests/nlu/test_nlu.yml: "
                        rf"Absichten F1 (0\.\d+) \(Minimum {FLOOR}\), Entitäten F1 (0\.\d+) \(Minimum {FLOOR}\)", log)
    assert figures, log
    intent, entity = float(figures.group(1)), float(figures.group(2))
    assert 0.5 < intent < float(FLOOR) and 0.0 < entity < 1.0  # really evaluated, and below the raised floor
    assert "nicht veröffentlicht, das bisherige Modell bleibt aktiv" in log
    outcome = page.get_by_role("alert")
    expect()(outcome).to_contain_text("Das neue Modell wurde abgelehnt: Es erreicht die Mindestgüte")
    expect()(outcome).to_contain_text("das bisherige Modell bleibt in Betrieb")
    page.screenshot(path=str(artifacts / "console-publish-refused.png"), full_page=True)
    assert run_axe(page) == []

    assert rasa.status()["model_id"] == old_id  # the candidate never reached Rasa
    assert "Personalausweis" in say(publish_stack["rasa_url"], "Ich brauche einen neuen Personalausweis")
    served_by = [e["metadata"].get("model_id") for e in rasa.tracker(SENDER)["events"] if e["event"] == "user"]
    assert served_by == [old_id]
    assert publish_stack["candidate"].is_file()  # refused: stays in staging, never moved into models/
    assert not (PROJECT_ROOT / "models" / publish_stack["candidate"].name).exists()
    audit = (publish_stack["work"] / "state" / "audit.jsonl").read_text(encoding="utf-8")
    assert '"exit_code": 2' in audit
    print(f"console publish (evaluate + refuse): {seconds:.0f} s, intent F1 {intent}, entity F1 {entity}")
