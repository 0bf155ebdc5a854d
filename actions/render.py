"""Turns domain objects into response variables and structured data. Pure functions, no Rasa."""

from __future__ import annotations

from bot.catalogue import Service
from bot.places import Gemeinde
from bot.responsibility import Office

ONLINE_TEXT = {
    "ja": "Das können Sie online erledigen.",
    "teilweise": "Das geht teilweise online.",
    "nein": "Dafür müssen Sie persönlich vorbeikommen.",
    "unbekannt": "",
}
HANDOFF_GENERIC = (
    "Die Behördennummer 115 hilft Ihnen in vielen Gemeinden werktags von 8 bis 18 Uhr weiter. "
    "Alle Leistungen und Ämter in Baden-Württemberg finden Sie auch auf https://www.service-bw.de"
)
SERVICEBW_HOME = "https://www.service-bw.de"


def german_date(iso: str) -> str:
    """"2026-11-21" -> "21.11.2026" (other shapes are returned unchanged)."""
    parts = iso.split("-")
    return f"{parts[2]}.{parts[1]}.{parts[0]}" if len(parts) == 3 and all(p.isdigit() for p in parts) else iso


def online_sentence(service: Service) -> str:
    """"Das geht teilweise online. <note>" — for "nein" the note alone says it better, if there is one."""
    if service.online == "nein" and service.online_note:
        return service.online_note
    text = ONLINE_TEXT.get(service.online, "")
    return f"{text} {service.online_note}".strip() if service.online_note else text


def summary_vars(service: Service) -> dict:
    return {
        "name": service.name,
        "description": service.description or "",
        "online": online_sentence(service),
    }


def documents_sentence(service: Service) -> str:
    return "; ".join(service.documents)


def place_label(g: Gemeinde) -> str:
    return g.short_name


def office_vars(service: Service, office: Office, g: Gemeinde) -> dict:
    note = f" {office.note}" if office.note else ""
    return {"place": place_label(g), "office": office.name, "url": office.url or SERVICEBW_HOME, "note": note}


def source_vars(service: Service) -> dict:
    return {"source": service.source or "service-bw.de", "stand": german_date(service.stand) if service.stand else "unbekannt"}


def structured(service: Service | None, office: Office | None, g: Gemeinde | None) -> dict:
    """The data behind an answer, for the HTTP API and the widget (sent as a custom payload)."""
    return {
        "service": None if service is None else {
            "id": service.id, "name": service.name, "servicebw_id": service.servicebw_id,
            "online": service.online, "documents": list(service.documents), "source": service.source,
            "stand": service.stand, "fee": service.fee.to_dict() if service.fee else None,
            "processing_time": service.processing_time.to_dict() if service.processing_time else None,
        },
        "office": None if office is None else office.to_dict(),
        "place": None if g is None else {"ags": g.ags, "name": g.short_name, "kreis": g.kreis_display},
    }


def contact_text(g: Gemeinde | None, office: Office | None) -> str:
    """The human contact route: the responsible office or the Gemeinde, plus 115 and service-bw."""
    if office is not None:
        link = f" Kontaktdaten: {office.url}" if office.url else ""
        return f"Wenden Sie sich bitte an {office.name}.{link} {HANDOFF_GENERIC}"
    if g is not None:
        return f"Wenden Sie sich bitte an das Rathaus ({g.authority_name}). {HANDOFF_GENERIC}"
    return HANDOFF_GENERIC


def service_button(service: Service) -> dict:
    return {"title": service.name, "payload": f'/search_service{{"service": "{service.id}"}}'}


def place_button(g: Gemeinde) -> dict:
    return {"title": f"{g.short_name} ({g.kreis_display})", "payload": f'/inform_place{{"place": "{g.ags}"}}'}


def follow_up_buttons(service: Service) -> list[dict]:
    """Quick replies after an answer: the questions citizens usually ask next."""
    buttons = []
    if service.documents:
        buttons.append({"title": "Welche Unterlagen?", "payload": "/ask_documents"})
    if service.online != "unbekannt":
        buttons.append({"title": "Geht das online?", "payload": "/ask_online"})
    if service.fee is not None:
        buttons.append({"title": "Was kostet das?", "payload": "/ask_fees"})
    return buttons
