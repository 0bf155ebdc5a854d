"""``bot eval``: how well the trained model understands a labelled file, as a report for staff.

Runs the model (loaded once) on every example of a Rasa NLU file (default: the held-out
``tests/nlu/test_nlu.yml``; a Kommune may pass its own file in the same shape), computes intent
precision/recall/F1, entity F1 (exact span and label), a confusion matrix, the service search's
top-1/top-3 (``scripts/eval_search.py``) and the worst errors, and writes ``report.md``,
``metrics.json`` and two PNG plots. The previous report in the output folder is moved to
``previous/`` and compared: drops are marked REGRESSION. The figures are also compared with the
committed baseline (``tests/eval/baseline.json``; a fresh clone has no previous report): a drop of
more than ``OVERALL_DROP`` there is a REGRESSION too. Exit code 1 when intent or entity F1 is below
the floor (the same floors as ``make test``) or a REGRESSION is flagged, 2 for an unusable input
file, 4 without a model. ``--write-baseline`` stores the current figures as the new baseline — a
deliberate step by staff after an accepted change (commit the file).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
import warnings
from datetime import datetime
from pathlib import Path

from bot.aio import run_sync
from bot.config import DATA_DIR_ENV, PROJECT_ROOT
from bot.rasa_tests import ENTITY_EXACT_F1_FLOOR, INTENT_F1_FLOOR, NLU_TEST_FILE
from bot.staff import evaluate_languages as per_language
from bot.staff import report
from bot.staff.goals import GOALS_ENV, baseline_values, goals_enforced, write_baseline_value
from bot.staff.metrics import Prediction, build_metrics, check_floors, compare
from bot.staff.yaml_lines import ERROR, Example, read_examples, rel

QUERIES_FILE = "tests/eval/service_queries.yml"
BASELINE_FILE = "tests/eval/baseline.json"
#: overall figures kept in the baseline (per-intent F1 on a few examples each is too noisy to gate on)
BASELINE_KEYS = ("intent_weighted_f1", "intent_macro_f1", "entity_f1", "service_top1", "service_top3")
OUT_DIR = "reports/eval"
PREVIOUS = "previous"
FALLBACK_INTENT = "nlu_fallback"
SEARCH_SCRIPT = PROJECT_ROOT / "scripts" / "eval_search.py"
HELP = ("Lässt das trainierte Modell alle Beispiele einer beschrifteten Datei deuten und schreibt einen Bericht "
        "(report.md mit Tabellen und Bildern, metrics.json) in den Ausgabeordner. Der vorige Bericht wird nach "
        "previous/ verschoben und verglichen; Rückschritte sind mit REGRESSION markiert. Exit-Code 1, wenn das F1 "
        "der Absichten oder der Entitäten unter der Untergrenze liegt oder ein Wert gegenüber dem vorigen Bericht "
        "oder den Vergleichswerten (tests/eval/baseline.json) um mehr als 0,02 sinkt. Anleitung: docs/staff/.")


def to_prediction(result: dict) -> Prediction:
    """One ``parse_message`` result; a fallback is undone like ``rasa test nlu`` does (2nd best intent)."""
    intent = result.get("intent") or {}
    ranking = result.get("intent_ranking") or []
    fallback = intent.get("name") == FALLBACK_INTENT
    if fallback and len(ranking) > 1:
        intent = ranking[1]
    entities = tuple((int(e["start"]), int(e["end"]), str(e["entity"]))
                     for e in result.get("entities") or [] if "start" in e and "end" in e)
    return Prediction(str(intent.get("name") or ""), float(intent.get("confidence") or 0.0), entities, fallback)


def predict(agent, examples: list[Example]) -> list[Prediction]:
    return [to_prediction(r) for r in parse_all(agent, [ex.text for ex in examples])]


def parse_all(agent, texts: list[str]) -> list[dict]:
    async def parse() -> list[dict]:
        return [await agent.parse_message(text) for text in texts]

    return run_sync(parse())


def language_figures(agent, floors: dict) -> dict[str, dict]:
    """Per-language intent F1 and Leistung top-1 on the held-out en/tr/uk files (bot.staff.evaluate_languages);
    judged against goals and comparison values by the caller (``per_language.judge_languages``)."""
    from bot.core import get_core  # noqa: PLC0415 - the domain core, loaded only here

    texts = []
    for name in per_language.HELDOUT.values():
        if (PROJECT_ROOT / name).is_file():
            texts += [ex.text for ex in read_examples(PROJECT_ROOT / name, PROJECT_ROOT)[0]]
    parsed = dict(zip(texts, parse_all(agent, texts), strict=True))
    return per_language.evaluate_languages(PROJECT_ROOT, get_core(), parsed.__getitem__)


class SearchRun:
    """``scripts/eval_search.py`` (its ``evaluate``) in a second process, while the model loads."""

    def __init__(self, queries: Path, out: Path, data_dir: str | None = None) -> None:
        self.out = out
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(p for p in (str(PROJECT_ROOT), env.get("PYTHONPATH")) if p)
        if data_dir:
            env[DATA_DIR_ENV] = data_dir
        self.proc = subprocess.Popen(
            [sys.executable, str(SEARCH_SCRIPT), str(queries), "--json", str(out)],
            cwd=PROJECT_ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)

    def result(self) -> dict:
        _, err = self.proc.communicate()
        try:
            data = json.loads(self.out.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            last = (err.strip().splitlines() or ["keine Ausgabe"])[-1]
            raise RuntimeError(f"Leistungssuche nicht auswertbar ({last})") from None
        finally:
            self.out.unlink(missing_ok=True)
        data["file"] = rel(Path(data["file"]), PROJECT_ROOT)
        return data


def catalogue_stand() -> str:
    """The newest "stand" of the curated catalogue files ("" if none), for the published figures."""
    import yaml  # noqa: PLC0415

    stands = []
    for path in (PROJECT_ROOT / "data" / "catalogue" / "services").glob("*.yml"):
        try:
            doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except (OSError, yaml.YAMLError):
            continue
        if isinstance(doc, dict) and doc.get("stand"):
            stands.append(str(doc["stand"]))
    return max(stands, default="")


def read_previous(path: Path) -> dict | None:
    file = path / report.METRICS if path.is_dir() else path
    try:
        return json.loads(file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def read_baseline(path: Path) -> dict | None:
    """The committed baseline in the shape ``compare`` expects (overall figures only)."""
    data = read_previous(path)
    if not data or not isinstance(data.get("summary"), dict):
        return None
    return {"summary": data["summary"], "nlu_file": data.get("nlu_file"), "intents": {},
            "created": data.get("created", "?"), "model": data.get("model", "?")}


def write_baseline(path: Path, metrics: dict) -> None:
    summary = {k: metrics["summary"].get(k) for k in BASELINE_KEYS}
    summary["examples"] = metrics["summary"].get("examples")
    data = {"created": metrics.get("created"), "model": metrics.get("model"), "nlu_file": metrics.get("nlu_file"),
            "summary": summary,
            "note": "Vergleichswerte für `bot eval` (make test). Nur bewusst neu schreiben: bot eval --write-baseline"}
    old = read_previous(path) or {}
    if isinstance(old.get("quality"), dict):  # the other steps' comparison values (bot/staff/goals.py) stay
        data["quality"] = old["quality"]
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def write_language_baseline(path: Path, languages: dict[str, dict]) -> None:
    """Each language's intent F1 and Leistung top-1 as comparison values (section ``quality``)."""
    for lang, s in languages.items():
        intent_key, top1_key = per_language.baseline_keys(lang)
        write_baseline_value(intent_key, s["intent_weighted_f1"], path)
        if s["service_top1"] is not None:
            write_baseline_value(top1_key, s["service_top1"], path)


