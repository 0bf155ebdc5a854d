"""Review queue in the browser backend: masked groups per tenant, decisions into the draft, validate checks."""

from __future__ import annotations

import re
from pathlib import Path

import yaml
from console_helpers import ULM_TEXT, csrf_of, login

from bot.config import PROJECT_ROOT
from bot.console.checks_drafts import check_review_drafts
from bot.staff.pii import mask

SERVICE_IDS = {"personalausweis", "reisepass"}


def groups_of(html: str) -> list[str]:
    return re.findall(r'data-group="([0-9a-f]{12})"', html)


async def test_queue_is_masked_like_the_cli(client) -> None:
    await login(client, "anna")
    html = await (await client.get("/staff/review")).text()
    assert "Anna Müller" not in html and mask("Ich heiße Anna Müller, gibt es Geld für ein Lastenrad?") in html
    assert "Was kostet das Parken vor dem Rathaus" in html  # low confidence, no personal data
    assert 'data-total="2"' in html and len(groups_of(html)) == 2
    assert ULM_TEXT not in html


async def test_assign_writes_the_draft_and_validate_accepts_it(client, console_env) -> None:
    await login(client, "anna")
    html = await (await client.get("/staff/review")).text()
    token, groups = csrf_of(html), groups_of(html)
    resp = await client.post("/staff/review/assign", data={
        "csrf": token, "group": groups[0], "mandant": "fellbach", "zeitraum": "woche", "decision": "intent",
        "intent": "search_service", "service": "personalausweis"}, allow_redirects=False)
    assert resp.status == 303
    resp = await client.post("/staff/review/assign", data={
        "csrf": token, "group": groups[1], "mandant": "fellbach", "zeitraum": "woche", "decision": "out_of_scope"})
    assert resp.status == 200 and "Die Entscheidung wurde im Entwurf gespeichert." in await resp.text()
    draft = console_env["drafts"]
    doc = yaml.safe_load(draft.read_text(encoding="utf-8"))
    assert {(e["decision"], e["intent"], e["service"]) for e in doc["review"]} == {
        ("intent", "search_service", "personalausweis"), ("out_of_scope", "out_of_scope", None)}
    assert "Anna" not in draft.read_text(encoding="utf-8") and "Wird NICHT trainiert" in draft.read_text()
    assert check_review_drafts(PROJECT_ROOT, SERVICE_IDS, draft) == []
    html = await (await client.get("/staff/review")).text()
    assert html.count('class="decided"') == 2
    audit = (console_env["state"] / "audit.jsonl").read_text(encoding="utf-8")
    assert '"action": "review_decision"' in audit and "Anna" not in audit and "Parken" not in audit


async def test_assign_refuses_other_tenants_and_bad_input(client) -> None:
    await login(client, "uli")
    ulm_group = groups_of(await (await client.get("/staff/review")).text())[0]
    await login(client, "anna")
    token = csrf_of(await (await client.get("/staff/review")).text())
    base = {"csrf": token, "zeitraum": "woche", "decision": "ignore"}
    assert (await client.post("/staff/review/assign", data={**base, "group": ulm_group, "mandant": "fellbach"})).status \
        == 404  # Ulm's group is not in Fellbach's queue
    assert (await client.post("/staff/review/assign", data={**base, "group": ulm_group, "mandant": "ulm"})).status \
        == 403
    resp = await client.post("/staff/review/assign", data={**base, "group": ulm_group, "mandant": "fellbach",
                                                           "decision": "intent", "intent": "gibt_es_nicht"})
    assert resp.status == 400
    resp = await client.post("/staff/review/assign", data={**base, "group": ulm_group, "mandant": "fellbach",
                                                           "decision": "intent"})
    assert resp.status == 400 and "Bitte wählen Sie eine Absicht oder eine Leistung aus." in await resp.text()


def test_validate_finds_broken_drafts(tmp_path: Path) -> None:
    draft = tmp_path / "review.yml"
    draft.write_text(yaml.safe_dump({"version": "1", "review": [
        {"group": "aaaaaaaaaaaa", "decision": "vielleicht", "examples": ["x"]},
        {"group": "bbbbbbbbbbbb", "decision": "intent", "intent": "gibt_es_nicht", "examples": ["Was kostet das?"]},
        {"group": "cccccccccccc", "decision": "intent", "service": "kein_dienst", "examples": ["Mail an a@b.de"]},
        {"group": "dddddddddddd", "decision": "intent", "examples": []},
    ]}), encoding="utf-8")
    texts = [(f.level, f.line, f.text) for f in check_review_drafts(PROJECT_ROOT, SERVICE_IDS, draft)]
    # line 5 = the "group:" line of the first entry (keys sorted: decision, examples, group)
    assert ("FEHLER", 5, "unbekannte Entscheidung 'vielleicht' (erlaubt: intent, out_of_scope, ignore)") in texts
    assert any("Absicht 'gibt_es_nicht' gibt es nicht" in t for _, _, t in texts)
    assert any("Leistung 'kein_dienst' gibt es nicht im Katalog" in t for _, _, t in texts)
    assert any("personenbezogene Daten" in t for _, _, t in texts)
    assert any("Zuordnung ohne Absicht und ohne Leistung" in t for _, _, t in texts)
    assert any(t == "keine Beispiele" for _, _, t in texts)
