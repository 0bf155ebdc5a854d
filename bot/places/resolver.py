"""Free text -> Gemeinde(n): names in sentences, PLZ, AGS, abbreviations, small typos.

Places outside BW are recognised as such instead of being mapped to the nearest BW name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from bot.places.cyrillic import has_cyrillic, latin_variants, place_candidates, stems
from bot.places.register import Gemeinde, Register
from bot.text import FuzzyIndex, bounded, fold, is_common_word, land_positions, message_words

PLACE_PREPOSITIONS = {"in", "nach", "aus", "bei", "von", "im", "ort", "gemeinde", "stadt", "wohnort"}
_MASK = "\u00b7"  # matches no name, keeps the neighbours apart


def _masked(words: list[str]) -> list[str]:
    """The Land's words (:func:`bot.text.land_positions`) masked before any matching."""
    land = land_positions(words)
    return [_MASK if i in land else w for i, w in enumerate(words)] if land else words


#: A place outside BW needs one of these before it: "bei" names portals and offices as often as
#: places ("bei ELSTER anmelden" is not Bad Elster in Sachsen).
_OUTSIDE_PREPOSITIONS = PLACE_PREPOSITIONS - {"bei"}

#: Words that only introduce a place; "wohne in Fellbach" and "Fellbach" resolve alike.
_FILLER = PLACE_PREPOSITIONS | {
    "ich", "wir", "wohne", "wohnen", "lebe", "leben", "ziehe", "ziehen", "um", "komme", "kommen",
    "bin", "sind", "der", "die", "das", "den", "dem", "mein", "meine", "plz", "postleitzahl",
    "und", "jetzt", "neu", "nun", "es", "ist", "geht", "bitte", "hier", "wohnhaft",
}
_CONNECTORS = (" am ", " an der ", " der ", " im ", " in ", " ob ", " bei ", " unter ", " vor dem ", " auf der ")
_PLZ_RE = re.compile(r"(?<!\d)(\d{5})(?!\d)")
_AGS_RE = re.compile(r"(?<!\d)(\d{8})(?!\d)")
MAX_NGRAM = 5
#: Spellings of one Cyrillic word that are also typo-searched (the exact lookup takes them all).
MAX_FUZZY_VARIANTS = 12


@dataclass
class PlaceResult:
    """What a text says about the citizen's place.

    ``in_bw`` is None when no place was recognised at all.
    """

    in_bw: bool | None
    candidates: list[Gemeinde] = field(default_factory=list)
    match: str = "none"  # ags | plz | name | alias | fuzzy | outside | none
    land: str | None = None
    outside_name: str | None = None
    text: str = ""
    #: The words that named the place ("Altdorf", "70734"), for asking back.
    matched: str = ""

    @property
    def unique(self) -> Gemeinde | None:
        """The Gemeinde if exactly one candidate remains."""
        return self.candidates[0] if len(self.candidates) == 1 else None

    @property
    def ambiguous(self) -> bool:
        return len(self.candidates) > 1

    def to_dict(self) -> dict:
        out: dict = {"in_bw": self.in_bw, "candidates": [g.to_dict() for g in self.candidates]}
        out["match"] = self.match
        if self.in_bw is False:
            out["land"] = self.land
            out["outside_name"] = self.outside_name
        return out


def _aliases(key: str) -> set[str]:
    """Spelling variants of a folded name: heads before "am/im/an der", Sankt/St., Schwäb., Bad."""
    out: set[str] = set()
    padded = f" {key} "
    for conn in _CONNECTORS:
        if conn in padded[1:]:
            head = padded.split(conn)[0].strip()
            if len(head) >= 3:
                out.add(head)
    for word, short in (("sankt", "st"), ("schwaebisch", "schwaeb"), ("schwaebisch", "schw")):
        for k in {key} | set(out):
            if k.startswith(word + " "):
                out.add(short + k[len(word):])
            if word == "sankt" and k.startswith("st "):
                out.add("sankt" + k[2:])
    if key.startswith("bad ") and len(key) > 7:
        out.add(key[4:])
    return out - {key}