def baseline_regressions(metrics: dict, baseline: dict | None) -> list[str]:
    """Drops against the committed baseline, worded for the report ("gegenüber der Baseline")."""
    comparison = compare(metrics, baseline)
    return [f"{r} (gegenüber der Baseline {rel(_path(BASELINE_FILE), PROJECT_ROOT)})"
            for r in (comparison or {}).get("regressions", [])]


def rotate(out: Path) -> None:
    """Move the last report to ``out/previous/`` (replacing the one before)."""
    if not (out / report.METRICS).is_file():
        return
    target = out / PREVIOUS
    target.mkdir(parents=True, exist_ok=True)
    for name in report.FILES:
        (target / name).unlink(missing_ok=True)
        if (out / name).is_file():
            shutil.move(str(out / name), str(target / name))


def _path(value: str) -> Path:
    path = Path(value)
    return path if path.is_absolute() or path.exists() else PROJECT_ROOT / path


def _quiet(*_args: object, **_kwargs: object) -> None:
    return None


def run(args: argparse.Namespace) -> int:
    warnings.simplefilter("ignore")  # Rasa's and TensorFlow's deprecation noise is not for staff
    warnings.showwarning = _quiet  # some libraries reset the filters while they are imported
    from bot.parse import ModelError, latest_model, load_agent

    started = time.perf_counter()
    nlu_file = _path(args.nlu)
    if not nlu_file.is_file():
        print(f"Fehler: Testdatei nicht gefunden: {args.nlu}", file=sys.stderr)
        return 2
    examples, problems = read_examples(nlu_file, PROJECT_ROOT)
    errors = [str(p) for p in problems if p.level == ERROR]
    if errors or not examples:
        print("Fehler: Die Testdatei ist nicht im Format von tests/nlu/test_nlu.yml"
              + (": " + "; ".join(errors[:3]) if errors else " (keine Beispiele unter 'nlu: - intent:')"),
              file=sys.stderr)
        return 2
    queries = None if args.no_search else _path(args.queries)
    if queries is not None and not queries.is_file():
        print(f"Fehler: Suchanfragen nicht gefunden: {args.queries} (oder --no-search)", file=sys.stderr)
        return 2
    out = _path(args.out)
    previous = read_previous(_path(args.previous)) if args.previous else read_previous(out)
    out.mkdir(parents=True, exist_ok=True)
    search_run = SearchRun(queries, out / ".search.json", args.data_dir) if queries else None
    try:
        model = latest_model(args.model)
        print(f"Lade Modell {model.name} …", flush=True)
        agent = load_agent(model)
    except ModelError as exc:
        if search_run:
            search_run.proc.kill()
        print(f"Fehler: {exc}", file=sys.stderr)
        return 4
    predictions = predict(agent, examples)
    try:
        search = search_run.result() if search_run else None
    except RuntimeError as exc:
        print(f"Fehler: {exc}", file=sys.stderr)
        return 4
    meta = {"created": datetime.now().strftime("%d.%m.%Y %H:%M"), "model": model.name,
            "nlu_file": rel(nlu_file, PROJECT_ROOT), "data_stand": catalogue_stand()}
    metrics = build_metrics(examples, predictions, search, meta)
    comparison = compare(metrics, previous)
    floors = {"intent": args.min_intent_f1, "entity": args.min_entity_f1,
              "language_intent": args.min_language_intent_f1, "language_top1": args.min_language_top1}
    if not args.no_languages:
        metrics["languages"] = language_figures(agent, floors)
    failures = check_floors(metrics["summary"], floors["intent"], floors["entity"])
    if failures and not goals_enforced():  # make test: goals reported, regressions (below) fail
        for failure in failures:
            print(f"Ziel noch nicht erreicht (nur gemeldet, {GOALS_ENV}=report): {failure}")
        failures = []
    baseline_path = _path(args.baseline)
    if args.write_baseline:
        write_baseline(baseline_path, metrics)
        write_language_baseline(baseline_path, metrics.get("languages") or {})
        print(f"Baseline geschrieben: {rel(baseline_path, PROJECT_ROOT)} (bitte committen)")
    else:
        failures += baseline_regressions(metrics, read_baseline(baseline_path))
        failures += per_language.judge_languages(metrics.get("languages") or {}, floors["language_intent"],
                                                 floors["language_top1"], baseline_values(baseline_path))
    failures += [f"REGRESSION gegenüber dem vorigen Bericht: {r}" for r in (comparison or {}).get("regressions", [])]
    rotate(out)
    report.write(out, metrics, comparison, floors, failures)
    print_summary(metrics, comparison, failures, out / report.REPORT, time.perf_counter() - started)
    return 1 if failures else 0


