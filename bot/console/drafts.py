"""The NLU draft file the review queue writes (``data/drafts/review.yml``), never training data.

Rasa trains on ``data/nlu``, ``data/rules`` and ``data/stories`` only, so nothing here reaches a
model. ``bot validate`` checks the file (:mod:`bot.console.checks_drafts`); after review, staff
move the examples into ``data/nlu/`` (see docs/staff/konsole.md). Examples are stored masked
(:func:`bot.staff.pii.mask`) and are taken from the server's own review, never from the form.
"""

from __future__ import annotations

import os
import tempfile
import threading
from pathlib import Path
from typing import Any

import yaml

DECISIONS = {"intent": "Absicht/Leistung zugeordnet", "out_of_scope": "außerhalb des Angebots",
             "ignore": "ignorieren"}
HEADER = ("# ENTWURF aus der Prüfliste der Mitarbeiterkonsole (/staff/review). Wird NICHT trainiert.\n"
          "# bot validate prüft diese Datei. Nach der Durchsicht die Beispiele nach data/nlu/ übernehmen.\n")
_lock = threading.Lock()


def load(path: Path) -> list[dict[str, Any]]:
    if not path.is_file():
        return []
    doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return [x for x in doc.get("review") or [] if isinstance(x, dict)]


def by_group(path: Path) -> dict[str, dict[str, Any]]:
    return {str(x.get("group")): x for x in load(path)}


def upsert(path: Path, entry: dict[str, Any]) -> None:
    """Add or replace the decision for one group (by its ``group`` id)."""
    with _lock:
        entries = [x for x in load(path) if x.get("group") != entry["group"]]
        entries.append(entry)
        entries.sort(key=lambda x: (str(x.get("tenant")), str(x.get("group"))))
        path.parent.mkdir(parents=True, exist_ok=True)
        text = HEADER + yaml.safe_dump({"version": "1", "review": entries}, allow_unicode=True, sort_keys=False,
                                       width=120)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".review.")
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(tmp, path)
