"""Relations between Leistungen (variants, second needs), their validate check, and several needs per message."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.config import PROJECT_ROOT, data_dir
from bot.core import get_core
from bot.needs import MAX_NEEDS, clauses, find_needs
from bot.relations import Relations, RelationsError, get_relations
from bot.scope import get_scope
from bot.staff.checks_relations import check_relations, check_scope
from bot.staff.validate import collect
from bot.staff.yaml_lines import ERROR


@pytest.fixture(scope="module")
def core():
    return get_core()


@pytest.mark.parametrize(("source", "text", "target"), [
    ("personalausweis", "gibts da auch was vorläufiges?", "vorlaeufiger_personalausweis"),
    ("personalausweis", "und für mein Kind?", "reisepass_kind"),
    ("personalausweis", "und wenn ich ihn verloren habe?", "personalausweis_verlust"),
    ("reisepass", "Er wurde mir geklaut", "reisepass_verlust"),
    ("vorlaeufiger_personalausweis", "und der normale?", "personalausweis"),
    ("sterbefall_anzeigen", "er hatte Jagdwaffen", "sbw-1087"),
    ("wohnsitz_anmelden", "und ein Auto", "kfz_ummeldung"),
    ("fuehrungszeugnis", "für meine ehrenamtliche Arbeit im Verein", "fuehrungszeugnis_erweitert"),
])
def test_variant_words_lead_to_the_related_leistung(source, text, target):
    variant = get_relations().variant(source, text)
    assert variant is not None and variant.target == target


@pytest.mark.parametrize(("source", "text"), [
    ("personalausweis", "brauche ich Kindergeld?"),  # "kind" is not "Kindergeld"
    ("personalausweis", "Was kostet das?"),
    ("hund_anmelden", "wegen der Steuer"),
])
def test_other_words_are_no_variant(source, text):
    assert get_relations().variant(source, text) is None


def test_a_leistung_knows_the_kind_of_variant_it_is():
    relations = get_relations()
    assert relations.leads_to("fuehrungszeugnis_erweitert", "erweitert")
    assert not relations.leads_to("fuehrungszeugnis", "erweitert")


def test_every_relation_of_the_real_catalogue_is_valid(core):
    ids = {s.id for s in core.catalogue.services}
    relations = get_relations()
    assert len(relations.relations) >= 40
    for r in relations.relations:
        assert r.source in ids and r.target in ids and r.kind in relations.kinds


def _project(tmp_path: Path, relations: str) -> Path:
    root = tmp_path / "p"
    (root / "data" / "catalogue").mkdir(parents=True)
    (root / "data" / "catalogue" / "relations.yml").write_text(relations, encoding="utf-8")
    return root


def test_validate_reports_unknown_ids_and_kinds_with_their_line(tmp_path):
    root = _project(tmp_path, "kinds:\n  verlust: [verloren]\nrelations:\n"
                               "  - {from: personalausweis, kind: verlust, to: personalausweis_verlust}\n"
                               "  - {from: personalausweis, kind: kind, to: reisepass_kind}\n"
                               "  - {from: perso, kind: verlust, to: sbw-99999999}\n")
    findings = check_relations(root, {"personalausweis", "personalausweis_verlust", "reisepass_kind"})
    texts = [(f.level, f.line, f.text) for f in findings]
    assert (ERROR, 5, "Art 'kind' ist unter 'kinds' nicht definiert") in texts
    assert any(level == ERROR and line == 6 and "'from: perso'" in t for level, line, t in texts)
    assert any(level == ERROR and line == 6 and "'to: sbw-99999999'" in t for level, line, t in texts)
    assert len([f for f in findings if f.level == ERROR]) == 3


def test_validate_reports_a_malformed_relations_file(tmp_path):
    root = _project(tmp_path, "relations:\n  - {from: personalausweis}\n")
    findings = check_relations(root, {"personalausweis"})
    assert [f.level for f in findings] == [ERROR] and "braucht 'from', 'kind' und 'to'" in findings[0].text


def test_real_project_validates_relations_and_scope():
    findings = [f for f in collect(PROJECT_ROOT, data_dir()) if f.level == ERROR]
    assert findings == []
    assert check_scope(PROJECT_ROOT) == []


def test_broken_scope_file_is_reported(tmp_path):
    root = tmp_path / "p"
    for name in ("scope", "search"):
        shutil.copytree(PROJECT_ROOT / "data" / name, root / "data" / name)
    (root / "data" / "scope" / "adjacent.yml").write_text("topics:\n  - topic: x\n    keywords: [y]\n", encoding="utf-8")
    findings = check_scope(root)
    assert findings and findings[0].level == ERROR and "Pflicht" in findings[0].text


def test_an_offer_that_is_no_leistung_is_reported(tmp_path):
    root = tmp_path / "p"
    for name in ("scope", "search"):
        shutil.copytree(PROJECT_ROOT / "data" / name, root / "data" / name)
    path = root / "data" / "scope" / "adjacent.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("angebot: hund_anmelden", "angebot: hund_anmelde"),
                    encoding="utf-8")
    assert check_scope(root) == []  # without the catalogue's ids only the form is checked
    findings = check_scope(root, {"hund_anmelden", "elterngeld", "beglaubigung_kopie", "kindergeld"})
    assert [(f.level, f.file) for f in findings] == [(ERROR, "data/scope/adjacent.yml")]
    assert "hund_anmelde" in findings[0].text


def test_a_question_word_in_two_groups_or_a_missing_file_is_reported(tmp_path):
    root = tmp_path / "p"
    for name in ("scope", "search"):
        shutil.copytree(PROJECT_ROOT / "data" / name, root / "data" / name)
    path = root / "data" / "search" / "question_words.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("  fees: [", "  fees: [unterlagen, "), encoding="utf-8")
    findings = check_scope(root)
    assert [(f.level, f.file) for f in findings] == [(ERROR, "data/search/question_words.yml")]
    assert "'documents' und in 'fees'" in findings[0].text
    path.unlink()
    assert "fehlt" in check_scope(root)[0].text


def test_relations_parse_rejects_non_mapping():
    with pytest.raises(RelationsError):
        Relations.parse(["nope"])


def test_clauses_split_at_punctuation_and_conjunctions():
    assert clauses("Ich ziehe um, habe einen Hund und ein Auto") == ["Ich ziehe um", "habe einen Hund", "ein Auto"]


@pytest.mark.parametrize(("text", "expected"), [
    ("Mein Opa ist verstorben und hatte Jagdwaffen, was müssen wir tun?", ["sterbefall_anzeigen", "sbw-1087"]),
    ("Ich ziehe um, habe einen Hund und ein Auto", ["wohnsitz_anmelden", "hund_anmelden", "kfz_ummeldung"]),
    ("Personalausweis und Reisepass beantragen", ["personalausweis", "reisepass"]),
    ("Ich brauche einen neuen Personalausweis, ich wohne in Fellbach", ["personalausweis"]),
    ("Hund anmelden und Hundesteuer zahlen", ["hund_anmelden"]),
    ("Mein Vater ist gestorben, was ist mit seinem Auto?", ["sterbefall_anzeigen", "kfz_ummeldung"]),  # Halterwechsel
])
def test_needs_in_order_of_mention(core, text, expected):
    needs = find_needs(core, get_relations(), text, get_scope().need_words)
    assert [n.service.id for n in needs] == expected


def test_needs_work_is_bounded(core):
    text = ", ".join(["Hund anmelden", "Reisepass", "Führerschein", "Sperrmüll", "Wohngeld", "Kindergeld"] * 50)
    needs = find_needs(core, get_relations(), text, get_scope().need_words)
    assert len(needs) == MAX_NEEDS


@pytest.mark.parametrize("text", [
    "ich bin umgezogen und muss mich anmelden",
    "Wohnmobil anmelden",
    "wo bekomm ich die urkunde wenn jemand gestorben ist",
    # "Erlaubnis" alone finds the Fischereischein, but here it is the Kampfhund's own word
    "Wir wollen einen Kampfhund halten, brauchen wir in Baden-Württemberg eine Erlaubnis?",
])
def test_one_need_stays_one_need(core, text):
    first = core.search(get_scope().need_words(text), 1)[0].service
    needs = find_needs(core, get_relations(), text, get_scope().need_words, first)
    assert [n.service.id for n in needs] == [first.id]


def test_variant_in_a_later_clause_is_no_second_need(core):
    """"… Reisepass abgelaufen, gibt es einen vorläufigen Reisepass?" is one need, not two."""
    text = "unser Flug geht am Freitag und der Reisepass ist abgelaufen, gibt es einen vorläufigen Reisepass?"
    first = core.catalogue.get("vorlaeufiger_reisepass")
    needs = find_needs(core, get_relations(), text, get_scope().need_words, first)
    assert [n.service.id for n in needs] == ["vorlaeufiger_reisepass"]


def test_clauses_with_a_related_second_need_lead_over_the_whole_message_search(core):
    """The whole message searches best as a car registration; the clauses say: a death, and the car."""
    text = "Mein Vater ist gestorben und sein Auto ist noch auf ihn angemeldet"
    scope = get_scope()
    first = core.search(scope.need_words(text), 1)[0].service
    needs = find_needs(core, get_relations(), text, scope.need_words, first, scope.names_own_need, first_searched=True)
    assert [n.service.id for n in needs][:1] == ["sterbefall_anzeigen"] and len(needs) == 2
    # named by the NLU, the Leistung leads as before
    assert first.id == "kfz_zulassung"
    named = find_needs(core, get_relations(), text, scope.need_words, first, scope.names_own_need)
    assert named[0].service.id == "kfz_zulassung"


def test_validate_reports_an_unknown_second_need_kind(tmp_path):
    root = _project(tmp_path, "kinds:\n  hund: [hund]\nsecond_needs: [hund, katze]\nrelations:\n"
                               "  - {from: wohnsitz_anmelden, kind: hund, to: hund_anmelden}\n")
    findings = check_relations(root, {"wohnsitz_anmelden", "hund_anmelden"})
    assert [(f.level, f.line) for f in findings] == [(ERROR, 3)]
    assert "'katze'" in findings[0].text


def test_a_clause_that_only_says_what_to_do_is_no_second_need(core):
    text = "ich höre mit meinem Kleingewerbe auf, wie abmelden?"
    first = core.catalogue.get("gewerbe_abmelden")
    needs = find_needs(core, get_relations(), text, get_scope().need_words, first, get_scope().names_own_need)
    assert [n.service.id for n in needs] == ["gewerbe_abmelden"]


# -- other languages (relations.yml `languages`) ----------------------------------------------------
@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("my passport was stolen at the station", "verlust"),
        ("and what if I lost it?", "verlust"),
        ("pasaportum çalındı", "verlust"),
        ("pasaportum calindi", "verlust"),
        ("я загубив паспорт", "verlust"),
        ("а для сина теж треба?", "kind"),
        ("kızım için de lazım", "kind"),
        ("my residence permit expires next month", "verlaengern"),
        ("потрібен тимчасовий документ", "vorlaeufig"),
    ],
)
def test_foreign_words_name_the_variant_kind(text, kind):
    assert kind in get_relations().kinds_in(text)
    assert kind in get_relations().kinds_in(text, foreign_only=True)


@pytest.mark.parametrize(
    "text",
    ["Was brauche ich sonst noch?", "Das Schild am Rathaus", "Ich brauche eine neue ID-Karte",
     "help, i'm lost", "Mein Perso ist gestohlen worden"],
)
def test_english_words_do_not_fire_in_german_or_on_everyday_english(text):
    assert get_relations().kinds_in(text, foreign_only=True) == {}


def test_first_variant_reads_german_and_other_languages():
    relations = get_relations()
    assert relations.first_variant("reisepass", "my passport was stolen").target == "reisepass_verlust"
    assert relations.first_variant("reisepass", "Mein Pass wurde gestohlen").target == "reisepass_verlust"
    assert relations.first_variant("fuehrerschein", "den rosa Führerschein umtauschen").target == "fuehrerschein_umtausch"
    assert relations.first_variant("reisepass", "Ich brauche einen neuen Reisepass") is None
    assert relations.first_variant("wohnsitz_anmelden", "I moved and have a dog") is None  # a second need


def test_languages_section_is_checked():
    doc = {"kinds": {"verlust": ["verloren"]}, "relations": [], "languages": {"en": {"lost_kind": ["lost"]}}}
    with pytest.raises(RelationsError, match="lost_kind"):
        Relations.parse(doc)
    with pytest.raises(RelationsError, match="languages"):
        Relations.parse({"kinds": {"verlust": ["verloren"]}, "relations": [], "languages": ["en"]})


def test_first_variant_skips_what_the_leistung_itself_already_says():
    relations = get_relations()
    kinderpass = ("Kinderreisepass", ("Kinderpass",))
    assert relations.first_variant("kinderreisepass", "für meine Tochter einen Kinderreisepass", *kinderpass) is None
    assert relations.first_variant("reisepass", "Ich brauche einen Expresspass", "Reisepass beantragen",
                                   ("Expresspass",)) is None
    assert relations.first_variant("reisepass", "gibt es einen Notfallpass?", "Reisepass beantragen",
                                   ("Expresspass",)).target == "vorlaeufiger_reisepass"
