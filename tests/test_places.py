"""Municipality register and place resolution on the real register of 1,101 BW Gemeinden."""

from __future__ import annotations

import pytest


def test_register_has_every_bw_gemeinde(places):
    gemeinden = places.register.gemeinden
    assert len(gemeinden) == 1101
    types = {g.gemeindetyp for g in gemeinden}
    assert types == {"Stadtkreis", "Große Kreisstadt", "Stadt", "Gemeinde"}
    assert sum(g.gemeindetyp == "Stadtkreis" for g in gemeinden) == 9
    fellbach = places.register.by_ags("08119020")
    assert fellbach.short_name == "Fellbach"
    assert fellbach.ars == "081190020020"
    assert fellbach.kreis == "Rems-Murr-Kreis"
    assert fellbach.regierungsbezirk == "Reg.-Bez. Stuttgart"
    assert fellbach.plz == ("70734", "70736")
    assert fellbach.lat and fellbach.lon


def test_every_gemeinde_resolves_by_official_and_short_name(places):
    misses = []
    for g in places.register.gemeinden:
        for text in (g.name, g.short_name):
            res = places.place(text)
            if res.in_bw is not True or g not in res.candidates:
                misses.append(text)
    assert misses == [], f"{len(misses)} names not resolved, e.g. {misses[:10]}"


def test_official_name_is_unique_where_the_register_is(places):
    """Only names shared by several Gemeinden may give several candidates."""
    from collections import Counter

    def base(g):  # "Weingarten (Baden)" is also called "Weingarten", like Weingarten near Ravensburg
        return g.short_name.split(" (")[0]

    shared = {n for n, c in Counter(base(g) for g in places.register.gemeinden).items() if c > 1}
    for g in places.register.gemeinden:
        res = places.place(g.short_name)
        if base(g) not in shared:
            assert res.candidates == [g], g.short_name
        else:
            assert g in res.candidates and all(base(c) == base(g) for c in res.candidates)


def test_every_bw_plz_resolves_and_shared_plz_list_all_gemeinden(places):
    plz_map = places.register.plz_map
    assert len(plz_map) > 1100
    ambiguous = {}
    for plz, gemeinden in plz_map.items():
        res = places.place(plz)
        assert res.in_bw is True and set(res.candidates) == set(gemeinden), plz
        if len(gemeinden) > 1:
            ambiguous[plz] = sorted(g.short_name for g in gemeinden)
    print(f"\n{len(plz_map)} BW PLZ resolve; {len(ambiguous)} are shared by several Gemeinden, e.g.:")
    for plz in sorted(ambiguous)[:10]:
        print(f"  {plz}: {', '.join(ambiguous[plz])}")
    assert ambiguous, "the OSM table has PLZ shared by several Gemeinden"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("in Stuttgart", "Stuttgart"),
        ("aus Schwäbisch Hall", "Schwäbisch Hall"),
        ("wohne in 70734", "Fellbach"),
        ("Ueberlingen", "Überlingen"),
        ("UEBERLINGEN", "Überlingen"),
        ("Überlingen", "Überlingen"),
        ("Schwäb. Gmünd", "Schwäbisch Gmünd"),
        ("Stutgart", "Stuttgart"),
        ("Freiburg", "Freiburg im Breisgau"),
        ("St. Georgen", "St. Georgen im Schwarzwald"),
        ("Sankt Blasien", "St. Blasien"),
        ("08119020", "Fellbach"),
        ("Fellbach, Stadt", "Fellbach"),
        ("Ich brauche einen neuen Perso, ich wohne in Fellbach", "Fellbach"),
        ("Wir ziehen von Esslingen nach Fellbach", "Fellbach"),
        ("ich ziehe nach Ulm", "Ulm"),
        ("Tubingen", "Tübingen"),
        ("Bad Cannstatt", "Stuttgart"),
    ],
)
def test_free_text_resolves_to_the_gemeinde(places, text, expected):
    res = places.place(text)
    assert res.in_bw is True
    assert [g.short_name for g in res.candidates] == [expected]


