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


def test_near_duplicates_are_caught_after_normalising(tmp_path):
    from bot.staff.checks_heldout import check_heldout

    _write(tmp_path / "tests/nlu/test_nlu.yml", 'version: "3.1"\nnlu:\n- intent: ask_fees\n  examples: |\n'
                                                  "    - Was kostet das eig?\n    - Wie teuer wird die Zulassung für mein Motorrad\n")
    _write(tmp_path / "tests/conversations/a.yml",
           'conversations:\n  - id: a\n    turns:\n      - {user: "WAFFENSCHEIN beantragen!", type: first, service: x}\n'
           '      - {user: "Was kostet das?", quoted: "issue 9", type: fees, service: x}\n')
    training = [Example("data/nlu/questions.yml", 3, "ask_fees", "was kostet das", "was kostet das")]
    entries = [CatalogueEntry("reisepass", "Reisepass beantragen", ("Pass verlängern",), "c.yml", 2)]
    findings = check_heldout(tmp_path, training, entries, [("sbw-1091", "Waffenschein beantragen")])
    by_line = {(f.file, f.line): f for f in findings}
    assert set(by_line) == {("tests/nlu/test_nlu.yml", 5), ("tests/conversations/a.yml", 4),
                            ("tests/conversations/a.yml", 5)}
    assert "fast gleich" in by_line["tests/nlu/test_nlu.yml", 5].text
    assert "sbw-1091" in by_line["tests/conversations/a.yml", 4].text
    assert by_line["tests/conversations/a.yml", 5].level == "WARNUNG"  # quoted from an issue, visible


def test_near_duplicate_index_is_fast_enough():
    import time

    from bot.staff.checks_heldout import Item, NearIndex

    words = ["ausweis", "pass", "hund", "auto", "müll", "kita", "steuer", "gewerbe", "wohnung", "urkunde"]
    learned = [Item(f"ich brauche {a} und {b} nummer {i}", "x", "t") for i in range(60) for a in words[:5] for b in words]
    index = NearIndex(learned)
    start = time.perf_counter()
    hits = [index.best(f"wie bekomme ich {a} für {b} bis {i}") for i in range(100) for a in words[:5] for b in words[5:7]]
    assert time.perf_counter() - start < 15  # 3,000 x 1,000 texts; all-pairs ratio() would take minutes
    assert index.best("ich brauche ausweis und hund nummer 17") is not None
    assert hits.count(None) == len(hits)


def test_search_query_copy_is_an_error_and_spelling_variant_a_warning(tmp_path):
    from bot.staff.checks_heldout import check_heldout

    _write(tmp_path / "tests/eval/q.yml", 'queries:\n  - text: "Waffenschein beantragen"\n    expected: [sbw-1091]\n'
                                          '  - text: "waffenschien beantragen"\n    expected: [sbw-1091]\n'
                                          '  - text: "ich brauche eine meldebestätigung"\n    expected: [x]\n')
    training = [Example("data/nlu/a.yml", 3, "search_service", "ich brauche eine meldebestätigung", "x")]
    findings = check_heldout(tmp_path, training, [], [("sbw-1091", "Waffenschein beantragen")])
    # the search does not learn from NLU training data: the third query is fine
    assert [(f.line, f.level) for f in findings] == [(2, "FEHLER"), (4, "WARNUNG")]


def test_ukrainian_and_turkish_examples_are_compared_by_all_their_words(tmp_path):
    """Cyrillic is not dropped: two Ukrainian sentences sharing only "Meldebescheinigung" are different, a
    copy is still caught; Turkish dotless ı counts as i."""
    _write(tmp_path / "tests/nlu/test_nlu_uk.yml", 'version: "3.1"\nnlu:\n- intent: search_service\n  examples: |\n'
                                                     "    - в банку просять Meldebescheinigung\n"
                                                     "    - Де отримати Meldebescheinigung?\n")
    _write(tmp_path / "tests/nlu/test_nlu_tr.yml", 'version: "3.1"\nnlu:\n- intent: search_service\n  examples: |\n'
                                                     "    - ehliyetimi kaybettım\n")
    training = [Example("data/nlu_i18n/uk/services.yml", 3, "search_service", "де отримати meldebescheinigung",
                        "де отримати meldebescheinigung"),
                Example("data/nlu/x.yml", 4, "search_service", "meldebescheinigung", "meldebescheinigung"),
                Example("data/nlu_i18n/tr/services.yml", 5, "search_service", "ehliyetimi kaybettim",
                        "ehliyetimi kaybettim")]
    findings = check_nlu_test_files(tmp_path, training)
    assert sorted((f.file, f.line) for f in findings) == [("tests/nlu/test_nlu_tr.yml", 5),
                                                         ("tests/nlu/test_nlu_uk.yml", 6)]
