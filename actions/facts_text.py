"""German sentences about what a Leistung costs and how long it takes. Pure functions, no Rasa.

The wording follows the catalogue data (``bot.facts``): an amount is only ever named when the
catalogue has it with its legal basis; otherwise the sentence says who sets the fee and links
the Leistung on service-bw.
"""

from __future__ import annotations

from actions.render import SERVICEBW_HOME, german_date, lines
from bot.catalogue import Service
from bot.core import Core

#: Zuständigkeit rules whose fees a Gemeinde sets in its own Satzung.
MUNICIPAL_RULES = ("gemeinde", "standesamt")


def _source(source: str, stand: str) -> str:
    if not source:
        return ""
    return f" Quelle: {source}, Stand {german_date(stand)}." if stand else f" Quelle: {source}."


def _sentence(text: str) -> str:
    text = text.strip()
    return f" {text}" if text.endswith((".", "!", "?")) else f" {text}." if text else ""


def _link(service: Service) -> str:
    return service.servicebw_url() or SERVICEBW_HOME


def fees_sentence(service: Service) -> str:
    """What the Leistung costs: the amount with its legal basis, "gebührenfrei", or who sets it."""
    fee = service.fee
    if fee is None:
        return ("Zur Gebühr habe ich keine gesicherte Angabe; bitte fragen Sie bei der zuständigen Stelle nach. "
                f"Mehr: {_link(service)}")
    if fee.kind == "fixed" and fee.amount:
        basis = f" Rechtsgrundlage: {fee.basis}." if fee.basis else ""
        return f"Die Gebühr beträgt {fee.amount}.{_sentence(fee.note)}{basis}{_source(fee.source, fee.stand)}".strip()
    if fee.kind == "free":
        basis = f" Rechtsgrundlage: {fee.basis}." if fee.basis else ""
        return f"Das ist gebührenfrei.{_sentence(fee.note)}{basis}{_source(fee.source, fee.stand)}".strip()
    # "local", and any kind bot validate would reject: never guess an amount
    if fee.basis:
        text = f"Die Gebühr richtet sich nach {fee.basis}; die genaue Höhe nennt Ihnen die zuständige Stelle."
    elif service.responsibility is not None and service.responsibility.rule in MUNICIPAL_RULES:
        text = "Ob und welche Gebühr anfällt, legt Ihre Gemeinde in ihrer Satzung fest."
    else:
        text = "Ob und welche Gebühr anfällt, legt die zuständige Behörde fest; bitte fragen Sie dort nach."
    span = f" Je nach Ort sind es etwa {fee.range}." if fee.range else ""
    return f"{text}{span}{_sentence(fee.note)}{_source(fee.source, fee.stand)} Mehr: {_link(service)}"


def processing_time_sentence(service: Service) -> str | None:
    """How long it usually takes, with source and Stand; None when the catalogue does not know."""
    time = service.processing_time
    if time is None or not time.text:
        return None
    return f"Übliche Bearbeitungszeit: {time.text}.{_sentence(time.note)}{_source(time.source, time.stand)}"


def fees_text(core: Core, service: Service, language: str | None) -> str:
    """What it costs in ``language`` (the same facts, from the catalogue's language texts), else the
    standard sentence with legal basis and source."""
    return lines(core.texts(service, language).fee) or fees_sentence(service)


def processing_time_text(core: Core, service: Service, language: str | None) -> str | None:
    """How long it takes in ``language``, else the standard sentence; None when nobody knows."""
    if processing_time_sentence(service) is None:
        return None
    return lines(core.texts(service, language).processing_time) or processing_time_sentence(service)
