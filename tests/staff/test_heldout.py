"""Held-out sets must not repeat training data or catalogue synonyms."""

from __future__ import annotations

from pathlib import Path

from bot.staff.checks import CatalogueEntry
from bot.staff.checks_heldout import check_nlu_test_files, check_search_queries
from bot.staff.yaml_lines import Example


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def test_test_example_that_is_also_training_data_is_an_error(tmp_path):
    _write(tmp_path / "tests/nlu/test_nlu.yml", 'version: "3.1"\nnlu:\n- intent: thank\n  examples: |\n'
                                                  "    - danke schön für alles\n    - Vielen Dank!\n")
    training = [Example("data/nlu/smalltalk.yml", 7, "thank", "vielen dank", "vielen dank")]
    findings = check_nlu_test_files(tmp_path, training)
    assert len(findings) == 1
    f = findings[0]
    assert f.level == "FEHLER" and f.file == "tests/nlu/test_nlu.yml" and f.line == 6
    assert "data/nlu/smalltalk.yml:7" in f.text and "getrennt" in f.text


def test_search_query_that_is_a_catalogue_synonym_is_an_error(tmp_path):
    _write(tmp_path / "tests/eval/q.yml", 'queries:\n  - text: "mein perso ist weg"\n    expected: [personalausweis]\n'
                                          '  - text: "Perso verloren"\n    expected: [personalausweis_verlust]\n')
    entries = [CatalogueEntry("personalausweis_verlust", "Personalausweis verloren", ("Perso verloren",),
                              "data/catalogue/services/melde_pass.yml", 40)]
    findings = check_search_queries(tmp_path, entries)
    assert [(f.file, f.line) for f in findings] == [("tests/eval/q.yml", 4)]
    assert "personalausweis_verlust" in findings[0].text
