"""Quality goals and regressions, judged the same way by every evaluation step.

A goal (e.g. 95 % of the conversation-suite turns right) comes from the issues, never from today's
value. While a goal is not met yet, ``make test`` runs with ``QUALITY_GOALS=report``: a missed goal is
printed, and the step fails only on a regression, i.e. a figure worse than the committed comparison
values in ``tests/eval/baseline.json`` (section ``quality``; rewrite it deliberately with
``bot eval --write-baseline`` / ``scripts/conversation_suite.py --write-baseline`` and commit it).
``make quality-goals`` enforces the goals themselves.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from bot.config import PROJECT_ROOT

GOALS_ENV = "QUALITY_GOALS"
BASELINE_FILE = PROJECT_ROOT / "tests" / "eval" / "baseline.json"
#: A figure may be this much below its comparison value before it counts as a regression (noise).
TOLERANCE = 0.02


def goals_enforced() -> bool:
    return os.environ.get(GOALS_ENV, "enforce").strip().lower() != "report"


def baseline_values(path: Path = BASELINE_FILE) -> dict[str, float]:
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    quality = doc.get("quality") if isinstance(doc, dict) else None
    return {k: float(v) for k, v in (quality or {}).items() if isinstance(v, (int, float))}


def write_baseline_value(key: str, value: float, path: Path = BASELINE_FILE) -> None:
    doc = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
    doc.setdefault("quality", {})[key] = round(value, 4)
    path.write_text(json.dumps(doc, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def judge(label: str, value: float, goal: float, key: str, higher_is_better: bool = True,
          baseline: dict[str, float] | None = None, tolerance: float | None = None) -> bool:
    """True when the step passes: goal met, or (goals reported only) no regression against the baseline
    (by more than ``tolerance``, default :data:`TOLERANCE`)."""
    met = value >= goal if higher_is_better else value <= goal
    if met:
        print(f"Ziel erreicht: {label} {value:.3f} (Ziel {goal})")
        return True
    if goals_enforced():
        print(f"NICHT BESTANDEN: {label} {value:.3f} verfehlt das Ziel {goal}")
        return False
    base = (baseline if baseline is not None else baseline_values()).get(key)
    if base is None:
        print(f"NICHT BESTANDEN: {label} {value:.3f} verfehlt das Ziel {goal}, und es gibt keinen Vergleichswert "
              f"'{key}' in {BASELINE_FILE.relative_to(PROJECT_ROOT)}")
        return False
    allowed = TOLERANCE if tolerance is None else tolerance
    worse = value < base - allowed if higher_is_better else value > base + allowed
    if worse:
        print(f"NICHT BESTANDEN (REGRESSION): {label} {value:.3f} ist schlechter als der Vergleichswert {base:.3f}")
        return False
    print(f"Ziel noch nicht erreicht (nur gemeldet, {GOALS_ENV}=report): {label} {value:.3f}, Ziel {goal}, "
          f"Vergleichswert {base:.3f} — keine Verschlechterung")
    return True
