"""Evaluation metrics on labelled examples and the comparison with a previous report (no Rasa needed).

Intent scores follow scikit-learn's classification report (labels = every expected or predicted
intent; macro = plain mean, weighted = weighted by the number of examples), as ``rasa test nlu``
does. Entities count as found only with the exact span and label.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from bot.staff.yaml_lines import Example

WORST = 15
INTENT_DROP = 0.05  # per-intent F1 drop that counts as a regression
OVERALL_DROP = 0.02  # drop of an overall score that counts as a regression
#: overall scores watched for regressions, with their German labels
WATCHED = {
    "intent_weighted_f1": "Absichten F1 (gewichtet)",
    "intent_macro_f1": "Absichten F1 (Makro)",
    "entity_f1": "Entitäten F1 (gewichtet)",
    "service_top1": "Leistungssuche Top-1",
}


@dataclass(frozen=True)
class Prediction:
    """What the model said about one example."""

    intent: str
    confidence: float
    entities: tuple[tuple[int, int, str], ...] = ()
    fallback: bool = False  # the bot would have asked the citizen to rephrase


def _prf(tp: int, predicted: int, expected: int) -> dict:
    precision = tp / predicted if predicted else 0.0
    recall = tp / expected if expected else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1, "support": expected}


def _averages(per: dict[str, dict]) -> tuple[float, float]:
    total = sum(s["support"] for s in per.values())
    macro = sum(s["f1"] for s in per.values()) / len(per) if per else 0.0
    weighted = sum(s["f1"] * s["support"] for s in per.values()) / total if total else 0.0
    return macro, weighted


def intent_scores(expected: list[str], predicted: list[str]) -> dict:
    """Per-intent precision/recall/F1 plus macro and weighted F1 and accuracy."""
    labels = sorted(set(expected) | set(predicted))
    pairs = Counter(zip(expected, predicted, strict=True))
    gold, pred = Counter(expected), Counter(predicted)
    per = {label: _prf(pairs[label, label], pred[label], gold[label]) for label in labels}
    macro, weighted = _averages(per)
    correct = sum(pairs[label, label] for label in labels)
    return {"per_intent": per, "macro_f1": macro, "weighted_f1": weighted,
            "accuracy": correct / len(expected) if expected else 0.0}


def entity_scores(expected: list[set[tuple[int, int, str]]], predicted: list[set[tuple[int, int, str]]]) -> dict:
    """Per-entity precision/recall/F1 (exact span and label), micro and weighted F1."""
    tp: Counter[str] = Counter()
    gold: Counter[str] = Counter()
    pred: Counter[str] = Counter()
    for g, p in zip(expected, predicted, strict=True):
        gold.update(label for _, _, label in g)
        pred.update(label for _, _, label in p)
        tp.update(label for _, _, label in g & p)
    per = {label: _prf(tp[label], pred[label], gold[label]) for label in sorted(set(gold) | set(pred))}
    _, weighted = _averages(per)
    micro = _prf(sum(tp.values()), sum(pred.values()), sum(gold.values()))["f1"]
    return {"per_entity": per, "weighted_f1": weighted, "micro_f1": micro}


def confusion(expected: list[str], predicted: list[str]) -> tuple[list[str], list[list[int]]]:
    """Labels and matrix: rows = expected intent, columns = predicted intent."""
    labels = sorted(set(expected) | set(predicted))
    index = {label: i for i, label in enumerate(labels)}
    matrix = [[0] * len(labels) for _ in labels]
    for g, p in zip(expected, predicted, strict=True):
        matrix[index[g]][index[p]] += 1
    return labels, matrix


def worst_errors(examples: list[Example], predictions: list[Prediction], limit: int = WORST) -> list[dict]:
    """The wrong intent predictions the model was most sure about."""
    wrong = [(p.confidence, ex, p) for ex, p in zip(examples, predictions, strict=True) if p.intent != ex.intent]
    wrong.sort(key=lambda t: (-t[0], t[1].file, t[1].line))
    return [{"text": ex.text, "where": ex.where, "expected": ex.intent, "predicted": p.intent,
             "confidence": round(conf, 4)} for conf, ex, p in wrong[:limit]]


def build_metrics(examples: list[Example], predictions: list[Prediction], search: dict | None, meta: dict) -> dict:
    """Everything ``metrics.json`` holds (apart from the comparison)."""
    expected = [ex.intent for ex in examples]
    predicted = [p.intent for p in predictions]
    intents = intent_scores(expected, predicted)
    entities = entity_scores([{(e.start, e.end, e.entity) for e in ex.entities} for ex in examples],
                             [set(p.entities) for p in predictions])
    labels, matrix = confusion(expected, predicted)
    summary = {
        "examples": len(examples),
        "intent_weighted_f1": intents["weighted_f1"],
        "intent_macro_f1": intents["macro_f1"],
        "intent_accuracy": intents["accuracy"],
        "entity_f1": entities["weighted_f1"],
        "entity_micro_f1": entities["micro_f1"],
        "fallback_rate": sum(p.fallback for p in predictions) / len(predictions) if predictions else 0.0,
        "service_top1": search["top1"] if search else None,
        "service_top3": search["top3"] if search else None,
    }
    return {
        **meta,
        "summary": summary,
        "intents": intents["per_intent"],
        "entities": entities["per_entity"],
        "confusion": {"labels": labels, "matrix": matrix},
        "worst": worst_errors(examples, predictions),
        "search": None if search is None else {k: v for k, v in search.items() if k != "misses"}
        | {"misses": search.get("misses", [])[:WORST], "miss_count": len(search.get("misses", []))},
    }


def check_floors(summary: dict, intent_floor: float, entity_floor: float) -> list[str]:
    """German reasons why the model is below a floor (empty = passed)."""
    reasons = []
    if summary["intent_weighted_f1"] < intent_floor:
        reasons.append(f"Absichten F1 {summary['intent_weighted_f1']:.3f} liegt unter der Untergrenze {intent_floor:.2f}")
    if summary["entity_f1"] < entity_floor:
        reasons.append(f"Entitäten F1 {summary['entity_f1']:.3f} liegt unter der Untergrenze {entity_floor:.2f}")
    return reasons


def compare(current: dict, previous: dict | None) -> dict | None:
    """Deltas against the previous report; regressions flagged (None if there is nothing to compare)."""
    if not previous or "summary" not in previous:
        return None
    same_file = previous.get("nlu_file") == current.get("nlu_file")
    overall = {}
    regressions = []
    for key, label in WATCHED.items():
        now, before = current["summary"].get(key), previous["summary"].get(key)
        if now is None or before is None:
            continue
        regression = same_file and before - now > OVERALL_DROP + 1e-9
        overall[key] = {"previous": before, "current": now, "delta": now - before, "regression": regression}
        if regression:
            regressions.append(f"{label}: {before:.3f} → {now:.3f}")
    intents = {}
    for name, scores in current["intents"].items():
        old = previous.get("intents", {}).get(name)
        if old is None or not scores["support"]:
            continue
        regression = same_file and old["f1"] - scores["f1"] > INTENT_DROP + 1e-9
        intents[name] = {"previous": old["f1"], "current": scores["f1"], "delta": scores["f1"] - old["f1"],
                         "regression": regression}
        if regression:
            regressions.append(f"Absicht '{name}': F1 {old['f1']:.3f} → {scores['f1']:.3f}")
    notes = []
    if not same_file:
        notes.append(f"Der vorige Bericht nutzte eine andere Testdatei ({previous.get('nlu_file')}); "
                     "die Werte sind nicht vergleichbar, Rückschritte werden daher nicht markiert.")
    elif previous["summary"].get("examples") != current["summary"]["examples"]:
        notes.append(f"Die Testdatei hatte damals {previous['summary'].get('examples')} Beispiele, jetzt "
                     f"{current['summary']['examples']}; die Werte sind nur bedingt vergleichbar.")
    return {"previous_created": previous.get("created"), "previous_model": previous.get("model"),
            "overall": overall, "intents": intents, "regressions": regressions, "notes": notes}
