"""Word-level knowledge of the service search: stop words, a light German stem, separable-verb
particles, question-type words (staff data, :mod:`bot.question_words`) and the extra phrases derived
from official names.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable
from pathlib import Path

import yaml

from bot.question_words import read_question_words
from bot.text import FuzzyIndex, tokens

FAMILIES_FILE = "word_families.yml"
SYNONYMS_FILE = "synonyms.yml"
PARTICLES = ("an", "ab", "um", "aus", "ein", "zu", "nach", "ver")
_SUFFIXES = ("ungen", "ung", "ern", "en", "er", "es", "em", "e", "s")
#: Stem twice, so that "Änderung" -> "aender" -> "aend" meets "ändern" -> "aender" -> "aend".
STEM_ROUNDS = 2
STOPWORDS = frozenset(
    ["a", "aber", "alle", "alles", "als", "also", "am", "an", "auch", "auf", "aus", "bei", "beim", "bin", "bis", "bitte", "bzw", "da", "dann", "das", "dass", "de", "dem", "den", "denn", "der", "des", "dich", "die", "dies", "diese", "diesen", "dir", "doch", "dort", "du", "durch", "ein", "eine", "einem", "einen", "einer", "eines", "er", "es", "etwas", "euch", "euer", "fuer", "gibt", "hab", "habe", "haben", "hallo", "hat", "hier", "ich", "ihm", "ihn", "ihr", "ihre", "im", "in", "ist", "ja", "jetzt", "kann", "kannst", "koennen", "koennte", "man", "mein", "meine", "meinem", "meinen", "meiner", "mich", "mir", "mit", "moechte", "moechten", "muss", "muessen", "nach", "nicht", "noch", "nun", "nur", "ob", "oder", "sein", "seine", "sich", "sie", "sind", "so", "soll", "sollte", "ueber", "um", "und", "uns", "unser", "unsere", "vom", "von", "vor", "war", "was", "weil", "welche", "welcher", "welches", "wenn", "wer", "werden", "wie", "wieder", "will", "wir", "wird", "wo", "woher", "wohin", "wollen", "zu", "zum", "zur", "brauche", "brauchen", "braucht", "benoetige", "gerne", "gern", "guten", "tag", "morgen", "abend", "hi", "hey", "servus", "moin", "gruess", "gott", "danke", "bitte", "frage", "info", "infos", "information", "informationen", "machen", "mache", "macht", "tun", "erledigen", "bekomme", "bekommen", "kriege", "kriegen", "geht", "gehen", "muessen", "muesste", "haette", "hatte", "wurde", "worden", "einfach", "mal", "schon", "bald", "noch", "gleich", "irgendwie", "genau", "eigentlich", "bei", "beim", "dafuer", "darf", "duerfen", "wegen", "ne", "nen", "ner", "nem", "i", "mi", "mr", "kein", "keine", "keinen", "keinem", "keiner", "nichts", "jemand", "jemanden", "jemandem", "niemand", "niemanden", "niemandem", "irgendwer", "irgendjemand", "ins", "lassen", "lasse", "laesst", "lass"]
)
#: Whether a single bracketed word of a name is a phrase of its own ("(Drohnen)").
PAREN_WORDS = False
#: Parts of a name around " - " of at least this many words become phrases (0 = never).
DASH_PARTS = 3
_PAREN = re.compile(r"\(([^()]*)\)")
_DASH = re.compile(r"\s+[-–]\s+")


def _stem_once(word: str) -> str:
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            if suffix == "s" and word[-2] in "siu":  # "Pass", "Ausweis", "Bus" keep their s
                continue
            return word[: -len(suffix)]
    return word


def stem(word: str) -> str:
    """A light, consistent German stem: strips common inflection suffixes (min. 4 letters kept)."""
    for _ in range(STEM_ROUNDS):
        shorter = _stem_once(word)
        if shorter == word:
            break
        word = shorter
    return word


def participle_bases(word: str) -> list[str]:
    """Infinitives a participle of a separable verb may stand for: "zugelassen" -> "zulassen",
    "angemeldet" -> "anmelden" (particle + "ge" + stem). Empty for other words."""
    for p in PARTICLES:
        if p != "ver" and word.startswith(p + "ge") and len(word) - len(p) - 2 >= 4:
            base = p + word[len(p) + 2:]
            out = [base]
            for ending in ("et", "t"):
                if base.endswith(ending):
                    out.append(base[: -len(ending)] + "en")
                    break
            return out
    return []


#: The particles a typo may not change (longest first: "aus" before "a…").
_TYPO_PARTICLES = ("aus", "ein", "an", "ab", "um")


def same_particle(a: str, b: str) -> bool:
    """Whether a typo may turn ``a`` into ``b``: never across separable-verb particles ("abmelden" is not
    "anmelden"). Compared by the start alone, so a short misspelling keeps its particle ("anmelen", stem
    "anmel", is "anmelden")."""
    def start(word: str) -> str:
        return next((p for p in _TYPO_PARTICLES if word.startswith(p)), "")

    return start(a) == start(b)


def name_variants(name: str) -> list[str]:
    """Shorter phrases hidden in an official name, each a way citizens name the Leistung.

    "Denkmalschutz - Denkmalrechtliche Genehmigung beantragen" -> both parts;
    "Unbemannte Luftfahrtsysteme (Drohnen) - Aufstiegserlaubnis" -> without the brackets, and
    a single bracketed word on its own ("Drohnen").
    """
    out: list[str] = []
    for inner in _PAREN.findall(name) if PAREN_WORDS else ():
        if len(inner.split()) == 1 and len(inner) >= 4:
            out.append(inner)
    plain = " ".join(_PAREN.sub(" ", name).split())
    if plain != name:
        out.append(plain)
    if DASH_PARTS:
        parts = _DASH.split(plain)
        if len(parts) > 1:
            out.extend(p for p in parts if len(p.split()) >= DASH_PARTS)
    return [v for v in dict.fromkeys(out) if v != name]


class QuestionWords:
    """Words that only carry the question type ("Unterlagen", "kostet", "Antrag stellen")."""

    def __init__(self, entries: list[str] | None = None) -> None:
        self.single: set[str] = set()
        self.multi: list[tuple[str, ...]] = []
        for entry in entries or ():
            qt = tuple(tokens(str(entry)))
            if len(qt) == 1:
                self.single.update({qt[0], stem(qt[0])})
            elif qt:
                self.multi.append(qt)
        self._fuzzy = FuzzyIndex([w for w in self.single if len(w) >= 5])

    def drop(self, words: list[str], known: Callable[[str], bool] | None = None) -> list[str]:
        """``words`` without question-type words; with ``known`` (is it a search word?) also
        without small typos of them, unless the word is itself a known search word."""
        if self.multi:
            keep = [True] * len(words)
            for phrase in self.multi:
                n = len(phrase)
                for i in range(len(words) - n + 1):
                    if tuple(words[i : i + n]) == phrase:
                        keep[i : i + n] = [False] * n
            words = [w for w, k in zip(words, keep, strict=True) if k]
        return [w for w in words if not self._is_question_word(w, known)]

    def _is_question_word(self, word: str, known: Callable[[str], bool] | None) -> bool:
        if word in self.single or stem(word) in self.single:
            return True
        if known is None or len(word) < 5 or known(word):
            return False
        return bool(self._fuzzy.lookup(word))


def read_yaml(path: Path) -> dict:
    if not path.is_file():
        return {}
    return yaml.safe_load(path.read_text(encoding="utf-8")) or {}


def load_search_words(search_dir: Path) -> tuple[dict[str, list[str]], list[str], dict[str, list[str]]]:
    """Word families, question words and search synonyms from the staff-edited files."""
    families = read_yaml(search_dir / FAMILIES_FILE).get("families") or {}
    synonyms = read_yaml(search_dir / SYNONYMS_FILE).get("synonyms") or {}
    questions = [w for group in read_question_words(search_dir).values() for w in group]
    return families, questions, {str(k): [str(v) for v in (vs or ())] for k, vs in synonyms.items()}


def lebenslagen(data_dir: Path | None) -> dict[str, str]:
    """Service id -> the service-bw Lebenslagen it is listed under ("Fahrzeuge; Rund um das
    Kennzeichen"), from the shared id list: citizens' words for long-tail Leistungen."""
    path = data_dir / "services" / "servicebw_ids.csv" if data_dir else None
    if path is None or not path.is_file():
        return {}
    out: dict[str, str] = {}
    with path.open(encoding="utf-8-sig", newline="") as fh:
        for row in csv.DictReader(fh):
            note = row.get("note") or ""
            if row.get("kind") == "leistung" and note.startswith("in Lebenslage(n):"):
                topic = (row.get("topic_guess") or "").removeprefix("LL:")
                out[f"sbw-{row['servicebw_id']}"] = f"{topic}; {note.split(':', 1)[1]}".replace("…", " ")
    return out
