#!/usr/bin/env python
"""Service-search quality on a labelled query file: prints top-1/top-3 and writes JSON.

Usage: eval_search.py QUERIES.yml [--min-top1 X] [--min-top3 Y] [--min-no-match Z] [--json OUT] [--show-misses]
A query with `expected: []` counts as correct when the search reports no good match.
ms/query is measured after loading (lazy indexes and the word-frequency list are built first).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import yaml

from bot.core import get_core
from bot.staff.goals import judge, write_baseline_value


def evaluate(path: Path) -> dict:
    core = get_core().warm()
    queries = (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("queries") or []
    top1 = top3 = answerable = no_match_ok = no_match_total = 0
    misses = []
    search_cpu = 0.0
    start, start_cpu = time.perf_counter(), time.process_time()
    for q in queries:
        expected = [str(e) for e in q.get("expected") or []]
        t0 = time.process_time()
        core.search(q["text"])  # the search alone, first sight of the text (CPU time)
        search_cpu += time.process_time() - t0
        hits = core.lookup(q["text"]).hits
        ids = [h.service.id for h in hits]
        if not expected:
            no_match_total += 1
            if not ids:
                no_match_ok += 1
            else:
                misses.append({"text": q["text"], "expected": [], "got": ids[:3]})
            continue
        answerable += 1
        hit1 = bool(ids) and ids[0] in expected
        hit3 = any(i in expected for i in ids[:3])
        top1 += hit1
        top3 += hit3
        if not hit1:
            misses.append({"text": q["text"], "expected": expected, "got": ids[:3]})
    elapsed = time.perf_counter() - start
    elapsed_cpu = time.process_time() - start_cpu - search_cpu
    total = answerable + no_match_total
    return {
        "file": str(path),
        "queries": total,
        "answerable": answerable,
        "top1": top1 / answerable if answerable else 0.0,
        "top3": top3 / answerable if answerable else 0.0,
        "no_match_correct": no_match_ok / no_match_total if no_match_total else 1.0,
        "overall_top1": (top1 + no_match_ok) / total if total else 0.0,
        "ms_per_query": 1000 * elapsed / max(total, 1),
        "lookup_cpu_ms_per_query": 1000 * elapsed_cpu / max(total, 1),
        "search_cpu_ms_per_query": 1000 * search_cpu / max(total, 1),
        "misses": misses,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("queries", type=Path)
    parser.add_argument("--min-top1", type=float, default=0.0)
    parser.add_argument("--min-top3", type=float, default=0.0)
    parser.add_argument("--min-no-match", type=float, default=0.0,
                        help="floor for off-topic queries correctly answered with 'no good match'")
    parser.add_argument("--json", type=Path, default=Path("reports/search_eval.json"))
    parser.add_argument("--write-baseline", action="store_true",
                        help="store the figures as comparison values in tests/eval/baseline.json")
    parser.add_argument("--show-misses", action="store_true")
    args = parser.parse_args(argv)
    result = evaluate(args.queries)
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(result, ensure_ascii=False, indent=2))
    print(
        f"Service search on {result['file']}: {result['answerable']} answerable queries, "
        f"top-1 {result['top1']:.1%}, top-3 {result['top3']:.1%}; "
        f"'no good match' correct {result['no_match_correct']:.0%} "
        f"({result['queries'] - result['answerable']} queries); {result['ms_per_query']:.1f} ms/query "
        f"(lookup {result['lookup_cpu_ms_per_query']:.2f} ms CPU; search alone, first sight "
        f"{result['search_cpu_ms_per_query']:.2f} ms CPU)"
    )
    if args.show_misses:
        for m in result["misses"]:
            print(f"  MISS {m['text']!r}: expected {m['expected']}, got {m['got']}")
    if args.write_baseline:
        for key in ("top1", "top3", "no_match_correct"):
            write_baseline_value(f"search_{key}", result[key])
        print("Comparison values written: tests/eval/baseline.json (commit them)")
    verdicts = [judge("Leistungssuche Top-1", result["top1"], args.min_top1, "search_top1"),
                judge("Leistungssuche Top-3", result["top3"], args.min_top3, "search_top3"),
                judge("Leistungssuche 'keine passende Leistung'", result["no_match_correct"], args.min_no_match,
                      "search_no_match_correct")]
    return 0 if all(verdicts) else 1


if __name__ == "__main__":
    sys.exit(main())
