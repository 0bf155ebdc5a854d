"""``bot eval`` per language: intent F1 and Leistung top-1 on the held-out English, Turkish and Ukrainian
files (``tests/nlu/test_nlu_{en,tr,uk}.yml``), next to the German figures.

**Intent F1**: weighted F1 as for German (:func:`bot.staff.metrics.intent_scores`).

**Leistung top-1**: for each ``search_service`` example whose Leistung is known, whether the bot picks
it — as the actions do (``actions.context.service_from_message``): a predicted ``service`` entity whose
value is a catalogue id, else the German search of the whole message (a hit of at least ``GOOD_MATCH``).
The expected Leistung is the annotated value where it is a catalogue id
(``[kimlik kartı]{"entity": "service", "value": "personalausweis"}``), else the id that the project's own
data gives that exact annotated text (catalogue names and synonyms, the annotations of ``data/nlu_i18n``);
examples without one are not counted (``labelled`` says how many were).

Floors (``--min-language-intent-f1``, ``--min-language-top1``) are judged like every quality goal
(:func:`judge_languages`, :mod:`bot.staff.goals`): ``make quality-goals`` enforces them; ``make test``
(goals reported) fails when a language falls below its committed comparison value
(``intent_f1_<lang>``, ``service_top1_<lang>`` in ``tests/eval/baseline.json``). No Rasa here: ``parse`` is any
``text -> parse_message result`` callable, so the computation is tested on a fake parser.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, Protocol

from bot.rasa_tests import INTENT_F1_FLOOR
from bot.search import GOOD_MATCH
from bot.staff.goals import judge
from bot.staff.metrics import intent_scores
from bot.staff.yaml_lines import Example, read_examples, rel
from bot.text import fold

HELDOUT = {"en": "tests/nlu/test_nlu_en.yml", "tr": "tests/nlu/test_nlu_tr.yml", "uk": "tests/nlu/test_nlu_uk.yml"}
I18N_DIR = "data/nlu_i18n"
#: The goals of the issues, the same in every language: intent F1 0.90 (issue 9, as for German) and
#: Leistung top-1 0.80 (the search floor of issue 9).
LANGUAGE_INTENT_F1_FLOOR = INTENT_F1_FLOOR
LANGUAGE_TOP1_FLOOR = 0.80
SEARCH_INTENT = "search_service"
FALLBACK_INTENT = "nlu_fallback"


class CoreLike(Protocol):
    """What the Leistung choice needs of ``bot.core.Core``."""

    catalogue: Any

    def search(self, text: str, limit: int = 5) -> list: ...


def _key(text: str) -> str:
    return " ".join(fold(text.replace("ı", "i")).split()) or text.casefold().strip()


def span_labels(core: CoreLike, examples: Iterable[Example]) -> dict[str, str]:
    """Folded annotated text → catalogue id: catalogue names and synonyms, then annotations with an id value."""
    labels: dict[str, str] = {}
    for service in getattr(core.catalogue, "services", ()):
        if getattr(service, "curated", False):
            for text in (service.name, *service.synonyms):
                labels.setdefault(_key(text), service.id)
    for ex in examples:
        for e in ex.entities:
            if e.entity == "service" and core.catalogue.get(e.value) is not None:
                labels.setdefault(_key(e.text), e.value)
    return labels


def expected_service(core: CoreLike, example: Example, labels: dict[str, str]) -> str | None:
    for e in example.entities:
        if e.entity != "service":
            continue
        if core.catalogue.get(e.value) is not None:
            return e.value
        if (sid := labels.get(_key(e.text))) is not None:
            return sid
    return None


def chosen_service(core: CoreLike, text: str, result: dict) -> str | None:
    """The Leistung the bot would pick for this parse (entity id first, then the German search)."""
    for e in result.get("entities") or []:
        if e.get("entity") == "service" and core.catalogue.get(str(e.get("value"))) is not None:
            return str(e["value"])
    hits = [h for h in core.search(text, 1) if h.score >= GOOD_MATCH]
    return hits[0].service.id if hits else None


def _intent(result: dict) -> str:
    intent = result.get("intent") or {}
    ranking = result.get("intent_ranking") or []
    if intent.get("name") == FALLBACK_INTENT and len(ranking) > 1:  # undone like rasa test nlu
        intent = ranking[1]
    return str(intent.get("name") or "")


def language_scores(core: CoreLike, examples: list[Example], parse: Callable[[str], dict],
                    labels: dict[str, str]) -> dict:
    """Intent F1 and Leistung top-1 of one language's examples."""
    results = [parse(ex.text) for ex in examples]
    intents = intent_scores([ex.intent for ex in examples], [_intent(r) for r in results])
    labelled = hits = 0
    misses = []
    for ex, result in zip(examples, results, strict=True):
        if ex.intent != SEARCH_INTENT or (expected := expected_service(core, ex, labels)) is None:
            continue
        labelled += 1
        got = chosen_service(core, ex.text, result)
        hits += got == expected
        if got != expected:
            misses.append({"text": ex.text, "where": ex.where, "expected": expected, "got": got})
    return {"examples": len(examples), "intent_weighted_f1": intents["weighted_f1"],
            "intent_accuracy": intents["accuracy"], "labelled": labelled,
            "service_top1": hits / labelled if labelled else None, "misses": misses[:15]}


