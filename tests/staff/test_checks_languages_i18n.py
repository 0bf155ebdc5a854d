"""``bot validate`` on English, Turkish and Ukrainian: the most-asked Leistungen need a text (FEHLER),
the others are one WARNUNG per language; responses with a Leichte-Sprache variant need en/tr/uk variants
(WARNUNG for now); every language variant keeps the official German names."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.cli import main
from bot.config import PROJECT_ROOT
from bot.staff.checks import load_catalogue
from bot.staff.checks_languages import MOST_ASKED_FILE, MOST_ASKED_MIN, most_asked
from bot.staff.yaml_lines import ERROR, WARNING

FIXTURES = Path(__file__).parent / "fixtures"
CAT = "data/catalogue/services/melde.yml"
PERSO = """  personalausweis:
    name: Get a new identity card
    summary: [You apply for the card at your municipality., You have to go there in person.]
    documents: [A current biometric passport photo.]
    online: [This is not possible online.]
    fee: [The card costs 46 euros.]
"""
WOHNSITZ = """  wohnsitz_anmelden:
    name: Register your address
    summary: [Did you move? Then register your new address., You have two weeks for this.]
    documents: []
    online: [Part of it is possible online.]
    fee: [This is free of charge.]
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "projekt"
    shutil.copytree(FIXTURES / "base", root)
    return root


def write_texts(root: Path, language: str, *entries: str) -> None:
    folder = root / "data" / "catalogue" / "languages" / language
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "melde.yml").write_text(f'language: {language}\nstand: "2026-12-02"\nsource: "Testdaten"\n'
                                      f"services:\n{''.join(entries)}", encoding="utf-8")


def write_list(root: Path, *ids: str) -> None:
    (root / MOST_ASKED_FILE).write_text("services:\n" + "".join(f"  - {i}\n" for i in ids), encoding="utf-8")


def validate(root: Path, capsys: pytest.CaptureFixture) -> tuple[int, list[str]]:
    code = main(["validate", "--project", str(root), "--no-rasa"])
    return code, [row for row in capsys.readouterr().out.splitlines() if row.startswith((ERROR, WARNING))]


def test_a_most_asked_leistung_without_a_text_is_an_error(project: Path, capsys) -> None:
    write_list(project, "personalausweis", "wohnsitz_anmelden")
    for language in ("en", "tr", "uk"):
        write_texts(project, language, WOHNSITZ)
    code, rows = validate(project, capsys)
    assert code == 1
    assert [r for r in rows if r.startswith(ERROR)] == [
        f"FEHLER {CAT}:5: Leistung 'personalausweis' hat keinen Text auf {name} "
        f"(data/catalogue/languages/{lang}/melde.yml); sie gehört zu den meistgefragten ({MOST_ASKED_FILE})"
        for lang, name in (("en", "Englisch"), ("tr", "Türkisch"), ("uk", "Ukrainisch"))]
    for language in ("en", "tr", "uk"):
        write_texts(project, language, PERSO, WOHNSITZ)
    assert validate(project, capsys) == (0, [])


def test_the_other_leistungen_are_one_warning_per_language(project: Path, capsys) -> None:
    for language in ("en", "tr", "uk"):
        write_texts(project, language, PERSO, WOHNSITZ)
    write_list(project, "personalausweis", "personalausweis", "wohnsitz_anmelden")
    write_texts(project, "en", PERSO)  # wohnsitz_anmelden stays listed: an error; the duplicate a warning
    code, rows = validate(project, capsys)
    assert code == 1 and any("Leistung 'personalausweis' steht doppelt" in r for r in rows)
    (project / MOST_ASKED_FILE).unlink()  # a small catalogue (below 40) needs no list
    code, rows = validate(project, capsys)
    assert (code, rows) == (0, ["WARNUNG data/catalogue/languages/en: 1 weitere kuratierte Leistung(en) haben noch "
                                "keinen Text auf Englisch: wohnsitz_anmelden"])


def test_a_broken_list_is_an_error(project: Path, capsys) -> None:
    write_list(project, "personalausweis", "reisepass")
    code, rows = validate(project, capsys)
    assert code == 1
    assert any(r.startswith(f"FEHLER {MOST_ASKED_FILE}:3: Leistung 'reisepass' gibt es im Katalog nicht") for r in rows)
    assert any(r.startswith(f"FEHLER {MOST_ASKED_FILE}:1: die Liste nennt 1 Leistungen, mindestens 2") for r in rows)


def _response(root: Path, variants: str) -> None:
    domain = root / "domain" / "domain.yml"
    text = domain.read_text(encoding="utf-8").replace(
        '  utter_ask_place:\n', '  utter_service:\n    - text: "**{name}**: {office}"\n' + variants + '  utter_ask_place:\n', 1)
    domain.write_text(text, encoding="utf-8")


def test_a_leichte_sprache_response_without_en_tr_uk_variants_is_a_warning(project: Path, capsys) -> None:
    _response(project, '    - condition: [{type: slot, name: language, value: de-LS}]\n'
                       '      text: "So heißt das beim Amt: **{name}**. Sie gehen zu: {office}"\n'
                       '    - condition: [{type: slot, name: language, value: en}]\n'
                       '      text: "Official name: **{name}**. Office: {office}"\n')
    code, rows = validate(project, capsys)
    assert code == 0 and len(rows) == 1
    assert rows[0].startswith("WARNUNG domain/domain.yml:") and rows[0].endswith(
        "Antwort 'utter_service' hat eine Variante in Leichter Sprache, aber keine für tr, uk")


def test_a_variant_without_the_official_name_is_an_error(project: Path, capsys) -> None:
    _response(project, '    - condition: [{type: slot, name: language, value: tr}]\n'
                       '      text: "Kimlik kartı: {office}"\n')
    code, rows = validate(project, capsys)
    assert code == 1
    assert any("Antwort 'utter_service' (tr): {name} fehlt; der amtliche deutsche Name steht in jeder Sprache dabei"
               in r and r.startswith(ERROR) for r in rows)


def test_the_projects_list_names_40_curated_leistungen() -> None:
    catalogue = load_catalogue(PROJECT_ROOT, {}, None)
    listed, findings = most_asked(PROJECT_ROOT, {e.id: e for e in catalogue.entries})
    assert findings == [] and len(listed) >= MOST_ASKED_MIN
