"""Open-data export: (question → Leistung) pairs for transparency reports.

A pair is a typed citizen message and the Leistung the assistant recognised in the same turn (the
``service_id`` slot it set). Only questions where :func:`bot.staff.pii.mask` finds nothing to
mask are exported, and only texts asked in at least ``MIN_CONVERSATIONS`` different conversations
(a unique sentence can identify its author even without a name in it).
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict

from bot.console.tenancy import ALL, tenant_of
from bot.staff.pii import mask
from bot.staff.trackers import engine_for, iter_conversations

MIN_CONVERSATIONS = 2


def pairs(url: str, tenant: str, since: float, by_ags: dict[str, str], known: set[str]) -> list[tuple[str, str, int]]:
    seen: dict[tuple[str, str], set[str]] = defaultdict(set)
    engine = engine_for(url)
    try:
        for sender, events in iter_conversations(engine, since=since, types=("user", "slot")):
            if tenant != ALL:
                meta = next((ev.data.get("metadata") for ev in events
                             if ev.type_name == "user" and ev.data.get("metadata")), None)
                if tenant_of(sender, meta, by_ags, known) != tenant:
                    continue
            question = None
            for ev in events:
                if ev.type_name == "user":
                    text = " ".join(str(ev.data.get("text") or "").split())
                    question = text if text and not text.startswith("/") else None
                elif ev.data.get("name") == "service_id":
                    value = ev.data.get("value")
                    if question and value and mask(question) == question and len(question) <= 300:
                        seen[(question, str(value))].add(sender)
                    question = None
    finally:
        engine.dispose()
    rows = [(q, s, len(c)) for (q, s), c in seen.items() if len(c) >= MIN_CONVERSATIONS]
    return sorted(rows, key=lambda r: (-r[2], r[1], r[0]))


def to_csv(rows: list[tuple[str, str, int]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(["frage", "leistung", "gespraeche"])
    writer.writerows(rows)
    return out.getvalue()
