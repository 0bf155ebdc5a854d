"""Free text -> ranked services. Lexical, robust to inflection, compounds, typos and word order.

Each service is indexed by its name, the shorter phrases inside its official name and its synonyms
("phrases"). A phrase scores by how much of it (IDF-weighted) the query covers and how much of the
query it explains. Query and phrase tokens match exactly, by a light German stem, as parts of
compounds ("Hundesteuer" ~ "Hund", "Steuer") or within a small edit distance. Separable verbs are
re-joined ("melde ... ab" -> "abmelde"), participles of them too ("zugelassen" -> "zulassen"). Words
that only carry the question type ("Unterlagen", "kostet") are ignored (data/search/question_words.yml).

Everyday words say less about WHICH Leistung is meant than rare ones: a query word weighs its IDF
in the catalogue times its :func:`specificity` in everyday German (wordfreq), so "gestorben" outweighs
"Vater" — or in everyday English, Turkish or Ukrainian, whichever is higher: citizens mix those
languages with German office words, and "good job" is not the Führungszeugnis ("certificate of good
conduct"), "I'm lost" not the Fundbüro. A hit that rests on one everyday word alone must match a whole phrase ("Deutscher werden")
or be the whole query and at least half of a phrase ("Hund"): "Handy" is not "Handy verloren" when
the citizen wants to buy one, "spät" not "Kind später einschulen".

Per-message work is bounded: the text and word count are capped in :mod:`bot.text`, and the
matches of each query word are cached (bounded LRU), so a message costs about a millisecond.
"""

from __future__ import annotations

import functools
import math
import re
from dataclasses import dataclass
from pathlib import Path

from bot.catalogue import Catalogue, Service
from bot.search_words import (
    PARTICLES,
    STOPWORDS,
    QuestionWords,
    lebenslagen,
    load_search_words,
    name_variants,
    participle_bases,
    same_particle,
    stem,
)
from bot.text import FuzzyIndex, bounded, fold, is_common_word, message_words, tokens, zipf_de, zipf_everyday

MAX_COMPOUNDS = 20
#: A compound split with a hyphen as Leichte Sprache writes it ("Reise-Pass", "Personal-Ausweis").
_HYPHENATED = re.compile(r"\b([^\W\d_]{2,})-([^\W\d_]{2,})\b")

#: Below this score the search says "no good match" rather than guessing.
GOOD_MATCH = 0.45
#: How much words found in a service's description or document list add to its score.
CONTEXT_WEIGHT = 0.15
#: Share of the score that comes from the best single phrase (the rest: how much of the query
#: all of the service's phrases explain together).
PHRASE_WEIGHT = 0.4
#: Weight of a word the catalogue never uses, relative to the median IDF: it dilutes, but does
#: not sink, a match.
UNKNOWN_WEIGHT = 0.7
#: ... and an unknown everyday German word this many times more.
UNKNOWN_COMMON_FACTOR = 1.0
#: A query word the catalogue knows as a whole ("Kindergeld") matches its own parts ("Kind")
#: only this much as strongly as an unknown compound would.
KNOWN_COMPOUND_FACTOR = 0.5
#: Whether a query compound matched by one of its parts scores by the share it explains.
COMPOUND_SHARE = True
#: A service whose best word match is weaker than STRONG_MATCH (only parts of compounds or
#: typos) has its score multiplied by WEAK_FACTOR: "schreib" alone is not "Ratschreiber".
STRONG_MATCH = 0.9
WEAK_FACTOR = 0.85
#: Letters that may join the parts of a compound ("Organspende-ausweis", "Heirat-s-urkunde").
_LINKS = ("", "s", "e", "n", "en", "es", "er")
#: Long-tail services (official name only) rank slightly below curated ones on equal evidence.
LONGTAIL_FACTOR = 0.95
#: Whether long-tail services use their service-bw Lebenslagen as context words.
CONTEXT_TOPICS = True
#: A query word weighs its full IDF up to this everyday frequency (wordfreq Zipf; 3 = once per
#: million words), falling linearly to SPECIFIC_MIN of it at SPECIFIC_HI ("und", "Jahr").
SPECIFIC_LO = 3.0
SPECIFIC_HI = 6.5
SPECIFIC_MIN = 0.3
#: From this frequency on a word is an everyday word ("Handy" 4.8, "Auto" 5.3; "Perso" 3.0).
EVERYDAY_ZIPF = 4.5
#: A hit on one everyday word alone is multiplied by EVERYDAY_FACTOR unless that word covers at
#: least WHOLE of a phrase, or WHOLE of the query and HALF of a phrase.
EVERYDAY_FACTOR = 0.6
WHOLE = 0.9
HALF = 0.5
#: Cached query words per search instance.
TOKEN_CACHE = 20000

