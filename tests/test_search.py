"""Service search behaviour a citizen would notice."""

from __future__ import annotations

import pytest


def top(core, text: str) -> str | None:
    hits = core.lookup(text).hits
    return hits[0].service.id if hits else None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Hundesteuer", "hund_anmelden"),
        ("Verlängerung des Personalausweises", "personalausweis"),
        ("Ausweis verlängern", "personalausweis"),
        ("neues Auto anmelden", "kfz_zulassung"),
        ("ich möchte meinen Hund abmelden", "hund_abmelden"),
        ("melde meinen Hund ab", "hund_abmelden"),
        ("Fürerschein beantragen", "fuehrerschein"),  # typo
        ("hund anmelen", "hund_anmelden"),  # a short typo keeps its particle ("anmel" is "anmeld")
        ("hund abmelen", "hund_abmelden"),  # … and never takes another one
        ("beantragen Reisepass", "reisepass"),  # word order
        ("Sperrmüll", "sperrmuell"),
        ("Gaststättenerlaubnis", "gaststaettenerlaubnis"),
        ("Fischereischein", "fischereischein"),
        ("Straußwirtschaft anzeigen", "sbw-542"),  # long tail
        ("Eintragung in die Handwerksrolle", "sbw-546"),
    ],
)
def test_finds_the_service(core, text, expected):
    assert top(core, text) == expected


@pytest.mark.parametrize("text", ["Wie wird das Wetter morgen?", "Wer gewinnt die Bundesliga?", "asdfgh", ""])
def test_says_no_good_match_instead_of_guessing(core, text):
    assert core.lookup(text).hits == []


def test_scores_are_ranked_and_bounded(core):
    hits = core.search("Reisepass verloren", 5)
    scores = [h.score for h in hits]
    assert scores == sorted(scores, reverse=True)
    assert all(0 < s <= 1 for s in scores)
    assert hits[0].service.id == "reisepass_verlust"


def test_place_names_do_not_count_as_service_words(core):
    words = core.resolver.place_words("Sperrmüll abholen lassen in Schwäbisch Hall, 74523")
    assert {"schwaebisch", "hall", "74523"} <= words
    assert "sperrmuell" not in words
    assert core.search("Sperrmüll abholen lassen in Schwäbisch Hall")[0].service.id == "sperrmuell"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("meine Mutter ist verstorben", {"sterbefall_anzeigen", "sterbeurkunde"}),
        ("Hochzeit anmelden", {"eheschliessung_anmelden"}),
        ("Nummernschild verloren", {"kennzeichen_verlust"}),
    ],
)
def test_word_families_join_words_without_shared_spelling(core, text, expected):
    assert top(core, text) in expected


@pytest.mark.parametrize(
    "text",
    [
        "Welche Unterlagen brauche ich?",
        "welche unterlagen brauche ich dafür",
        "Welche Unterlagn brauch ich",  # typo of a question word
        "Geht das online?",
        "Was kostet das?",
        "Wie hoch sind die Gebühren?",
        "Wo kann ich den Antrag stellen?",
        "Muss ich das beantragen?",
        "Welche Dokumente muss ich mitbringen?",
        "Wie lange dauert das?",
        "Brauche ich einen Termin?",
        "Wie sind die Öffnungszeiten?",
        "Wer ist dafür zuständig?",
        "Ich brauche Hilfe",
        "Danke für die Hilfe",
        "Wann hat das Bürgerbüro offen?",
    ],
)
def test_question_type_words_alone_never_select_a_service(core, text):
    """Typed follow-ups ("Welche Unterlagen brauche ich?") must leave the Leistung in focus alone."""
    assert core.lookup(text).hits == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Mein Sohn studiert ab Oktober in Mannheim, wo stellt er den BAföG Antrag?", "sbw-577"),
        ("Was kostet ein Reisepass?", "reisepass"),
        ("Welche Unterlagen brauche ich für die Hundesteuer?", "hund_anmelden"),
        ("Kann ich mein Gewerbe online anmelden?", "gewerbe_anmelden"),
        ("Strafantrag stellen", "sbw-1114"),
    ],
)
def test_question_type_words_do_not_hide_the_service_named(core, text, expected):
    assert top(core, text) == expected


def test_question_words_come_from_the_staff_data_file(core):
    from bot.search import ServiceSearch

    plain = ServiceSearch(core.catalogue, question_words=[])
    assert plain.best("Welche Unterlagen brauche ich?") is not None  # without the list it guesses
    edited = ServiceSearch(core.catalogue, question_words=["unterlagen", "antrag stellen"])
    assert edited.best("Welche Unterlagen brauche ich?") is None
    assert edited.best("Antrag stellen") is None


def test_search_synonyms_name_existing_services(core):
    from bot.config import PROJECT_ROOT
    from bot.search_words import load_search_words

    _, _, synonyms = load_search_words(PROJECT_ROOT / "data" / "search")
    ids = {s.id for s in core.catalogue.services}
    assert synonyms and sorted(set(synonyms) - ids) == []


def test_inflected_forms_share_a_stem():
    from bot.search import stem
    from bot.text import fold

    assert stem(fold("Änderung")) == stem(fold("ändern"))
    assert stem(fold("Erweiterung")) == stem(fold("erweitern"))
    assert stem("pass") == "pass" and stem("ausweis") == "ausweis"


