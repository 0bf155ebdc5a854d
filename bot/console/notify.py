"""Optional e-mail to the office when a handoff arrives (SMTP configured by the operator).

``BOT_STAFF_SMTP_HOST`` (unset: no e-mail), ``BOT_STAFF_SMTP_PORT`` (25), ``BOT_STAFF_SMTP_FROM``,
``BOT_STAFF_SMTP_STARTTLS=1``, ``BOT_STAFF_SMTP_USER``/``BOT_STAFF_SMTP_PASSWORD``, and the
recipients per tenant ``BOT_STAFF_NOTIFY="fellbach=buergerbuero@fellbach.de;ulm=..."``. The mail
says only that a request is waiting (with a link to the inbox) — never the contact address or the
conversation, which stay in the console.
"""

from __future__ import annotations

import logging
import os
import smtplib
from email.message import EmailMessage

logger = logging.getLogger("bot.console")


def recipients(tenant: str, environ: dict[str, str] | None = None) -> list[str]:
    env = os.environ if environ is None else environ
    for item in (env.get("BOT_STAFF_NOTIFY") or "").split(";"):
        name, _, addresses = item.partition("=")
        if name.strip() == tenant:
            return [a.strip() for a in addresses.split(",") if a.strip()]
    return []


def notify_handoff(tenant: str, title: str, inbox_url: str) -> bool:
    """Send the notification; False (and a log line without personal data) when it is not sent."""
    host, to = os.environ.get("BOT_STAFF_SMTP_HOST"), recipients(tenant)
    if not host or not to:
        return False
    msg = EmailMessage()
    msg["Subject"] = f"Neue Anfrage an {title} im Bürgerservice-Assistenten"
    msg["From"] = os.environ.get("BOT_STAFF_SMTP_FROM", "noreply@localhost")
    msg["To"] = ", ".join(to)
    msg.set_content(f"Guten Tag,\n\neine Bürgerin oder ein Bürger bittet um eine persönliche Antwort. Die Anfrage "
                    f"mit Kontaktangabe und Gesprächsverlauf finden Sie nach der Anmeldung im Posteingang:\n"
                    f"{inbox_url}\n\nDiese Nachricht wurde automatisch erzeugt.\n")
    try:
        with smtplib.SMTP(host, int(os.environ.get("BOT_STAFF_SMTP_PORT", "25")), timeout=10) as smtp:
            if os.environ.get("BOT_STAFF_SMTP_STARTTLS") == "1":
                smtp.starttls()
            if user := os.environ.get("BOT_STAFF_SMTP_USER"):
                smtp.login(user, os.environ.get("BOT_STAFF_SMTP_PASSWORD", ""))
            smtp.send_message(msg)
    except (OSError, smtplib.SMTPException) as exc:
        logger.warning("handoff notification for tenant %s not sent: %s", tenant, type(exc).__name__)
        return False
    return True