__all__ = ["GOOD_MATCH", "Hit", "ServiceSearch", "stem"]


def specificity(zipf: float) -> float:
    """How much a word of this everyday frequency says about which Leistung is meant (0..1]."""
    if zipf <= SPECIFIC_LO:
        return 1.0
    share = (zipf - SPECIFIC_LO) / (SPECIFIC_HI - SPECIFIC_LO)
    return max(SPECIFIC_MIN, 1.0 - (1.0 - SPECIFIC_MIN) * share)


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
                 question_words: list[str] | None = None,
                 synonyms: dict[str, list[str]] | None = None, topics: dict[str, str] | None = None) -> None:
        """``synonyms``: extra search phrases per service id (data/search/synonyms.yml);
        ``topics``: context text per service id (the service-bw Lebenslagen of long-tail services)."""
        self.catalogue = catalogue
        synonyms = synonyms or {}
        self.questions = QuestionWords(question_words)
        # word -> family head: "verstorben" and "Todesfall" become the same search word.
        self.family: dict[str, str] = {}
        for head, words in (families or {}).items():
            for word in [head, *words]:
                for form in {fold(str(word)).replace(" ", ""), stem(fold(str(word)).replace(" ", ""))}:
                    self.family.setdefault(form, stem(fold(str(head))))
        self.phrases: list[tuple[Service, str, tuple[str, ...]]] = []
        df: dict[str, set[str]] = {}
        for service in catalogue.services:
            texts = [service.name, *name_variants(service.name), *service.synonyms,
                     *synonyms.get(service.id, ())]
            for text in dict.fromkeys(texts):
                words = self.questions.drop(tokens(text))
                toks = tuple(dict.fromkeys(self._norm(t) for t in words if t not in STOPWORDS))
                if not toks:
                    continue
                self.phrases.append((service, text, toks))
                for t in toks:
                    df.setdefault(t, set()).add(service.id)
        n = max(len(catalogue.services), 1)
        self.idf = {t: math.log(1 + n / len(ids)) for t, ids in df.items()}
        median = sorted(self.idf.values())[len(self.idf) // 2] if self.idf else 1.0 / UNKNOWN_WEIGHT
        self.unknown_idf = UNKNOWN_WEIGHT * median
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
        self._matches = functools.lru_cache(maxsize=TOKEN_CACHE)(self._token_matches)
        self._splits = functools.lru_cache(maxsize=TOKEN_CACHE)(self._token_splits)
        # Descriptions and documents add evidence ("verstorben", "Ausland") but never match alone.
        self.context: dict[str, set[str]] = {}
        for service in catalogue.services:
            texts = [service.description, *service.documents, service.online_note]
            if not service.curated and topics and CONTEXT_TOPICS:
                texts.append(topics.get(service.id, ""))
            words = tokens(" ".join(texts))
            self.context[service.id] = {self._norm(t) for t in words if t not in STOPWORDS and len(t) >= 4}
        # A service's own words (names, synonyms, the department responsible) and the words of its
        # document list, for :meth:`covered`.
        self._own: dict[str, set[str]] = {}
        for service, _, toks in self.phrases:
            self._own.setdefault(service.id, set()).update(toks)
        for service in catalogue.services:
            if service.responsibility is not None and service.id in self._own:
                words = tokens(service.responsibility.department)
                self._own[service.id].update(self._norm(t) for t in words if t not in STOPWORDS and len(t) >= 4)
        self._documents = {
            s.id: {self._norm(t) for t in tokens(" ".join(s.documents)) if t not in STOPWORDS and len(t) >= 4}
            for s in catalogue.services
        }

    @classmethod
    def load(cls, catalogue: Catalogue, search_dir: Path, data_dir: Path | None = None) -> ServiceSearch:
        """The search with the staff-edited word lists of ``search_dir`` and the Lebenslagen of
        the shared service-bw list in ``data_dir``."""
        families, questions, synonyms = load_search_words(search_dir)
        return cls(catalogue, families, questions, synonyms, lebenslagen(data_dir))

    # -- query analysis --------------------------------------------------------------------------
    def _norm(self, word: str) -> str:
        """Stem, then map to the word family head if the word belongs to one."""
        return self.family.get(word) or self.family.get(stem(word)) or stem(word)

    def _known(self, word: str) -> bool:
        return self._norm(word) in self.vocab

    def _participle(self, word: str) -> str:
        """A participle of a separable verb as the infinitive the catalogue knows ("zugelassen")."""
        if self._known(word):
            return word
        return next((b for b in participle_bases(word) if self._known(b)), word)

    def _analyse(self, text: str, ignore: set[str] | frozenset[str]) -> tuple[list[str], set[str], dict[str, float]]:
        """The query's search words; those of them that are ordinary German words (matched
        exactly, never by typo: "Gedicht" is not "Gericht"); and each one's everyday frequency
        (Zipf of the citizen's own spelling: "Vater", not the family head "papa")."""
        raw = [self._participle(t) for t in message_words(text) if t not in ignore]
        words = self.questions.drop(raw, self._known)
        words = [t for t in words if t not in STOPWORDS and not t.isdigit()]
        exact_only = {self._norm(t) for t in words if is_common_word(t)}
        out = [self._norm(t) for t in words]
        freq: dict[str, float] = {}
        for word, norm in zip(words, out, strict=True):  # everyday in any served language: "good job"
            freq[norm] = max(freq.get(norm, 0.0), zipf_everyday(word))
        # Separable verbs: "melde ... ab" -> "abmeld". The particle ends the clause (last word or
        # before a function word); "ein" before a noun is an article ("schreib mir ein Gedicht").
        present = [
            p for i, p in enumerate(raw)
            if p in PARTICLES and (i == len(raw) - 1 or raw[i + 1] in STOPWORDS)
        ]
        for p in dict.fromkeys(present):
            for t in words:
                joined = self._norm(p + t)
                if joined in self.vocab:
                    out.append(joined)
                    freq[joined] = max(freq.get(joined, 0.0), zipf_de(p + t))
        # "Reise-Pass" is the catalogue's "Reisepass": the joined word replaces its two halves.
        for first, second in _HYPHENATED.findall(bounded(text))[:MAX_COMPOUNDS]:
            joined = self._norm(fold(first + second))
            if joined in self.vocab and " " not in joined:
                halves = {self._norm(t) for t in (fold(first), fold(second))}
                out = [t for t in out if t not in halves] + [joined]
                freq[joined] = max(freq.get(joined, 0.0), zipf_de(first + second))
        toks = list(dict.fromkeys(t for t in out if len(t) >= 2))
        return toks, exact_only, {t: freq.get(t, 0.0) for t in toks}

    def _token_matches(self, q: str, typos: bool = True) -> dict[str, float]:
        """Vocabulary words related to the query word ``q``, with their similarity (0..1)."""
        out: dict[str, float] = {}
        known = q in self.vocab
        if known:
            out[q] = 1.0
        if typos and len(q) >= 5:
            for v, dist in self._fuzzy.lookup(q).items():
                if dist and same_particle(v, q):
                    out[v] = max(out.get(v, 0.0), 0.9 - 0.1 * (dist - 1))
        if len(q) >= 4:
            # q is a compound containing a phrase word as head or tail: "hundesteuer" ⊃ "hund".
            factor = KNOWN_COMPOUND_FACTOR if known else 1.0
            for k in range(4, len(q) - 2):
                for v in {q[:k], q[-k:]}:
                    if v in self.vocab:
                        sim = 0.85 if len(v) >= 5 else 0.75
                        if COMPOUND_SHARE:  # the rest of the compound is unexplained
                            sim = min(sim, 0.45 + 0.45 * len(v) / len(q))
                        out[v] = max(out.get(v, 0.0), factor * sim)
            # q is the head or tail of a phrase compound: "ausweis" ⊂ "personalausweis" — not for
            # an everyday word the catalogue does not use ("halten" is not "Halterwechsel").
            for v in self._part_of.get(q, ()) if typos or known else ():
                out[v] = max(out.get(v, 0.0), 0.4 + 0.45 * len(q) / len(v))
        return out

    def _token_splits(self, q: str) -> tuple[tuple[str, str], ...]:
        """Ways to read an unknown query word as two vocabulary words: "organspendeausweis" ->
        ("organspend", "ausweis")."""
        if q in self.vocab or len(q) < 8:
            return ()
        out = []
        for k in range(4, len(q) - 3):
            head = q[:k]
            if head not in self.vocab:
                continue
            for link in _LINKS:
                tail = q[k + len(link):]
                if q[k:].startswith(link) and len(tail) >= 4 and tail in self.vocab:
                    out.append((head, tail))
        return tuple(out)

    # -- ranking ---------------------------------------------------------------------------------
    def search(self, text: str, limit: int = 5, ignore: set[str] | frozenset[str] = frozenset()) -> list[Hit]:
        """Services for ``text``, best first, each with a score in 0..1 (may be empty).

        ``ignore``: folded words to leave out (place names found by the place resolver).
        """
        qtoks, exact_only, q_freq = self._analyse(text or "", ignore)
        if not qtoks:
            return []
        matches = {q: self._matches(q, q not in exact_only) for q in qtoks}
        q_idf = self._weights(qtoks, exact_only, q_freq)
        candidates: set[int] = set()
        for m in matches.values():
            for v in m:
                candidates.update(self.by_token.get(v, ()))
        q_total = sum(q_idf.values())
        explained: dict[str, dict[str, float]] = {}  # service id -> query token -> best match
        for q, mq in matches.items():
            for v, sim in mq.items():
                for i in self.by_token.get(v, ()):
                    expl = explained.setdefault(self.phrases[i][0].id, {})
                    if sim > expl.get(q, 0.0):
                        expl[q] = sim
        for q in qtoks:  # a compound of two phrase words is explained by a phrase with both
            for head, tail in self._splits(q):
                tails = set(self.by_token.get(tail, ()))
                for i in self.by_token.get(head, ()):
                    if i in tails:
                        expl = explained.setdefault(self.phrases[i][0].id, {})
                        expl[q] = max(expl.get(q, 0.0), 0.95)
        cover: dict[str, tuple[float, list[str]]] = {}  # phrase word -> coverage (cached per query)
        best: dict[str, Hit] = {}
        for i in candidates:
            service, phrase, ptoks = self.phrases[i]
            p_cov = 0.0
            for p in ptoks:
                c = cover.get(p)
                if c is None:
                    c = cover[p] = self._word_cover(p, qtoks, matches)
                p_cov += self.idf[p] * c[0]
                if c[1]:  # several query words together are this phrase word ("Hund" + "Steuer")
                    expl = explained.setdefault(service.id, {})
                    for q in c[1]:
                        expl[q] = max(expl.get(q, 0.0), c[0])
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
            if max(explained[sid].values(), default=0.0) < STRONG_MATCH:
                score *= WEAK_FACTOR
            if self._everyday_only(explained[sid], q_freq, hit.score, query_cov):
                score *= EVERYDAY_FACTOR
            if not service.curated:
                score *= LONGTAIL_FACTOR
            best[sid] = Hit(service, min(score, 1.0), hit.phrase)
        hits = sorted(best.values(), key=lambda h: (-h.score, not h.service.curated, len(h.service.name)))
        return hits[:limit]

    def _weights(self, qtoks: list[str], exact_only: set[str], q_freq: dict[str, float]) -> dict[str, float]:
        """How much each query word says. An everyday word the catalogue never uses ("Haftpflicht",
        "Chef") says the message is about something else: it weighs more than an unknown rare word
        (a typo, a name). Every word weighs less the more everyday it is."""
        return {
            q: specificity(q_freq[q])
            * self.idf.get(q, self.unknown_idf * (UNKNOWN_COMMON_FACTOR if q in exact_only else 1.0))
            for q in qtoks
        }

    def covered(self, service_id: str, text: str, documents: bool = False,
                ignore: set[str] | frozenset[str] = frozenset()) -> float:
        """Which share of ``text``'s search words (weighed as in :meth:`search`) are the service's
        own words, 0..1 (0 without search words).

        A word is the service's own when it equals (stem, word family, small typo) a word of its
        names, synonyms or responsible department ("Familienkasse"), or is the head or tail of one ("Anmeldung" of "Gewerbeanmeldung") —
        never when it is a longer compound around one ("Kinderreisepass" says more than "Reisepass").
        ``documents``: the words of its document list count too ("Reicht der Schwerbehindertenausweis
        als Nachweis?" asks about a document of the blue parking permit, not for another Leistung)."""
        own = self._own.get(service_id)
        if not own:
            return 0.0
        qtoks, exact_only, q_freq = self._analyse(text or "", ignore)
        if not qtoks:
            return 0.0
        words = own | self._documents.get(service_id, set()) if documents else own
        weights = self._weights(qtoks, exact_only, q_freq)

        def is_own(q: str) -> bool:
            if q in words:
                return True
            if len(q) >= 4 and any(v != q and (v.startswith(q) or v.endswith(q)) for v in words):
                return True
            if q in exact_only or len(q) < 5:
                return False
            return any(v in own and same_particle(v, q) for v in self._fuzzy.lookup(q))

        total = sum(weights.values())
        return sum(w for q, w in weights.items() if is_own(q)) / total if total else 0.0

    @staticmethod
    def _everyday_only(explained: dict[str, float], q_freq: dict[str, float], phrase_cov: float,
                       query_cov: float) -> bool:
        """Whether a hit rests on one everyday word that is neither a whole phrase nor the whole query."""
        words = [q for q, m in explained.items() if m > 0]
        if len(words) != 1 or q_freq[words[0]] < EVERYDAY_ZIPF:
            return False
        return not (phrase_cov >= WHOLE or (query_cov >= WHOLE and phrase_cov >= HALF))

    @staticmethod
    def _word_cover(p: str, qtoks: list[str], matches: dict[str, dict[str, float]]) -> tuple[float, list[str]]:
        """How well the query covers the phrase word ``p`` (0..1), and the query words that
        cover it together if it is a compound of several of them."""
        s = max((matches[q].get(p, 0.0) for q in qtoks), default=0.0)
        parts = [q for q in qtoks if len(q) >= 3 and q in p]
        if len(parts) > 1:
            joint = min(sum(len(q) for q in parts) / len(p), 1.0) * 0.9
            if joint > s:
                return joint, parts
        return s, []

    def best(self, text: str) -> Hit | None:
        """The top hit if it is a good match, else None ("no good match")."""
        hits = self.search(text, limit=1)
        return hits[0] if hits and hits[0].score >= GOOD_MATCH else None
