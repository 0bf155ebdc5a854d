"""The answer texts per language (bot/languages.py): loading, fallback to the standard German text, bounds."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from bot.catalogue import Service
from bot.core import get_core
from bot.facts import Fee, ProcessingTime
from bot.languages import MAX_FILE_BYTES, LanguageError, Languages, canonical

AUSWEIS = Service(
    id="personalausweis", name="Personalausweis beantragen", topic="melde", curated=True,
    description="Den Personalausweis beantragen Sie bei Ihrer Gemeinde.", documents=("Passfoto", "alter Ausweis"),
    online="nein", fee=Fee(kind="fixed", amount="46,00 Euro", basis="PAuswGebV"),
    processing_time=ProcessingTime(text="2 bis 3 Wochen"), source="Testquelle", stand="2026-11-21",
)


def catalogue_with(tmp_path: Path, text: str, language: str = "de-LS") -> Path:
    folder = tmp_path / "catalogue" / "languages" / language
    folder.mkdir(parents=True)
    (folder / "melde.yml").write_text(textwrap.dedent(text), encoding="utf-8")
    return tmp_path / "catalogue"


LS_FILE = """\
    language: de-LS
    stand: "2026-12-02"
    source: "Test"
    services:
      personalausweis:
        name: Einen neuen Personal-Ausweis bekommen
        summary: [Den Ausweis bekommen Sie bei Ihrer Gemeinde., Sie müssen selbst hingehen.]
        documents: [Ein Pass-Foto., Ihren alten Ausweis.]
        online: [Das geht nicht im Internet.]
        fee: [Der Ausweis kostet 46 Euro.]
"""


def test_texts_in_leichter_sprache_keep_the_official_name(tmp_path: Path) -> None:
    texts = Languages.load(catalogue_with(tmp_path, LS_FILE)).texts(AUSWEIS, "de-LS")
    assert texts.translated and texts.language == "de-LS"
    assert texts.name == "Einen neuen Personal-Ausweis bekommen"
    assert texts.official_name == "Personalausweis beantragen"
    assert texts.summary == ("Den Ausweis bekommen Sie bei Ihrer Gemeinde.", "Sie müssen selbst hingehen.")
    assert texts.fee == ("Der Ausweis kostet 46 Euro.",)
    assert texts.source == "Test" and texts.stand == "2026-12-02"  # the file's defaults


def test_a_field_without_text_falls_back_to_the_standard(tmp_path: Path) -> None:
    # The file has no processing_time: the standard German sentence applies (empty = standard wording).
    texts = Languages.load(catalogue_with(tmp_path, LS_FILE)).texts(AUSWEIS, "de-LS")
    assert texts.processing_time == ()
    no_docs = LS_FILE.replace("        documents: [Ein Pass-Foto., Ihren alten Ausweis.]\n", "")
    texts = Languages.load(catalogue_with(tmp_path / "b", no_docs)).texts(AUSWEIS, "de-LS")
    assert texts.documents == ("Passfoto", "alter Ausweis")


@pytest.mark.parametrize("language", ["de", None, "xx", "en"])
def test_standard_german_where_a_language_has_no_text(tmp_path: Path, language: str | None) -> None:
    texts = Languages.load(catalogue_with(tmp_path, LS_FILE)).texts(AUSWEIS, language)
    assert not texts.translated
    assert texts.name == texts.official_name == "Personalausweis beantragen"
    assert texts.summary == ("Den Personalausweis beantragen Sie bei Ihrer Gemeinde.",)
    assert texts.documents == AUSWEIS.documents and texts.fee == ()


def test_another_leistung_of_the_topic_without_text_is_standard(tmp_path: Path) -> None:
    pass_ = Service(id="reisepass", name="Reisepass beantragen", topic="melde", curated=True, description="Pass.")
    texts = Languages.load(catalogue_with(tmp_path, LS_FILE)).texts(pass_, "de-LS")
    assert not texts.translated and texts.name == "Reisepass beantragen"


def test_language_tags_are_case_insensitive() -> None:
    assert canonical("de-ls") == canonical("DE-LS") == "de-LS"
    assert canonical(" de-LS") is None  # exactly the tag (as the API schema says), only the case may differ
    assert canonical("de") == "de"
    assert canonical("fr") is None and canonical(7) is None and canonical("de-LS" * 10) is None


@pytest.mark.parametrize(("bad", "message"), [
    ("        fee: [{Preis: 46 Euro}]\n", "Leistung 'personalausweis': Eintrag 1 in 'fee' ist kein Text"),
    ("        online: Das geht nicht.\n", "'online' muss eine Liste von Sätzen sein"),
])
def test_a_wrong_shape_names_file_and_leistung(tmp_path: Path, bad: str, message: str) -> None:
    lines = [line for line in LS_FILE.splitlines(keepends=True) if not line.startswith(bad.split(":")[0] + ":")]
    with pytest.raises(LanguageError, match=message) as exc:
        Languages.load(catalogue_with(tmp_path, "".join(lines) + bad))
    assert "languages/de-LS/melde.yml" in str(exc.value)


def test_files_are_read_bounded(tmp_path: Path) -> None:
    big = LS_FILE + "# " + "x" * MAX_FILE_BYTES + "\n"
    with pytest.raises(LanguageError, match="größer als"):
        Languages.load(catalogue_with(tmp_path, big))


def test_no_language_directory_means_standard_only(tmp_path: Path) -> None:
    languages = Languages.load(tmp_path)
    assert languages.languages == ("de",)
    assert not languages.texts(AUSWEIS, "de-LS").translated


def test_the_real_catalogue_has_leichte_sprache_for_the_ausweis() -> None:
    core = get_core()
    service = core.catalogue.get("personalausweis")
    texts = core.texts(service, "de-LS")
    assert texts.translated and "de-LS" in core.languages.languages
    assert texts.official_name == "Personalausweis beantragen" and texts.name != texts.official_name
    assert any("46 Euro" in sentence for sentence in texts.fee)
    assert core.texts(service, "de").summary == (service.description,)


def test_bot_lookup_adds_the_texts_of_a_language_when_asked() -> None:
    from bot.cli import lookup_result

    core = get_core()
    plain = lookup_result(core, "ich brauche einen neuen Reisepass", "Ulm", "de-LS")
    top = plain["services"][0]
    assert top["id"] == "reisepass" and top["texts"]["translated"]
    assert top["texts"]["official_name"] == top["name"] and plain["office"]["name"].startswith("Universitätsstadt Ulm")
    assert "texts" not in lookup_result(core, "ich brauche einen neuen Reisepass", "Ulm")["services"][0]
