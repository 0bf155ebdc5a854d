"""Zuständigkeit: the sourced golden table plus the structural rules of BW's administration."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from bot.responsibility.overrides import Zustaendigkeit

GOLDEN = yaml.safe_load((Path(__file__).parent / "golden" / "zustaendigkeit.yml").read_text(encoding="utf-8"))["cases"]
TYPES = {"baurechtsbehoerde", "standesamt", "jugendamt", "auslaenderbehoerde", "versorgungsamt", "finanzamt"}


@pytest.mark.parametrize("case", GOLDEN, ids=lambda c: f"{c['service']}@{c['place']}")
def test_golden_zustaendigkeit(core, case):
    service = core.catalogue.get(case["service"])
    assert service is not None
    place = core.place(case["place"])
    assert place.unique is not None, case["place"]
    office = core.office(service, place)
    assert office is not None
    assert office.kind == case["kind"]
    assert office.confirmed, f"a sourced fact must not be answered as unconfirmed: {office.name}"
    if "candidates" in case:
        assert list(office.candidates) == case["candidates"]
        assert all(name.removeprefix("Finanzamt ") in office.name for name in case["candidates"])
    else:
        assert office.authority == case["authority"]
        assert office.name.startswith(case["authority"])


def test_golden_table_is_sourced_and_covers_bw(core):
    assert len(GOLDEN) >= 150
    assert all(str(c.get("source") or "").strip() for c in GOLDEN)
    kreise = {core.place(c["place"]).unique.kreis_schluessel for c in GOLDEN}
    assert len(kreise) == 44
    rules = {core.responsibility.assignment(core.catalogue.get(c["service"])).rule for c in GOLDEN}
    assert rules >= TYPES
    types = {core.place(c["place"]).unique.gemeindetyp for c in GOLDEN}
    assert {"Stadtkreis", "Große Kreisstadt", "Gemeinde"} <= types


def test_issue_cases(core):
    def office(sid, place):
        return core.office(core.catalogue.get(sid), core.place(place))

    assert office("geburtsurkunde", "Hasel").name == "Stadt Schopfheim – Standesamt Mittleres Wiesental"
    assert office("baugenehmigung", "Bartholomä").authority == "Verwaltungsgemeinschaft Rosenstein (Heubach)"
    assert office("baugenehmigung", "Bühlertal").authority == "Gemeinde Bühlertal"
    assert office("unterhaltsvorschuss", "Konstanz").name == "Universitätsstadt Konstanz – Sozial- und Jugendamt"
    assert office("aufenthaltserlaubnis_beschaeftigung", "Tamm").authority == "Stadt Bietigheim-Bissingen"
    fa = office("einkommensteuererklaerung", "Laichingen")
    assert fa.name == "Finanzamt Bad Urach"
    assert "Graf-Eberhard-Platz 7, 72574 Bad Urach" in fa.note and "07125 158-0" in fa.note
    assert office("schwerbehindertenausweis", "Ulm").name == "Landratsamt Alb-Donau-Kreis – Fachdienst Versorgung"


def test_unconfirmed_default_says_so_and_names_who_confirms(core):
    office = core.office(core.catalogue.get("geburtsurkunde"), core.place("Aidlingen"))
    assert not office.confirmed
    assert "(in der Regel)" in office.name
    assert "gemeinsames Standesamt" in office.note and "Gemeindeverwaltung Aidlingen" in office.note


def test_no_guessed_versorgungsamt_for_a_stadtkreis_without_source(core):
    assert core.office(core.catalogue.get("schwerbehindertenausweis"), core.place("Pforzheim")) is None


def test_split_city_names_all_finanzaemter_and_the_address_rule(core):
    office = core.office(core.catalogue.get("finanzamt_finden"), core.place("Karlsruhe"))
    assert office.name == "Finanzamt Karlsruhe-Stadt oder Karlsruhe-Durlach"
    assert "Adresse" in office.note and "https://www.bzst.de/" in office.note
    assert office.url is None  # no service-bw page for this Leistung; the link is in the note


def test_place_role_travels_with_the_office(core):
    office = core.office(core.catalogue.get("sterbefall_anzeigen"), core.place("Maulburg"))
    assert office.place_role == "sterbeort"
    assert core.catalogue.get("eheschliessung_anmelden").place_role == "eheschliessung"
    assert core.catalogue.get("fundsache").place_role == "fundort"


def test_every_gemeinde_has_a_finanzamt(core):
    data = core.responsibility.zustaendigkeit.get("finanzamt")
    assert {g.ags for g in core.register.gemeinden} == set(data.answers)


def test_conflicting_entries_are_reported(core, tmp_path):
    folder = tmp_path / "data" / "zustaendigkeit"
    folder.mkdir(parents=True)
    (folder / "standesamt.yml").write_text(
        'rule: standesamt\nentries:\n'
        '  - {gemeinden: ["08336034"], authority: self, source: "x", stand: "2026"}\n'
        '  - {gemeinden: ["08336034"], authority: {gemeinde: "08336081"}, source: "y", stand: "2026"}\n'
        '  - {gemeinden: ["08999999"], authority: self, source: "", stand: "2026"}\n', encoding="utf-8")
    _, problems = Zustaendigkeit.load(folder, core.register, None, {"standesamt"}, root=tmp_path, with_lines=True)
    texts = " | ".join(p.text for p in problems)
    assert "zwei Antworten" in texts and "08999999" in texts and "source" in texts


def test_issue_examples_with_full_names(core):
    fellbach = core.place("Fellbach")
    assert core.office(core.catalogue.get("personalausweis"), fellbach).name.startswith("Stadt Fellbach – ")
    kfz = core.office(core.catalogue.get("kfz_zulassung"), fellbach)
    assert kfz.name == "Landratsamt Rems-Murr-Kreis – Zulassungsstelle"


def test_localised_service_bw_link(core):
    office = core.office(core.catalogue.get("personalausweis"), core.place("70736"))
    assert office.url == "https://www.service-bw.de/zufi/leistungen/2020?plz=70736&ags=08119020"
    office = core.office(core.catalogue.get("personalausweis"), core.place("Fellbach"))
    assert office.url == "https://www.service-bw.de/zufi/leistungen/2020?plz=70734&ags=08119020"


def test_every_rule_names_its_legal_basis(core):
    assert all(rule.legal_basis for rule in core.responsibility.rules.values())


def test_no_office_without_a_unique_place(core):
    assert core.office(core.catalogue.get("personalausweis"), core.place("Altdorf")) is None


def test_long_tail_gets_a_zustaendigkeit_where_a_rule_applies(core):
    jaeger = core.catalogue.get("sbw-639")
    office = core.office(jaeger, core.place("Aidlingen"))
    assert office.authority == "Landratsamt Böblingen"
    assert office.url.startswith("https://www.service-bw.de/zufi/leistungen/639?")


def test_a_broken_hint_placeholder_is_reported_not_crashing(core, tmp_path):
    folder = tmp_path / "data" / "zustaendigkeit"
    folder.mkdir(parents=True)
    (folder / "standesamt.yml").write_text('rule: standesamt\ndefault: {hint: "bitte {ort} fragen"}\n', encoding="utf-8")
    _, problems = Zustaendigkeit.load(folder, core.register, None, {"standesamt"}, root=tmp_path, with_lines=True)
    assert any("Platzhalter" in p.text for p in problems)
