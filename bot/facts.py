"""Fee and processing-time facts of a curated Leistung (catalogue fields ``fee`` and ``processing_time``).

Schema (documented for staff in the catalogue file headers and ``docs/staff/antwort-aendern.md``)::

    fee:
      kind: fixed            # fixed | free | local
      amount: "46,00 Euro (ab 24 Jahren) bzw. 27,60 Euro (unter 24 Jahren)"   # fixed: required
      basis: "PAuswGebV § 1 Abs. 1"      # fixed: required; free/local: optional
      range: "6,50 bis 75 Euro"          # local, optional: the usual span across Gemeinden
      note: "..."                        # optional, one short sentence
      source: "https://..."              # required
      stand: "2026-12-01"                # required, JJJJ-MM-TT
    processing_time:
      text: "in der Regel 2 bis 4 Wochen"  # required
      note: "..."                          # optional
      source: "https://..."                # required
      stand: "2026-12-01"                  # required

Parsing is lenient on content (an unknown ``kind`` or a malformed date still loads, and the
answer falls back to the honest "ask the office" wording); ``bot validate`` reports every
content problem with file and line (``bot.staff.checks_facts``). Only a wrong shape (a list
instead of a mapping, a mapping as a value) stops loading, because the bot could not use it.
The old plain-text field ``fees: "…"`` is still read (as a ``fixed`` fee without basis) so older
catalogue files keep working; ``bot validate`` asks staff to convert it.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date

FEE_KINDS = ("fixed", "free", "local")
FEE_KEYS = ("kind", "amount", "basis", "range", "note", "source", "stand")
TIME_KEYS = ("text", "note", "source", "stand")


class FactsError(ValueError):
    """A fee or processing-time field with a shape the bot cannot use (message in German)."""


@dataclass(frozen=True)
class Fee:
    """What a Leistung costs and why: fixed by Bund/Land, free of charge, or set locally."""

    kind: str
    amount: str = ""
    basis: str = ""
    range: str = ""
    note: str = ""
    source: str = ""
    stand: str = ""

    @property
    def short(self) -> str:
        """One-phrase summary (the API's plain ``fees`` text): the amount, "gebührenfrei" or ""."""
        if self.kind == "fixed":
            return self.amount
        return "gebührenfrei" if self.kind == "free" else ""

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class ProcessingTime:
    """The typical time until the Leistung is done (e.g. until the Ausweis can be collected)."""

    text: str
    note: str = ""
    source: str = ""
    stand: str = ""

    def to_dict(self) -> dict:
        return asdict(self)


def _text(mapping: dict, key: str, field: str) -> str:
    value = mapping.get(key)
    if value is None:
        return ""
    if isinstance(value, date):  # an unquoted stand: 2026-12-01
        return value.isoformat()[:10]
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise FactsError(f"Feld '{field}': '{key}' muss Text sein")
    return " ".join(str(value).split())


def parse_fee(value: object) -> Fee | None:
    """``fee:`` mapping (or the legacy ``fees:`` text) -> :class:`Fee`; None when absent."""
    if value is None:
        return None
    if isinstance(value, (str, int, float)) and not isinstance(value, bool):
        text = " ".join(str(value).split())
        return Fee(kind="fixed", amount=text) if text else None
    if not isinstance(value, dict):
        raise FactsError("Feld 'fee' muss ein Abschnitt mit kind, amount, basis, source und stand sein")
    return Fee(**{key: _text(value, key, "fee") for key in FEE_KEYS} | {"kind": _text(value, "kind", "fee").lower()})


def parse_processing_time(value: object) -> ProcessingTime | None:
    """``processing_time:`` mapping (or a plain text) -> :class:`ProcessingTime`; None when absent."""
    if value is None:
        return None
    if isinstance(value, (str, int, float)) and not isinstance(value, bool):
        text = " ".join(str(value).split())
        return ProcessingTime(text=text) if text else None
    if not isinstance(value, dict):
        raise FactsError("Feld 'processing_time' muss ein Abschnitt mit text, source und stand sein")
    return ProcessingTime(**{key: _text(value, key, "processing_time") for key in TIME_KEYS})
