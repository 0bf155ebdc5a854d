"""Service words in English, Turkish and Ukrainian → catalogue id, from the annotations of ``data/nlu_i18n``.

The multilingual NLU finds the span that names a Leistung ("новий закордонний паспорт"), but the
entity synonyms map only the exact annotated strings to their id; the German search cannot read
foreign words. This index compares the span with every annotated span of the training data
(``[оформити новий закордонний паспорт]{"entity": "service", "value": "reisepass"}``) by word stems
(the first :data:`STEM` letters, so Ukrainian and Turkish endings do not matter): the Leistung whose
annotation covers most of the span's stems (then: whose annotation the span covers most), if that is clear. Ambiguous words ("зареєструвати" is in
the annotations of the Anmeldung and of the dog) give None. Staff extend it by adding training
examples; nothing is read at import time, files and input are bounded.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

ANNOTATION = re.compile(r'\[([^\]\n]{1,120})\]\{"entity":\s*"service",\s*"value":\s*"([a-z0-9_]{1,60})"\}')
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
#: Letters of a word that count (Ukrainian and Turkish endings differ after them).
STEM = 4
#: Share of the span's stems an annotation must cover.
MIN_COVERAGE = 0.6
MAX_FILE_BYTES = 512 * 1024
MAX_CHARS = 200


def stems(text: str) -> frozenset[str]:
    """Stems of the words with at least 3 letters ("i", "в", "ve" carry no Leistung)."""
    return frozenset(w.casefold()[:STEM] for w in _WORD.findall(text[:MAX_CHARS]) if len(w) >= 3)


def whole_words(text: str) -> frozenset[str]:
    """The words of ``text`` as typed (case folded), with at least 3 letters."""
    return frozenset(w.casefold() for w in _WORD.findall(text[:MAX_CHARS]) if len(w) >= 3)


@dataclass(frozen=True)
class ForeignTerms:
    """(stems of an annotated span, catalogue id, the span's whole words) triples."""

    terms: tuple[tuple[frozenset[str], str, frozenset[str]], ...] = ()

    @classmethod
    def load(cls, folder: Path) -> ForeignTerms:
        seen: set[tuple[frozenset[str], str, frozenset[str]]] = set()
        for path in sorted(folder.glob("*/*.yml")) if folder.is_dir() else []:
            if path.stat().st_size > MAX_FILE_BYTES:
                continue
            for span, service_id in ANNOTATION.findall(path.read_text(encoding="utf-8")):
                if key := stems(span):
                    seen.add((key, service_id, whole_words(span)))
        return cls(tuple(sorted(seen, key=lambda t: (t[1], sorted(t[0]), sorted(t[2])))))

    def service_id(self, text: str) -> str | None:
        """The catalogue id the words of ``text`` name, or None (unknown or ambiguous)."""
        words, whole = stems(text), whole_words(text)
        if not words:
            return None
        best: dict[str, tuple[float, float, int, int]] = {}
        for term, service_id, term_words in self.terms:
            common = len(words & term)
            if not common:
                continue
            # the span's words covered first, then how much of the annotation the span is ("passport"
            # is the annotation "passport" of the Reisepass more than "lost passport"), then whether
            # an annotation is exactly the typed words: "Kindergeld" and "Kinderzuschlag" share only
            # their first letters
            score = (common / len(words), common / len(term), int(whole == term_words), common)
            if score > best.get(service_id, (0.0, 0.0, 0, 0)):
                best[service_id] = score
        ranked = sorted(best.items(), key=lambda kv: kv[1], reverse=True)
        if not ranked or ranked[0][1][0] < MIN_COVERAGE:
            return None
        if len(ranked) > 1 and ranked[1][1] == ranked[0][1]:
            return None  # two Leistungen fit equally well
        return ranked[0][0]
