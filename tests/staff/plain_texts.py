"""Fixture helper: a minimal Leichte-Sprache text for every curated Leistung of a fixture project.

Fixtures made for another check (a broken fee, too few synonyms, …) add Leistungen without a text in
Leichter Sprache; with this helper they report only their own finding. The Leichte-Sprache checks
themselves are tested on their own fixtures (tests/staff/test_checks_languages.py).
"""

from __future__ import annotations

from pathlib import Path

import yaml


def add_plain_texts(root: Path) -> None:
    """Write ``data/catalogue/languages/de-LS/<topic>.yml`` where a topic file has none."""
    folder = root / "data" / "catalogue" / "languages" / "de-LS"
    for path in sorted((root / "data" / "catalogue" / "services").glob("*.yml")):
        target = folder / path.name
        try:
            doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        except yaml.YAMLError:
            continue
        services = doc.get("services") if isinstance(doc, dict) else None
        if target.exists() or not isinstance(services, list):
            continue
        texts = {}
        for entry in services:
            if not isinstance(entry, dict) or not isinstance(entry.get("id"), str):
                continue
            documents = entry.get("documents") if isinstance(entry.get("documents"), list) else []
            text = {"name": "Eine Leistung", "summary": ["Das ist ein Test.", "Mehr steht hier nicht."],
                    "documents": ["Ein Papier."] * len(documents), "online": ["Fragen Sie beim Amt."],
                    "fee": ["Fragen Sie beim Amt nach dem Preis."]}
            if entry.get("processing_time") is not None:
                text["processing_time"] = ["Fragen Sie beim Amt, wie lange es dauert."]
            texts[entry["id"]] = text
        folder.mkdir(parents=True, exist_ok=True)
        target.write_text(yaml.safe_dump({"language": "de-LS", "stand": "2026-12-02", "source": "Testdaten",
                                          "services": texts}, allow_unicode=True), encoding="utf-8")
