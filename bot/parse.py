"""``bot parse --jsonl``: NLU of the trained model plus the domain core, one JSON line per message.

The model is loaded once; each input line ``{"text": ...}`` gives
``{"text", "intent": {"name", "confidence"}, "entities": [...], "services": [...], "place": {...}|null}``.
"""

from __future__ import annotations

import json
import logging
import os
import sys
from pathlib import Path

from bot.aio import run_sync
from bot.config import PROJECT_ROOT


class ModelError(RuntimeError):
    """No trained model, or it cannot be loaded."""


def latest_model(path: str | None) -> Path:
    candidate = Path(path) if path else PROJECT_ROOT / "models"
    if candidate.is_file():
        return candidate
    models = sorted(candidate.glob("*.tar.gz"), key=lambda p: p.stat().st_mtime) if candidate.is_dir() else []
    if not models:
        raise ModelError(f"Kein trainiertes Modell in {candidate} (zuerst `make train` ausführen)")
    return models[-1]


def load_agent(model: Path):
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    logging.disable(logging.WARNING)
    from rasa.core.agent import Agent
    from rasa.utils.log_utils import configure_structlog

    configure_structlog(logging.ERROR)  # Rasa's debug lines would otherwise land in our JSON stream

    try:
        return Agent.load(str(model))
    except Exception as exc:  # noqa: BLE001 - one clear line instead of Rasa's traceback
        raise ModelError(f"Modell {model.name} lässt sich nicht laden: {exc}") from None


def parse_one(agent, core, text: str) -> dict:
    result = run_sync(agent.parse_message(text))
    intent = result.get("intent") or {}
    entities = [
        {k: e.get(k) for k in ("entity", "value", "start", "end", "confidence_entity", "extractor") if k in e}
        for e in result.get("entities") or []
    ]
    hits = [h.to_dict() for h in core.lookup(text).hits]
    place = core.place(text)
    return {
        "text": text,
        "intent": {"name": intent.get("name"), "confidence": round(float(intent.get("confidence") or 0), 4)},
        "entities": entities,
        "services": hits,
        "place": place.to_dict() if place.in_bw is not None else None,
    }


def run_jsonl(agent, core, lines) -> int:
    failures = 0
    for lineno, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
            text = item.get("text") if isinstance(item, dict) else None
            if not isinstance(text, str) or not text.strip():
                raise ValueError("Feld 'text' fehlt oder ist leer")
            out = parse_one(agent, core, text)
        except ValueError as exc:
            failures += 1
            out = {"error": f"Zeile {lineno}: {exc}", "line": lineno}
        print(json.dumps(out, ensure_ascii=False), flush=True)
    return 1 if failures else 0


def main(model: str | None, core) -> int:
    agent = load_agent(latest_model(model))
    return run_jsonl(agent, core, sys.stdin)
