"""Keyword matching for staff-edited word lists (scope topics, relation kinds, dialogue words).

A keyword is folded like the text (lower case, ä -> ae, ß -> ss). A single-word keyword matches a
word that starts with it, or - from 5 letters on - ends with it, followed by at most 3 more letters
(inflection: "vorlaeufig" ~ "vorlaeufiges", "waffe" ~ "jagdwaffen", but "kind" is not "kindergeld").
A keyword with spaces matches that word sequence. Work is linear in words x keywords.
"""

from __future__ import annotations

from collections.abc import Iterable

from bot.text import fold, tokens

MAX_ENDING = 3


def word_matches(word: str, keyword: str) -> bool:
    if word == keyword:
        return True
    extra = len(word) - len(keyword)
    if extra < 0 or extra > MAX_ENDING:
        if len(keyword) >= 5 and keyword in word:
            end = word.rfind(keyword) + len(keyword)
            return len(word) - end <= MAX_ENDING
        return False
    if word.startswith(keyword):
        return True
    if len(keyword) >= 5 and keyword in word:
        end = word.rfind(keyword) + len(keyword)
        return len(word) - end <= MAX_ENDING
    return False


def normalise_keywords(values: Iterable[object]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(k for k in (fold(str(v)) for v in values) if k))


def matched_words(words: list[str], keywords: Iterable[str]) -> set[int]:
    """Indexes of ``words`` (folded tokens) that one of ``keywords`` matches."""
    hit: set[int] = set()
    for kw in keywords:
        parts = kw.split()
        if len(parts) == 1:
            hit.update(i for i, w in enumerate(words) if word_matches(w, kw))
            continue
        for i in range(len(words) - len(parts) + 1):
            if all(word_matches(words[i + j], p) for j, p in enumerate(parts)):
                hit.update(range(i, i + len(parts)))
    return hit


def contains(text_or_words: str | list[str], keywords: Iterable[str]) -> bool:
    words = tokens(text_or_words) if isinstance(text_or_words, str) else text_or_words
    return bool(matched_words(words, keywords))
