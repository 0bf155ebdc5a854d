"""Turns domain objects into response variables and structured data. Pure functions, no Rasa.

Functions with a ``language`` ask the domain core for the Leistung's texts in that language
(``Core.texts``; standard German where there is none) and fill the same variables for every
language: which wording the citizen reads is the response variant Rasa picks from the slot
``language`` (``condition`` in domain/*.yml), never a branch here.
"""

from __future__ import annotations

from actions import buttons
from bot.catalogue import Service
from bot.core import Core
from bot.languages import Texts
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


MONTHS = ("Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober",
          "November", "Dezember")


def german_date(iso: str) -> str:
    """"2026-11-21" -> "21.11.2026" (other shapes are returned unchanged)."""
    parts = iso.split("-")
    return f"{parts[2]}.{parts[1]}.{parts[0]}" if len(parts) == 3 and all(p.isdigit() for p in parts) else iso


def long_date(iso: str) -> str:
    """"2026-11-21" -> "21. November 2026" (the date as Leichte Sprache writes it)."""
    parts = iso.split("-")
    if len(parts) != 3 or not all(p.isdigit() for p in parts) or not 1 <= int(parts[1]) <= 12:
        return iso
    return f"{int(parts[2])}. {MONTHS[int(parts[1]) - 1]} {parts[0]}"


def lines(sentences: tuple[str, ...]) -> str:
    """Sentences one per line (a standard text is a single item)."""
    return "\n".join(sentences)


def online_sentence(service: Service) -> str:
    """"Das geht teilweise online. <note>" — for "nein" the note alone says it better, if there is one."""
    if service.online == "nein" and service.online_note:
        return service.online_note
    text = ONLINE_TEXT.get(service.online, "")
    return f"{text} {service.online_note}".strip() if service.online_note else text


def online_text(core: Core, service: Service, language: str | None) -> str:
    """Whether it can be done online, in ``language`` (else the standard sentence)."""
    return lines(core.texts(service, language).online) or online_sentence(service)


def name_vars(core: Core, service: Service, language: str | None) -> dict:
    """``name``: the official German name; ``title``: the title in the language (the German name where it has
    none); ``meaning``: " — <title>" after the German name, empty where the language has no title of its own."""
    texts = core.texts(service, language)
    meaning = f" — {texts.name}" if texts.translated and texts.name != service.name else ""
    return {"name": service.name, "title": texts.name, "meaning": meaning}


def summary_vars(core: Core, service: Service, language: str | None) -> dict:
    texts = core.texts(service, language)
    return {
        **name_vars(core, service, language),
        "description": lines(texts.summary),
        "online": online_text(core, service, language),
    }


def documents_vars(core: Core, service: Service, language: str | None) -> dict:
    """The documents in a sentence (``documents``) and as a list, one per line (``document_list``)."""
    documents = core.texts(service, language).documents
    return {**name_vars(core, service, language), "documents": "; ".join(documents),
            "document_list": "\n".join(f"• {d}" for d in documents)}


def service_link(service: Service) -> str:
    """The Leistung on service-bw, else service-bw's start page."""
    return service.servicebw_url() or SERVICEBW_HOME


def documents_sentence(service: Service) -> str:
    return "; ".join(service.documents)


def place_label(g: Gemeinde) -> str:
    return g.short_name


def office_vars(service: Service, office: Office, g: Gemeinde) -> dict:
    note = f" {office.note}" if office.note else ""
    return {"place": place_label(g), "office": office.name, "url": office.url or SERVICEBW_HOME, "note": note}


def source_vars(service: Service) -> dict:
    return {"source": service.source or "service-bw.de",
            "stand": german_date(service.stand) if service.stand else "unbekannt",
            "stand_long": long_date(service.stand) if service.stand else "unbekannt"}


def structured(service: Service | None, office: Office | None, g: Gemeinde | None,
               texts: Texts | None = None) -> dict:
    """The data behind an answer, for the HTTP API and the widget (sent as a custom payload).

    ``texts``: the Leistung's texts in the conversation's language; added as ``texts`` when the
    conversation is not in standard German."""
    return {
        "service": None if service is None else {
            "id": service.id, "name": service.name, "servicebw_id": service.servicebw_id,
            "online": service.online, "documents": list(service.documents), "source": service.source,
            "stand": service.stand, "fee": service.fee.to_dict() if service.fee else None,
            "processing_time": service.processing_time.to_dict() if service.processing_time else None,
            **({"texts": texts.to_dict()} if texts is not None and not texts.standard else {}),
        },
        "office": None if office is None else office.to_dict(),
        "place": None if g is None else {"ags": g.ags, "name": g.short_name, "kreis": g.kreis_display},
    }


def contact_vars(g: Gemeinde | None, office: Office | None) -> dict:
    """The human contact route: the whole sentence (``contact``) and its parts (``contact_name``, ``contact_url``)."""
    name = office.name if office is not None else g.authority_name if g is not None else ""
    url = office.url if office is not None and office.url else SERVICEBW_HOME
    return {"contact": contact_text(g, office), "contact_name": name, "contact_url": url}


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


def follow_up_buttons(service: Service, language: str | None = None) -> list[dict]:
    """Quick replies after an answer: the questions citizens usually ask next (titles in ``language``)."""
    wanted = (("documents", bool(service.documents)), ("online", service.online != "unbekannt"),
              ("fees", service.fee is not None))
    return [buttons.follow_up(key, language) for key, shown in wanted if shown]
