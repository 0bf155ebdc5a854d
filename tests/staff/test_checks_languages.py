"""``bot validate`` on the Leichte-Sprache texts: each broken fixture yields its German finding with file:line."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.cli import main
from bot.staff.checks_languages import numbers, sentences, word_count
from bot.staff.yaml_lines import ERROR, WARNING

FIXTURES = Path(__file__).parent / "fixtures"
BROKEN = Path(__file__).parent / "fixtures_languages"
LS = "data/catalogue/languages/de-LS/melde.yml"
CAT = "data/catalogue/services/melde.yml"

# case: (level, file, line, expected text fragment); None = the case must be clean
CASES = {
    "missing_text": (ERROR, CAT, 28, "Leistung 'wohnsitz_anmelden' hat keinen Text in Leichter Sprache "
                     "(data/catalogue/languages/de-LS/melde.yml)"),
    "missing_field": (ERROR, LS, 6, "Leistung 'personalausweis': Pflichtfeld 'fee' fehlt"),
    "unknown_id": (ERROR, LS, 28, "Leistung 'reisepass' gibt es in data/catalogue/services/melde.yml nicht"),
    "long_sentence": (ERROR, LS, 9, "Leistung 'personalausweis', summary: Satz mit 18 Wörtern (höchstens 15)"),
    "abbreviation": (ERROR, LS, 11, "Abkürzung „z. B.“ bitte ausschreiben"),
    "time_not_in_standard": (ERROR, LS, 16, "processing_time gibt es im Standardtext (data/catalogue/services/melde.yml) "
                             "nicht"),
    "time_missing": (ERROR, LS, 6, "Leistung 'personalausweis': processing_time fehlt"),
    "invented_amount": (ERROR, LS, 16, "Leistung 'personalausweis', fee: die Zahl 59 steht nicht in der Angabe des "
                        "Standardtexts"),
    "documents_empty": (ERROR, LS, 10, "documents ist leer, der Standardtext nennt 1 Unterlage(n)"),
    "wrong_language_key": (ERROR, LS, 1, "language muss 'de-LS' sein (wie der Ordner)"),
    "not_text": (ERROR, LS, 5, "Eintrag 1 in 'fee' ist kein Text (enthält der Satz einen Doppelpunkt?"),
    "unknown_language": (ERROR, "data/catalogue/languages/fr", 0, "Sprache 'fr' gibt es nicht; möglich: de-LS, en, tr, uk"),
    "no_topic_file": (ERROR, "data/catalogue/languages/de-LS/kfz.yml", 1,
                      "zu dieser Datei gibt es keine data/catalogue/services/kfz.yml"),
    "documents_count": (WARNING, LS, 10, "2 Unterlage(n), der Standardtext nennt 1"),
    "response_unknown_language": (ERROR, "domain/domain.yml", 12, "Antwort 'utter_greet': Sprache 'de-ls' gibt es nicht"),
    "response_long_sentence": (ERROR, "domain/domain.yml", 13, "Antwort 'utter_greet' (Leichte Sprache): Satz mit "
                               "16 Wörtern"),
    "time_in_words": None,  # "drei Wochen" in the standard text is "3 Wochen" in Leichter Sprache
}


def run(tmp_path: Path, case: str | None, capsys: pytest.CaptureFixture) -> tuple[int, list[str]]:
    root = tmp_path / "projekt"
    shutil.copytree(FIXTURES / "base", root)
    if case:
        shutil.copytree(BROKEN / case, root, dirs_exist_ok=True)
    code = main(["validate", "--project", str(root), "--no-rasa"])
    return code, capsys.readouterr().out.splitlines()


def test_every_fixture_has_a_case() -> None:
    assert {p.name for p in BROKEN.iterdir()} == set(CASES)


@pytest.mark.parametrize("case", sorted(CASES))
def test_broken_text_is_reported_with_file_and_line(case: str, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    code, out = run(tmp_path, case, capsys)
    if CASES[case] is None:
        assert code == 0 and out[-1].startswith("Ergebnis: 0 Fehler, 0 Warnungen"), "\n".join(out)
        return
    level, file, line, text = CASES[case]
    prefix = f"{level} {file}:{line}: " if line else f"{level} {file}: "
    assert any(row.startswith(prefix) and text in row for row in out), "\n".join(out)
    errors = [row for row in out if row.startswith(ERROR)]
    assert len(errors) == (1 if level == ERROR else 0), "\n".join(out)
    assert code == (1 if level == ERROR else 0)


def test_a_topic_without_its_file_reports_every_leistung(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    root = tmp_path / "projekt"
    shutil.copytree(FIXTURES / "base", root)
    (root / LS).unlink()
    code, out = run_existing(root, capsys)
    missing = [row for row in out if "hat keinen Text in Leichter Sprache" in row]
    assert code == 1 and len(missing) == 2, "\n".join(out)
    assert missing[0].startswith(f"FEHLER {CAT}:5: Leistung 'personalausweis'")


def run_existing(root: Path, capsys: pytest.CaptureFixture) -> tuple[int, list[str]]:
    code = main(["validate", "--project", str(root), "--no-rasa"])
    return code, capsys.readouterr().out.splitlines()


def test_sentences_end_at_a_full_stop_but_not_after_an_ordinal() -> None:
    assert sentences("Seit dem 1. Januar 2024 gibt es ihn nicht. Ist das Ihr 1. Ausweis? Dann ja.") == [
        "Seit dem 1. Januar 2024 gibt es ihn nicht.", "Ist das Ihr 1. Ausweis?", "Dann ja."]
    assert sentences("Das gilt für die Klasse 1. Danach kommt Klasse 2.") == [
        "Das gilt für die Klasse 1.", "Danach kommt Klasse 2."]
    assert word_count("Ein Pass-Foto – digital, bitte.") == 4


def test_amounts_with_cents_match_the_plain_wording() -> None:
    # "27,60 Euro" in the standard text is "27 Euro und 60 Cent" in Leichter Sprache
    assert numbers("Dann kostet er 27 Euro und 60 Cent.") <= numbers("27,60 Euro (unter 24 Jahren)")
    assert numbers("in der Regel drei Monate", words=True) == {3}
    assert 59 not in numbers("46,00 Euro; außerhalb der Dienstzeit 13 Euro mehr", words=True)
