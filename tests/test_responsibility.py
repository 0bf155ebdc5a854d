"""Zuständigkeit: the golden table plus the structural rules of BW's administration."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

GOLDEN = yaml.safe_load((Path(__file__).parent / "golden" / "zustaendigkeit.yml").read_text(encoding="utf-8"))["cases"]


@pytest.mark.parametrize("case", GOLDEN, ids=lambda c: f"{c['service']}@{c['place']}")
def test_golden_zustaendigkeit(core, case):
    service = core.catalogue.get(case["service"])
    assert service is not None
    place = core.place(case["place"])
    assert place.unique is not None, case["place"]
    office = core.office(service, place)
    assert office is not None
    assert office.authority == case["authority"]
    assert office.kind == case["kind"]
    assert office.name.startswith(case["authority"])


def test_golden_table_covers_all_kinds_of_gemeinde(core):
    types = {core.place(c["place"]).unique.gemeindetyp for c in GOLDEN}
    assert {"Stadtkreis", "Große Kreisstadt", "Gemeinde"} <= types
    assert len(GOLDEN) >= 30


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
