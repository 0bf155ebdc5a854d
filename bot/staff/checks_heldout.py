"""Held-out evaluation sets must stay separate from what the model and the search learn from.

A test example that (almost) stands in the training data measures memory, not understanding; a
search query that is (almost) a catalogue synonym measures nothing. Held out are the NLU test files
(``tests/nlu``), the conversation suite (``tests/conversations``) and the search queries
(``tests/eval``); learned from are the NLU training data, the catalogue names and synonyms and the
long-tail service names of the service-bw list. A pair is a near-duplicate when the texts, after
normalising (case, umlauts, punctuation, spacing), have a character similarity
(``difflib.SequenceMatcher.ratio``) of at least ``NEAR_DUPLICATE``. Each is a FEHLER — except for
search queries, which only the search sees (not the NLU): there a copy of a name or synonym is a
FEHLER, a near-duplicate (a deliberate typo or spelling variant tests the fuzzy matching) a WARNUNG.

Thousands × thousands of pairs stay fast: a length window and a character-count bound (an upper
bound of the ratio, computed for all candidates at once with numpy) leave only a few pairs for
``SequenceMatcher``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from difflib import SequenceMatcher
from pathlib import Path

from bot.staff.checks import CatalogueEntry
from bot.staff.yaml_lines import ERROR, WARNING, Example, Finding, YamlFileError, line_of, load_yaml, read_examples, rel
from bot.text import fold

NEAR_DUPLICATE = 0.85
#: Cyrillic letters are kept (the Ukrainian test and training files): ``fold`` alone drops them, and a
#: Ukrainian sentence would be compared by its few Latin words only.
_CYRILLIC = "абвгґдеєжзиіїйклмнопрстуфхцчшщьюяыэёъ"
_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789" + _CYRILLIC + " "
_INDEX = {ch: i for i, ch in enumerate(_ALPHABET)}
_CYRILLIC_RUN = re.compile(f"[{_CYRILLIC}]+")


def normalise(text: str) -> str:
    """Casefold, umlauts spelt out, punctuation and repeated spaces removed ("Grüß Gott!" = "gruess gott").

    Turkish dotless ı counts as i; Cyrillic words stay as they are ("Скільки коштує Perso?" =
    "скільки коштує perso").
    """
    lowered = text.lower().replace("ı", "i")
    parts: list[str] = []
    last = 0
    for run in _CYRILLIC_RUN.finditer(lowered):
        parts += [fold(lowered[last:run.start()]), run.group()]
        last = run.end()
    parts.append(fold(lowered[last:]))
    return " ".join(" ".join(parts).split())


@dataclass(frozen=True)
class Item:
    """A text with where it stands and what it is (for the message)."""

    text: str
    where: str
    kind: str


class NearIndex:
    """The learned-from texts, sorted by length, with their character counts as one matrix."""

    def __init__(self, items: Iterable[Item], threshold: float = NEAR_DUPLICATE) -> None:
        import numpy as np  # noqa: PLC0415 - only staff checks need it

        self.np = np
        self.threshold = threshold
        unique: dict[str, Item] = {}
        for item in items:
            if key := normalise(item.text):
                unique.setdefault(key, item)
        ordered = sorted(unique.items(), key=lambda kv: len(kv[0]))
        self.keys = [k for k, _ in ordered]
        self.items = [v for _, v in ordered]
        self.lengths = np.array([len(k) for k in self.keys], dtype=np.int32)
        self.counts = np.zeros((len(self.keys), len(_ALPHABET)), dtype=np.int16)
        for row, key in enumerate(self.keys):
            for ch in key:
                self.counts[row, _INDEX.get(ch, len(_ALPHABET) - 1)] += 1

    def best(self, text: str) -> tuple[Item, float] | None:
        """The most similar learned text at or above the threshold, or None."""
        key = normalise(text)
        if not key or not self.keys:
            return None
        t = self.threshold
        n = len(key)
        lo = int(self.np.searchsorted(self.lengths, int(n * t / (2 - t) - 1e-9), side="left"))
        hi = int(self.np.searchsorted(self.lengths, int(n * (2 - t) / t + 1e-9), side="right"))
        if lo >= hi:
            return None
        vec = self.np.zeros(len(_ALPHABET), dtype=self.np.int16)
        for ch in key:
            vec[_INDEX.get(ch, len(_ALPHABET) - 1)] += 1
        common = self.np.minimum(self.counts[lo:hi], vec).sum(axis=1)
        bound = 2.0 * common / (n + self.lengths[lo:hi])
        candidates = self.np.nonzero(bound >= t - 1e-9)[0]
        if not len(candidates):
            return None
        matcher = SequenceMatcher(None, autojunk=False)
        matcher.set_seq2(key)
        best: tuple[Item, float] | None = None
        for offset in candidates[self.np.argsort(-bound[candidates], kind="stable")]:
            if best is not None and bound[offset] <= best[1]:
                break
            row = lo + int(offset)
            matcher.set_seq1(self.keys[row])
            score = 1.0 if self.keys[row] == key else matcher.ratio()
            if score >= t and (best is None or score > best[1]):
                best = (self.items[row], score)
        return best


def learned_items(training: list[Example], entries: list[CatalogueEntry], longtail_names: Iterable[tuple[str, str]]
                  ) -> list[Item]:
    items = [Item(ex.text, ex.where, f"Trainingsbeispiel ({ex.intent})") for ex in training]
    items += [Item(s, f"{e.file}:{e.line}", f"Name/Synonym von „{e.id}“") for e in entries for s in (e.name, *e.synonyms)]
    items += [Item(name, "servicebw_ids.csv", f"Long-Tail-Name „{sid}“") for sid, name in longtail_names]
    return items


def _finding(file: str, line: int, what: str, text: str, twin: Item, score: float) -> Finding:
    same = "steht auch" if score >= 0.999 else f"ist fast gleich (Ähnlichkeit {score:.2f})"
    return Finding(ERROR, file, line,
                   f"{what} „{text[:60]}“ {same} wie {twin.kind} „{twin.text[:60]}“ ({twin.where}); "
                   "Test- und Trainingsdaten müssen getrennt sein — bitte eigene Formulierung")


def check_nlu_test_files(root: Path, training: list[Example], index: NearIndex | None = None) -> list[Finding]:
    index = index or NearIndex(learned_items(training, [], []))
    findings: list[Finding] = []
    for path in sorted((root / "tests" / "nlu").glob("*.yml")):
        examples, problems = read_examples(path, root)
        findings += problems
        for ex in examples:
            if (hit := index.best(ex.text)) is not None:
                findings.append(_finding(ex.file, ex.line, "Testbeispiel", ex.text, *hit))
    return findings


def check_conversation_suite(root: Path, index: NearIndex) -> list[Finding]:
    from bot.staff.conversations import suite_texts  # noqa: PLC0415

    folder = root / "tests" / "conversations"
    findings = []
    for text, file, line, quoted in suite_texts(folder):
        if (hit := index.best(text)) is not None:
            finding = _finding(f"tests/conversations/{file}", line, "Gesprächsschritt", text, *hit)
            if quoted:  # a transcript quoted from an issue stays as the citizen typed it, visibly
                finding = Finding(WARNING, finding.file, finding.line,
                                  finding.text.split(" — ")[0] + " — wörtlich aus einem Issue zitiert (quoted), bewusst behalten")
            findings.append(finding)
    return findings


def check_search_queries(root: Path, entries: list[CatalogueEntry], index: NearIndex | None = None) -> list[Finding]:
    index = index or NearIndex(learned_items([], entries, []))
    findings: list[Finding] = []
    for path in sorted((root / "tests" / "eval").glob("*.yml")):
        try:
            doc = load_yaml(path, root)
        except YamlFileError as exc:
            findings.append(exc.finding)
            continue
        queries = doc.get("queries") if isinstance(doc, dict) else None
        for item in queries or []:
            text = str(item.get("text", "")) if isinstance(item, dict) else ""
            if text and (hit := index.best(text)) is not None:
                finding = _finding(rel(path, root), line_of(item, "text"), "Suchanfrage", text, *hit)
                if hit[1] < 0.999:  # spelling and typo variants of a name test the fuzzy matching: review
                    finding = Finding(WARNING, finding.file, finding.line, finding.text.replace(
                        "Test- und Trainingsdaten müssen getrennt sein — bitte eigene Formulierung",
                        "misst fast nur das Wiedererkennen des Namens — bitte prüfen"))
                findings.append(finding)
    return findings


def check_heldout(root: Path, training: list[Example], entries: list[CatalogueEntry],
                  longtail_names: Iterable[tuple[str, str]] = ()) -> list[Finding]:
    """NLU test sets and the conversation suite against NLU training data, catalogue names and synonyms
    and long-tail names; search queries against what the search knows (names, synonyms, long tail)."""
    longtail_names = list(longtail_names)
    everything = NearIndex(learned_items(training, entries, longtail_names))
    catalogue = NearIndex(learned_items([], entries, longtail_names))
    return (check_nlu_test_files(root, training, everything) + check_conversation_suite(root, everything)
            + check_search_queries(root, entries, catalogue))
