"""Checks on the NLU training data: duplicates, near-duplicates, synonyms, examples per service.

Near-duplicates are found without comparing every pair: candidates share a bucket (the same set of
words, or the same first or last characters), so ~2,600 examples take well under a second.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from difflib import SequenceMatcher

from bot.staff.checks import CatalogueEntry
from bot.staff.yaml_lines import ERROR, WARNING, Example, Finding, normalise

SERVICE_INTENT = "search_service"
SERVICE_ENTITY = "service"
MIN_SERVICE_EXAMPLES = 2
NEAR_RATIO = 0.93
NEAR_JACCARD = 0.9
_BLOCK = 8  # characters of the prefix/suffix buckets
_MIN_RATIO_LEN = 14  # shorter texts cannot reach NEAR_RATIO without being identical
_WORD = re.compile(r"\w+")


def _quote(text: str, limit: int = 70) -> str:
    return "„" + (text if len(text) <= limit else text[: limit - 1] + "…") + "“"


def check_duplicates(examples: list[Example]) -> list[Finding]:
    """The same example (case, spaces and annotations ignored) twice: across intents FEHLER, else WARNUNG."""
    first: dict[str, Example] = {}
    findings: list[Finding] = []
    for ex in examples:
        key = normalise(ex.text)
        other = first.setdefault(key, ex)
        if other is ex:
            continue
        if other.intent != ex.intent:
            findings.append(Finding(ERROR, ex.file, ex.line,
                                    f"Beispiel {_quote(ex.text)} steht bei Absicht '{ex.intent}' und auch bei "
                                    f"'{other.intent}' ({other.where}). Ein Beispiel darf nur zu einer Absicht gehören."))
        else:
            findings.append(Finding(WARNING, ex.file, ex.line,
                                    f"Beispiel {_quote(ex.text)} steht doppelt bei Absicht '{ex.intent}' "
                                    f"(auch {other.where}); eines genügt."))
    return findings


def _tokens(text: str) -> tuple[str, ...]:
    return tuple(_WORD.findall(text.lower()))


def near_duplicates(examples: list[Example]) -> Iterable[tuple[Example, Example, float]]:
    """Pairs of examples under different intents that are almost the same text."""
    unique: dict[str, Example] = {}
    for ex in examples:
        unique.setdefault(normalise(ex.text), ex)  # identical texts are check_duplicates' business
    items = list(unique.values())
    folded = [" ".join(_tokens(ex.text)) for ex in items]
    buckets: dict[tuple, list[int]] = defaultdict(list)
    for i, text in enumerate(folded):
        buckets["set", frozenset(text.split())].append(i)
        if len(text) >= _MIN_RATIO_LEN:
            buckets["head", text[:_BLOCK]].append(i)
            buckets["tail", text[-_BLOCK:]].append(i)
    seen: set[tuple[int, int]] = set()
    for members in buckets.values():
        for pos, i in enumerate(members):
            for j in members[pos + 1:]:
                if items[i].intent == items[j].intent or (i, j) in seen:
                    continue
                seen.add((i, j))
                score = _near(folded[i], folded[j])
                if score:
                    yield items[i], items[j], score


def _near(a: str, b: str) -> float:
    ta, tb = set(a.split()), set(b.split())
    jaccard = len(ta & tb) / len(ta | tb) if ta | tb else 1.0
    if jaccard >= NEAR_JACCARD:
        return jaccard
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    if matcher.real_quick_ratio() < NEAR_RATIO or matcher.quick_ratio() < NEAR_RATIO:
        return 0.0
    ratio = matcher.ratio()
    return ratio if ratio >= NEAR_RATIO else 0.0


def check_near_duplicates(examples: list[Example]) -> list[Finding]:
    findings = []
    for a, b, score in near_duplicates(examples):
        later, earlier = (b, a) if (a.file, a.line) <= (b.file, b.line) else (a, b)
        findings.append(Finding(
            WARNING, later.file, later.line,
            f"Beispiel {_quote(later.text)} (Absicht '{later.intent}') ist fast gleich wie {_quote(earlier.text)} "
            f"(Absicht '{earlier.intent}', {earlier.where}; Ähnlichkeit {score:.2f}). "
            "Fast gleiche Sätze mit verschiedenen Absichten verwirren das Modell."))
    return sorted(findings, key=lambda f: (f.file, f.line))


def check_synonyms(synonyms: list[tuple[str, str, int]], examples: list[Example], service_ids: set[str]) -> list[Finding]:
    """``synonym:`` entries must map to a catalogue id or to a value some annotated entity uses."""
    used = {e.value for ex in examples for e in ex.entities if e.value != e.text}
    findings = []
    for file, value, line in synonyms:
        if value not in service_ids and value not in used:
            findings.append(Finding(ERROR, file, line,
                                    f"Synonym '{value}' verweist ins Leere: '{value}' ist keine Leistungs-id im Katalog "
                                    "und kein Wert einer annotierten Entität."))
    return findings


def service_example_counts(entries: list[CatalogueEntry], examples: list[Example]) -> dict[str, int]:
    """How many search_service examples annotate each curated service (by name, synonym or id)."""
    by_word: dict[str, set[str]] = defaultdict(set)
    for entry in entries:
        for word in (entry.name, *entry.synonyms, entry.id):
            by_word[normalise(word)].add(entry.id)
    counts = dict.fromkeys((e.id for e in entries), 0)
    for ex in examples:
        if ex.intent != SERVICE_INTENT:
            continue
        hit: set[str] = set()
        for ent in ex.entities:
            if ent.entity == SERVICE_ENTITY:
                hit |= by_word.get(normalise(ent.text), set()) | by_word.get(normalise(ent.value), set())
        for sid in hit:
            counts[sid] += 1
    return counts


def check_service_examples(entries: list[CatalogueEntry], examples: list[Example]) -> list[Finding]:
    counts = service_example_counts(entries, examples)
    return [
        Finding(WARNING, e.file, e.line,
                f"Leistung '{e.id}' kommt nur in {counts[e.id]} Trainingsbeispiel(en) der Absicht '{SERVICE_INTENT}' "
                f"vor (empfohlen: mindestens {MIN_SERVICE_EXAMPLES}). Ergänzen Sie in data/nlu/services_*.yml Sätze "
                f"mit dem Namen oder einem Synonym als [Text](service).")
        for e in entries if counts[e.id] < MIN_SERVICE_EXAMPLES
    ]

