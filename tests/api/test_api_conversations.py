"""POST /api/v1/conversations/{conversation_id}/messages against a FAKE Rasa upstream."""

from __future__ import annotations

import json
import logging

import pytest
from api_helpers import KEY, OTHER_KEY, SERVICE_DATA, FakeUpstream, error_of

PATH = "/api/v1/conversations/{cid}/messages"
PLACE_PAYLOAD = '/inform_place{"place": "08119020"}'


async def send(client, body, *, cid: str = "c-4711", key: str = KEY, raw: str | bytes | None = None,
               content_type: str = "application/json"):
    data = raw if raw is not None else json.dumps(body)
    return await client.post(PATH.format(cid=cid), data=data,
                             headers={"X-API-Key": key, "Content-Type": content_type})


async def test_relays_and_returns_structured_messages(client, upstream: FakeUpstream):
    resp = await send(client, {"message": "Ich brauche einen neuen Personalausweis"})
    assert resp.status == 200, await resp.text()
    assert resp.headers["Cache-Control"] == "no-store"
    data = await resp.json()
    assert data == {"conversation_id": "c-4711", "messages": [{
        "text": "Echo: Ich brauche einen neuen Personalausweis",
        "buttons": [{"title": "Welche Unterlagen?", "payload": "/ask_documents"},
                    {"title": "Fellbach", "payload": PLACE_PAYLOAD}],
        "data": SERVICE_DATA,  # the custom-only message travels with the answer it belongs to
    }], "lang": "de"}
    assert upstream.received == [{"sender": "api:portal:c-4711", "message": "Ich brauche einen neuen Personalausweis",
                                  "metadata": {"channel": "api", "portal": "portal"}}]
    assert upstream.requests == ["POST /webhooks/rest/webhook"]


async def test_sender_is_namespaced_per_portal(client, upstream: FakeUpstream):
    await send(client, {"message": "Hallo"}, cid="same")
    await send(client, {"message": "Hallo"}, cid="same", key=OTHER_KEY)
    assert [r["sender"] for r in upstream.received] == ["api:portal:same", "api:other:same"]


@pytest.mark.parametrize("place,ags,title", [("70734", "08119020", "Stadt Fellbach"),
                                             ("Stuttgart", "08111000", "Landeshauptstadt Stuttgart"),
                                             ("08421000", "08421000", "Stadt Ulm")])
async def test_place_becomes_gemeinde_context(client, upstream: FakeUpstream, place, ags, title):
    resp = await send(client, {"message": "Hund anmelden", "place": place})
    assert resp.status == 200
    meta = upstream.received[-1]["metadata"]
    assert meta["tenant_ags"] == ags and meta["tenant_title"].endswith(title.split(" ", 1)[1])


@pytest.mark.parametrize("place,status,code", [("Atlantis", 404, "place_not_found"),
                                               ("Altdorf", 400, "place_not_unique"),
                                               ("München", 400, "place_not_unique"),
                                               (70734, 400, "invalid_place"),
                                               ("  ", 400, "empty_place"),
                                               ("p" * 201, 413, "query_too_long")])
async def test_bad_place(client, upstream: FakeUpstream, place, status, code):
    resp = await send(client, {"message": "Hallo", "place": place})
    assert (await error_of(resp, status))["code"] == code
    assert upstream.received == []


@pytest.mark.parametrize("text,sent", [("/restart", "restart"), ("  //greet{\"x\": 1}", "greet{\"x\": 1}"),
                                       ("/ /Hund", "Hund"), ("Hund\x00 anmelden", "Hund anmelden"),
                                       ("/ask_documents", "ask_documents")])
async def test_leading_slash_removed_unless_offered(client, upstream: FakeUpstream, text, sent):
    assert (await send(client, {"message": text})).status == 200
    assert upstream.received[-1]["message"] == sent


async def test_offered_payload_passes_unchanged(client, upstream: FakeUpstream):
    await send(client, {"message": "Personalausweis"})
    assert (await send(client, {"message": PLACE_PAYLOAD})).status == 200
    assert upstream.received[-1]["message"] == PLACE_PAYLOAD
    # Only the buttons of the last answer count, and only in this conversation.
    await send(client, {"message": "/ask_documents"})
    assert upstream.received[-1]["message"] == "/ask_documents"
    await send(client, {"message": "/ask_documents"})
    assert upstream.received[-1]["message"] == "ask_documents"
    await send(client, {"message": "Personalausweis"}, cid="a")
    await send(client, {"message": "/ask_documents"}, cid="b")
    assert upstream.received[-1]["message"] == "ask_documents"


@pytest.mark.parametrize("cid", ["a" * 65, "ä", "a.b", "a%20b", "a:b"])
async def test_invalid_conversation_id(client, upstream: FakeUpstream, cid):
    resp = await send(client, {"message": "Hallo"}, cid=cid)
    assert (await error_of(resp, 400))["code"] == "invalid_conversation_id"
    assert upstream.received == []


