"""Quick-reply titles per answer language, read from data/dialogue/buttons.yml.

Which follow-up buttons an answer offers depends on the Leistung, and a Rasa response cannot drop
one of its buttons; so the titles are data per language here and the payloads stay in code.
"""

from __future__ import annotations

import functools

import yaml

from bot.config import PROJECT_ROOT
from bot.languages import LANGUAGES, STANDARD, canonical

FILE = PROJECT_ROOT / "data" / "dialogue" / "buttons.yml"
#: The intent each follow-up button sends (identical in every language).
FOLLOW_UP_PAYLOADS = {"documents": "/ask_documents", "online": "/ask_online", "fees": "/ask_fees"}


@functools.cache
def follow_up_titles() -> dict[str, dict[str, str]]:
    """Button key -> language -> title; a key or language missing in the file stops loading."""
    doc = yaml.safe_load(FILE.read_text(encoding="utf-8")) or {}
    table = doc.get("follow_ups") if isinstance(doc, dict) else None
    if not isinstance(table, dict):
        raise ValueError(f"{FILE.name}: Schlüssel 'follow_ups' fehlt")
    for key in FOLLOW_UP_PAYLOADS:
        titles = table.get(key)
        missing = [lang for lang in LANGUAGES if not isinstance(titles, dict) or not str(titles.get(lang) or "").strip()]
        if missing:
            raise ValueError(f"{FILE.name}: Schaltfläche '{key}' hat keinen Titel für {', '.join(missing)}")
    return {key: {lang: str(table[key][lang]).strip() for lang in LANGUAGES} for key in FOLLOW_UP_PAYLOADS}


def follow_up(key: str, language: str | None) -> dict:
    """The quick reply ``key`` ("documents", "online", "fees") with its title in ``language``."""
    title = follow_up_titles()[key][canonical(language) or STANDARD]
    return {"title": title, "payload": FOLLOW_UP_PAYLOADS[key]}
