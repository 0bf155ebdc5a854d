#!/usr/bin/env python
"""The gateway's language detection (bot/gateway/detect.py) on the held-out NLU files: figures for staff.

Run in the gateway's environment (it has the model): ``.venv-gateway/bin/python scripts/langdetect_eval.py``.
Prints and writes ``reports/langdetect.json``:

* memory: RSS growth of this process when the model loads, and the loading time;
* time per message (detection only, model loaded);
* per file (tests/nlu/test_nlu.yml German, test_nlu_{en,tr,uk}.yml): ``accuracy`` = the detector names the
  file's language; ``switch_from_de`` = a German conversation switches to the file's language (the
  rules of ``switch_to``); ``wrong_switch_from_de`` = it switches to another language; ``switch_away`` = a
  conversation already in the file's language switches away (for the German file: to any other).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.gateway.detect import Detector, switch_to  # noqa: E402
from bot.staff.yaml_lines import read_examples  # noqa: E402

FILES = {"de": "tests/nlu/test_nlu.yml", "en": "tests/nlu/test_nlu_en.yml", "tr": "tests/nlu/test_nlu_tr.yml",
         "uk": "tests/nlu/test_nlu_uk.yml"}
OUT = "reports/langdetect.json"


def rss_mb() -> float:
    with open("/proc/self/statm", encoding="ascii") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def score(detector: Detector, language: str, texts: list[str]) -> dict:
    detections = [detector.detect(t) for t in texts]
    n = len(texts) or 1
    correct = sum(1 for d in detections if d is not None and d.language == language)
    from_de = [switch_to(d, "de") for d in detections]
    away = [switch_to(d, language) for d in detections]
    misses = [{"text": t, "detected": d.language if d else None, "confidence": round(d.confidence, 3) if d else None}
              for t, d in zip(texts, detections, strict=True) if d is None or d.language != language]
    result = {"messages": len(texts), "accuracy": correct / n, "switch_away": sum(a is not None for a in away) / n,
              "switched_away": [t for t, a in zip(texts, away, strict=True) if a is not None]}
    if language != "de":
        result["switch_from_de"] = sum(s == language for s in from_de) / n
        result["wrong_switch_from_de"] = sum(s not in (None, language) for s in from_de) / n
    result["misses"] = misses
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / OUT)
    args = parser.parse_args(argv)
    texts = {lang: [ex.text for ex in read_examples(ROOT / path, ROOT)[0]] for lang, path in FILES.items()}
    detector = Detector()
    before, started = rss_mb(), time.perf_counter()
    if detector.load() is None:
        print("Fehler: Das Sprachmodell (py3langid) ist nicht installiert. Bitte in .venv-gateway ausführen.",
              file=sys.stderr)
        return 2
    load_s, rss_delta = time.perf_counter() - started, rss_mb() - before
    everything = [t for ts in texts.values() for t in ts]
    started = time.perf_counter()
    for text in everything:
        detector.detect(text)
    ms = 1000 * (time.perf_counter() - started) / len(everything)
    files = {lang: {"file": FILES[lang], **score(detector, lang, ts)} for lang, ts in texts.items()}
    report = {"detector": "py3langid (restricted to de/en/tr/uk) + Cyrillic script rule",
              "rss_delta_mb": round(rss_delta, 1), "load_seconds": round(load_s, 2),
              "ms_per_message": round(ms, 3), "files": files}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"Modell: +{rss_delta:.0f} MB RSS, geladen in {load_s:.2f} s; {ms:.3f} ms je Nachricht")
    print(f"{'Datei':28} {'n':>4} {'erkannt':>8} {'de→Sprache':>11} {'de→falsch':>10} {'wechselt weg':>13}")
    for r in files.values():
        print(f"{r['file']:28} {r['messages']:4} {100 * r['accuracy']:7.1f}% "
              f"{100 * r.get('switch_from_de', 0):10.1f}% {100 * r.get('wrong_switch_from_de', 0):9.1f}% "
              f"{100 * r['switch_away']:12.1f}%")
    print(f"Bericht: {args.out.relative_to(ROOT) if args.out.is_relative_to(ROOT) else args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
