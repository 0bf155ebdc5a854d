"""German text normalisation shared by place resolution and service search.

Per-message work is bounded here, for every caller: :func:`message_words` reads at most
``MAX_TEXT_CHARS`` of a message and returns at most ``MAX_TOKENS`` words, and the typo search
(:class:`FuzzyIndex`) only looks at words of up to ``MAX_FUZZY_WORD`` letters (after umlaut folding).
Longer words still match exactly; no real place or service word is that long with a typo in it.
"""

from __future__ import annotations

import functools
import re
import unicodedata

#: Turkish dotless ı is an i for matching ("kayıp" = "kayip"); NFKD would not decompose it.
_FOLD = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "ı": "i"})
_NON_ALNUM = re.compile(r"[^a-z0-9]+")
_NON_ALNUM_OR_CYRILLIC = re.compile(r"[^a-z0-9\u0430-\u045f]+")
#: A compound written with hyphens, as Leichte Sprache does ("Reise-Pass", "Personal-Ausweis").
_HYPHEN_COMPOUND = re.compile(r"[^\W\d_]{2,}(?:-[^\W\d_]{2,})+")

#: Characters of one message that the domain core reads (the rest is ignored).
MAX_TEXT_CHARS = 1000
#: Words of one message that the domain core looks at.
MAX_TOKENS = 60
#: Longer (folded) words are matched exactly only: the deletion search grows with length².
MAX_FUZZY_WORD = 24


def fold(text: str) -> str:
    """Lower-case, spell umlauts and ß out (ä→ae, ß→ss), drop other accents and punctuation.

    "Überlingen", "UEBERLINGEN" and "Ueberlingen" all become "ueberlingen".
    """
    text = text.lower().translate(_FOLD)
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return _NON_ALNUM.sub(" ", text).strip()


def fold_any_script(text: str) -> str:
    """:func:`fold`, but Cyrillic letters stay (lower case, without diacritics: й -> и, ї -> і).

    For word lists that staff write in several languages (variant words in ``relations.yml``):
    "загубив" and "lost" match, and Latin text folds exactly as with :func:`fold`.
    """
    text = text.lower().translate(_FOLD)
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return _NON_ALNUM_OR_CYRILLIC.sub(" ", text).strip()


def tokens(text: str) -> list[str]:
    """Folded word tokens (unbounded: for data files; use :func:`message_words` for messages)."""
    folded = fold(text)
    return folded.split() if folded else []


#: The Land names no Gemeinde and no Leistung: "Brauche ich in Baden-Württemberg eine Erlaubnis?" is
#: neither about Baden-Baden (whose part "Baden" is an alias) nor about a Leistung whose text says
#: "in Baden-Württemberg". Folded spellings, typos included.
LAND_FIRST = "baden"
LAND_SECOND = frozenset({"wuerttemberg", "wurttemberg", "wuertemberg", "wurtemberg", "wuerttenberg"})


def land_positions(words: list[str]) -> set[int]:
    """Positions of the folded ``words`` that name the Land Baden-Württemberg: the pair "baden
    wuerttemberg" or the compound "baden-wuerttemberg" of :func:`tokens_with_compounds`."""
    out = {j for i in range(len(words) - 1)
           if words[i] == LAND_FIRST and words[i + 1] in LAND_SECOND for j in (i, i + 1)}
    for i, word in enumerate(words):
        first, _, second = word.partition("-")
        if first == LAND_FIRST and second in LAND_SECOND:
            out.add(i)
    return out


def tokens_with_compounds(text: str) -> list[str]:
    """:func:`tokens`, but a hyphenated compound stays one token ("Reise-Pass" -> "reise-pass"), so
    that text rebuilt from the tokens still shows the service search the compound."""
    out: list[str] = []
    pos = 0
    for match in _HYPHEN_COMPOUND.finditer(text):
        out += tokens(text[pos:match.start()])
        out.append("-".join(tokens(match.group())))
        pos = match.end()
    return out + tokens(text[pos:])


def bounded(text: str | None) -> str:
    """A citizen's message cut to what the domain core reads; never raises on odd input.

    Lone surrogates ("\\ud800"), control characters and other non-text code points are dropped.
    """
    if not isinstance(text, str):
        return ""
    text = text[:MAX_TEXT_CHARS]
    return text.encode("utf-8", "ignore").decode("utf-8")


def message_words(text: str | None) -> list[str]:
    """Folded words of a message, bounded in text length and number of words."""
    return fold(bounded(text)).split()[:MAX_TOKENS]


