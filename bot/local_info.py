"""Local information per tenant (``data/local/<tenant>.yml``): offices, opening hours, appointments.

Written by the tenant's Redaktion in the staff console (each save keeps the previous version under
``data/local/history/<tenant>/``), checked by ``bot validate``, read by the opening-hours and
appointment answers (actions/local_info.py). Format::

    stand: "2026-12-01"
    offices:
      - name: Bürgerbüro Fellbach
        ags: "08119020"
        services: [personalausweis, reisepass]   # empty: the office for every Leistung
        hours: {mo: ["08:00-12:00", "14:00-18:30"], di: [...], ...}
        exceptions: [{date: "2026-12-24", closed: true, note: Heiligabend}]
        appointment_url: https://termine.example.de
        phone: "0711 5851-0"
        email: buergerbuero@example.de
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from bot.config import PROJECT_ROOT

DAYS = ("mo", "di", "mi", "do", "fr", "sa", "so")
DAY_NAMES = {"mo": "Mo", "di": "Di", "mi": "Mi", "do": "Do", "fr": "Fr", "sa": "Sa", "so": "So"}
SPAN_RE = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)-([01]\d|2[0-3]|24):([0-5]\d)$")
URL_RE = re.compile(r"^https://[\w.-]+\.[a-z]{2,}(/[^\s]*)?$", re.I)
EMAIL_RE = re.compile(r"^[\w.%+-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}$")
PHONE_RE = re.compile(r"^\+?[\d][\d /()-]{4,30}$")
AGS_RE = re.compile(r"^08\d{6}$")


def local_dir() -> Path:
    env = os.environ.get("BOT_LOCAL_DIR")
    return Path(env) if env else PROJECT_ROOT / "data" / "local"


@dataclass
class Office:
    name: str
    ags: str
    services: list[str] = field(default_factory=list)
    hours: dict[str, list[str]] = field(default_factory=dict)
    exceptions: list[dict[str, Any]] = field(default_factory=list)
    appointment_url: str = ""
    phone: str = ""
    email: str = ""


def problems(doc: Any, service_ids: set[str] | None = None) -> list[str]:
    """German problems of one tenant file (empty: valid)."""
    if not isinstance(doc, dict):
        return ["Die Datei muss 'stand' und 'offices' enthalten."]
    out: list[str] = []
    try:
        date.fromisoformat(str(doc.get("stand")))
    except ValueError:
        out.append("'stand' muss ein Datum sein (JJJJ-MM-TT).")
    offices = doc.get("offices")
    if not isinstance(offices, list):
        return out + ["'offices' muss eine Liste sein."]
    for i, o in enumerate(offices, 1):
        where = f"Stelle {i} ({o.get('name') if isinstance(o, dict) else '?'})"
        if not isinstance(o, dict) or not str(o.get("name") or "").strip():
            out.append(f"{where}: Name fehlt.")
            continue
        if not AGS_RE.match(str(o.get("ags") or "")):
            out.append(f"{where}: AGS muss 8 Ziffern haben und mit 08 beginnen.")
        for day, spans in (o.get("hours") or {}).items():
            if day not in DAYS:
                out.append(f"{where}: unbekannter Wochentag {day!r} (mo … so).")
            for span in spans or []:
                m = SPAN_RE.match(str(span))
                if not m or (int(m.group(1)), int(m.group(2))) >= (int(m.group(3)), int(m.group(4))):
                    out.append(f"{where}: Zeitspanne {span!r} ungültig (z. B. 08:00-12:00).")
        for ex in o.get("exceptions") or []:
            try:
                date.fromisoformat(str(ex.get("date")))
            except (ValueError, AttributeError):
                out.append(f"{where}: Ausnahme ohne gültiges Datum (JJJJ-MM-TT).")
        if o.get("appointment_url") and not URL_RE.match(str(o["appointment_url"])):
            out.append(f"{where}: Terminbuchung muss eine https-Adresse sein.")
        if o.get("email") and not EMAIL_RE.match(str(o["email"])):
            out.append(f"{where}: E-Mail-Adresse ungültig.")
        if o.get("phone") and not PHONE_RE.match(str(o["phone"])):
            out.append(f"{where}: Telefonnummer ungültig.")
        if service_ids is not None:
            unknown = [s for s in o.get("services") or [] if s not in service_ids]
            if unknown:
                out.append(f"{where}: unbekannte Leistung(en) {', '.join(unknown)}.")
    return out


_cache: dict[Path, tuple[float, dict[str, Any]]] = {}


def load_all(directory: Path | None = None) -> list[tuple[str, Office]]:
    """(stand, office) of every valid tenant file; re-read when a file changes (mtime)."""
    directory = directory or local_dir()
    out: list[tuple[str, Office]] = []
    for path in sorted(directory.glob("*.yml")):
        mtime = path.stat().st_mtime
        hit = _cache.get(path)
        if hit is None or hit[0] != mtime:
            try:
                doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
            except (OSError, yaml.YAMLError):
                doc = {}
            _cache[path] = hit = (mtime, doc if not problems(doc) else {})
        doc = hit[1]
        for o in doc.get("offices") or []:
            out.append((str(doc.get("stand")), Office(**{k: v for k, v in o.items() if k in Office.__annotations__})))
    return out


def office_for(ags: str, service_id: str | None, directory: Path | None = None) -> tuple[str, Office] | None:
    """The entered office of this Gemeinde for this Leistung (one listing it first, else a general one)."""
    candidates = [(s, o) for s, o in load_all(directory) if o.ags == ags]
    specific = [(s, o) for s, o in candidates if service_id and service_id in o.services]
    general = [(s, o) for s, o in candidates if not o.services]
    return (specific or general or [None])[0]