def test_parts_of_long_official_names_are_phrases():
    from bot.search_words import name_variants

    variants = name_variants("Unbemannte Luftfahrtsysteme (Drohnen) - Aufstiegserlaubnis beantragen")
    assert "Unbemannte Luftfahrtsysteme - Aufstiegserlaubnis beantragen" in variants
    assert name_variants("Hund anmelden") == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Organspendeausweis", "sbw-853"),  # an unknown compound of two catalogue words
        ("Kindergeld für unser Baby", "kindergeld"),  # a known compound is not split
        ("führerschein um motorrad klasse erweitern", "sbw-440"),
        ("Drohne fliegen Genehmigung", "sbw-2467"),
    ],
)
def test_compounds_and_long_tail_names(core, text, expected):
    assert top(core, text) == expected


@pytest.mark.parametrize("text", ["schreib mir ein Gedicht", "Wie teuer ist ein Flug nach Mallorca?"])
def test_everyday_words_are_not_typo_matched_to_service_words(core, text):
    """"Gedicht" is not a typo of "Gericht", "Flug" not part of "Drohnenflug"."""
    assert core.lookup(text).hits == []


def test_search_data_does_not_copy_held_out_queries():
    """Search synonyms and the DEV set must not repeat (or nearly repeat) held-out test queries."""
    from difflib import SequenceMatcher

    import yaml

    from bot.config import PROJECT_ROOT
    from bot.search_words import load_search_words
    from bot.text import fold

    held_out = [fold(q["text"]) for q in yaml.safe_load(
        (PROJECT_ROOT / "tests/eval/service_queries.yml").read_text(encoding="utf-8"))["queries"]]
    dev = [q["text"] for q in yaml.safe_load(
        (PROJECT_ROOT / "tests/eval/service_queries_dev.yml").read_text(encoding="utf-8"))["queries"]]
    _, _, synonyms = load_search_words(PROJECT_ROOT / "data" / "search")
    ours = [fold(t) for t in [*dev, *(p for ps in synonyms.values() for p in ps)]]
    def similar(a: str, b: str) -> bool:
        m = SequenceMatcher(None, a, b)
        return m.real_quick_ratio() >= 0.85 and m.quick_ratio() >= 0.85 and m.ratio() >= 0.85

    close = [(a, b) for a in ours for b in held_out if similar(a, b)]
    assert close == []


@pytest.mark.parametrize("text", ["Ich möchte mir ein Handy kaufen", "Es ist schon spät", "Mein Auto ist schmutzig"])
def test_one_everyday_word_alone_does_not_pick_a_leistung(core, text):
    """"Handy" is in "Handy verloren", "spät" in "Kind später einschulen": not enough for a Leistung."""
    assert core.lookup(text).hits == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Hund", "hund_anmelden"),  # the whole query
        ("ich will Deutscher werden", "einbuergerung"),  # a whole phrase
        ("Mein Vater ist gestorben", "sterbefall_anzeigen"),  # "gestorben" says more than "Vater"
        ("Meine Oma ist gestorben", "sterbefall_anzeigen"),
        ("Mein Hund ist gestorben", "hund_abmelden"),
        ("Vater anerkennen", "vaterschaftsanerkennung"),
    ],
)
def test_everyday_words_still_name_a_leistung_together_or_as_a_whole(core, text, expected):
    assert top(core, text) == expected


def test_rarer_words_weigh_more_than_everyday_ones():
    from bot.search import specificity

    assert specificity(2.0) == 1.0 > specificity(4.8) > specificity(5.2) >= specificity(9.0) > 0


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Das Auto ist noch auf mich zugelassen", "kfz_zulassung"),  # not "Vater eintragen lassen"
        ("Ich habe den Wagen gestern abgemeldet", "kfz_abmeldung"),
    ],
)
def test_participles_of_separable_verbs_match_the_verb(core, text, expected):
    assert top(core, text) == expected


def test_a_compound_hyphenated_as_in_leichter_sprache_is_the_catalogue_word(core):
    # "Reise-Pass", "Melde-Bescheinigung": Leichte Sprache splits long words with a hyphen.
    for text, expected in (("Ich brauche einen neuen Reise-Pass", "reisepass"),
                           ("Ich brauche eine Melde-Bescheinigung", "meldebescheinigung")):
        hits = core.search(text, 3)
        assert hits[0].service.id == expected and hits[0].score - hits[1].score > 0.1, (text, hits[:2])


@pytest.mark.parametrize(("service_id", "text", "documents", "own"), [
    ("gewerbe_anmelden", "anmeldung", False, True),          # the tail of "Gewerbeanmeldung"
    ("hund_abmelden", "abmelden", False, True),
    ("kindergeld", "familienkasse", False, True),            # the department responsible
    ("parkausweis_orange", "schwerbehindertenausweis", True, True),  # in its document list
    ("parkausweis_orange", "schwerbehindertenausweis", False, False),
    ("reisepass", "kinderreisepass", False, False),          # a longer compound says more
    ("personalausweis", "reisepass", False, False),
    ("gewerbe_anmelden", "wohnsitz", False, False),
])
def test_covered_tells_the_services_own_words(core, service_id, text, documents, own):
    share = core.covered(core.catalogue.get(service_id), text, documents)
    assert (share >= 0.7) is own, share
    assert 0.0 <= share <= 1.0


def test_covered_is_zero_without_search_words(core):
    assert core.covered(core.catalogue.get("reisepass"), "welche unterlagen brauche ich dafür") == 0.0