def print_summary(m: dict, comparison: dict | None, failures: list[str], path: Path, seconds: float) -> None:
    s = m["summary"]
    line = (f"{m['nlu_file']} ({s['examples']} Beispiele), Modell {m['model']}: "
            f"Absichten F1 {report.num(s['intent_weighted_f1'])}, Entitäten F1 {report.num(s['entity_f1'])}")
    if s["service_top1"] is not None:
        line += f", Leistungssuche Top-1 {report.pct(s['service_top1'])}, Top-3 {report.pct(s['service_top3'])}"
    print(line)
    for lang, ls in (m.get("languages") or {}).items():
        top1 = "–" if ls["service_top1"] is None else report.pct(ls["service_top1"])
        print(f"  {lang}: {ls['file']} ({ls['examples']} Beispiele): Absichten F1 "
              f"{report.num(ls['intent_weighted_f1'])}, Leistung Top-1 {top1} ({ls['labelled']} gezählt)")
    for reason in failures:
        print(f"NICHT BESTANDEN: {reason}")
    print(f"Bericht: {rel(path, PROJECT_ROOT)} ({seconds:.0f} s)")


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("eval", help="Sprachmodell auswerten: Bericht mit F1, Verwechslungsmatrix, Leistungssuche",
                              description=HELP)
    p.add_argument("--nlu", default=NLU_TEST_FILE, help=f"beschriftete Beispiele (Standard: {NLU_TEST_FILE})")
    p.add_argument("--queries", default=QUERIES_FILE, help=f"Suchanfragen mit erwarteter Leistung (Standard: {QUERIES_FILE})")
    p.add_argument("--no-search", action="store_true", help="Leistungssuche nicht auswerten")
    p.add_argument("--model", help="Modelldatei oder -verzeichnis (Standard: neuestes Modell in models/)")
    p.add_argument("--out", default=OUT_DIR, help=f"Ausgabeordner (Standard: {OUT_DIR})")
    p.add_argument("--previous", help="Ordner oder metrics.json des Vergleichsberichts "
                   f"(Standard: der letzte Bericht im Ausgabeordner, danach in {OUT_DIR}/{PREVIOUS}/)")
    p.add_argument("--baseline", default=BASELINE_FILE,
                   help=f"Vergleichswerte, deren Unterschreitung ein Rückschritt ist (Standard: {BASELINE_FILE})")
    p.add_argument("--write-baseline", action="store_true",
                   help="die jetzigen Werte als neue Vergleichswerte speichern (bewusst, danach committen)")
    p.add_argument("--min-intent-f1", type=float, default=INTENT_F1_FLOOR,
                   help=f"Untergrenze für das gewichtete F1 der Absichten (Standard: {INTENT_F1_FLOOR})")
    p.add_argument("--min-entity-f1", type=float, default=ENTITY_EXACT_F1_FLOOR,
                   help=f"Untergrenze für das F1 der Entitäten, exakte Spanne (Standard: {ENTITY_EXACT_F1_FLOOR})")
    p.add_argument("--no-languages", action="store_true",
                   help="die englischen, türkischen und ukrainischen Testdateien nicht auswerten")
    p.add_argument("--min-language-intent-f1", type=float, default=per_language.LANGUAGE_INTENT_F1_FLOOR,
                   help="Ziel für das F1 der Absichten je Sprache (en, tr, uk; Standard: "
                   f"{per_language.LANGUAGE_INTENT_F1_FLOOR})")
    p.add_argument("--min-language-top1", type=float, default=per_language.LANGUAGE_TOP1_FLOOR,
                   help="Ziel für die Leistung an erster Stelle je Sprache (Standard: "
                   f"{per_language.LANGUAGE_TOP1_FLOOR})")
    p.set_defaults(func=run)
