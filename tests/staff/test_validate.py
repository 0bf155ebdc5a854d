"""``bot validate``: every check is triggered by a broken fixture project (file, line and German text)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from plain_texts import add_plain_texts

from bot.cli import main
from bot.config import PROJECT_ROOT, data_dir
from bot.staff.checks_nlu import _near, _tokens, near_duplicates
from bot.staff.validate import collect
from bot.staff.yaml_lines import ERROR, WARNING, Example, parse_annotations

FIXTURES = Path(__file__).parent / "fixtures"
CAT = "data/catalogue/services/broken.yml"

# case: (level, file, line, expected text fragment)
CASES = {
    "duplicate_across_intents": (ERROR, "data/nlu/services.yml", 6,
                                 "steht bei Absicht 'search_service' und auch bei 'greet' (data/nlu/broken.yml:6)"),
    "duplicate_same_intent": (WARNING, "data/nlu/services.yml", 11, "steht doppelt bei Absicht 'greet'"),
    "near_duplicate": (WARNING, "data/nlu/services.yml", 8, "ist fast gleich wie „wo kann ich mich ummelden nach dem "
                       "umzug in eine andere wohnung?“ (Absicht 'greet', data/nlu/broken.yml:6"),
    "example_without_dash": (ERROR, "data/nlu/broken.yml", 6, "Zeile beginnt nicht mit „- “ und wird ignoriert"),
    "synonym_nowhere": (ERROR, "data/nlu/broken.yml", 6, "Synonym 'reisepas' verweist ins Leere"),
    "too_few_synonyms": (ERROR, CAT, 5, "Leistung 'hund_anmelden' hat nur 3 Synonyme; nötig sind mindestens 5"),
    "too_few_examples": (WARNING, CAT, 3, "Leistung 'hund_anmelden' kommt nur in 0 Trainingsbeispiel(en) der Absicht "
                         "'search_service' vor"),
    "missing_field": (ERROR, CAT, 3, "Leistung 'hund_anmelden': Pflichtfeld 'name' fehlt"),
    "wrong_type": (ERROR, CAT, 9, "Eintrag 2 in 'documents' ist kein Text (enthält der Text einen Doppelpunkt?"),
    "wrong_type_list": (ERROR, CAT, 6, "Feld 'synonyms' muss eine Liste von Texten sein"),
    "wrong_online": (ERROR, CAT, 7, "online muss 'ja', 'teilweise' oder 'nein' sein, nicht 'vielleicht'"),
    "servicebw_not_digits": (ERROR, CAT, 5, "servicebw_id 'S-123' ist keine Zahl"),
    "servicebw_unknown": (ERROR, CAT, 8, "servicebw_id 5000003 steht nicht als Leistung in services/servicebw_ids.csv"),
    "unknown_rule": (ERROR, CAT, 10, "Zuständigkeitsregel 'steueramt' gibt es in data/catalogue/responsibility.yml nicht"),
    "duplicate_id": (ERROR, "data/catalogue/services/melde.yml", 5,
                     "Leistung 'personalausweis': id doppelt (auch in data/catalogue/services/broken.yml:3)"),
    "invalid_yaml": (ERROR, CAT, 5, "kein gültiges YAML"),
    "no_services_key": (ERROR, CAT, 1, "Schlüssel 'services' mit einer Liste von Leistungen fehlt"),
    "longtail_unknown_rule": (ERROR, "data/catalogue/responsibility.yml", 9,
                              "Long-Tail-Muster verweist auf unbekannte Regel 'steueramt'"),
    "ags_alias_short": (ERROR, "data/places/aliases.yml", 3, "AGS '8111000' ist ungültig: ein AGS hat 8 Ziffern"),
    "ags_alias_unquoted": (ERROR, "data/places/aliases.yml", 2, "bitte in Anführungszeichen schreiben"),
    "ags_tenant_other_land": (ERROR, "config/tenants.yml", 7, "AGS '09162000' ist ungültig"),
    "ags_override_unknown": (ERROR, "data/catalogue/responsibility.yml", 11,
                             "AGS '08999999' ist keine Gemeinde im Gemeindeverzeichnis"),
    "response_missing_action": (ERROR, "actions/more.py", 6, "Antwort 'utter_office_hours' wird hier verwendet, "
                                "ist aber in domain/ nicht definiert"),
    "response_missing_rule": (ERROR, "data/rules/more.yml", 6, "Antwort 'utter_goodbye' wird hier verwendet"),
}


def project(tmp_path: Path, case: str | None = None) -> Path:
    root = tmp_path / "projekt"
    shutil.copytree(FIXTURES / "base", root)
    if case:
        shutil.copytree(FIXTURES / "broken" / case, root, dirs_exist_ok=True)
        add_plain_texts(root)  # the Leistung a case adds needs a Leichte-Sprache text like any other
    return root


def run(root: Path, capsys: pytest.CaptureFixture) -> tuple[int, list[str]]:
    code = main(["validate", "--project", str(root), "--no-rasa"])
    return code, capsys.readouterr().out.splitlines()


def test_every_broken_fixture_has_a_case() -> None:
    assert {p.name for p in (FIXTURES / "broken").iterdir()} == set(CASES)


def test_base_fixture_is_clean(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    code, out = run(project(tmp_path), capsys)
    assert code == 0
    assert out == ["Ergebnis: 0 Fehler, 0 Warnungen. Rasa-Prüfung: übersprungen (--no-rasa)."]


@pytest.mark.parametrize("case", sorted(CASES))
def test_broken_fixture_is_reported(case: str, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    level, file, line, text = CASES[case]
    code, out = run(project(tmp_path, case), capsys)
    prefix = f"{level} {file}:{line}: "
    assert any(row.startswith(prefix) and text in row for row in out), "\n".join(out)
    errors = [row for row in out if row.startswith(ERROR)]
    # exactly the one intended error (the new test service may add a "too few examples" warning)
    assert len(errors) == (1 if level == ERROR else 0), "\n".join(out)
    assert code == (1 if level == ERROR else 0)
    assert out[-1 if level == WARNING else -2].startswith(f"Ergebnis: {len(errors)} Fehler")


@pytest.mark.parametrize(("remove", "expected"), [
    ("data/catalogue/responsibility.yml", "FEHLER data/catalogue/responsibility.yml: Datei fehlt"),
    ("data/catalogue/services/melde.yml", "FEHLER data/catalogue/services: keine Katalogdateien (*.yml) gefunden"),
    ("data/nlu/services.yml", "FEHLER data/nlu: keine NLU-Dateien (*.yml) gefunden"),
    ("domain/domain.yml", "FEHLER domain: keine Domain-Dateien gefunden"),
])
def test_missing_files_are_reported(remove: str, expected: str, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    root = project(tmp_path)
    (root / remove).unlink()
    code, out = run(root, capsys)
    assert code == 1
    assert expected in out, "\n".join(out)


def test_missing_project_dir(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    assert main(["validate", "--project", str(tmp_path / "fehlt"), "--no-rasa"]) == 2
    assert "Projektverzeichnis nicht gefunden" in capsys.readouterr().err


def test_annotations_are_removed_with_spans() -> None:
    text, entities = parse_annotations('mein [Perso](service) in [Ulm]{"entity": "place", "value": "08421000"}')
    assert text == "mein Perso in Ulm"
    assert [(e.start, e.end, e.entity, e.value) for e in entities] == [
        (5, 10, "service", "Perso"), (14, 17, "place", "08421000")]


def test_near_duplicates_match_brute_force() -> None:
    texts = [
        ("ich möchte meinen personalausweis verlängern lassen", "search_service"),
        ("ich möchte meinen personalausweis verlängern lasen", "ask_documents"),  # typo: difflib
        ("verlängern lassen möchte ich meinen personalausweis", "ask_fees"),  # same words: Jaccard
        ("wie lange dauert es bis der pass fertig ist", "ask_appointment"),
        ("ganz anders formulierte frage zum thema müll", "out_of_scope"),
    ]
    examples = [Example("x.yml", i, intent, text, text) for i, (text, intent) in enumerate(texts, 1)]
    found = {(a.line, b.line) for a, b, _ in near_duplicates(examples)}
    folded = [" ".join(_tokens(t)) for t, _ in texts]
    brute = {(i + 1, j + 1) for i in range(len(texts)) for j in range(i + 1, len(texts))
             if _near(folded[i], folded[j])}
    assert found == brute
    assert {(1, 2), (1, 3)} <= found


def test_real_project_has_no_errors() -> None:
    # Its speed is not asserted here (timing belongs in measuring scripts, not unit tests).
    findings = collect(PROJECT_ROOT, data_dir())
    assert [str(f) for f in findings if f.level == ERROR] == []


@pytest.mark.slow
def test_real_project_with_rasa(capsys: pytest.CaptureFixture) -> None:
    assert main(["validate"]) == 0, capsys.readouterr().out
    assert "Rasa-Prüfung: bestanden" in capsys.readouterr().out
