"""BW place names written in Cyrillic script ("Ульм", "у Штутгарті", "до Гайдельберга").

Ukrainian (and Russian) write German place names by their sound and decline them: "Штутгарт" is
Stuttgart, "Гайдельберг" Heidelberg, "Мангайм" Mannheim; "в Ульмі" (in Ulm), "до Фрайбурга" (to
Freiburg), "у Фрайбурзі" (in Freiburg). Spelling back is not unique — г is h or g, ай is ei or ai,
ю is ü or u — so :func:`latin_variants` returns a bounded list of German-like spellings, most likely
first, and the resolver looks each of them up exactly and with its small-typo search (Cyrillic loses
doubled letters and a silent h: "Мангайм" -> "manhaim" -> "mannheim").

:func:`place_candidates` says which Cyrillic words may name a place at all: words after a place
preposition ("в", "у", "до", "з" …), capitalised words and a message that is only a name. The
resolver asks more of a word the less it looks like a name: typo matches and places outside BW
only for capitalised words (lower-case "в межах" is not "Eschach", "жоден" not "Schoden"). Work is
bounded: at most :data:`MAX_CANDIDATES` words per message, :data:`MAX_VARIANTS` spellings per word.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MAX_CANDIDATES = 6
MAX_VARIANTS = 64
#: Longer words are not transliterated (no BW Gemeinde name is that long in one word).
MAX_WORD = 30

_WORD_RE = re.compile(r"[\u0400-\u04ff\u0300-\u036f'ʼ’\-]+|[^\s\u0400-\u04ff]+")
_CYRILLIC_RE = re.compile(r"[\u0400-\u04ff]")
#: Words that introduce a place in Ukrainian and Russian ("живу в Ульмі", "переїхали до Ульма").
PREPOSITIONS = {
    "в", "у", "во", "до", "з", "із", "зі", "із-за", "біля", "під", "поблизу", "коло", "через",
    "місто", "міста", "місті", "містечко", "громада", "громади", "громаді", "село", "селі", "м",
    "город", "городе", "из", "около", "возле", "рядом",
}
#: Ukrainian/Russian case endings of place names, with what replaces them ("Фрайбурзі" -> "Фрайбург").
_ENDINGS = (
    ("ові", ""), ("еві", ""), ("ом", ""), ("ем", ""), ("ою", ""), ("зі", "г"), ("ці", "к"),
    ("і", ""), ("е", ""), ("а", ""), ("у", ""), ("ю", ""), ("я", "й"), ("и", ""),
)
#: Letter groups first, then single letters; each with its German spellings, most likely first.
_DIGRAPHS = {
    "ай": ("ei", "ai"), "ей": ("ei", "ej"), "ой": ("eu", "oi"), "ау": ("au",), "кс": ("x", "ks"),
    "ьо": ("jo", "o"), "шт": ("st", "scht"), "шп": ("sp", "schp"),
}
_LETTERS = {
    "а": ("a",), "б": ("b",), "в": ("w", "v"), "г": ("h", "g"), "ґ": ("g",), "д": ("d",),
    "е": ("e", "ö"), "є": ("je", "e"), "ё": ("ö", "jo"), "ж": ("sch", "j"), "з": ("s", "z"),
    "и": ("i", "y"), "і": ("i",), "ї": ("ji", "i"), "й": ("j", "i"), "к": ("k", "ck"), "л": ("l",),
    "м": ("m",), "н": ("n",), "о": ("o",), "п": ("p",), "р": ("r",), "с": ("s", "ss"), "т": ("t",),
    "у": ("u",), "ф": ("f", "v"), "х": ("ch", "h"), "ц": ("z", "tz"), "ч": ("tsch",), "ш": ("sch",),
    "щ": ("schtsch",), "ь": ("",), "ъ": ("",), "ы": ("y", "i"), "э": ("e",), "ю": ("ü", "u", "ju"),
    "я": ("ja", "a"), "'": ("",), "ʼ": ("",), "’": ("",), "-": (" ",),
}


@dataclass(frozen=True)
class Candidate:
    """A Cyrillic word (or two) that may name a place."""

    text: str
    #: After a place preposition, or capitalised inside the sentence, or the whole message.
    strong: bool
    #: Written with a capital letter, as names are.
    capital: bool = False
    after_preposition: bool = False


def has_cyrillic(text: str) -> bool:
    return bool(_CYRILLIC_RE.search(text))


def _is_cyrillic_word(word: str) -> bool:
    return bool(_CYRILLIC_RE.search(word))


def place_candidates(text: str) -> list[Candidate]:
    """Cyrillic words of ``text`` that may name a place, in order (one- and two-word spans)."""
    words = _WORD_RE.findall(text)
    cyr = [w for w in words if _is_cyrillic_word(w)]
    content = [w for w in cyr if w.lower() not in PREPOSITIONS]
    standalone = 0 < len(content) <= 2 and len(words) <= 4
    out: list[Candidate] = []
    for i, word in enumerate(words):
        if len(out) >= MAX_CANDIDATES:
            break
        if not _is_cyrillic_word(word) or word.lower() in PREPOSITIONS or len(word) > MAX_WORD:
            continue
        after_prep = i > 0 and words[i - 1].lower() in PREPOSITIONS
        first = i == 0 or words[i - 1][-1:] in ".!?"
        capital = word[0].isupper()
        if not (after_prep or capital or standalone):
            continue
        strong = after_prep or standalone or (capital and not first)
        out.append(Candidate(word.lower(), strong, capital, after_prep))
        nxt = words[i + 1] if i + 1 < len(words) else ""
        if nxt and _is_cyrillic_word(nxt) and nxt[0].isupper() and len(nxt) <= MAX_WORD:
            out.append(Candidate(f"{word.lower()} {nxt.lower()}", strong, capital, after_prep))
    return out[:MAX_CANDIDATES]


def stems(word: str) -> list[str]:
    """The word and its forms without a case ending ("ульмі" -> "ульмі", "ульм")."""
    out = [word]
    head, _, last = word.rpartition(" ")
    for ending, repl in _ENDINGS:
        if last.endswith(ending) and len(last) - len(ending) >= 3:
            stem = last[: len(last) - len(ending)] + repl
            out.append(f"{head} {stem}" if head else stem)
    return list(dict.fromkeys(out))


def _units(word: str) -> list[tuple[str, ...]]:
    units: list[tuple[str, ...]] = []
    i = 0
    while i < len(word):
        pair = word[i : i + 2]
        if pair in _DIGRAPHS:
            units.append(_DIGRAPHS[pair])
            i += 2
            continue
        ch = word[i]
        units.append(_LETTERS.get(ch, (ch,) if ch.isascii() else ("",)))
        i += 1
    return units


def latin_variants(word: str, limit: int = MAX_VARIANTS) -> list[str]:
    """German-like Latin spellings of a Cyrillic word, most likely first ("ульм" -> ["ulm"])."""
    beam: list[tuple[int, str]] = [(0, "")]
    for options in _units(word[:MAX_WORD]):
        beam = sorted(
            ((cost + k, text + option) for cost, text in beam for k, option in enumerate(options)),
            key=lambda item: item[0],
        )[:limit]
    return list(dict.fromkeys(text for _, text in beam if text.strip()))
