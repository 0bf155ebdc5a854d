"""The compact lookup lemmatizer gives exactly spaCy's lookup lemmas, and Rasa's spacy.load finds it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from bot.nlp_lemmas import TABLE, CompactLemmaTable
from bot.nlp_setup import build


@pytest.fixture(scope="module")
def spacy_table():
    from spacy.lookups import load_lookups

    return load_lookups("de", [TABLE]).get_table(TABLE)


def test_every_entry_of_spacys_table_gives_the_same_lemma(spacy_table):
    compact = CompactLemmaTable.from_bytes(CompactLemmaTable.from_items(spacy_table.items()).to_bytes())
    assert len(compact) == len(spacy_table) > 300_000
    assert [k for k, v in spacy_table.items() if compact.get(k, None) != v] == []
    for word in ("Hunde", "Ämter", "gegangen", "Kindern"):
        assert compact.get(word, word) == spacy_table.get(word, word)


def test_a_word_not_in_the_table_keeps_its_form():
    table = CompactLemmaTable.from_items([("Hunde", "Hund"), ("Ämter", "Amt")])
    assert table.get("Hunde", "Hunde") == "Hund" and table.get("Ämter", "-") == "Amt"
    assert table.get("Fellbach", "Fellbach") == "Fellbach"
    assert CompactLemmaTable.from_items([]).get("Hund", "Hund") == "Hund"


def test_a_fresh_process_loads_the_pipeline_without_importing_our_code(tmp_path: Path):
    """Rasa's SpacyNLP only calls spacy.load: the factory must come from the package's entry point."""
    target, _ = build(tmp_path / "spacy_de")
    code = ("import sys, spacy; nlp = spacy.load(sys.argv[1]); "
            "print(' '.join(t.lemma_ for t in nlp('Die Hunde gingen zu den Ämtern')))")
    out = subprocess.run([sys.executable, "-c", code, str(target)], capture_output=True, text=True, timeout=120,
                         cwd=tmp_path)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.split() == ["der", "Hund", "gehen", "zu", "der", "Amt"]
