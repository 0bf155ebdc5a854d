"""Handoff: POST /chat/handoff from a tenant's site, the tenant's inbox, done, retention."""

from __future__ import annotations

import sqlite3
import time
import uuid

from console_helpers import FELLBACH, ULM, csrf_of, login

FELLBACH_ORIGIN = "https://www.fellbach.de"
SENDER = str(uuid.UUID(int=1))  # the seeded Fellbach conversation


def body(**extra):
    return {"sender_id": SENDER, "ags": FELLBACH, "consent": True, "contact": "anna@example.org",
            "note": "Bitte um Rückruf", **extra}


async def send(client, origin: str = FELLBACH_ORIGIN, **extra):
    return await client.post("/chat/handoff", json=body(**extra), headers={"Origin": origin})


async def test_handoff_arrives_in_the_tenants_inbox_only(client) -> None:
    resp = await send(client)
    assert resp.status == 200 and "angekommen" in (await resp.json())["message"]
    assert resp.headers["Access-Control-Allow-Origin"] == FELLBACH_ORIGIN
    await login(client, "anna")
    html = await (await client.get("/staff/inbox")).text()
    assert "anna@example.org" in html and "Bitte um Rückruf" in html
    assert "Ich brauche einen neuen Perso" in html and "Personalausweis beantragen" in html  # transcript
    entry = html.split('data-handoff="')[1].split('"')[0]
    await login(client, "uli")
    html = await (await client.get("/staff/inbox")).text()
    assert "anna@example.org" not in html and "Keine Anfragen." in html
    resp = await client.post("/staff/inbox/done", data={"csrf": csrf_of(html), "id": entry})
    assert resp.status == 404  # Ulm cannot touch Fellbach's entry
    await login(client, "anna")
    html = await (await client.get("/staff/inbox")).text()
    resp = await client.post("/staff/inbox/done", data={"csrf": csrf_of(html), "id": entry})
    assert resp.status == 200 and "Als erledigt markiert." in await resp.text() and "erledigt am" in await resp.text()


async def test_handoff_needs_consent_contact_and_the_right_site(client) -> None:
    resp = await send(client, consent=False)
    assert resp.status == 400 and "dürfen" in (await resp.json())["error"]["message"]
    resp = await send(client, contact="ruf mich an")
    assert resp.status == 400 and (await resp.json())["error"]["code"] == "invalid_contact"
    assert (await send(client, origin="https://evil.example")).status == 403
    assert (await send(client, ags=ULM)).status == 403  # Fellbach's site cannot file for Ulm
    assert (await send(client, contact="+49 711 1234567")).status == 200
    preflight = await client.options("/chat/handoff", headers={"Origin": FELLBACH_ORIGIN,
                                                               "Access-Control-Request-Method": "POST"})
    assert preflight.status == 204


async def test_handoffs_are_deleted_after_the_retention_period(client, console_env) -> None:
    assert (await send(client)).status == 200
    db = console_env["state"] / "handoffs.db"
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE handoffs SET created = ?", (time.time() - 31 * 86400,))
    await login(client, "anna")
    html = await (await client.get("/staff/inbox")).text()
    assert "Keine Anfragen." in html
    assert oct(db.stat().st_mode & 0o777) == "0o600"


class SmtpSink:
    """A tiny SMTP server on loopback that keeps every message it receives (enough for smtplib)."""

    def __init__(self) -> None:
        self.messages: list[dict] = []

    async def handle(self, reader, writer) -> None:
        writer.write(b"220 sink ESMTP\r\n")
        rcpt: list[str] = []
        while line := await reader.readline():
            cmd = line.decode().strip()
            upper = cmd.upper()
            if upper.startswith(("EHLO", "HELO")):
                writer.write(b"250 sink\r\n")
            elif upper.startswith("RCPT TO:"):
                rcpt.append(cmd[8:].strip(" <>"))
                writer.write(b"250 ok\r\n")
            elif upper == "DATA":
                writer.write(b"354 go ahead\r\n")
                await writer.drain()
                data = await reader.readuntil(b"\r\n.\r\n")
                self.messages.append({"to": rcpt, "data": data.decode("utf-8", "replace")})
                writer.write(b"250 queued\r\n")
            elif upper == "QUIT":
                writer.write(b"221 bye\r\n")
                await writer.drain()
                break
            else:  # MAIL FROM, RSET, NOOP
                writer.write(b"250 ok\r\n")
            await writer.drain()
        writer.close()


async def test_office_gets_a_notification_without_personal_data(client, monkeypatch) -> None:
    import asyncio
    import email
    from email.policy import default

    sink = SmtpSink()
    server = await asyncio.start_server(sink.handle, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    monkeypatch.setenv("BOT_STAFF_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("BOT_STAFF_SMTP_PORT", str(port))
    monkeypatch.setenv("BOT_STAFF_SMTP_FROM", "assistent@example.org")
    monkeypatch.setenv("BOT_STAFF_NOTIFY", "ulm=rathaus@ulm.example;fellbach=bb@fellbach.example, info@fellbach.example")
    try:
        assert (await send(client)).status == 200
        for _ in range(100):
            if sink.messages:
                break
            await asyncio.sleep(0.05)
    finally:
        server.close()
    assert sink.messages and sink.messages[0]["to"] == ["bb@fellbach.example", "info@fellbach.example"]
    mail = email.message_from_string(sink.messages[0]["data"], policy=default)
    text = mail.get_body().get_content()
    assert mail["Subject"] == "Neue Anfrage an Stadt Fellbach im Bürgerservice-Assistenten"
    assert "/staff/inbox" in text
    assert "anna@example.org" not in sink.messages[0]["data"] and "Perso" not in text  # stays in the console
