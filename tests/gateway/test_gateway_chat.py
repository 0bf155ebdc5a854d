"""POST /chat/messages and /chat/feedback against a fake Rasa."""

from __future__ import annotations

import json
import logging

import pytest
from gateway_helpers import DEMO_ORIGIN, FELLBACH_ORIGIN, SENDER, FakeRasa, post_chat

UNREACHABLE = "Der Chat ist gerade nicht erreichbar. Bitte versuchen Sie es später noch einmal."
UNAVAILABLE_MESSAGE = "Der Assistent ist kurz nicht verfügbar. Bitte versuchen Sie es in einer Minute noch einmal."


def msg(text: str = "Ich möchte meinen Hund anmelden", ags: str = "08119020", **extra):
    return {"sender_id": SENDER, "message": text, "ags": ags, **extra}


async def error_of(resp) -> dict:
    body = await resp.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message"}, body
    return body["error"]


async def test_relays_message_with_tenant_metadata(client, fake_rasa: FakeRasa):
    resp = await post_chat(client, msg())
    assert resp.status == 200, await resp.text()
    assert resp.headers["Access-Control-Allow-Origin"] == DEMO_ORIGIN
    assert resp.headers["Cache-Control"] == "no-store"
    data = await resp.json()
    assert fake_rasa.received == [{
        "sender": f"web:demo:08119020:{SENDER}", "message": "Ich möchte meinen Hund anmelden",
        "metadata": {"tenant_ags": "08119020", "tenant_title": "Stadt Fellbach"},
    }]
    texts = [m["text"] for m in data["messages"]]
    assert texts == ["Antwort für Stadt Fellbach: Ich möchte meinen Hund anmelden", "Noch etwas?"]
    assert data["messages"][1]["buttons"] == [{"title": "Ja", "payload": "/affirm"},
                                              {"title": "Nein", "payload": "/deny"}]
    for m in data["messages"]:
        assert set(m) == {"id", "text", "buttons", "custom"}
        assert m["id"].startswith("m-")
    assert fake_rasa.requests == ["POST /webhooks/rest/webhook"]


async def test_title_comes_from_register_when_not_configured(client, fake_rasa: FakeRasa):
    resp = await post_chat(client, msg(ags="08111000"))
    assert resp.status == 200
    assert fake_rasa.received[0]["metadata"] == {"tenant_ags": "08111000",
                                                 "tenant_title": "Landeshauptstadt Stuttgart"}


async def test_second_tenant_by_origin(client, fake_rasa: FakeRasa):
    resp = await post_chat(client, msg(), origin=FELLBACH_ORIGIN)
    assert resp.status == 200
    assert resp.headers["Access-Control-Allow-Origin"] == FELLBACH_ORIGIN


@pytest.mark.parametrize("origin", ["https://evil.example", "http://127.0.0.1:8081",
                                    "null", "https://www.fellbach.de.evil.example", None])
async def test_origin_refused(client, fake_rasa: FakeRasa, origin):
    resp = await post_chat(client, msg(), origin=origin)
    assert resp.status == 403
    assert (await error_of(resp))["code"] == "origin_not_allowed"
    assert "Access-Control-Allow-Origin" not in resp.headers
    assert fake_rasa.received == []


async def test_ags_refused_for_tenant(client, fake_rasa: FakeRasa):
    # Fellbach's site may not speak for Stuttgart; the demo tenant may not claim Aidlingen here.
    resp = await post_chat(client, msg(ags="08111000"), origin=FELLBACH_ORIGIN)
    assert resp.status == 403
    err = await error_of(resp)
    assert err["code"] == "ags_not_allowed" and "08111000" in err["message"]
    assert resp.headers["Access-Control-Allow-Origin"] == FELLBACH_ORIGIN  # widget can read it
    resp = await post_chat(client, msg(ags="08115001"))
    assert resp.status == 403
    assert fake_rasa.received == []


@pytest.mark.parametrize("ags", ["8119020", "09162000", "0811902x", "", None, 8119020])
async def test_ags_format(client, fake_rasa: FakeRasa, ags):
    resp = await post_chat(client, msg(ags=ags))
    assert resp.status == 400
    assert (await error_of(resp))["code"] == "invalid_ags"


@pytest.mark.parametrize("raw", ["{not json", "[1, 2]", '"text"', "\xff\xfe"])
async def test_bad_json(client, fake_rasa: FakeRasa, raw):
    resp = await post_chat(client, None, raw=raw)
    assert resp.status == 400
    assert (await error_of(resp))["code"] == "invalid_json"
    assert fake_rasa.received == []


async def test_wrong_content_type(client):
    resp = await post_chat(client, None, raw="message=hallo", content_type="application/x-www-form-urlencoded")
    assert resp.status == 415
    assert (await error_of(resp))["code"] == "unsupported_media_type"