class PlaceResolver:
    """Resolves free text to BW Gemeinden using the register plus curated alias data."""

    def __init__(self, register: Register, alias_file: Path | None = None, common_words: set[str] | None = None):
        self.register = register
        self.common_words = common_words or set()
        self.primary: dict[str, list[Gemeinde]] = {}
        self.alias: dict[str, list[Gemeinde]] = {}
        for g in register.gemeinden:
            keys = {fold(g.name.split(",")[0]), fold(g.name.split(",")[0].split("(")[0]), fold(g.short_name)}
            for key in keys:
                _add(self.primary, key, g)
        for g in register.gemeinden:
            base = fold(g.name.split(",")[0].split("(")[0])
            for alias in _aliases(base):
                if alias not in self.primary:
                    _add(self.alias, alias, g)
            raw = g.short_name.split("(")[0]
            if "-" in raw:  # "Leinfelden-Echterdingen" is also called by either part
                for part in raw.split("-"):
                    key = fold(part)
                    if len(key) >= 5 and key not in self.primary:
                        _add(self.alias, key, g)
        #: Names in Cyrillic script from the alias file, lower-case ("гайдельберг").
        self.cyrillic_alias: dict[str, list[Gemeinde]] = {}
        if alias_file and alias_file.is_file():
            data = yaml.safe_load(alias_file.read_text(encoding="utf-8")) or {}
            for alias, ags in (data.get("aliases") or {}).items():
                g = register.by_ags(str(ags))
                if g is None:
                    continue
                if has_cyrillic(str(alias)):
                    _add(self.cyrillic_alias, " ".join(str(alias).lower().replace("-", " ").split()), g)
                else:
                    _add(self.alias, fold(str(alias)), g)
        self.foreign: dict[str, list] = {}
        for f in register.foreign:
            key = fold(f.name)
            self.foreign.setdefault(key, []).append(f)
            for alias in _aliases(key):
                self.foreign.setdefault(alias, []).append(f)
        self._fuzzy: FuzzyIndex | None = None

    # -- public -------------------------------------------------------------------------------
    def resolve(self, text: str) -> PlaceResult:
        """Find the place a citizen means. Never raises on odd input."""
        text = bounded(text).strip()
        if not text:
            return PlaceResult(None, text=text)
        if (res := self._by_code(text)) is not None:
            return res
        words = _masked(message_words(text))
        # A message that is little more than a place ("wohne in Forst") may use names that are also
        # common words; ``content`` is what remains without the filler words.
        content = [w for w in words if w not in _FILLER]
        standalone = 0 < len(content) <= 3
        res = self._by_name(words, standalone)
        if res is not None:
            res.text = text
            return res
        res = self._outside(words, standalone)
        if res is not None:
            res.text = text
            return res
        res = self._by_cyrillic(text)
        if res is not None:
            res.text = text
            return res
        res = self._fuzzy_match(words, standalone)
        if res is not None:
            res.text = text
            return res
        return PlaceResult(None, text=text)

    def place_words(self, text: str) -> set[str]:
        """Folded words of ``text`` that name places (BW or elsewhere) or are PLZ/AGS.

        The service search ignores them: "Sperrmüll in Schwäbisch Hall" is about Sperrmüll.
        """
        words = message_words(text)
        land = land_positions(words)
        out = {words[i] for i in land}  # the Land is a place word too, but names no Gemeinde
        words = _masked(words)
        content = [w for w in words if w not in _FILLER]
        standalone = 0 < len(content) <= 3
        out |= {w for w in words if w.isdigit() and len(w) in (5, 8)}
        for table in (self.primary, self.alias):
            for i, n, _ in self._spans(words, table, standalone):
                out.update(words[i : i + n])
        for i, n, _ in self._spans(words, self.foreign, standalone):
            if i > 0 and words[i - 1] in PLACE_PREPOSITIONS:
                out.update(words[i : i + n])
        return out

    # -- strategies ----------------------------------------------------------------------------
    def _by_code(self, text: str) -> PlaceResult | None:
        for ags in _AGS_RE.findall(text):
            if (g := self.register.by_ags(ags)) is not None:
                return PlaceResult(True, [g], "ags", text=text, matched=ags)
            if (f := self.register.foreign_by_ags.get(ags)) is not None:
                return PlaceResult(False, [], "outside", f.land, f.name, text=text)
        for plz in _PLZ_RE.findall(text):
            found = self.register.by_plz(plz)
            if found:
                named = self._by_name(message_words(_PLZ_RE.sub(" ", text)), False)
                if named and (both := [g for g in found if g in named.candidates]):
                    found = both
                return PlaceResult(True, found, "plz", text=text, matched=plz)
            if plz in self.register.foreign_plz:
                return PlaceResult(False, [], "outside", self.register.foreign_plz[plz], plz, text=text)
        return None

    def _spans(self, words: list[str], table: dict[str, list], standalone: bool) -> list[tuple[int, int, str]]:
        """Longest non-overlapping n-grams of ``words`` that are keys of ``table``."""
        taken = [False] * len(words)
        spans = []
        for n in range(min(MAX_NGRAM, len(words)), 0, -1):
            for i in range(len(words) - n + 1):
                if any(taken[i : i + n]):
                    continue
                key = " ".join(words[i : i + n])
                if key not in table:
                    continue
                after_prep = i > 0 and words[i - 1] in PLACE_PREPOSITIONS
                only_name = standalone and [w for w in words if w not in _FILLER] == words[i : i + n]
                if (key in self.common_words or len(key) <= 2) and not (only_name or after_prep):
                    continue
                spans.append((i, n, key))
                for j in range(i, i + n):
                    taken[j] = True
        return spans

    @staticmethod
    def _pick(spans: list[tuple[int, int, str]], words: list[str]) -> tuple[int, int, str]:
        """Several places named ("von Esslingen nach Fellbach"): the target after "nach/in" wins."""
        spans.sort()
        for i, n, key in reversed(spans):
            if i > 0 and words[i - 1] in {"nach", "in", "im", "bei"}:
                return i, n, key
        return spans[-1]

    def _by_name(self, words: list[str], standalone: bool) -> PlaceResult | None:
        spans = self._spans(words, self.primary, standalone)
        spans += [s for s in self._spans(words, self.alias, standalone) if not _overlaps(s, spans)]
        if not spans:
            return None
        _, _, key = self._pick(spans, words)
        if key in self.primary:
            found = list(self.primary[key])
            return PlaceResult(True, found, "name", matched=_display(key, found))
        found = list(self.alias[key])
        return PlaceResult(True, found, "alias", matched=_display(key, found))

    def _outside(self, words: list[str], standalone: bool) -> PlaceResult | None:
        content = [w for w in words if w not in _FILLER]
        spans = [
            s for s in self._spans(words, self.foreign, standalone)
            if content == words[s[0] : s[0] + s[1]] or (s[0] > 0 and words[s[0] - 1] in _OUTSIDE_PREPOSITIONS)
        ]
        if not spans:
            return None
        _, _, key = self._pick(spans, words)
        f = max(self.foreign[key], key=lambda p: p.einwohner)
        return PlaceResult(False, [], "outside", f.land, f.name)

    def _by_cyrillic(self, text: str) -> PlaceResult | None:
        """A BW (or other) place written in Cyrillic, declined or not ("у Штутгарті" -> Stuttgart).

        Exact spellings win over typo matches, likelier spellings over less likely ones, the first
        candidate over later ones. Places outside BW only for capitalised words or after a preposition,
        typo matches only for strong capitalised candidates (see
        :func:`bot.places.cyrillic.place_candidates`) and names of 5+ letters.
        """
        if not has_cyrillic(text):
            return None
        best: tuple[int, int, int, str] | None = None  # (distance, spelling rank, candidate, key)
        for order, cand in enumerate(place_candidates(text)):
            for stem in stems(cand.text):
                if stem.replace("-", " ") in self.cyrillic_alias:
                    found = list(self.cyrillic_alias[stem.replace("-", " ")])
                    return PlaceResult(True, found, "alias", matched=_display(fold(found[0].short_name), found))
                for rank, latin in enumerate(latin_variants(stem)):
                    key = fold(latin)
                    if len(key) < 3:
                        continue
                    outside = key in self.foreign and (cand.capital or cand.after_preposition)
                    if key in self.primary or key in self.alias or outside:
                        cand_best = (0, rank, order, key)
                    elif cand.strong and cand.capital and len(key) >= 5 and rank < MAX_FUZZY_VARIANTS:
                        near = sorted((d, k[:1] != key[:1], k) for k, d in self._fuzzy_index().lookup(key).items())
                        if not near:
                            continue
                        cand_best = (near[0][0], rank, order, near[0][2])
                    else:
                        continue
                    if best is None or cand_best < best:
                        best = cand_best
        if best is None:
            return None
        distance, _, _, key = best
        if key in self.primary:
            found = list(self.primary[key])
            return PlaceResult(True, found, "name" if distance == 0 else "fuzzy", matched=_display(key, found))
        if key in self.alias:
            found = list(self.alias[key])
            return PlaceResult(True, found, "alias" if distance == 0 else "fuzzy", matched=_display(key, found))
        f = max(self.foreign[key], key=lambda p: p.einwohner)
        return PlaceResult(False, [], "outside", f.land, f.name)

    def warm(self) -> None:
        """Build the lazy typo index and load the word-frequency list now (e.g. at server start)."""
        self._fuzzy_index()
        is_common_word("haus")

    def _fuzzy_index(self) -> FuzzyIndex:
        if self._fuzzy is None:
            self._fuzzy = FuzzyIndex([k for k in (*self.primary, *self.alias) if len(k) >= 5])
        return self._fuzzy

    def _fuzzy_match(self, words: list[str], standalone: bool) -> PlaceResult | None:
        """A place name with a small typo ("Fellbah", "Stutgart") — never an ordinary word.

        A single ordinary German word (see :func:`is_common_word`) is never changed into a place
        ("falsch" is not "Malsch"); a chunk of several words with an ordinary word in it needs one
        word that stands unchanged in the name ("Schwäbisch Hal" -> "Schwäbisch Hall").
        """
        starts = [i for i, w in enumerate(words) if w not in _FILLER] if standalone else [
            i + 1 for i, w in enumerate(words[:-1]) if w in PLACE_PREPOSITIONS
        ]
        best: tuple[int, int, str] | None = None  # (distance, -length, key)
        for i in starts:
            for n in (3, 2, 1):
                chunk_words = words[i : i + n]
                chunk = " ".join(chunk_words)
                if len(chunk_words) < n or len(chunk) < 5:
                    continue
                common = [w for w in chunk_words if is_common_word(w)]
                if n == 1 and common:
                    continue
                for key, dist in self._fuzzy_index().lookup(chunk).items():
                    if dist and common and not _anchored(chunk_words, key):
                        continue
                    cand = (dist, -len(key), key)
                    if best is None or cand < best:
                        best = cand
        if best is None:
            return None
        key = best[2]
        found = list(self.primary.get(key) or self.alias[key])
        return PlaceResult(True, found, "fuzzy", matched=_display(key, found))


def _display(key: str, found: list[Gemeinde]) -> str:
    """The matched name as citizens write it: the shared short name ("Altdorf"), else the key."""
    names = {g.short_name.split(" (")[0] for g in found}
    return names.pop() if len(names) == 1 else key.title()


def _anchored(chunk_words: list[str], key: str) -> bool:
    """True if a word of the chunk (3+ letters) stands unchanged in the place name ``key``."""
    names = set(key.split())
    return any(len(w) >= 3 and w in names for w in chunk_words)


def _add(table: dict[str, list[Gemeinde]], key: str, g: Gemeinde) -> None:
    if key and g not in table.setdefault(key, []):
        table[key].append(g)


def _overlaps(span: tuple[int, int, str], others: list[tuple[int, int, str]]) -> bool:
    i, n, _ = span
    return any(i < j + m and j < i + n for j, m, _ in others)