@pytest.mark.parametrize("body,raw,content_type,status,code", [
    ({"message": "x" * 1001}, None, "application/json", 413, "message_too_long"),
    ({"message": "x" * 8200}, None, "application/json", 413, "too_large"),
    (None, "{bad json", "application/json", 400, "invalid_json"),
    (None, "[1, 2]", "application/json", 400, "invalid_json"),
    (None, "[" * 5000 + "]" * 5000, "application/json", 413, "too_large"),
    (None, "[" * 4000 + "]" * 4000, "application/json", 400, "invalid_json"),
    (None, b"\xff\xfe", "application/json", 400, "invalid_json"),
    (None, "message=Hallo", "application/x-www-form-urlencoded", 415, "unsupported_media_type"),
    (None, "Hallo", "text/plain", 415, "unsupported_media_type"),
    ({}, None, "application/json", 400, "invalid_message"),
    ({"message": 5}, None, "application/json", 400, "invalid_message"),
    ({"message": None}, None, "application/json", 400, "invalid_message"),
    ({"message": ""}, None, "application/json", 400, "empty_message"),
    ({"message": " / "}, None, "application/json", 400, "empty_message"),
    ({"message": "\x01\x02"}, None, "application/json", 400, "empty_message"),
])
async def test_bad_bodies(client, upstream: FakeUpstream, body, raw, content_type, status, code):
    resp = await send(client, body, raw=raw, content_type=content_type)
    assert (await error_of(resp, status))["code"] == code
    assert upstream.received == []


async def test_limits_are_inclusive(client, upstream: FakeUpstream):
    assert (await send(client, {"message": "x" * 1000, "extra": "ignored"})).status == 200
    assert len(upstream.received[-1]["message"]) == 1000


async def test_body_over_gateway_limit(client):
    resp = await send(client, None, raw=json.dumps({"message": "x" * 40_000}))
    assert (await error_of(resp, 413))["code"] == "too_large"


@pytest.mark.parametrize("mode,status,code", [("down", 503, "temporarily_unavailable"),
                                              ("error500", 502, "upstream_error"),
                                              ("badjson", 502, "upstream_error"),
                                              ("slow", 504, "upstream_timeout")])
async def test_upstream_failures(client, upstream: FakeUpstream, upstream_server, mode, status, code):
    if mode == "down":
        await upstream_server.close()
    else:
        upstream.mode = mode
    resp = await send(client, {"message": "Hallo"})
    assert (await error_of(resp, status))["code"] == code


async def test_logs_hold_no_texts_keys_or_ids(client, caplog):
    caplog.set_level(logging.DEBUG)
    await send(client, {"message": "Geheimnis Mustermann", "place": "70734"}, cid="conv-secret-1")
    await client.get("/api/v1/places", params={"q": "Privatstraße 7 Fellbach"}, headers={"X-API-Key": KEY})
    text = "\n".join(r.getMessage() for r in caplog.records)
    assert "api portal=portal POST /api/v1/conversations/{conversation_id}/messages status=200" in text
    for secret in ("Geheimnis", "Mustermann", "Privatstraße", KEY, "127.0.0.1:"):
        assert secret not in text


async def test_lang_de_ls_sets_the_language_before_the_message(client, upstream: FakeUpstream):
    resp = await send(client, {"message": "Ich brauche einen Personalausweis", "place": "70734", "lang": "de-LS"})
    assert resp.status == 200, await resp.text()
    events = "POST /conversations/{cid}/tracker/events"
    assert upstream.requests == [events, events, "POST /webhooks/rest/webhook"]  # twice: a new conversation
    assert upstream.events[-1] == ("api:portal:c-4711", [{"event": "slot", "name": "language", "value": "de-LS"}])
    await send(client, {"message": "Was kostet das?", "lang": "de-LS"})  # unchanged: not set again
    await send(client, {"message": "Und wo?"})  # absent: the conversation keeps its language
    assert upstream.requests[3:] == ["POST /webhooks/rest/webhook"] * 2
    await send(client, {"message": "Danke", "lang": "de"})
    assert upstream.requests[5:] == [events, "POST /webhooks/rest/webhook"]
    assert [e[1][0]["value"] for e in upstream.events] == ["de-LS", "de-LS", "de"]


async def test_the_answer_names_its_language(client, upstream: FakeUpstream):
    async def lang_of(body: dict) -> str:
        resp = await send(client, body)
        assert resp.status == 200, await resp.text()
        return (await resp.json())["lang"]

    assert await lang_of({"message": "Hallo"}) == "de"  # nothing chosen or detected: standard German
    assert await lang_of({"message": "Hallo", "lang": "DE-ls"}) == "de-LS"
    assert await lang_of({"message": "Und wo?"}) == "de-LS"  # remembered
    # Typed Ukrainian without lang switches the conversation (the slot first), even from Leichter Sprache.
    assert await lang_of({"message": "Скільки коштує паспорт?"}) == "uk"
    assert upstream.events[-1] == ("api:portal:c-4711", [{"event": "slot", "name": "language", "value": "uk"}])
    assert await lang_of({"message": "Danke", "lang": "tr"}) == "tr"


@pytest.mark.parametrize("lang", ["fr", "", "leicht", 1, True])
async def test_unknown_lang_is_a_german_400(client, upstream: FakeUpstream, lang):
    resp = await send(client, {"message": "Hallo", "lang": lang})
    assert resp.status == 400
    error = await error_of(resp)
    assert error["code"] == "invalid_lang" and "de-LS (Leichte Sprache)" in error["message"]
    assert upstream.requests == []
