"""How the NLU should serve German, English, Turkish and Ukrainian (issue 13): measured, not guessed.

Designs compared on the held-out files (tests/nlu/test_nlu.yml and test_nlu_{en,tr,uk}.yml, never
trained on):

- ``de``: the German model alone (what a foreign message meets without any multilingual data);
- ``multi``: one model trained on data/nlu and data/nlu_i18n/{en,tr,uk} together (one Rasa process);
- ``per-language``: one model per language (data/nlu_i18n/<lang> plus the generated place and
  service lookups), i.e. one more Rasa process per language behind the gateway.

NLU models only (``rasa train nlu``; the dialogue policies do not depend on the language) into
``build/nlu-languages/`` (not committed). Each model is loaded in its own process, which reports
intent F1 (weighted, as ``bot eval``), exact-span entity F1, parse latency (p50/p95) and its peak RSS.
Prints a table and writes ``reports/nlu_languages.json``.

    .venv/bin/python scripts/nlu_languages.py            # train what is missing, then measure
    .venv/bin/python scripts/nlu_languages.py --retrain  # train all again (timings of a fresh training)
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

LANGS = ("de", "en", "tr", "uk")
TEST_FILES = {"de": "tests/nlu/test_nlu.yml", "en": "tests/nlu/test_nlu_en.yml", "tr": "tests/nlu/test_nlu_tr.yml",
              "uk": "tests/nlu/test_nlu_uk.yml"}
GENERATED = "data/nlu/generated"
#: model name -> (training data folders, languages it serves)
MODELS = {
    "de": (["data/nlu"], ("de",)),
    "multi": (["data/nlu", "data/nlu_i18n/en", "data/nlu_i18n/tr", "data/nlu_i18n/uk"], LANGS),
    "en": (["data/nlu_i18n/en", GENERATED], ("en",)),
    "tr": (["data/nlu_i18n/tr", GENERATED], ("tr",)),
    "uk": (["data/nlu_i18n/uk", GENERATED], ("uk",)),
}
OUT = ROOT / "build" / "nlu-languages"


def train(name: str) -> float:
    """Train ``name`` (NLU only) into build/nlu-languages/<name>/; seconds taken."""
    data, _ = MODELS[name]
    out = OUT / name
    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob("*.tar.gz"):
        old.unlink()
    nlu = OUT / f"data-{name}"  # `rasa train nlu --nlu` takes one path: the folders copied together
    shutil.rmtree(nlu, ignore_errors=True)
    for folder in data:
        shutil.copytree(ROOT / folder, nlu / folder.replace("/", "_"))
    cache = Path(tempfile.mkdtemp(prefix="rasa-cache-"))  # a fresh training: Rasa's cache would reuse
    started = time.monotonic()                             # features across runs (and mask the time)
    subprocess.run([str(Path(sys.executable).parent / "rasa"), "train", "nlu", "--config", "config.yml",
                    "--nlu", str(nlu), "--out", str(out), "--fixed-model-name", name],
                   cwd=ROOT, check=True, env={**os.environ, "RASA_TELEMETRY_ENABLED": "false",
                                               "TF_CPP_MIN_LOG_LEVEL": "3", "RASA_CACHE_DIRECTORY": str(cache)},
                   stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    seconds = time.monotonic() - started
    shutil.rmtree(cache, ignore_errors=True)
    return seconds


def worker(model: Path, langs: list[str]) -> dict:
    """In a process of its own: load ``model``, parse every held-out example of ``langs``."""
    from bot.parse import load_agent
    from bot.staff.evaluate import to_prediction
    from bot.staff.metrics import build_metrics
    from bot.staff.yaml_lines import read_examples

    base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    agent = load_agent(model)
    loaded = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    import asyncio

    async def parse(texts: list[str]) -> tuple[list[dict], list[float]]:
        await agent.parse_message("Hallo")  # warm-up
        results, times = [], []
        for text in texts:
            t0 = time.perf_counter()
            results.append(await agent.parse_message(text))
            times.append((time.perf_counter() - t0) * 1000)
        return results, times

    out: dict = {"rss_mb_before_load": round(base), "rss_mb_loaded": round(loaded)}
    for lang in langs:
        examples, _ = read_examples(ROOT / TEST_FILES[lang], ROOT)
        results, times = asyncio.run(parse([ex.text for ex in examples]))
        metrics = build_metrics(examples, [to_prediction(r) for r in results], None, {})
        times.sort()
        out[lang] = {"examples": len(examples),
                     "intent_f1": round(metrics["summary"]["intent_weighted_f1"], 3),
                     "entity_f1": round(metrics["summary"]["entity_f1"], 3),
                     "parse_p50_ms": round(times[len(times) // 2], 1),
                     "parse_p95_ms": round(times[int(len(times) * 0.95)], 1)}
    out["rss_mb_peak"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    return out


def measure(name: str, langs: tuple[str, ...]) -> dict:
    model = next((OUT / name).glob("*.tar.gz"))
    proc = subprocess.run([sys.executable, __file__, "--worker", str(model), *langs], cwd=ROOT, check=True,
                          capture_output=True, text=True, env={**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"})
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--retrain", action="store_true")
    parser.add_argument("--models", default=",".join(MODELS))
    parser.add_argument("--worker", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        print(json.dumps(worker(Path(args.worker[0]), args.worker[1:])))
        return 0
    names = [n for n in args.models.split(",") if n]
    path = ROOT / "reports" / "nlu_languages.json"
    earlier = json.loads(path.read_text(encoding="utf-8")).get("models", {}) if path.is_file() else {}
    report: dict = {"date": time.strftime("%Y-%m-%dT%H:%M:%S"), "cores": os.cpu_count(), "models": earlier}
    for name in names:
        entry: dict = {"data": MODELS[name][0]}
        if "train_s" in earlier.get(name, {}):
            entry["train_s"] = earlier[name]["train_s"]  # the model measured is the one trained then
        if args.retrain or not list((OUT / name).glob("*.tar.gz")):
            entry["train_s"] = round(train(name))
            print(f"{name:<6} trained in {entry['train_s']} s", flush=True)
        serves = LANGS if name in ("de", "multi") else MODELS[name][1]  # de: how it meets foreign messages
        entry["measured"] = measure(name, serves)
        report["models"][name] = entry
        m = entry["measured"]
        print(f"{name:<6} RSS loaded {m['rss_mb_loaded']} MB, peak {m['rss_mb_peak']} MB", flush=True)
        for lang in serves:
            r = m[lang]
            print(f"       {lang}: intent F1 {r['intent_f1']:.3f}  entity F1 {r['entity_f1']:.3f}  "
                  f"parse p50 {r['parse_p50_ms']} ms  p95 {r['parse_p95_ms']} ms  ({r['examples']} examples)",
                  flush=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(report, indent=2), encoding="utf-8")
    print(f"Written: {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