def baseline_keys(lang: str) -> tuple[str, str]:
    """Keys of one language's comparison values in ``tests/eval/baseline.json`` (section ``quality``)."""
    return f"intent_f1_{lang}", f"service_top1_{lang}"


def judge_languages(languages: dict[str, dict], intent_floor: float, top1_floor: float,
                    baseline: dict[str, float] | None = None) -> list[str]:
    """German failure lines for the languages that miss their goal (goals enforced) or fall below their
    comparison value (goals reported). Small files: one example is ~1/n, so the allowed noise is
    ``max(0.02, 2/n)`` as for the small conversation groups."""
    failures = []
    for lang, s in languages.items():
        intent_key, top1_key = baseline_keys(lang)
        tolerance = max(0.02, 2 / max(1, s["examples"]))
        if not judge(f"{lang}: Absichten F1 ({s['file']})", s["intent_weighted_f1"], intent_floor, intent_key,
                     baseline=baseline, tolerance=tolerance):
            failures.append(f"{lang}: Absichten F1 {s['intent_weighted_f1']:.3f} (Ziel {intent_floor:.2f})")
        if s["service_top1"] is not None and not judge(
                f"{lang}: Leistung Top-1", s["service_top1"], top1_floor, top1_key, baseline=baseline,
                tolerance=max(0.02, 2 / max(1, s["labelled"]))):
            failures.append(f"{lang}: Leistung Top-1 {s['service_top1']:.3f} (Ziel {top1_floor:.2f})")
    return failures


def evaluate_languages(root: Path, core: CoreLike, parse: Callable[[str], dict],
                       files: dict[str, str] = HELDOUT) -> dict[str, dict]:
    """Every held-out language file that exists → its scores (with ``file``)."""
    training: list[Example] = []
    for path in sorted((root / I18N_DIR).glob("*/*.yml")):
        training += read_examples(path, root)[0]
    labels = span_labels(core, training)
    out = {}
    for lang, name in files.items():
        path = root / name
        if path.is_file():
            examples = read_examples(path, root)[0]
            out[lang] = {"file": rel(path, root), **language_scores(core, examples, parse, labels)}
    return out


def markdown_section(german: dict, languages: dict[str, dict], floors: dict) -> list[str]:
    """The report's table: German next to each held-out language, with the goals."""
    def cell(value: float | None) -> str:
        return "–" if value is None else f"{value:.3f}".replace(".", ",")

    lines = ["", "## Sprachen", "",
             f"Ziele: Absichten F1 {cell(floors['language_intent'])}, "
             f"Leistung Top-1 {cell(floors['language_top1'])}. Leistung Top-1: Beispiele der Absicht "
             "search_service mit bekannter Leistung; Deutsch: die Suchanfragen.", "",
             "| Sprache | Datei | Beispiele | Absichten F1 | Leistung Top-1 | gezählt |", "|---|---|---|---|---|---|",
             f"| de | `{german['nlu_file']}` | {german['summary']['examples']} | "
             f"{cell(german['summary']['intent_weighted_f1'])} | {cell(german['summary']['service_top1'])} | – |"]
    lines += [f"| {lang} | `{s['file']}` | {s['examples']} | {cell(s['intent_weighted_f1'])} | "
              f"{cell(s['service_top1'])} | {s['labelled']} |" for lang, s in languages.items()]
    return lines
