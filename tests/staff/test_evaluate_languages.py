"""``bot eval`` per language on a fake parser and a fake core (no Rasa model): intent F1, and the Leistung
the bot would pick (an entity id first, else the German search) against the expected one."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest

from bot.staff.evaluate_languages import (
    evaluate_languages,
    judge_languages,
    language_scores,
    markdown_section,
    span_labels,
)
from bot.staff.yaml_lines import Example, parse_annotations

SERVICES = {sid: SimpleNamespace(id=sid, name=name, synonyms=syn, curated=True) for sid, name, syn in (
    ("personalausweis", "Personalausweis beantragen", ("Perso", "Ausweis")),
    ("reisepass", "Reisepass beantragen", ("Pass",)),
    ("wohnsitz_anmelden", "Wohnsitz anmelden", ("Anmeldung",)),
)}


class FakeCore:
    """The catalogue above; the German search finds a Leistung only by a German word in the text."""

    def __init__(self) -> None:
        self.catalogue = SimpleNamespace(services=list(SERVICES.values()), get=SERVICES.get)

    def search(self, text: str, limit: int = 5) -> list:
        words = {"anmeldung": "wohnsitz_anmelden", "reisepass": "reisepass", "perso": "personalausweis"}
        found = [sid for word, sid in words.items() if word in text.lower()]
        return [SimpleNamespace(service=SERVICES[sid], score=0.9) for sid in found][:limit]


def example(raw: str, intent: str = "search_service", line: int = 1) -> Example:
    text, entities = parse_annotations(raw)
    return Example("t.yml", line, intent, raw, text, entities)


def parser(answers: dict[str, tuple[str, list[dict]]]):
    return lambda text: {"intent": {"name": answers[text][0], "confidence": 0.9}, "entities": answers[text][1]}


def test_an_entity_id_wins_and_the_search_is_the_fallback() -> None:
    examples = [example('[kimlik kartı]{"entity": "service", "value": "personalausweis"} lazım'),
                example("how do i do the [Anmeldung](service) in Ulm"),
                example("my [passport](service) expired"),  # no id, no known span: not counted
                example("hello there", "greet")]
    parse = parser({
        "kimlik kartı lazım": ("search_service", [{"entity": "service", "value": "personalausweis"}]),
        "how do i do the Anmeldung in Ulm": ("search_service", [{"entity": "service", "value": "Anmeldung"}]),
        "my passport expired": ("search_service", []),
        "hello there": ("search_service", []),  # a wrong intent
    })
    scores = language_scores(FakeCore(), examples, parse, span_labels(FakeCore(), []))
    assert scores["labelled"] == 2 and scores["service_top1"] == 1.0  # "Anmeldung" is a catalogue synonym
    assert scores["intent_accuracy"] == pytest.approx(3 / 4)
    assert scores["intent_weighted_f1"] == pytest.approx((3 * (2 * 1 * 0.75 / 1.75) + 0 * 1) / 4)


def test_a_wrong_pick_is_a_miss_with_where_and_what() -> None:
    examples = [example('i need a [Perso]{"entity": "service", "value": "reisepass"} now')]
    scores = language_scores(FakeCore(), examples, parser({"i need a Perso now": ("search_service", [])}), {})
    assert scores["service_top1"] == 0.0
    assert scores["misses"] == [{"text": "i need a Perso now", "where": "t.yml:1", "expected": "reisepass",
                                 "got": "personalausweis"}]  # the German search read "Perso"


def test_the_foreign_training_annotations_label_the_same_span() -> None:
    training = [example('[kimlik kartı]{"entity": "service", "value": "personalausweis"} nasıl alınır')]
    labels = span_labels(FakeCore(), training)
    scores = language_scores(FakeCore(), [example("yeni [Kimlik Kartı](service) lazım")],
                             parser({"yeni Kimlik Kartı lazım": ("search_service", [])}), labels)
    assert scores["labelled"] == 1 and scores["service_top1"] == 0.0  # labelled, but nothing picked it


def test_every_held_out_file_that_exists_is_evaluated(tmp_path: Path) -> None:
    (tmp_path / "tests/nlu").mkdir(parents=True)
    (tmp_path / "data/nlu_i18n/tr").mkdir(parents=True)
    (tmp_path / "data/nlu_i18n/tr/services.yml").write_text(
        'version: "3.1"\nnlu:\n- intent: search_service\n  examples: |\n'
        '    - [kimlik kartı]{"entity": "service", "value": "personalausweis"} nasıl alınır\n', encoding="utf-8")
    (tmp_path / "tests/nlu/test_nlu_tr.yml").write_text(
        'version: "3.1"\nnlu:\n- intent: search_service\n  examples: |\n    - yeni [kimlik kartı](service) lazım\n'
        "- intent: greet\n  examples: |\n    - merhaba\n", encoding="utf-8")
    parse = parser({"yeni kimlik kartı lazım": ("search_service", [{"entity": "service", "value": "personalausweis"}]),
                    "merhaba": ("greet", [])})
    result = evaluate_languages(tmp_path, FakeCore(), parse)
    assert list(result) == ["tr"]
    assert result["tr"]["file"] == "tests/nlu/test_nlu_tr.yml"
    assert (result["tr"]["intent_weighted_f1"], result["tr"]["service_top1"], result["tr"]["labelled"]) == (1.0, 1.0, 1)


LANGUAGES = {"en": {"file": "tests/nlu/test_nlu_en.yml", "examples": 100, "intent_weighted_f1": 0.7,
                     "service_top1": None, "labelled": 0},
             "uk": {"file": "tests/nlu/test_nlu_uk.yml", "examples": 120, "intent_weighted_f1": 0.95,
                    "service_top1": 0.5, "labelled": 40}}


def test_goals_enforced_fail_every_language_below_its_floor(monkeypatch) -> None:
    monkeypatch.setenv("QUALITY_GOALS", "enforce")
    assert judge_languages(LANGUAGES, 0.85, 0.8, baseline={}) == ["en: Absichten F1 0.700 (Ziel 0.85)",
                                                                  "uk: Leistung Top-1 0.500 (Ziel 0.80)"]


def test_goals_reported_fail_only_a_language_worse_than_its_comparison_value(monkeypatch) -> None:
    monkeypatch.setenv("QUALITY_GOALS", "report")
    baseline = {"intent_f1_en": 0.69, "service_top1_uk": 0.5}
    assert judge_languages(LANGUAGES, 0.85, 0.8, baseline=baseline) == []
    worse = {"intent_f1_en": 0.75, "service_top1_uk": 0.5}  # 0.70 < 0.75 - max(0.02, 2/100)
    assert judge_languages(LANGUAGES, 0.85, 0.8, baseline=worse) == ["en: Absichten F1 0.700 (Ziel 0.85)"]
    noise = {"intent_f1_en": 0.72, "service_top1_uk": 0.54}  # within 2 examples of noise
    assert judge_languages(LANGUAGES, 0.85, 0.8, baseline=noise) == []
    assert judge_languages(LANGUAGES, 0.85, 0.8, baseline={})  # no comparison value: not silently passed


def test_figures_are_shown_next_to_german() -> None:
    languages = {"en": {"file": "tests/nlu/test_nlu_en.yml", "examples": 10, "intent_weighted_f1": 0.7,
                        "service_top1": None, "labelled": 0},
                 "uk": {"file": "tests/nlu/test_nlu_uk.yml", "examples": 12, "intent_weighted_f1": 0.95,
                        "service_top1": 0.5, "labelled": 4}}
    german = {"nlu_file": "tests/nlu/test_nlu.yml", "summary": {"examples": 514, "intent_weighted_f1": 0.91,
                                                                 "service_top1": 0.874}}
    rows = markdown_section(german, languages, {"language_intent": 0.85, "language_top1": 0.8})
    assert "| de | `tests/nlu/test_nlu.yml` | 514 | 0,910 | 0,874 | – |" in rows
    assert "| en | `tests/nlu/test_nlu_en.yml` | 10 | 0,700 | – | 0 |" in rows
    assert "| uk | `tests/nlu/test_nlu_uk.yml` | 12 | 0,950 | 0,500 | 4 |" in rows


class GreetingAgent:
    """A fake Rasa agent: 'greet' for everything, no entities."""

    async def parse_message(self, text: str) -> dict:
        return {"intent": {"name": "greet", "confidence": 0.7}, "intent_ranking": [], "entities": []}


def test_bot_eval_fails_on_languages_below_their_goal(tmp_path: Path, monkeypatch, capsys) -> None:
    import json

    import bot.parse
    from bot.cli import main

    monkeypatch.setenv("QUALITY_GOALS", "enforce")
    monkeypatch.setattr(bot.parse, "latest_model", lambda _: tmp_path / "fake.tar.gz")
    monkeypatch.setattr(bot.parse, "load_agent", lambda _: GreetingAgent())
    labelled = tmp_path / "kommune.yml"
    labelled.write_text('version: "3.1"\nnlu:\n- intent: greet\n  examples: |\n    - hallo\n', encoding="utf-8")
    out = tmp_path / "eval"
    code = main(["eval", "--nlu", str(labelled), "--out", str(out), "--no-search", "--min-entity-f1", "0",
                 "--baseline", str(tmp_path / "none.json"), "--min-language-intent-f1", "0.99"])
    printed = capsys.readouterr().out
    data = json.loads((out / "metrics.json").read_text(encoding="utf-8"))
    assert code == 1  # far below the language goals, which are enforced here
    assert {f.split(":")[0] for f in data["failures"]} == {"en", "tr", "uk"}
    assert set(data["languages"]) == {"en", "tr", "uk"} and data["floors"]["language_intent"] == 0.99
    assert data["languages"]["en"]["intent_weighted_f1"] < 0.2
    assert "NICHT BESTANDEN: en: Absichten F1" in printed
    assert "## Sprachen" in (out / "report.md").read_text(encoding="utf-8")
