"""The embedded German pipeline splits Turkish case endings off place names ("Stuttgart'ta")."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import PROJECT_ROOT
from bot.nlp_setup import build


@pytest.fixture(scope="module")
def nlp():
    import spacy

    path = PROJECT_ROOT / "build" / "spacy_de"
    build(path)  # up to date after make setup: returns at once
    return spacy.load(path)


@pytest.mark.parametrize(("text", "tokens"), [
    ("Stuttgart'ta oturuyorum", ["Stuttgart", "'ta", "oturuyorum"]),
    ("ben Ludwigsburg’luyum", ["ben", "Ludwigsburg", "’luyum"]),
    ("Kirchheim unter Teck'te", ["Kirchheim", "unter", "Teck", "'te"]),
    ("Ich brauche einen Personalausweis.", ["Ich", "brauche", "einen", "Personalausweis", "."]),
    ("Baden-Württemberg'de", ["Baden-Württemberg", "'de"]),
])
def test_tokens(nlp, text: str, tokens: list[str]) -> None:
    assert [t.text for t in nlp(text)] == tokens


def test_a_pipeline_built_with_other_tokenizer_rules_is_rebuilt(tmp_path: Path) -> None:
    target = tmp_path / "spacy_de"
    build(target)
    stamp = target / "bot_source.json"
    stamp.write_text(stamp.read_text().replace("apostrophe-suffix-1", "old"))
    build(target)
    assert "apostrophe-suffix-1" in stamp.read_text()
