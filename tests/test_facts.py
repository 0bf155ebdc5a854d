"""Fee and processing-time facts: catalogue parsing, coverage of the real data, and the German sentences."""

from __future__ import annotations

from pathlib import Path

import pytest

from actions.facts_text import fees_sentence, processing_time_sentence
from bot.catalogue import Assignment, Catalogue, CatalogueError, Service
from bot.config import data_dir
from bot.facts import FEE_KINDS, Fee, ProcessingTime

ENTRY = """services:
  - id: test_service
    name: Test
    synonyms: [a, b, c, d, e]
    description: Beschreibung.
    online: nein
    responsibility: {rule: gemeinde}
"""


def _load(tmp: Path, extra: str) -> Service:
    (tmp / "services").mkdir(parents=True, exist_ok=True)
    (tmp / "services" / "facts.yml").write_text(ENTRY + extra, encoding="utf-8")
    return Catalogue.load(tmp, data_dir()).get("test_service")


def test_fee_and_processing_time_are_parsed_into_dataclasses(tmp_path):
    service = _load(tmp_path, """    fee:
      kind: Fixed
      amount: "13,00   Euro"
      basis: "JVKostG Nr. 1130"
      source: "Bundesamt für Justiz"
      stand: "2026-12-01"
    processing_time:
      text: "etwa 2 Wochen"
      source: "Gemeinde X"
      stand: 2026-12-01
""")
    assert service.fee == Fee(kind="fixed", amount="13,00 Euro", basis="JVKostG Nr. 1130",
                              source="Bundesamt für Justiz", stand="2026-12-01")
    assert service.processing_time == ProcessingTime(text="etwa 2 Wochen", source="Gemeinde X", stand="2026-12-01")
    assert service.fees == "13,00 Euro"  # the plain summary API clients already read
    record = service.to_dict()
    assert record["fee"]["basis"] == "JVKostG Nr. 1130" and record["processing_time"]["text"] == "etwa 2 Wochen"


def test_old_plain_fees_text_still_loads_as_a_fixed_amount(tmp_path):
    service = _load(tmp_path, '    fees: "10,00 Euro"\n')
    assert service.fee == Fee(kind="fixed", amount="10,00 Euro")
    assert service.fees == "10,00 Euro"


def test_free_and_local_fees_have_a_plain_summary(tmp_path):
    assert _load(tmp_path, "    fee: {kind: free, source: S, stand: '2026-12-01'}\n").fees == "gebührenfrei"
    assert _load(tmp_path, "    fee: {kind: local, source: S, stand: '2026-12-01'}\n").fees == ""


def test_a_service_without_facts_has_none(tmp_path):
    service = _load(tmp_path, "")
    assert service.fee is None and service.processing_time is None and service.to_dict()["fee"] is None


@pytest.mark.parametrize(("extra", "message"), [
    ("    fee: [fixed, 10 Euro]\n", "Feld 'fee' muss ein Abschnitt"),
    ("    fee: {kind: fixed, amount: {wert: 10}}\n", "'amount' muss Text sein"),
    ("    processing_time: [2, Wochen]\n", "Feld 'processing_time' muss ein Abschnitt"),
    ("    fees: '10 Euro'\n    fee: {kind: local}\n", "bitte nur 'fee' angeben"),
])
def test_unusable_shapes_stop_loading_with_file_and_entry(tmp_path, extra, message):
    with pytest.raises(CatalogueError, match=message) as err:
        _load(tmp_path, extra)
    assert "facts.yml" in str(err.value) and "test_service" in str(err.value)


# --- the real catalogue -------------------------------------------------------------------------

FIXED_BY_LAW = {  # Leistung: (amount fragment, legal basis fragment)
    "personalausweis": ("46,00 Euro", "PAuswGebV"),
    "reisepass": ("70,00 Euro", "PassV"),
    "fuehrungszeugnis": ("13,00 Euro", "JVKostG"),
    "einbuergerung": ("255 Euro", "StAG"),
    "aufenthaltserlaubnis_beschaeftigung": ("100 Euro", "AufenthV"),
    "geburtsurkunde": ("20 Euro", "PStG-DVO"),
    "fuehrerschein_umtausch": ("25,30 Euro", "GebOSt"),
}
FREE = {"wohnsitz_anmelden", "elterngeld", "wohngeld", "kinderzuschlag", "buergergeld", "vaterschaftsanerkennung"}


