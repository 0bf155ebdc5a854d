"""Find the citizen messages staff should look at, and group similar ones.

A typed user message is *flagged* when
- the NLU filed it as ``nlu_fallback`` (FallbackClassifier), or its intent confidence is below the
  threshold (``fallback``, ``low_confidence``),
- the bot answered it with ``action_fallback`` (also the RulePolicy's core fallback), or
- a later thumbs-down (``/feedback_negative``) rates one of the bot messages of its turn
  (``thumbs_down``). The widget sends ``metadata.feedback_for`` = the id the gateway gave that bot
  message (:func:`bot.gateway.relay.message_id`, recomputed here from the bot event). When the id
  matches no bot message (or a thumbs-down is said in words), it is attributed to the closest
  preceding typed message and counted as ``guessed``.

Texts are masked (:mod:`bot.staff.pii`) as soon as they are read; nothing unmasked leaves this module.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from difflib import SequenceMatcher
from pathlib import Path
from typing import Any

import yaml

from bot.config import PROJECT_ROOT
from bot.gateway.relay import message_id
from bot.staff.pii import mask
from bot.staff.trackers import Event
from bot.text import fold

DEFAULT_THRESHOLD = 0.45
FALLBACK_INTENT = "nlu_fallback"
FALLBACK_ACTIONS = {"action_fallback"}
SIMILARITY = 0.85  # difflib ratio of the normalised texts
JACCARD = 0.8  # or: token overlap


def fallback_threshold(config: Path = PROJECT_ROOT / "config.yml") -> float:
    """The FallbackClassifier threshold of the pipeline (``DEFAULT_THRESHOLD`` if there is none)."""
    try:
        conf = yaml.safe_load(config.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError):
        return DEFAULT_THRESHOLD
    for component in conf.get("pipeline") or []:
        if isinstance(component, dict) and component.get("name") == "FallbackClassifier":
            return float(component.get("threshold", DEFAULT_THRESHOLD))
    return DEFAULT_THRESHOLD


@dataclass
class Flagged:
    """One flagged citizen message (text already masked)."""

    sender_id: str
    text: str
    timestamp: float
    intent: str | None
    confidence: float | None  # of ``guess``
    guess: str | None  # best real intent (the one below nlu_fallback)
    reasons: set[str] = field(default_factory=set)
    guessed_feedback: bool = False


def _bot_message_id(data: dict[str, Any]) -> str | None:
    """The id the gateway gives this bot message (same rules as relay.normalize_messages)."""
    text = data.get("text") if isinstance(data.get("text"), str) else ""
    raw = (data.get("data") or {}).get("buttons") or []
    buttons = [{"title": str(b["title"]), "payload": str(b["payload"])}
               for b in raw if isinstance(b, dict) and b.get("title") and b.get("payload")]
    return message_id(text, buttons) if text or buttons else None


def _user_message(ev: Event, threshold: float) -> Flagged:
    parse = ev.data.get("parse_data") or {}
    intent = parse.get("intent") or {}
    name, conf = intent.get("name"), intent.get("confidence")
    ranking = [r for r in parse.get("intent_ranking") or [] if r.get("name") != FALLBACK_INTENT]
    guess, guess_conf = (name, conf) if name != FALLBACK_INTENT else (None, None)
    if ranking:
        guess, guess_conf = ranking[0].get("name"), ranking[0].get("confidence")
    item = Flagged(ev.sender_id, mask(str(ev.data.get("text") or "")), ev.timestamp, name,
                   float(guess_conf) if guess_conf is not None else None, guess)
    if name == FALLBACK_INTENT:
        item.reasons.add("fallback")
    elif conf is not None and float(conf) < threshold:
        item.reasons.add("low_confidence")
    return item


def flag_conversation(events: Iterable[Event], threshold: float) -> list[Flagged]:
    """All typed user messages of one conversation, with the reasons they were flagged (maybe none)."""
    messages: list[Flagged] = []
    last: Flagged | None = None  # latest typed message
    current: Flagged | None = None  # typed message the bot is answering in this turn
    turn_open = False  # between a user message and the next action_listen
    answered_by: dict[str, Flagged] = {}  # bot message id -> typed message it answered
    for ev in events:
        if ev.type_name == "user":
            parse = ev.data.get("parse_data") or {}
            intent = (parse.get("intent") or {}).get("name")
            text = str(ev.data.get("text") or "")
            current = last  # a button payload continues the typed request before it
            if intent == "feedback_negative" or text.startswith("/feedback_negative"):
                meta = {**(parse.get("metadata") or {}), **(ev.data.get("metadata") or {})}
                target = answered_by.get(str(meta.get("feedback_for") or ""))
                if target is None and last is not None:
                    target, last.guessed_feedback = last, True
                if target is not None:
                    target.reasons.add("thumbs_down")
                current = None
            elif intent == "feedback_positive":
                current = None
            elif not text.startswith("/") and text.strip():
                last = current = _user_message(ev, threshold)
                messages.append(last)
            turn_open = True
        elif ev.type_name == "action":
            name = ev.data.get("name")
            if name == "action_listen":
                turn_open = False
            elif name in FALLBACK_ACTIONS and turn_open and current is not None:
                current.reasons.add("fallback")
        elif ev.type_name == "bot" and current is not None and (mid := _bot_message_id(ev.data)):
            answered_by[mid] = current
    return messages


_NUM_RE = re.compile(r"\d+")


def normalise(text: str) -> str:
    """Lower case, umlauts folded, punctuation dropped, numbers -> 0 (masked text goes in)."""
    return _NUM_RE.sub("0", fold(text))


def similar(a: str, b: str) -> bool:
    if a == b:
        return True
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    if matcher.real_quick_ratio() >= SIMILARITY and matcher.quick_ratio() >= SIMILARITY \
            and matcher.ratio() >= SIMILARITY:
        return True
    ta, tb = set(a.split()), set(b.split())
    return bool(ta and tb) and len(ta & tb) / len(ta | tb) >= JACCARD


def _iso(ts: float) -> str:
    return datetime.fromtimestamp(ts, timezone.utc).isoformat(timespec="seconds")


@dataclass
class Group:
    key: str
    items: list[Flagged] = field(default_factory=list)
    number: int = 0

    @property
    def count(self) -> int:
        return len(self.items)

    def reasons(self) -> Counter[str]:
        return Counter(r for item in self.items for r in item.reasons)

    def examples(self) -> list[str]:
        """Distinct masked texts, most frequent first."""
        return [text for text, _ in Counter(item.text.strip() for item in self.items).most_common()]

    def guess(self) -> str | None:
        guesses = Counter(item.guess for item in self.items if item.guess)
        return guesses.most_common(1)[0][0] if guesses else None

    def to_dict(self) -> dict[str, Any]:
        stamps = [item.timestamp for item in self.items]
        confs = [item.confidence for item in self.items if item.confidence is not None]
        return {
            "id": self.number, "count": self.count,
            "conversations": len({item.sender_id for item in self.items}),
            "reasons": dict(sorted(self.reasons().items())),
            "thumbs_down_guessed": sum(item.guessed_feedback for item in self.items if "thumbs_down" in item.reasons),
            "first_seen": _iso(min(stamps)), "last_seen": _iso(max(stamps)),
            "intent_guess": self.guess(),
            "min_confidence": round(min(confs), 3) if confs else None,
            "example": self.examples()[0], "examples": self.examples()[:10],
        }


def group(flagged: Iterable[Flagged]) -> list[Group]:
    """Cluster similar texts; biggest (then most recent) group first, numbered from 1."""
    groups: list[Group] = []
    by_key: dict[str, Group] = {}
    for item in flagged:
        key = normalise(item.text)
        target = by_key.get(key) or next((g for g in groups if similar(key, g.key)), None)
        if target is None:
            target = Group(key)
            groups.append(target)
        by_key.setdefault(key, target)
        target.items.append(item)
    groups.sort(key=lambda g: (-g.count, -max(i.timestamp for i in g.items)))
    for number, g in enumerate(groups, 1):
        g.number = number
    return groups
