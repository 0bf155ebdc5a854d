"""``bot eval``: metrics and comparison on hand-made predictions; one slow run against the real model."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sklearn.metrics import classification_report

from bot.cli import main
from bot.staff import report
from bot.staff.evaluate import rotate, to_prediction
from bot.staff.metrics import (
    Prediction,
    build_metrics,
    check_floors,
    compare,
    confusion,
    entity_scores,
    intent_scores,
    worst_errors,
)
from bot.staff.yaml_lines import Example, parse_annotations

LABELLED = """version: "3.1"
nlu:
- intent: greet
  examples: |
    - hallo
    - grüß gott
- intent: search_service
  examples: |
    - ich brauche einen neuen [Perso](service)
    - [Hund anmelden](service) in [Fellbach](place)
"""


def example(raw: str, intent: str, line: int = 1) -> Example:
    text, entities = parse_annotations(raw)
    return Example("t.yml", line, intent, raw, text, entities)


def test_intent_scores_match_scikit_learn() -> None:
    expected = ["a", "a", "b", "b", "c", "c", "c"]
    predicted = ["a", "b", "b", "b", "a", "c", "d"]
    scores = intent_scores(expected, predicted)
    sk = classification_report(expected, predicted, output_dict=True, zero_division=0)
    for label in "abcd":
        assert scores["per_intent"][label]["f1"] == pytest.approx(sk[label]["f1-score"])
        assert scores["per_intent"][label]["precision"] == pytest.approx(sk[label]["precision"])
        assert scores["per_intent"][label]["support"] == sk[label]["support"]
    assert scores["macro_f1"] == pytest.approx(sk["macro avg"]["f1-score"])
    assert scores["weighted_f1"] == pytest.approx(sk["weighted avg"]["f1-score"])
    assert scores["accuracy"] == pytest.approx(4 / 7)


def test_entity_scores_need_exact_span_and_label() -> None:
    gold = [{(0, 5, "service"), (9, 12, "place")}, {(3, 8, "service")}]
    pred = [{(0, 5, "service"), (9, 13, "place")}, {(3, 8, "place")}]
    scores = entity_scores(gold, pred)
    assert scores["per_entity"]["service"] == pytest.approx({"precision": 1.0, "recall": 0.5, "f1": 2 / 3, "support": 2})
    assert scores["per_entity"]["place"]["f1"] == 0.0
    assert scores["micro_f1"] == pytest.approx(2 * (1 / 3) * (1 / 3) / (2 / 3))
    assert scores["weighted_f1"] == pytest.approx((2 / 3 * 2 + 0 * 1) / 3)


def test_confusion_matrix_rows_are_expected() -> None:
    labels, matrix = confusion(["a", "a", "b"], ["a", "b", "b"])
    assert labels == ["a", "b"]
    assert matrix == [[1, 1], [0, 1]]


def test_fallback_is_undone_like_rasa_test() -> None:
    result = {"intent": {"name": "nlu_fallback", "confidence": 0.45},
              "intent_ranking": [{"name": "nlu_fallback", "confidence": 0.45}, {"name": "ask_fees", "confidence": 0.4}],
              "entities": [{"start": 0, "end": 5, "entity": "service", "value": "x"}]}
    pred = to_prediction(result)
    assert (pred.intent, pred.confidence, pred.fallback) == ("ask_fees", 0.4, True)
    assert pred.entities == ((0, 5, "service"),)


def test_worst_errors_are_the_most_confident_wrong_ones() -> None:
    examples = [example(f"satz {i}", "a", i) for i in range(20)]
    preds = [Prediction("b" if i % 2 else "a", i / 20) for i in range(20)]
    worst = worst_errors(examples, preds, limit=3)
    assert [w["where"] for w in worst] == ["t.yml:19", "t.yml:17", "t.yml:15"]
    assert worst[0] == {"text": "satz 19", "where": "t.yml:19", "expected": "a", "predicted": "b", "confidence": 0.95}


def metrics_for(correct: int, nlu_file: str = "t.yml") -> dict:
    """10 'greet' and 10 'search_service' examples; ``correct`` of the search_service ones are right."""
    examples = [example("hallo", "greet", i) for i in range(10)]
    examples += [example("ich brauche einen [Perso](service)", "search_service", 10 + i) for i in range(10)]
    preds = [Prediction("greet", 0.9)] * 10
    preds += [Prediction("search_service" if i < correct else "greet", 0.8, ((18, 23, "service"),)) for i in range(10)]
    meta = {"created": "21.11.2026 10:00", "model": f"m{correct}.tar.gz", "nlu_file": nlu_file}
    return build_metrics(examples, preds, {"top1": 0.8, "top3": 0.9, "file": "q.yml", "queries": 10,
                                           "answerable": 10, "no_match_correct": 1.0, "misses": []}, meta)


def test_regression_is_flagged() -> None:
    before, after = metrics_for(10), metrics_for(8)
    comparison = compare(after, before)
    assert comparison["intents"]["search_service"]["regression"] is True
    assert comparison["overall"]["intent_weighted_f1"]["regression"] is True
    assert comparison["overall"]["service_top1"]["regression"] is False
    assert any("search_service" in r for r in comparison["regressions"])
    assert compare(before, after)["regressions"] == []  # improvements are not regressions
    assert compare(after, None) is None


def test_small_drop_or_other_test_file_is_not_a_regression() -> None:
    assert compare(metrics_for(10), metrics_for(10))["regressions"] == []
    other = compare(metrics_for(5, "kommune.yml"), metrics_for(10))
    assert other["regressions"] == [] and "andere Testdatei" in other["notes"][0]


def test_floors() -> None:
    summary = metrics_for(10)["summary"]
    assert check_floors(summary, 0.9, 0.8) == []
    assert "Absichten F1" in check_floors(metrics_for(5)["summary"], 0.9, 0.8)[0]


def test_report_files_and_regression_marker(tmp_path: Path) -> None:
    current = metrics_for(7)
    comparison = compare(current, metrics_for(10))
    failures = check_floors(current["summary"], 0.9, 0.8)
    report.write(tmp_path, current, comparison, {"intent": 0.9, "entity": 0.8}, failures)
    md = (tmp_path / "report.md").read_text(encoding="utf-8")
    for heading in ("# Auswertung des Sprachmodells", "## Überblick", "## Absichten", "## Verwechslungsmatrix",
                    "## Entitäten", "## Leistungssuche", "gravierendsten Fehler"):
        assert heading in md
    assert "**Ergebnis: NICHT BESTANDEN**" in md and "**REGRESSION**" in md
    assert "![Verwechslungsmatrix](confusion_matrix.png)" in md and "![F1 je Absicht](intent_f1.png)" in md
    for png in ("confusion_matrix.png", "intent_f1.png"):
        assert (tmp_path / png).read_bytes()[:4] == b"\x89PNG"
    data = json.loads((tmp_path / "metrics.json").read_text())
    assert data["passed"] is False and data["comparison"]["regressions"]


def test_rotate_moves_last_report(tmp_path: Path) -> None:
    report.write(tmp_path, metrics_for(9), None, {"intent": 0.9, "entity": 0.8}, [])
    rotate(tmp_path)
    assert not (tmp_path / "metrics.json").exists()
    assert json.loads((tmp_path / "previous" / "metrics.json").read_text())["model"] == "m9.tar.gz"


class FakeAgent:
    """Says 'greet' to everything and finds no entities."""

    async def parse_message(self, text: str) -> dict:
        return {"intent": {"name": "greet", "confidence": 0.7}, "intent_ranking": [], "entities": []}


def test_cli_run_with_fake_model(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    import bot.parse

    monkeypatch.setenv("QUALITY_GOALS", "enforce")  # the floors themselves (make test only reports them)
    monkeypatch.setattr(bot.parse, "latest_model", lambda _: tmp_path / "fake.tar.gz")
    monkeypatch.setattr(bot.parse, "load_agent", lambda _: FakeAgent())
    labelled = tmp_path / "kommune.yml"
    labelled.write_text(LABELLED, encoding="utf-8")
    out = tmp_path / "eval"
    args = ["eval", "--nlu", str(labelled), "--no-search", "--no-languages", "--out", str(out)]
    assert main(args) == 1  # greet only: below both floors
    assert main(args + ["--min-intent-f1", "0.3", "--min-entity-f1", "0"]) == 0
    text = capsys.readouterr().out
    assert "NICHT BESTANDEN: Absichten F1" in text and "Bericht:" in text
    assert (out / "previous" / "metrics.json").is_file()  # the first report was kept for comparison
    assert "Verglichen mit" in (out / "report.md").read_text(encoding="utf-8")


def test_cli_rejects_unlabelled_file(tmp_path: Path, capsys) -> None:
    bad = tmp_path / "bad.yml"
    bad.write_text("queries:\n  - text: hallo\n", encoding="utf-8")
    assert main(["eval", "--nlu", str(bad), "--no-search"]) == 2
    assert "nicht im Format" in capsys.readouterr().err


@pytest.mark.slow
def test_eval_on_real_model(tmp_path: Path, capsys) -> None:
    from bot.parse import ModelError, latest_model

    try:
        latest_model(None)
    except ModelError:
        pytest.skip("kein trainiertes Modell (zuerst `make train`)")
    labelled = tmp_path / "kommune.yml"
    labelled.write_text(LABELLED, encoding="utf-8")
    out = tmp_path / "eval"
    code = main(["eval", "--nlu", str(labelled), "--out", str(out), "--min-entity-f1", "0"])
    data = json.loads((out / "metrics.json").read_text())
    assert code == (0 if data["passed"] else 1)
    assert data["summary"]["examples"] == 4
    assert 0.0 <= data["summary"]["intent_weighted_f1"] <= 1.0
    assert set(data["intents"]) >= {"greet", "search_service"}
    assert 0.5 <= data["summary"]["service_top3"] <= 1.0
    assert "## Absichten" in (out / "report.md").read_text(encoding="utf-8")
    for png in ("confusion_matrix.png", "intent_f1.png"):
        assert (out / png).stat().st_size > 1000


def test_drop_against_the_committed_baseline_fails(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    """A fresh clone has no previous report: the committed baseline catches the regression."""
    import bot.parse

    monkeypatch.setattr(bot.parse, "latest_model", lambda _: tmp_path / "fake.tar.gz")
    monkeypatch.setattr(bot.parse, "load_agent", lambda _: FakeAgent())
    labelled = tmp_path / "kommune.yml"
    labelled.write_text(LABELLED, encoding="utf-8")
    baseline = tmp_path / "baseline.json"
    low = ["--min-intent-f1", "0", "--min-entity-f1", "0", "--no-search", "--no-languages", "--nlu", str(labelled)]
    assert main(["eval", *low, "--out", str(tmp_path / "a"), "--baseline", str(baseline), "--write-baseline"]) == 0
    written = json.loads(baseline.read_text(encoding="utf-8"))
    assert set(written["summary"]) >= {"intent_weighted_f1", "entity_f1", "service_top1", "examples"}
    assert main(["eval", *low, "--out", str(tmp_path / "b"), "--baseline", str(baseline)]) == 0  # same figures
    written["summary"]["intent_weighted_f1"] += 0.1  # the baseline was better than today's model
    baseline.write_text(json.dumps(written), encoding="utf-8")
    capsys.readouterr()
    assert main(["eval", *low, "--out", str(tmp_path / "c"), "--baseline", str(baseline)]) == 1
    out = capsys.readouterr().out
    assert "NICHT BESTANDEN" in out and "Baseline" in out and "Absichten F1 (gewichtet)" in out


def test_regression_against_the_previous_report_fails(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import bot.parse

    class Better(FakeAgent):
        async def parse_message(self, text: str) -> dict:
            intent = "search_service" if "[" not in text and ("Perso" in text or "Hund" in text) else "greet"
            return {"intent": {"name": intent, "confidence": 0.9}, "intent_ranking": [], "entities": []}

    monkeypatch.setattr(bot.parse, "latest_model", lambda _: tmp_path / "fake.tar.gz")
    labelled = tmp_path / "kommune.yml"
    labelled.write_text(LABELLED, encoding="utf-8")
    args = ["eval", "--nlu", str(labelled), "--no-search", "--no-languages", "--out", str(tmp_path / "eval"),
            "--baseline", str(tmp_path / "none.json"), "--min-intent-f1", "0", "--min-entity-f1", "0"]
    monkeypatch.setattr(bot.parse, "load_agent", lambda _: Better())
    assert main(args) == 0
    monkeypatch.setattr(bot.parse, "load_agent", lambda _: FakeAgent())
    assert main(args) == 1  # worse than the report before


def test_a_language_worse_than_its_comparison_value_fails(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                          capsys) -> None:
    """make test (goals reported): each language's intent F1 and Leistung top-1 are floors against the
    committed comparison values, like the German figures."""
    import bot.parse

    monkeypatch.setenv("QUALITY_GOALS", "report")
    monkeypatch.setattr(bot.parse, "latest_model", lambda _: tmp_path / "fake.tar.gz")
    monkeypatch.setattr(bot.parse, "load_agent", lambda _: FakeAgent())
    labelled = tmp_path / "kommune.yml"
    labelled.write_text(LABELLED, encoding="utf-8")
    baseline = tmp_path / "baseline.json"
    low = ["--min-intent-f1", "0", "--min-entity-f1", "0", "--no-search", "--nlu", str(labelled),
           "--baseline", str(baseline)]
    assert main(["eval", *low, "--out", str(tmp_path / "a"), "--write-baseline"]) == 0
    written = json.loads(baseline.read_text(encoding="utf-8"))
    assert {"intent_f1_en", "intent_f1_tr", "intent_f1_uk", "service_top1_uk"} <= set(written["quality"])
    assert main(["eval", *low, "--out", str(tmp_path / "b")]) == 0  # same figures: goal missed, reported
    written["quality"]["intent_f1_tr"] += 0.2
    baseline.write_text(json.dumps(written), encoding="utf-8")
    capsys.readouterr()
    assert main(["eval", *low, "--out", str(tmp_path / "c")]) == 1
    assert "NICHT BESTANDEN (REGRESSION): tr: Absichten F1" in capsys.readouterr().out
