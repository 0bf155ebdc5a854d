"""The words that only carry the type of a question ("Unterlagen", "kostet", "Antrag stellen").

One data file owns them, ``data/search/question_words.yml``; the service search
(:mod:`bot.search_words`) ignores every word of it, the dialogue (:mod:`bot.scope`) reads its
question groups to know which follow-up a message asks. Checked by ``bot validate``.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from bot.text import fold

FILE = "question_words.yml"
#: Groups that name a follow-up question, in the order the dialogue tries them.
QUESTION_TYPES = ("documents", "fees", "online", "processing_time", "opening_hours", "appointment", "office")
#: Groups of words that carry no question of their own but never name a Leistung either.
OTHER_GROUPS = ("apply", "need", "request")


class QuestionWordsError(ValueError):
    """The question-word file is malformed (message in German, for staff)."""


def parse_question_words(doc: dict) -> dict[str, tuple[str, ...]]:
    """Group -> folded entries ("wie lange" stays one entry of two words), in file order."""
    groups = doc.get("question_words") if isinstance(doc, dict) else None
    if not isinstance(groups, dict):
        raise QuestionWordsError(f"{FILE}: 'question_words' muss ein Objekt sein (Gruppe: [Wörter])")
    unknown = set(groups) - set(QUESTION_TYPES) - set(OTHER_GROUPS)
    if unknown:
        raise QuestionWordsError(f"{FILE}: unbekannte Gruppen {sorted(unknown)}; erlaubt: "
                                 f"{list(QUESTION_TYPES) + list(OTHER_GROUPS)}")
    out: dict[str, tuple[str, ...]] = {}
    seen: dict[str, str] = {}
    for group, words in groups.items():
        if not isinstance(words, list):
            raise QuestionWordsError(f"{FILE}: '{group}' muss eine Liste von Wörtern sein")
        entries = tuple(dict.fromkeys(w for w in (" ".join(fold(str(v)).split()) for v in words) if w))
        for entry in entries:
            if entry in seen:
                raise QuestionWordsError(f"{FILE}: „{entry}“ steht in '{seen[entry]}' und in '{group}'")
            seen[entry] = str(group)
        out[str(group)] = entries
    return out


def read_question_words(search_dir: Path) -> dict[str, tuple[str, ...]]:
    """The groups of ``search_dir``/question_words.yml; none if the file is missing."""
    path = search_dir / FILE
    if not path.is_file():
        return {}
    return parse_question_words(yaml.safe_load(path.read_text(encoding="utf-8")) or {})
