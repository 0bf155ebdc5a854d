"""The curated catalogue and the long tail, read from the real data files."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.catalogue import Catalogue, CatalogueError, load_servicebw_ids
from bot.config import data_dir

TOPICS = {
    "personalausweis", "reisepass", "wohnsitz_anmelden", "geburtsurkunde", "eheschliessung_anmelden",
    "sterbeurkunde", "namensaenderung", "kirchenaustritt", "kfz_zulassung", "wunschkennzeichen",
    "fuehrerschein", "gewerbe_anmelden", "baugenehmigung", "kita_anmeldung", "elterngeld", "kindergeld",
    "reisepass_kind", "wohngeld", "schwerbehindertenausweis", "parkausweis_blau", "einbuergerung",
    "aufenthaltserlaubnis_beschaeftigung", "sperrmuell", "hund_anmelden", "fundsache", "briefwahl",
    "grundsteuer", "bewohnerparkausweis", "sondernutzung", "veranstaltung_strasse", "maengel_melden",
    "fuehrungszeugnis", "beglaubigung_kopie",
}


def test_at_least_80_curated_services_covering_the_required_topics(core):
    curated = core.catalogue.curated
    assert len(curated) >= 80
    assert {s.id for s in curated} >= TOPICS


def test_every_curated_service_is_complete(core):
    for s in core.catalogue.curated:
        assert len(s.synonyms) >= 5, s.id
        assert s.description and s.source and s.stand, s.id
        assert s.online in ("ja", "teilweise", "nein"), s.id
        assert s.responsibility and s.responsibility.rule in core.responsibility.rules, s.id


def test_servicebw_ids_are_real_and_never_invented(core):
    listed = load_servicebw_ids(data_dir())
    ids = [s.servicebw_id for s in core.catalogue.curated if s.servicebw_id]
    assert len(ids) == len(set(ids)), "a service-bw id is used twice"
    for sid in ids:
        assert listed[sid].kind == "leistung" and listed[sid].confidence in ("high", "medium"), sid
    assert core.catalogue.get("personalausweis").servicebw_id == "2020"


def test_long_tail_holds_every_other_high_confidence_leistung(core):
    listed = load_servicebw_ids(data_dir())
    high = {e.id for e in listed.values() if e.kind == "leistung" and e.confidence == "high"}
    covered = {s.servicebw_id for s in core.catalogue.services}
    assert high <= covered
    longtail = [s for s in core.catalogue.services if not s.curated]
    assert len(longtail) > 650
    assert core.catalogue.get("sbw-639").name.startswith("Jägerprüfung")


def test_no_synonym_points_to_two_services(core):
    seen: dict[str, str] = {}
    for s in core.catalogue.curated:
        for syn in s.synonyms:
            key = syn.casefold()
            assert seen.setdefault(key, s.id) == s.id, f"{syn!r} under {seen[key]} and {s.id}"


def _write(tmp: Path, body: str) -> Path:
    (tmp / "services").mkdir(parents=True, exist_ok=True)
    (tmp / "services" / "broken.yml").write_text(body, encoding="utf-8")
    return tmp


ENTRY = """services:
  - id: test_service
    name: Test
    synonyms: [a, b, c, d, e]
    description: Beschreibung.
    online: nein
    responsibility: {rule: gemeinde}
"""


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (ENTRY.replace("    name: Test\n", ""), "Pflichtfeld 'name' fehlt"),
        (ENTRY.replace("online: nein", "online: vielleicht"), "online muss"),
        (ENTRY.replace("synonyms: [a, b, c, d, e]", "synonyms:\n      - a\n      - bei X: Y"), "Doppelpunkt"),
        (ENTRY + "    servicebw_id: abc\n", "keine Zahl"),
        (ENTRY + "    servicebw_id: '99999999'\n", "steht nicht als Leistung"),
        (ENTRY.replace("    responsibility: {rule: gemeinde}\n", ""), "responsibility"),
        ("services: [", "kein gültiges YAML"),
    ],
)
def test_schema_errors_name_file_and_entry(tmp_path, body, message):
    with pytest.raises(CatalogueError, match=message) as err:
        Catalogue.load(_write(tmp_path, body), data_dir())
    assert "broken.yml" in str(err.value)
