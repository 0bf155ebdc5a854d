"""Rasa's and the action server's log records are made safe before any handler sees them."""

from __future__ import annotations

import logging

from bot.launcher import privacy_logging


def test_structlog_events_keep_no_conversation_fields():
    try:
        raise ValueError("Ich wohne in der Gartenstraße 12")
    except ValueError as exc:
        event = {"event": "rest.message.received.failure", "level": "error", "text": "Gartenstraße 12",
                 "sender_id": "6f1c3c1e", "exc_info": exc, "timestamp": "t"}
        safe = privacy_logging.structlog_privacy(None, "error", event)
    assert safe == {"event": "rest.message.received.failure", "level": "error", "timestamp": "t",
                    "error_type": "ValueError"}


def test_stdlib_records_lose_tracebacks_and_conversation_args(caplog):
    previous = logging.getLogRecordFactory()
    privacy_logging.install()
    try:
        log = logging.getLogger("rasa.core.processor")
        try:
            raise KeyError("Ottilie Quastenberg")
        except KeyError:
            log.exception("Failed for sender %s with %r", "6f1c3c1e-sender", "Ottilie Quastenberg")
    finally:
        logging.setLogRecordFactory(previous)
    text = caplog.text
    assert "Quastenberg" not in text and "6f1c3c1e" not in text and "Traceback" not in text
    assert "Failed for sender str with str [KeyError]" in text
