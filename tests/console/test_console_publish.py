"""Retrain and publish from the console: Landesredaktion only, progress, German result, refusal explained.

The job runs the publish command as a subprocess; here a stand-in prints what ``bot publish`` prints
and exits with its codes (the real train/evaluate/hot-reload path is covered by tests/staff/test_publish.py).
"""

from __future__ import annotations

import asyncio
import sys

from console_helpers import csrf_of, login

from bot.console.state import CONFIG_KEY

REFUSED = ("import sys; print('Bewertung m.tar.gz auf tests/nlu/test_nlu.yml: Absichten F1 0.412 (Minimum 0.8), "
           "Entitäten F1 0.700 (Minimum 0.6)'); print('Fehler: Modell unter der Mindestgüte; nicht veröffentlicht, "
           "das bisherige Modell bleibt aktiv.', file=sys.stderr); sys.exit(2)")
OK = "print('Veröffentlicht: neu.tar.gz (model_id abc, vorher xyz) in 2.0 s geladen, ohne Neustart.')"


async def run_job(client, code: str) -> str:
    client.app[CONFIG_KEY].publish_cmd = [sys.executable, "-c", code]
    await login(client, "lena")
    html = await (await client.get("/staff/publish")).text()
    resp = await client.post("/staff/publish", data={"csrf": csrf_of(html)}, allow_redirects=False)
    assert resp.status == 303
    for _ in range(100):
        html = await (await client.get("/staff/publish")).text()
        if "Läuft" not in html:
            return html
        await asyncio.sleep(0.1)
    raise AssertionError("publish job did not finish")


async def test_refused_model_is_explained(client, console_env) -> None:
    html = await run_job(client, REFUSED)
    assert "Absichten F1 0.412 (Minimum 0.8)" in html
    assert "Das neue Modell wurde abgelehnt" in html and "das bisherige Modell bleibt in Betrieb" in html
    audit = (console_env["state"] / "audit.jsonl").read_text(encoding="utf-8")
    assert '"action": "publish_started"' in audit and '"exit_code": 2' in audit


async def test_published_model(client) -> None:
    html = await run_job(client, OK)
    assert "Veröffentlicht: neu.tar.gz" in html and "Das neue Modell ist veröffentlicht" in html


async def test_redaktion_may_not_publish(client) -> None:
    await login(client, "anna")
    html = await (await client.get("/staff/")).text()
    assert "/staff/publish" not in html
    assert (await client.get("/staff/publish")).status == 403
    assert (await client.post("/staff/publish", data={"csrf": csrf_of(html)})).status == 403
