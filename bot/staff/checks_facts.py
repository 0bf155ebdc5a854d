"""Checks on the fee and processing-time facts of every curated Leistung (each finding with file:line).

The shape of the fields is read by ``bot.facts`` (the code the bot runs); here the content is
checked: every Leistung states its fee, the kind is known, an amount comes with its legal basis,
every fact has a source and a Stand date. Only entries that passed the catalogue schema are checked
(broken entries are already reported by ``bot.staff.checks.load_catalogue``).
"""

from __future__ import annotations

from datetime import date

from bot.facts import FEE_KEYS, FEE_KINDS, TIME_KEYS
from bot.staff.checks import Catalogue
from bot.staff.yaml_lines import ERROR, WARNING, Finding, line_of

GUIDE = "Anleitung: docs/staff/antwort-aendern.md"


def _is_date(value: object) -> bool:
    try:
        date.fromisoformat(str(value))
    except ValueError:
        return False
    return len(str(value)) == 10


def _blank(mapping: dict, key: str) -> bool:
    return not str(mapping.get(key) or "").strip()


def _check_fact(sid: str, field: str, fact: dict, keys: tuple[str, ...], file: str) -> list[Finding]:
    """Unknown keys, source and a Stand date: the parts every fact needs."""
    findings = [Finding(ERROR, file, line_of(fact, key), f"Leistung '{sid}': unbekanntes Feld '{key}' in '{field}' "
                        f"(erlaubt: {', '.join(keys)})") for key in fact if key not in keys]
    if _blank(fact, "source"):
        findings.append(Finding(ERROR, file, line_of(fact), f"Leistung '{sid}': '{field}' braucht eine Quelle (source)"))
    if _blank(fact, "stand"):
        findings.append(Finding(ERROR, file, line_of(fact), f"Leistung '{sid}': '{field}' braucht einen Stand (stand: JJJJ-MM-TT)"))
    elif not _is_date(fact.get("stand")):
        findings.append(Finding(ERROR, file, line_of(fact, "stand"), f"Leistung '{sid}': stand '{fact.get('stand')}' in "
                                f"'{field}' ist kein Datum (JJJJ-MM-TT, z. B. 2026-12-01)"))
    return findings


def check_fee(sid: str, entry: dict, file: str) -> list[Finding]:
    fee, legacy = entry.get("fee"), entry.get("fees")
    if fee is None and legacy is None:
        return [Finding(ERROR, file, line_of(entry, "id"), f"Leistung '{sid}': Angabe zur Gebühr fehlt (Feld 'fee' mit "
                        f"kind fixed, free oder local, dazu source und stand). {GUIDE}")]
    if fee is None:
        return [Finding(WARNING, file, line_of(entry, "fees"), f"Leistung '{sid}': altes Feld 'fees' (nur Text); bitte als "
                        f"'fee' mit kind, amount, basis (Rechtsgrundlage), source und stand angeben. {GUIDE}")]
    if not isinstance(fee, dict):
        return []  # wrong shape: reported by the catalogue schema
    kind = str(fee.get("kind") or "").strip().lower()
    findings = _check_fact(sid, "fee", fee, FEE_KEYS, file)
    if kind not in FEE_KINDS:
        findings.append(Finding(ERROR, file, line_of(fee, "kind") if "kind" in fee else line_of(entry, "fee"),
                                f"Leistung '{sid}': kind '{kind}' ist unbekannt; erlaubt sind fixed (Betrag mit "
                                "Rechtsgrundlage), free (gebührenfrei) und local (legt Gemeinde/Behörde fest)"))
    elif kind == "fixed":
        for key, what in (("amount", "den Betrag (amount)"), ("basis", "die Rechtsgrundlage (basis)")):
            if _blank(fee, key):
                findings.append(Finding(ERROR, file, line_of(fee), f"Leistung '{sid}': Gebühr mit kind fixed braucht {what}; "
                                        "ohne belegten Betrag bitte kind local verwenden"))
    elif not _blank(fee, "amount"):
        findings.append(Finding(ERROR, file, line_of(fee, "amount"), f"Leistung '{sid}': ein Betrag (amount) gehört nur zu "
                                f"kind fixed; bei kind {kind} bitte entfernen oder in 'range' bzw. 'note' beschreiben"))
    return findings


def check_processing_time(sid: str, entry: dict, file: str) -> list[Finding]:
    time = entry.get("processing_time")
    if time is None:
        return []
    if not isinstance(time, dict):
        return [Finding(WARNING, file, line_of(entry, "processing_time"), f"Leistung '{sid}': processing_time bitte als "
                        f"Abschnitt mit text, source und stand angeben. {GUIDE}")] if isinstance(time, str) else []
    findings = _check_fact(sid, "processing_time", time, TIME_KEYS, file)
    if _blank(time, "text"):
        findings.append(Finding(ERROR, file, line_of(time), f"Leistung '{sid}': processing_time braucht einen Text (text)"))
    return findings


def check_facts(catalogue: Catalogue) -> list[Finding]:
    """Fee (required) and processing time (optional) of every curated entry that passed the schema."""
    findings: list[Finding] = []
    for e in catalogue.entries:
        if isinstance(e.node, dict):
            findings += check_fee(e.id, e.node, e.file) + check_processing_time(e.id, e.node, e.file)
    return findings