def test_every_curated_leistung_states_its_fee_with_source_and_stand(core):
    for s in core.catalogue.curated:
        assert s.fee is not None and s.fee.kind in FEE_KINDS, s.id
        assert s.fee.source and len(s.fee.stand) == 10, s.id
        if s.fee.kind == "fixed":
            assert s.fee.amount and s.fee.basis, s.id
        else:
            assert not s.fee.amount, s.id


def test_fees_fixed_by_bund_or_land_carry_amount_and_legal_basis(core):
    for sid, (amount, basis) in FIXED_BY_LAW.items():
        fee = core.catalogue.get(sid).fee
        assert fee.kind == "fixed" and amount in fee.amount and basis in fee.basis, sid
    assert "27,60 Euro (unter 24 Jahren)" in core.catalogue.get("personalausweis").fee.amount


def test_free_leistungen_are_marked_free(core):
    assert {sid for sid in FREE if core.catalogue.get(sid).fee.kind == "free"} == FREE


def test_id_documents_have_a_sourced_processing_time(core):
    for sid in ("personalausweis", "reisepass", "vorlaeufiger_personalausweis", "fuehrungszeugnis"):
        time = core.catalogue.get(sid).processing_time
        assert time is not None and time.text and time.source and time.stand, sid


# --- sentences ----------------------------------------------------------------------------------

def _service(fee: Fee | None = None, rule: str = "gemeinde", time: ProcessingTime | None = None,
             sbw: str | None = "130") -> Service:
    return Service(id="x", name="Hund anmelden", topic="t", curated=True, fee=fee, processing_time=time,
                   responsibility=Assignment(rule), servicebw_id=sbw)


def test_fixed_fee_names_amount_basis_source_and_stand():
    fee = Fee("fixed", amount="37,00 Euro (ab 24 Jahren)", basis="PAuswGebV § 1", note="Foto extra",
              source="Stadt X", stand="2026-02-07")
    assert fees_sentence(_service(fee)) == ("Die Gebühr beträgt 37,00 Euro (ab 24 Jahren). Foto extra. "
                                            "Rechtsgrundlage: PAuswGebV § 1. Quelle: Stadt X, Stand 07.02.2026.")


def test_free_fee_says_gebuehrenfrei():
    sentence = fees_sentence(_service(Fee("free", basis="§ 64 Abs. 1 SGB X", source="Q", stand="2026-12-01")))
    assert sentence == "Das ist gebührenfrei. Rechtsgrundlage: § 64 Abs. 1 SGB X. Quelle: Q, Stand 01.12.2026."


def test_local_fee_of_a_gemeinde_points_to_its_satzung_and_service_bw():
    sentence = fees_sentence(_service(Fee("local", source="Q", stand="2026-12-01")))
    assert sentence.startswith("Ob und welche Gebühr anfällt, legt Ihre Gemeinde in ihrer Satzung fest.")
    assert sentence.endswith("Mehr: https://www.service-bw.de/zufi/leistungen/130")
    assert "Euro" not in sentence


def test_local_fee_of_another_authority_and_with_basis_and_range():
    assert fees_sentence(_service(Fee("local"), rule="landratsamt", sbw=None)) == (
        "Ob und welche Gebühr anfällt, legt die zuständige Behörde fest; bitte fragen Sie dort nach. "
        "Mehr: https://www.service-bw.de")
    sentence = fees_sentence(_service(Fee("local", basis="der Hundesteuersatzung Ihrer Gemeinde", range="60 bis 120 Euro")))
    assert sentence.startswith("Die Gebühr richtet sich nach der Hundesteuersatzung Ihrer Gemeinde; ")
    assert "Je nach Ort sind es etwa 60 bis 120 Euro." in sentence


def test_unknown_kind_or_missing_fee_never_names_an_amount():
    assert "Euro" not in fees_sentence(_service(Fee("teuer", amount="99 Euro")))
    sentence = fees_sentence(_service(None))
    assert "keine gesicherte Angabe" in sentence and sentence.endswith("leistungen/130")


def test_processing_time_sentence_or_none():
    time = ProcessingTime("in der Regel 2 bis 4 Wochen", note="Abholung im Bürgerbüro", source="Gemeinde Y",
                          stand="2026-12-01")
    assert processing_time_sentence(_service(time=time)) == (
        "Übliche Bearbeitungszeit: in der Regel 2 bis 4 Wochen. Abholung im Bürgerbüro. Quelle: Gemeinde Y, Stand 01.12.2026.")
    assert processing_time_sentence(_service()) is None
