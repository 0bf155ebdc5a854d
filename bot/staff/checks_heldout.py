"""Held-out evaluation sets must stay separate from what the model and the search learn from.

A test example that also stands in the training data measures memory, not understanding; a search
query that is literally a catalogue synonym measures nothing. Both are FEHLER.
"""

from __future__ import annotations

import re
from pathlib import Path

from bot.staff.checks import CatalogueEntry
from bot.staff.yaml_lines import ERROR, Example, Finding, YamlFileError, line_of, load_yaml, read_examples, rel
from bot.text import fold

_PUNCT = re.compile(r"[^\w\s]")


def _key(text: str) -> str:
    """Compare ignoring case, punctuation and spacing ("Danke!" = "danke")."""
    return " ".join(_PUNCT.sub(" ", text.lower()).split())


def check_nlu_test_files(root: Path, training: list[Example]) -> list[Finding]:
    seen = {_key(e.text): e for e in training}
    findings: list[Finding] = []
    for path in sorted((root / "tests" / "nlu").glob("*.yml")):
        examples, problems = read_examples(path, root)
        findings += problems
        for ex in examples:
            if (twin := seen.get(_key(ex.text))) is not None:
                findings.append(Finding(ERROR, ex.file, ex.line,
                                        f"Testbeispiel „{ex.text[:60]}“ steht auch in den Trainingsdaten ({twin.where}); "
                                        "Test- und Trainingsdaten müssen getrennt sein"))
    return findings


def check_search_queries(root: Path, entries: list[CatalogueEntry]) -> list[Finding]:
    synonyms = {fold(s): e for e in entries for s in (e.name, *e.synonyms)}
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
            if text and (entry := synonyms.get(fold(text))) is not None:
                findings.append(Finding(ERROR, rel(path, root), line_of(item, "text"),
                                        f"Suchanfrage „{text[:60]}“ ist wörtlich ein Name/Synonym von "
                                        f"„{entry.id}“ ({entry.file}:{entry.line}); Testanfragen müssen eigene Formulierungen sein"))
    return findings