async def test_long_message(client, fake_rasa: FakeRasa):
    resp = await post_chat(client, msg("x" * 1001))
    assert resp.status == 413
    err = await error_of(resp)
    assert err["code"] == "message_too_long" and "1000" in err["message"]
    resp = await post_chat(client, msg("x" * 1000))
    assert resp.status == 200
    assert len(fake_rasa.received) == 1


async def test_huge_body(client, fake_rasa: FakeRasa):
    resp = await post_chat(client, msg("x" * 40_000))
    assert resp.status == 413
    assert (await error_of(resp))["code"] == "too_large"
    assert fake_rasa.received == []


@pytest.mark.parametrize("text,sent", [
    ("/restart", "restart"),
    ("/ /restart", "restart"),
    (" \t/\n/ask_documents{\"service\":\"personalausweis\"}", "ask_documents{\"service\":\"personalausweis\"}"),
    ("  //greet{\"name\": \"x\"}", "greet{\"name\": \"x\"}"),
    ("/ Hund anmelden", "Hund anmelden"),
    ("Hund\x00 anmelden", "Hund anmelden"),
])
async def test_slash_stripping(client, fake_rasa: FakeRasa, text, sent):
    resp = await post_chat(client, msg(text))
    assert resp.status == 200
    assert fake_rasa.received[-1]["message"] == sent


@pytest.mark.parametrize("text", ["", "   ", "/", " // ", 42, None])
async def test_empty_or_invalid_message(client, fake_rasa: FakeRasa, text):
    body = msg() if text is None else msg(text)
    if text is None:
        del body["message"]
    resp = await post_chat(client, body)
    assert resp.status == 400
    assert (await error_of(resp))["code"] in {"empty_message", "invalid_message"}
    assert fake_rasa.received == []


@pytest.mark.parametrize("sender", ["abc", "", None, 123, "6f1c3c1e8a574c8e9f7a2b7c1d9e0a11",
                                    "../../model/parse-0000-0000-000000000000"])
async def test_invalid_sender(client, sender):
    resp = await post_chat(client, {**msg(), "sender_id": sender})
    assert resp.status == 400
    assert (await error_of(resp))["code"] == "invalid_sender_id"


async def test_offered_button_payload_passes_unchanged(client, fake_rasa: FakeRasa):
    assert (await post_chat(client, msg())).status == 200  # the answer offers /affirm and /deny
    resp = await post_chat(client, {"sender_id": SENDER, "payload": "/affirm", "ags": "08119020"})
    assert resp.status == 200
    assert fake_rasa.received[-1]["message"] == "/affirm"


@pytest.mark.parametrize("payload", ["/restart", '/ask_documents{"service":"personalausweis"}',
                                     '/choose_place{"ags":"08111000"}', "/affirm\n"])
async def test_payload_not_offered_is_refused(client, fake_rasa: FakeRasa, payload):
    assert (await post_chat(client, msg())).status == 200
    resp = await post_chat(client, {"sender_id": SENDER, "payload": payload, "ags": "08119020"})
    assert resp.status == 400
    err = await error_of(resp)
    assert err["code"] == "invalid_payload"
    assert len(fake_rasa.received) == 1


async def test_offered_payload_only_in_its_own_conversation(client, fake_rasa: FakeRasa):
    assert (await post_chat(client, msg())).status == 200
    other = "0b5bfb0e-1e1e-4c1a-9d5b-7d9f8a6e5c4d"
    resp = await post_chat(client, {"sender_id": other, "payload": "/affirm", "ags": "08119020"})
    assert resp.status == 400 and (await error_of(resp))["code"] == "invalid_payload"


@pytest.mark.parametrize("payload", ["hallo", "/Restart", "/restart now", "/a{" + "x" * 300 + "}",
                                     "/x{\n}", 5])
async def test_invalid_payload(client, fake_rasa: FakeRasa, payload):
    resp = await post_chat(client, {"sender_id": SENDER, "payload": payload, "ags": "08119020"})
    assert resp.status == 400
    assert (await error_of(resp))["code"] == "invalid_payload"
    assert fake_rasa.received == []


async def test_message_and_payload_together_refused(client):
    resp = await post_chat(client, {**msg(), "payload": "/affirm"})
    assert resp.status == 400


@pytest.mark.parametrize("mode,status,code", [("down", 503, "temporarily_unavailable"),
                                              ("error500", 502, "upstream_error"),
                                              ("badjson", 502, "upstream_error"),
                                              ("slow", 504, "upstream_timeout")])
async def test_upstream_failures(client, fake_rasa: FakeRasa, rasa_server, mode, status, code):
    if mode == "down":
        await rasa_server.close()
    else:
        fake_rasa.mode = mode
    resp = await post_chat(client, msg())
    assert resp.status == status
    err = await error_of(resp)
    # Rasa down (restarting under supervision): "kurz nicht verfügbar"; a broken answer: unreachable.
    assert err == {"code": code, "message": UNAVAILABLE_MESSAGE if mode == "down" else UNREACHABLE}
    assert resp.headers["Access-Control-Allow-Origin"] == DEMO_ORIGIN


