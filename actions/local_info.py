"""Answers from the local information a Kommune entered in the staff console (bot/local_info.py).

``hours_sentence`` / ``appointment_sentence`` return German text, or ``None`` where the Kommune
entered nothing — then the actions keep today's pointer to service-bw. The actions send the text as
{info} of ``utter_local_info``, whose variants in other languages say that it is the Gemeinde's own
entry, in German.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from bot.local_info import DAY_NAMES, DAYS, Office, office_for

TZ = ZoneInfo("Europe/Berlin")


def _stand(stand: str) -> str:
    try:
        return date.fromisoformat(stand).strftime("%d.%m.%Y")
    except ValueError:
        return stand


def _spans(spans: list[str]) -> str:
    return ", ".join(s.replace("-", "–") for s in spans)


def _contact(o: Office) -> str:
    parts = [f"Telefon {o.phone}" if o.phone else "", f"E-Mail {o.email}" if o.email else ""]
    return " · ".join(p for p in parts if p)


def today_text(o: Office, now: datetime) -> str:
    day = now.date().isoformat()
    exception = next((x for x in o.exceptions if str(x.get("date")) == day), None)
    if exception is not None and exception.get("closed", True):
        note = f" ({exception['note']})" if exception.get("note") else ""
        return f"{o.name} ist heute geschlossen{note}."
    spans = o.hours.get(DAYS[now.weekday()]) or []
    if not spans:
        return f"{o.name} hat heute geschlossen."
    current = now.strftime("%H:%M")
    for span in spans:
        start, end = span.split("-")
        if start <= current < end:
            return f"{o.name} hat heute bis {end} Uhr geöffnet."
        if current < start:
            return f"{o.name} öffnet heute um {start} Uhr."
    return f"{o.name} hat heute schon geschlossen."


def hours_sentence(ags: str, service_id: str | None, now: datetime | None = None) -> str | None:
    found = office_for(ags, service_id)
    if found is None or not found[1].hours:
        return None
    stand, o = found
    now = now or datetime.now(TZ)
    week = "; ".join(f"{DAY_NAMES[d]} {_spans(o.hours[d])}" for d in DAYS if o.hours.get(d))
    contact = _contact(o)
    return (f"{today_text(o, now)}\nÖffnungszeiten: {week}." + (f"\n{contact}" if contact else "")
            + f"\nStand: {_stand(stand)} (Angaben der Gemeinde).")


def appointment_sentence(ags: str, service_id: str | None) -> str | None:
    found = office_for(ags, service_id)
    if found is None or not (found[1].appointment_url or found[1].phone):
        return None
    stand, o = found
    first = f"Termin buchen bei {o.name}: {o.appointment_url}" if o.appointment_url else \
        f"Einen Termin bei {o.name} vereinbaren Sie telefonisch."
    contact = _contact(o)
    return first + (f"\n{contact}" if contact else "") + f"\nStand: {_stand(stand)} (Angaben der Gemeinde)."