def osa_distance(a: str, b: str, limit: int = 2) -> int:
    """Optimal-string-alignment distance (Levenshtein plus adjacent transpositions).

    Returns ``limit + 1`` as soon as the distance is known to exceed ``limit``.
    """
    if a == b:
        return 0
    la, lb = len(a), len(b)
    if abs(la - lb) > limit:
        return limit + 1
    prev2: list[int] = []
    prev = list(range(lb + 1))
    for i in range(1, la + 1):
        cur = [i] + [0] * lb
        row_min = cur[0]
        for j in range(1, lb + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
            row_min = min(row_min, cur[j])
        if row_min > limit:
            return limit + 1
        prev2, prev = prev, cur
    return prev[lb] if prev[lb] <= limit else limit + 1


def allowed_typos(word: str) -> int:
    """How many edits a word of this length may contain and still count as the same word."""
    n = len(word)
    if n >= 8:
        return 2
    if n >= 5:
        return 1
    return 0


def deletions(word: str, depth: int) -> set[str]:
    """All strings reachable by deleting up to ``depth`` characters (SymSpell index keys).

    Words longer than ``MAX_FUZZY_WORD`` get no deletions (exact match only): the key count
    grows with length^depth.
    """
    if len(word) > MAX_FUZZY_WORD:
        return {word}
    out = {word}
    frontier = {word}
    for _ in range(depth):
        nxt = set()
        for w in frontier:
            for i in range(len(w)):
                nxt.add(w[:i] + w[i + 1 :])
        out |= nxt
        frontier = nxt
    return out


class FuzzyIndex:
    """Find indexed words within a small edit distance of a query word (SymSpell-style)."""

    def __init__(self, words: set[str] | list[str]) -> None:
        self._by_deletion: dict[str, set[str]] = {}
        for word in set(words):
            for key in deletions(word, allowed_typos(word)):
                self._by_deletion.setdefault(key, set()).add(word)

    def lookup(self, word: str) -> dict[str, int]:
        """Indexed words near ``word`` with their distance (0 = identical)."""
        if len(word) > MAX_FUZZY_WORD:
            return {word: 0} if word in self._by_deletion.get(word, ()) else {}
        limit = allowed_typos(word)
        found: dict[str, int] = {}
        for key in deletions(word, limit):
            for cand in self._by_deletion.get(key, ()):
                if cand in found:
                    continue
                dist = osa_distance(word, cand, max(limit, allowed_typos(cand)))
                if dist <= min(limit, allowed_typos(cand)) or dist == 0:
                    found[cand] = dist
        return found


#: A word at least this frequent in German (wordfreq Zipf scale: 3 = once per million words) is an
#: ordinary word: it is never typo-matched to another word, neither to a place ("falsch" is not
#: "Malsch", "heute" not "Reute") nor to a service word ("Gedicht" is not "Gericht"). Exact matches
#: are unaffected. Typos are rarely this frequent ("Stutgart" 1.1, "Manheim" 2.4).
COMMON_WORD_ZIPF = 3.0
_UMLAUTS = (("ae", "ä"), ("oe", "ö"), ("ue", "ü"))


@functools.lru_cache(maxsize=20000)
def is_common_word(folded: str) -> bool:
    """True if the folded word (or its spelling with umlauts / ß) is an ordinary German word.

    wordfreq's German list is loaded on the first call (~2 s, once per process), not at import.
    """
    return zipf_de(folded) >= COMMON_WORD_ZIPF


@functools.lru_cache(maxsize=50000)
def zipf_everyday(folded: str) -> float:
    """How everyday a folded word is in any language citizens write to the bot: its German Zipf
    frequency, or its English, Turkish or Ukrainian one where that is higher ("good", "lost", "night")."""
    from bot.wordfreq_de import foreign_zipf  # lazy, like zipf_de

    return max(zipf_de(folded), foreign_zipf(folded))


@functools.lru_cache(maxsize=50000)
def zipf_de(folded: str) -> float:
    """wordfreq's German Zipf frequency of a folded word (trying umlauts / ß restored)."""
    from bot.wordfreq_de import zipf  # lazy: loading the list takes seconds

    variant = folded
    for plain, umlaut in _UMLAUTS:
        variant = variant.replace(plain, umlaut)
    forms = {folded, variant, variant.replace("ss", "ß")}
    return max(zipf(f) for f in forms)
