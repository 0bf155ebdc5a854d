"""Free text -> ranked services. Lexical, robust to inflection, compounds, typos and word order.

Each service is indexed by its name and synonyms ("phrases"). A phrase scores by how much of it
(IDF-weighted) the query covers and how much of the query it explains. Query and phrase tokens
match exactly, by a light German stem, as parts of compounds ("Hundesteuer" ~ "Hund", "Steuer")
or within a small edit distance. Separable verbs are re-joined ("melde ... ab" -> "abmelde").
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass
from pathlib import Path

import yaml

from bot.catalogue import Catalogue, Service
from bot.text import FuzzyIndex, fold, message_words, tokens

FAMILIES_FILE = "word_families.yml"
QUESTION_WORDS_FILE = "question_words.yml"

#: Below this score the search says "no good match" rather than guessing.
GOOD_MATCH = 0.45
#: How much words found in a service's description or document list add to its score.
CONTEXT_WEIGHT = 0.15
#: Share of the score that comes from the best single phrase (the rest: how much of the query
#: all of the service's phrases explain together).
PHRASE_WEIGHT = 0.5
PARTICLES = ("an", "ab", "um", "aus", "ein", "zu", "nach", "ver")
_SUFFIXES = ("ungen", "ung", "ern", "en", "er", "es", "em", "e", "s")
STOPWORDS = frozenset(
    ["a", "aber", "alle", "alles", "als", "also", "am", "an", "auch", "auf", "aus", "bei", "beim", "bin", "bis", "bitte", "bzw", "da", "dann", "das", "dass", "de", "dem", "den", "denn", "der", "des", "dich", "die", "dies", "diese", "diesen", "dir", "doch", "dort", "du", "durch", "ein", "eine", "einem", "einen", "einer", "eines", "er", "es", "etwas", "euch", "euer", "fuer", "gibt", "hab", "habe", "haben", "hallo", "hat", "hier", "ich", "ihm", "ihn", "ihr", "ihre", "im", "in", "ist", "ja", "jetzt", "kann", "kannst", "koennen", "koennte", "man", "mein", "meine", "meinem", "meinen", "meiner", "mich", "mir", "mit", "moechte", "moechten", "muss", "muessen", "nach", "nicht", "noch", "nun", "nur", "ob", "oder", "sein", "seine", "sich", "sie", "sind", "so", "soll", "sollte", "ueber", "um", "und", "uns", "unser", "unsere", "vom", "von", "vor", "war", "was", "weil", "welche", "welcher", "welches", "wenn", "wer", "werden", "wie", "wieder", "will", "wir", "wird", "wo", "woher", "wohin", "wollen", "zu", "zum", "zur", "brauche", "brauchen", "braucht", "benoetige", "gerne", "gern", "guten", "tag", "morgen", "abend", "hi", "hey", "servus", "moin", "gruess", "gott", "danke", "bitte", "frage", "info", "infos", "information", "informationen", "machen", "mache", "macht", "tun", "erledigen", "bekomme", "bekommen", "kriege", "kriegen", "geht", "gehen", "muessen", "muesste", "haette", "hatte", "wurde", "worden", "einfach", "mal", "schon", "bald", "noch", "gleich", "irgendwie", "genau", "eigentlich", "bei", "beim", "dafuer", "darf", "duerfen", "wegen", "ne", "nen", "ner", "nem", "i", "mi", "mr"]
)


def stem(word: str) -> str:
    """A light, consistent German stem: strips common inflection suffixes (min. 4 letters kept)."""
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= (5 if suffix == "ern" else 4):
            if suffix == "s" and word[-2] in "siu":  # "Pass", "Ausweis", "Bus" keep their s
                continue
            return word[: -len(suffix)]
    return word


def _compound_part(part: str, whole: str) -> bool:
    """True if ``part`` is the head or the tail of the compound ``whole`` ("hund" in "hundesteuer")."""
    return len(whole) - len(part) >= 3 and (whole.startswith(part) or whole.endswith(part))


def _particle(word: str) -> str:
    for p in ("aus", "ein", "an", "ab", "um"):
        if word.startswith(p) and len(word) > len(p) + 3:
            return p
    return ""


@dataclass(frozen=True)
class Hit:
    service: Service
    score: float
    phrase: str

    def to_dict(self) -> dict:
        return {**self.service.summary(), "score": round(self.score, 3)}


class ServiceSearch:
    """Ranks catalogue services for a free-text message."""

    def __init__(self, catalogue: Catalogue, families: dict[str, list[str]] | None = None,
                 question_words: list[str] | None = None) -> None:
        self.catalogue = catalogue
        # Words that only carry the question type ("Unterlagen", "kostet", "Antrag stellen").
        self.question_single: set[str] = set()
        self.question_multi: list[tuple[str, ...]] = []
        for entry in question_words or ():
            qt = tuple(tokens(str(entry)))
            if len(qt) == 1:
                self.question_single.update({qt[0], stem(qt[0])})
            elif qt:
                self.question_multi.append(qt)
        self._question_fuzzy = FuzzyIndex([w for w in self.question_single if len(w) >= 5])
        # word -> family head: "verstorben" and "Todesfall" become the same search word.
        self.family: dict[str, str] = {}
        for head, words in (families or {}).items():
            for word in [head, *words]:
                for form in {fold(str(word)).replace(" ", ""), stem(fold(str(word)).replace(" ", ""))}:
                    self.family.setdefault(form, stem(fold(str(head))))
        self.phrases: list[tuple[Service, str, tuple[str, ...]]] = []
        df: dict[str, set[str]] = {}
        for service in catalogue.services:
            texts = [service.name, *service.synonyms]
            for text in dict.fromkeys(texts):
                words = self._drop_question_words(tokens(text), fuzzy=False)
                toks = tuple(dict.fromkeys(self._norm(t) for t in words if t not in STOPWORDS))
                if not toks:
                    continue
                self.phrases.append((service, text, toks))
                for t in toks:
                    df.setdefault(t, set()).add(service.id)
        n = max(len(catalogue.services), 1)
        self.idf = {t: math.log(1 + n / len(ids)) for t, ids in df.items()}
        # Words the catalogue never uses weigh less than the median: they dilute, but do not sink, a match.
        self.unknown_idf = 0.7 * sorted(self.idf.values())[len(self.idf) // 2] if self.idf else 1.0
        self.vocab = set(self.idf)
        self.by_token: dict[str, list[int]] = {}
        for i, (_, _, toks) in enumerate(self.phrases):
            for t in toks:
                self.by_token.setdefault(t, []).append(i)
        self._phrase_idf = [sum(self.idf[t] for t in toks) for _, _, toks in self.phrases]
        self._fuzzy = FuzzyIndex([t for t in self.vocab if len(t) >= 5])
        # Compound index: every head/tail (4+ letters, 3+ letters shorter) of a vocabulary word.
        self._part_of: dict[str, list[str]] = {}
        for v in self.vocab:
            for k in range(4, len(v) - 2):
                self._part_of.setdefault(v[:k], []).append(v)
                self._part_of.setdefault(v[-k:], []).append(v)
        # Per-token matches are pure functions of the index: cache them (bounded) per instance.
        self._matches = functools.lru_cache(maxsize=20000)(self._token_matches)
        # Descriptions and documents add evidence ("verstorben", "Ausland") but never match alone.
        self.context: dict[str, set[str]] = {}
        for service in catalogue.services:
            words = tokens(" ".join([service.description, *service.documents, service.online_note]))
            self.context[service.id] = {self._norm(t) for t in words if t not in STOPWORDS and len(t) >= 4}

    @classmethod
    def load(cls, catalogue: Catalogue, search_dir: Path) -> ServiceSearch:
        """The search with the staff-edited word families and question words of ``search_dir``."""
        families = _read_yaml(search_dir / FAMILIES_FILE).get("families") or {}
        groups = _read_yaml(search_dir / QUESTION_WORDS_FILE).get("question_words") or {}
        words = [str(w) for group in groups.values() for w in (group or ())]
        return cls(catalogue, families, words)

    # -- query analysis --------------------------------------------------------------------------
    def _drop_question_words(self, words: list[str], fuzzy: bool = True) -> list[str]:
        """``words`` without the ones that only carry the question type (typos too, if ``fuzzy``)."""
        if self.question_multi:
            keep = [True] * len(words)
            for phrase in self.question_multi:
                n = len(phrase)
                for i in range(len(words) - n + 1):
                    if tuple(words[i : i + n]) == phrase:
                        keep[i : i + n] = [False] * n
            words = [w for w, k in zip(words, keep, strict=True) if k]
        return [w for w in words if not self._is_question_word(w, fuzzy)]

    def _is_question_word(self, word: str, fuzzy: bool) -> bool:
        if word in self.question_single or stem(word) in self.question_single:
            return True
        if not fuzzy or len(word) < 5 or self._norm(word) in getattr(self, "vocab", ()):
            return False
        return bool(self._question_fuzzy.lookup(word))

    def _norm(self, word: str) -> str:
        """Stem, then map to the word family head if the word belongs to one."""
        return self.family.get(word) or self.family.get(stem(word)) or stem(word)

    def _query_tokens(self, text: str, ignore: set[str] | frozenset[str] = frozenset()) -> list[str]:
        raw = [t for t in message_words(text) if t not in ignore]
        words = self._drop_question_words(raw)
        out = [self._norm(t) for t in words if t not in STOPWORDS and not t.isdigit()]
        present = [p for p in PARTICLES if p in raw]
        for p in present:  # separable verbs: "melde ... ab" -> "abmeld"
            for t in words:
                joined = self._norm(p + t)
                if t not in STOPWORDS and joined in self.vocab:
                    out.append(joined)
        return list(dict.fromkeys(t for t in out if len(t) >= 2))

    def _token_matches(self, q: str) -> dict[str, float]:
        """Vocabulary words related to the query word ``q``, with their similarity (0..1)."""
        out: dict[str, float] = {}
        if q in self.vocab:
            out[q] = 1.0
        if len(q) >= 5:
            for v, dist in self._fuzzy.lookup(q).items():
                if dist and _particle(v) == _particle(q):
                    out[v] = max(out.get(v, 0.0), 0.9 - 0.1 * (dist - 1))
        if len(q) >= 4:
            # q is a compound containing a phrase word as head or tail: "hundesteuer" ⊃ "hund".
            for k in range(4, len(q) - 2):
                for v in {q[:k], q[-k:]}:
                    if v in self.vocab:
                        out[v] = max(out.get(v, 0.0), 0.85 if len(v) >= 5 else 0.75)
            # q is the head or tail of a phrase compound: "ausweis" ⊂ "personalausweis".
            for v in self._part_of.get(q, ()):
                out[v] = max(out.get(v, 0.0), 0.4 + 0.45 * len(q) / len(v))
        return out

    # -- ranking ---------------------------------------------------------------------------------
    def search(self, text: str, limit: int = 5, ignore: set[str] | frozenset[str] = frozenset()) -> list[Hit]:
        """Services for ``text``, best first, each with a score in 0..1 (may be empty).

        ``ignore``: folded words to leave out (place names found by the place resolver).
        """
        qtoks = self._query_tokens(text or "", ignore)
        if not qtoks:
            return []
        matches = {q: self._matches(q) for q in qtoks}
        candidates: set[int] = set()
        for m in matches.values():
            for v in m:
                candidates.update(self.by_token.get(v, ()))
        q_idf = {q: self.idf.get(q, self.unknown_idf) for q in qtoks}
        q_total = sum(q_idf.values())
        explained: dict[str, dict[str, float]] = {}  # service id -> query token -> best match
        for q, mq in matches.items():
            for v, sim in mq.items():
                for i in self.by_token.get(v, ()):
                    expl = explained.setdefault(self.phrases[i][0].id, {})
                    if sim > expl.get(q, 0.0):
                        expl[q] = sim
        cover: dict[str, float] = {}  # phrase word -> how well the query covers it (cached per query)
        best: dict[str, Hit] = {}
        for i in candidates:
            service, phrase, ptoks = self.phrases[i]
            p_cov = 0.0
            for p in ptoks:
                c = cover.get(p)
                if c is None:
                    c = cover[p] = self._word_cover(p, qtoks, matches)
                p_cov += self.idf[p] * c
            score = p_cov / self._phrase_idf[i]
            old = best.get(service.id)
            if old is None or score > old.score:
                best[service.id] = Hit(service, score, phrase)
        for sid, hit in list(best.items()):
            service = hit.service
            query_cov = sum(q_idf[q] * m for q, m in explained[sid].items()) / q_total
            score = PHRASE_WEIGHT * hit.score + (1 - PHRASE_WEIGHT) * query_cov
            context = self.context.get(sid)
            if context:
                extra = sum(q_idf[q] for q in qtoks if q in context and explained[sid].get(q, 0) < 0.5)
                score += CONTEXT_WEIGHT * extra / q_total
            if not service.curated:
                score *= 0.95
            best[sid] = Hit(service, min(score, 1.0), hit.phrase)
        hits = sorted(best.values(), key=lambda h: (-h.score, not h.service.curated, len(h.service.name)))
        return hits[:limit]

    @staticmethod
    def _word_cover(p: str, qtoks: list[str], matches: dict[str, dict[str, float]]) -> float:
        """How well the query covers the phrase word ``p`` (0..1)."""
        s = max((matches[q].get(p, 0.0) for q in qtoks), default=0.0)
        # Several query words may together cover one compound phrase word ("Hund" + "Steuer").
        parts = [q for q in qtoks if len(q) >= 3 and q in p]
        if len(parts) > 1:
            s = max(s, min(sum(len(q) for q in parts) / len(p), 1.0) * 0.9)
        return s

    def best(self, text: str) -> Hit | None:
        """The top hit if it is a good match, else None ("no good match")."""
        hits = self.search(text, limit=1)
        return hits[0] if hits and hits[0].score >= GOOD_MATCH else None


def _read_yaml(path: Path) -> dict:
    if not path.is_file():
        return {}
    return yaml.safe_load(path.read_text(encoding="utf-8")) or {}
