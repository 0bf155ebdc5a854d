"""Finding 5: one browser sender id across tenants and Gemeinden never mixes conversations."""

from __future__ import annotations

from hostile_helpers import DEMO_ORIGIN, SENDER, ULM_ORIGIN, MemoryRasa


async def say(client, origin: str, ags: str, text: str = "Hund anmelden") -> str:
    resp = await client.post("/chat/messages", headers={"Origin": origin},
                             json={"sender_id": SENDER, "ags": ags, "message": text})
    assert resp.status == 200, await resp.text()
    return (await resp.json())["messages"][0]["text"]


async def test_same_sender_across_tenants_and_ags(client, rasa: MemoryRasa):
    # Fellbach on the demo site first: the fake Rasa remembers "Stadt Fellbach" for this conversation.
    assert "Stadt Fellbach" in await say(client, DEMO_ORIGIN, "08119020")
    # The same browser id continued on Ulm's site answers for Ulm, not for the remembered Fellbach.
    assert "Stadt Ulm" in await say(client, ULM_ORIGIN, "08421000")
    # Same tenant, other Gemeinde: another conversation too.
    assert "Landeshauptstadt Stuttgart" in await say(client, DEMO_ORIGIN, "08111000")
    # The same Gemeinde on another tenant's site is still another conversation.
    assert "Stadt Fellbach" in await say(client, ULM_ORIGIN, "08119020")
    assert "Stadt Fellbach" in await say(client, DEMO_ORIGIN, "08119020", "Und die Kosten?")
    senders = [r["sender"] for r in rasa.received]
    assert senders == [f"web:demo:08119020:{SENDER}", f"web:ulm:08421000:{SENDER}",
                       f"web:demo:08111000:{SENDER}", f"web:ulm:08119020:{SENDER}",
                       f"web:demo:08119020:{SENDER}"]
    assert rasa.trackers[f"web:demo:08119020:{SENDER}"] == ["Hund anmelden", "Und die Kosten?"]


async def test_payload_offered_under_one_tenant_is_refused_under_another(client, rasa: MemoryRasa):
    await say(client, DEMO_ORIGIN, "08119020")
    payload = '/choose_place{"ags":"08111000"}'
    ok = await client.post("/chat/messages", headers={"Origin": DEMO_ORIGIN},
                           json={"sender_id": SENDER, "ags": "08119020", "payload": payload})
    assert ok.status == 200
    await say(client, DEMO_ORIGIN, "08119020")
    refused = await client.post("/chat/messages", headers={"Origin": ULM_ORIGIN},
                                json={"sender_id": SENDER, "ags": "08421000", "payload": payload})
    assert refused.status == 400 and (await refused.json())["error"]["code"] == "invalid_payload"


async def test_feedback_only_in_the_conversation_that_got_the_answer(client, rasa: MemoryRasa):
    resp = await client.post("/chat/messages", headers={"Origin": DEMO_ORIGIN},
                             json={"sender_id": SENDER, "ags": "08119020", "message": "Hund anmelden"})
    message_id = (await resp.json())["messages"][-1]["id"]
    body = {"sender_id": SENDER, "message_id": message_id, "value": "up"}
    other = await client.post("/chat/feedback", headers={"Origin": ULM_ORIGIN}, json={**body, "ags": "08421000"})
    assert other.status == 404
    own = await client.post("/chat/feedback", headers={"Origin": DEMO_ORIGIN}, json={**body, "ags": "08119020"})
    assert own.status == 200
