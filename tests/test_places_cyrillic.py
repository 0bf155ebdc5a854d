"""BW places written in Cyrillic (Ukrainian and Russian spellings, declined), on the real register."""

from __future__ import annotations

import time

import pytest

from bot.places.cyrillic import MAX_CANDIDATES, MAX_VARIANTS, latin_variants, place_candidates, stems
from bot.places.resolver import PlaceResolver

#: Names as Ukrainian media and Wikipedia write them (not derived from our rules), with the AGS.
UKRAINIAN_NAMES = {
    "Штутгарт": "08111000", "Мангайм": "08222000", "Карлсруе": "08212000",
    "Фрайбург-ім-Брайсгау": "08311000", "Гайдельберг": "08221000", "Ульм": "08421000",
    "Гайльбронн": "08121000", "Пфорцгайм": "08231000", "Ройтлінген": "08415061",
    "Есслінген-ам-Неккар": "08116019", "Людвігсбург": "08118048", "Тюбінген": "08416041",
    "Філлінген-Швеннінген": "08326074", "Констанц": "08335043", "Аален": "08136088",
    "Зінделфінген": "08115045", "Шорндорф": "08119067", "Вайблінген": "08119079",
    "Оффенбург": "08317096", "Геппінген": "08117026", "Баден-Баден": "08211000",
    "Равенсбург": "08436064", "Фрідріхсгафен": "08435016", "Раштатт": "08216043",
    "Нюртінген": "08116049", "Леонберг": "08115028", "Беблінген": "08115003", "Фельбах": "08119020",
    "Бітігайм-Біссінген": "08118079", "Швебіш-Галль": "08127076",
}


@pytest.fixture(scope="module")
def resolver(core) -> PlaceResolver:
    return core.resolver


@pytest.mark.parametrize(("name", "ags"), sorted(UKRAINIAN_NAMES.items()))
def test_ukrainian_name_resolves_to_its_gemeinde(resolver, name, ags):
    res = resolver.resolve(name)
    assert res.in_bw is True and [g.ags for g in res.candidates] == [ags], (name, res.matched)


@pytest.mark.parametrize(
    ("text", "ags"),
    [
        ("Я живу в Ульмі", "08421000"),
        ("ми переїхали до Штутгарта минулого місяця", "08111000"),
        ("Мені потрібен паспорт, я живу у Фрайбурзі", "08311000"),
        ("в Людвігсбурзі", "08118048"),
        ("працюю в Гайдельберзі, а живу тут", "08221000"),
        ("Добрий день! Я з Тюбінгена", "08416041"),
        ("в Мангеймe", "08222000"),  # Russian spelling
        ("Гейдельберг", "08221000"),  # Russian spelling
        ("живу в ульмі", "08421000"),  # lower-case, exact
    ],
)
def test_declined_and_russian_forms_in_sentences(resolver, text, ags):
    res = resolver.resolve(text)
    assert [g.ags for g in res.candidates] == [ags], (text, res.match, res.matched)


def test_places_outside_bw_in_cyrillic_are_outside(resolver):
    for text in ("Я живу в Берліні", "Мюнхен"):
        res = resolver.resolve(text)
        assert res.in_bw is False, text
    assert resolver.resolve("Я живу в Берліні").outside_name == "Berlin"


@pytest.mark.parametrize(
    "text",
    [
        "Добрий день, мені потрібен новий закордонний паспорт",
        "Скільки це коштує?",
        "Ви можете мені допомогти?",
        "переїхала в межах міста, що треба робити",  # lower-case ordinary word after "в"
        "жоден з них",
        "Я хочу записатися на термін",
        "Здравствуйте, сколько стоит паспорт?",
    ],
)
def test_ordinary_cyrillic_words_are_no_place(resolver, text):
    assert resolver.resolve(text).in_bw is None, text


def test_latin_place_still_wins_in_a_mixed_message(resolver):
    res = resolver.resolve("живу в Esslingen, працюю в Штутгарті")
    assert [g.ags for g in res.candidates] == ["08116019"]


def test_cyrillic_alias_from_the_alias_file(tmp_path, core):
    aliases = tmp_path / "aliases.yml"
    aliases.write_text('aliases:\n  Штуттгард-Центр: "08111000"\n', encoding="utf-8")
    resolver = PlaceResolver(core.register, aliases)
    assert [g.ags for g in resolver.resolve("я живу в Штуттгард-Центр").candidates] == ["08111000"]


def test_work_is_bounded():
    long_word = "Ш" + "щ" * 200
    assert len(latin_variants(long_word)) <= MAX_VARIANTS
    assert len(latin_variants("гггггггггггггггггггг")) <= MAX_VARIANTS
    text = " ".join(["в Ульмі"] * 100)
    assert len(place_candidates(text)) <= MAX_CANDIDATES
    assert stems("ульмі")[:2] == ["ульмі", "ульм"]


def test_variants_start_with_the_likeliest_spelling():
    assert latin_variants("ульм")[0] == "ulm"
    assert "heidelberg" in latin_variants("гайдельберг")
    assert latin_variants("штутгарт")[0].startswith("st")


def test_hostile_cyrillic_input_is_quick(resolver):
    text = " ".join(f"В{'г' * 20}і" for _ in range(300))
    start = time.process_time()
    resolver.resolve(text)
    assert time.process_time() - start < 0.5