def test_shared_name_returns_every_candidate_with_its_kreis(places):
    res = places.place("Altdorf")
    assert res.ambiguous
    assert {c["kreis"] for c in res.to_dict()["candidates"]} == {"Landkreis Böblingen", "Landkreis Esslingen"}


@pytest.mark.parametrize(("text", "land"), [("Berlin", "Berlin"), ("80331", "Bayern"), ("Ich wohne in München", "Bayern")])
def test_places_outside_bw_are_reported_as_outside(places, text, land):
    res = places.place(text)
    assert res.in_bw is False
    assert res.candidates == []
    assert res.land == land


@pytest.mark.parametrize(
    "text",
    ["weil ich umgezogen bin", "ich gehe in den Wald", "Hundesteuer", "Wie wird das Wetter morgen?", "ich will singen", ""],
)
def test_common_words_are_not_mistaken_for_places(places, text):
    assert places.place(text).in_bw is None


def test_a_portal_after_bei_is_no_place_outside_bw(places):
    assert places.place("Ich will mich mit dem Ausweis bei ELSTER anmelden").in_bw is None  # not Bad Elster
    assert places.place("Ich wohne in Bad Elster").land == "Sachsen"


@pytest.mark.parametrize("text", ["Gilt das Kampfhundegesetz in Baden-Württemberg?", "in Baden Württemberg",
                                  "Ich komme aus Baden-Wurttemberg"])
def test_the_land_names_no_gemeinde(places, text):
    """"Baden" alone is an alias of Baden-Baden; the Land's name is not (it gave the office of Baden-Baden)."""
    assert places.place(text).in_bw is None


def test_a_gemeinde_next_to_the_land_still_resolves(places):
    assert [g.short_name for g in places.place("Ich wohne in Baden-Württemberg, in Ulm").candidates] == ["Ulm"]
    assert [g.short_name for g in places.place("Ich wohne in Baden").candidates] == ["Baden-Baden"]


def test_common_word_place_counts_after_a_preposition(places):
    assert [g.short_name for g in places.place("Ich ziehe nach Forst").candidates] == ["Forst"]


@pytest.mark.parametrize("text", ["falsch", "Das ist falsch", "nein, falsch", "heute", "wieder", "Leute", "Eltern"])
def test_ordinary_words_never_become_places_by_typo_matching(places, text):
    """Issue 9: "falsch" was fuzzy-matched to Malsch (and the bot asked back which Malsch)."""
    assert places.place(text).in_bw is None


def test_a_correction_keeps_the_place_the_citizen_names(places):
    res = places.place("Das ist falsch, ich wohne in Fellbach")
    assert [g.short_name for g in res.candidates] == ["Fellbach"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Fellbah", "Fellbach"),
        ("Stutgart", "Stuttgart"),
        ("ich wohne in Manheim", "Mannheim"),
        ("Heidelbrg", "Heidelberg"),
        ("in Schwäbisch Hal", "Schwäbisch Hall"),
        ("Bad Urac", "Bad Urach"),
    ],
)
def test_typos_of_real_place_names_still_resolve(places, text, expected):
    res = places.place(text)
    assert res.match == "fuzzy"
    assert [g.short_name for g in res.candidates] == [expected]


@pytest.mark.parametrize(("text", "expected"), [("Ulm", "Ulm"), ("Wald", "Wald"), ("ich wohne in Wald", "Wald")])
def test_exact_place_names_match_even_when_they_are_ordinary_words(places, text, expected):
    assert [g.short_name for g in places.place(text).candidates] == [expected]


def test_no_frequent_german_word_is_typo_matched_to_a_place(places):
    from wordfreq import top_n_list

    words = [w for w in top_n_list("de", 8000) if w.isalpha() and len(w) >= 5]
    fuzzy = [w for w in words if places.place(w).match == "fuzzy"]
    assert fuzzy == []


def test_the_word_frequency_list_is_not_loaded_at_import():
    import subprocess
    import sys

    code = ("import sys, bot.core, bot.places.resolver; "
            "print(any(m in sys.modules for m in ('wordfreq', 'bot.wordfreq_de', 'msgpack')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