@pytest.mark.parametrize("value,intent", [("up", "/feedback_positive"), ("down", "/feedback_negative")])
async def test_feedback_relay(client, fake_rasa: FakeRasa, value, intent):
    answer = (await (await post_chat(client, msg())).json())["messages"][-1]
    body = {"sender_id": SENDER, "message_id": answer["id"], "value": value, "ags": "08119020"}
    resp = await post_chat(client, body, path="/chat/feedback")
    assert resp.status == 200, await resp.text()
    assert (await resp.json())["ok"] is True
    assert fake_rasa.received[1:] == [{
        "sender": f"web:demo:08119020:{SENDER}", "message": intent,
        "metadata": {"tenant_ags": "08119020", "tenant_title": "Stadt Fellbach",
                     "feedback_for": answer["id"]},
    }]


@pytest.mark.parametrize("message_id", ["m-0123456789abcdef", "m-1"])
async def test_feedback_for_unknown_message_refused(client, fake_rasa: FakeRasa, message_id):
    assert (await post_chat(client, msg())).status == 200
    body = {"sender_id": SENDER, "message_id": message_id, "value": "up", "ags": "08119020"}
    resp = await post_chat(client, body, path="/chat/feedback")
    assert resp.status == 404 and (await error_of(resp))["code"] == "unknown_message"
    assert len(fake_rasa.received) == 1


@pytest.mark.parametrize("patch", [{"value": "meh"}, {"message_id": "<script>"}, {"message_id": ""},
                                   {"ags": "08115001"}])
async def test_feedback_invalid(client, fake_rasa: FakeRasa, patch):
    body = {"sender_id": SENDER, "message_id": "m-1", "value": "up", "ags": "08119020", **patch}
    resp = await post_chat(client, body, path="/chat/feedback")
    assert resp.status in (400, 403)
    await error_of(resp)
    assert fake_rasa.received == []


async def test_feedback_origin_refused(client, fake_rasa: FakeRasa):
    body = {"sender_id": SENDER, "message_id": "m-1", "value": "up", "ags": "08119020"}
    resp = await post_chat(client, body, path="/chat/feedback", origin="https://evil.example")
    assert resp.status == 403


async def test_preflight(client):
    resp = await client.options("/chat/messages", headers={
        "Origin": DEMO_ORIGIN, "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type"})
    assert resp.status == 204
    assert resp.headers["Access-Control-Allow-Origin"] == DEMO_ORIGIN
    assert "POST" in resp.headers["Access-Control-Allow-Methods"]
    assert resp.headers["Vary"] == "Origin"
    resp = await client.options("/chat/messages", headers={"Origin": "https://evil.example",
                                                           "Access-Control-Request-Method": "POST"})
    assert resp.status == 403
    assert "Access-Control-Allow-Origin" not in resp.headers


@pytest.mark.parametrize("method,path", [
    ("POST", "/webhooks/rest/webhook"), ("GET", "/conversations/x/tracker"),
    ("POST", "/model/parse"), ("GET", "/status"), ("POST", "/webhook"), ("GET", "/chat/messages"),
    ("GET", "/chat/../webhooks/rest/webhook"), ("GET", "/demo/../config/tenants.yml"),
])
async def test_no_path_reaches_rasa(client, fake_rasa: FakeRasa, method, path):
    resp = await client.request(method, path, headers={"Origin": DEMO_ORIGIN})
    assert resp.status in (404, 405)
    await error_of(resp)
    assert fake_rasa.requests == []


async def test_crash_gives_json_without_trace(client, monkeypatch, caplog):
    from bot.gateway.relay import RELAY_KEY

    async def boom(*args, **kwargs):
        raise RuntimeError("geheimer Nachrichtentext")

    monkeypatch.setattr(client.app[RELAY_KEY], "send", boom)
    with caplog.at_level(logging.DEBUG):
        resp = await post_chat(client, msg())
    assert resp.status == 500
    body = await resp.text()
    assert json.loads(body)["error"]["code"] == "internal_error"
    assert "Traceback" not in body and "geheim" not in body
    assert "geheim" not in caplog.text and "Traceback" not in caplog.text


async def test_logs_hold_no_text_ip_or_sender(client, caplog):
    with caplog.at_level(logging.DEBUG):
        resp = await post_chat(client, msg("Mein Name ist Erika Mustermann"))
        assert resp.status == 200
        await post_chat(client, msg("Erika"), origin="https://evil.example")
    assert "relay tenant=demo ags=08119020 kind=message" in caplog.text
    for secret in ("Erika", "Mustermann", SENDER, "127.0.0.1 "):
        assert secret not in caplog.text
