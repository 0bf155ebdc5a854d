"""Foreign service words → catalogue id, from the annotations of the training data (bot.foreign_terms)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.foreign_terms import ForeignTerms

UK = '''version: "3.1"
nlu:
- intent: search_service
  examples: |
    - як [оформити новий закордонний паспорт]{"entity": "service", "value": "reisepass"}
    - [загубив закордонний паспорт]{"entity": "service", "value": "reisepass_verlust"}
    - де [реєстрація місця проживання]{"entity": "service", "value": "wohnsitz_anmelden"}
    - як [зареєструватися за адресою]{"entity": "service", "value": "wohnsitz_anmelden"}
    - треба [зареєструвати собаку]{"entity": "service", "value": "hund_anmelden"}
    - мій [Reisepass]{"entity": "service", "value": "reisepass"} закінчився
'''


@pytest.fixture
def terms(tmp_path: Path) -> ForeignTerms:
    (tmp_path / "uk").mkdir()
    (tmp_path / "uk" / "services.yml").write_text(UK, encoding="utf-8")
    return ForeignTerms.load(tmp_path)


@pytest.mark.parametrize(("text", "service_id"), [
    ("новий закордонний паспорт", "reisepass"),  # part of a longer annotation, other endings
    ("місце проживання", "wohnsitz_anmelden"),  # "місця" in the annotation: the stem counts
    ("загубила паспорт", "reisepass_verlust"),
    ("Reisepass", "reisepass"),
])
def test_the_leistung_whose_annotation_covers_the_words(terms: ForeignTerms, text: str, service_id: str) -> None:
    assert terms.service_id(text) == service_id


@pytest.mark.parametrize("text", ["зареєструвати", "добрий день", "", "12345", "в і на"])
def test_ambiguous_or_unknown_words_name_no_leistung(terms: ForeignTerms, text: str) -> None:
    assert terms.service_id(text) is None  # "зареєструвати": the Anmeldung and the dog


def test_no_folder_no_terms_and_long_input_is_bounded(tmp_path: Path, terms: ForeignTerms) -> None:
    assert ForeignTerms.load(tmp_path / "missing").service_id("паспорт") is None
    assert terms.service_id("собаку " + "!" * 100_000) == "hund_anmelden"  # only the first 200 characters are read
    assert terms.service_id("x" * 300 + " собаку") is None


def test_the_real_training_data_names_the_common_leistungen() -> None:
    real = ForeignTerms.load(Path(__file__).resolve().parents[1] / "data" / "nlu_i18n")
    assert real.service_id("kimlik kartı") == "personalausweis"
    assert real.service_id("bulky waste") == "sperrmuell"
    assert real.service_id("новий закордонний паспорт") == "reisepass"


@pytest.mark.parametrize(("text", "service_id"), [
    ("Kindergeld", "kindergeld"), ("Kinderzuschlag", "kinderzuschlag"), ("Führungszeugnis", "fuehrungszeugnis"),
])
def test_a_german_word_annotated_exactly_beats_words_that_only_share_its_first_letters(text, service_id) -> None:
    """"Kindergeld" and "Kinderzuschlag" share the stem "kind": the annotation that is exactly the typed
    word decides; a stem alone ("зареєструвати") stays ambiguous."""
    real = ForeignTerms.load(Path(__file__).resolve().parents[1] / "data" / "nlu_i18n")
    assert real.service_id(text) == service_id
