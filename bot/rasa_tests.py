"""Run Rasa's own tests and enforce floors Rasa has no flag for.

``stories``: conversation tests in ``tests/stories`` end to end (``--e2e``: the NLU parses every
``user:`` text; intents, entities and actions must all match); every failed story is listed and fails
the run.
Entities are annotated in the stories the way the NLU data does: the span the citizen typed and,
where the catalogue's synonym table maps it, the Leistung id as value (``[Perso]{"entity":
"service", "value": "personalausweis"}``). The typed conversation suite (``make conversation-suite``)
checks the replies themselves.
``nlu``: the held-out NLU test file; prints intent and entity F1 (weighted average) and fails below
the floors. Results are written to ``results/`` and a summary to ``reports/nlu_eval.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

import yaml

from bot.config import PROJECT_ROOT
from bot.staff.goals import judge, write_baseline_value

INTENT_F1_FLOOR = 0.90
ENTITY_F1_FLOOR = 0.80  # Rasa's token-level entity F1
#: ``bot eval`` scores entities by exact span and label ("[Hund anmelden]" vs "[Hund] anmelden" is a
#: miss). The floor is the goal, not the value of the day (issue 9: it had been lowered to 0.75 when
#: the model measured 0.785).
ENTITY_EXACT_F1_FLOOR = 0.80
NLU_TEST_FILE = "tests/nlu/test_nlu.yml"


def _rasa(*args: str) -> int:
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"}
    return subprocess.call([str(Path(sys.executable).with_name("rasa")), *args], cwd=PROJECT_ROOT, env=env)


STORIES_DIR = "tests/stories"
STORIES_OUT = "results/core"


def failed_stories(out: Path) -> list[str]:
    """Names of the stories Rasa wrote to ``failed_test_stories.yml`` (intent, entity or action wrong)."""
    import yaml  # noqa: PLC0415

    try:
        doc = yaml.safe_load((out / "failed_test_stories.yml").read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError):
        return ["(failed_test_stories.yml fehlt oder ist nicht lesbar)"]
    return [str(s.get("story", "?")) for s in doc.get("stories") or [] if isinstance(s, dict)]


def stories(write_baseline: bool = False) -> int:
    # Not --fail-on-prediction-errors: with --e2e Rasa stops at the first wrong story; we want all of them.
    out = PROJECT_ROOT / STORIES_OUT
    (out / "failed_test_stories.yml").unlink(missing_ok=True)
    rc = _rasa("test", "core", "--stories", STORIES_DIR, "--model", "models", "--e2e",
               "--out", STORIES_OUT, "--quiet")
    if rc != 0:
        print(f"rasa test core failed (exit code {rc}); see {STORIES_OUT}/")
        return rc
    failed = failed_stories(out)
    total = count_stories()
    if failed:
        print(f"Conversation tests: {len(failed)} of {total} stories failed (see {STORIES_OUT}/failed_test_stories.yml):")
        for name in failed:
            print(f"  - {name}")
    else:
        print(f"Conversation tests passed ({total} stories).")
    share = (total - len(failed)) / total if total else 0.0
    if write_baseline:
        write_baseline_value("stories_passed_share", share)
    return 0 if judge("Gesprächsgeschichten (e2e), Anteil bestanden", share, 1.0, "stories_passed_share") else 1


def count_stories() -> int:
    """The stories in the test folder (every one must pass end to end)."""
    total = 0
    for path in sorted((PROJECT_ROOT / STORIES_DIR).glob("*.yml")):
        doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        total += sum(1 for s in doc.get("stories") or [] if isinstance(s, dict))
    return total


def read_f1(results: Path) -> tuple[float, float]:
    intent = json.loads((results / "intent_report.json").read_text())["weighted avg"]["f1-score"]
    entity_file = results / "DIETClassifier_report.json"
    entity = json.loads(entity_file.read_text())["weighted avg"]["f1-score"] if entity_file.is_file() else 0.0
    return intent, entity


def test_nlu(model: str, test_file: str, out: str, quiet: bool = False) -> int:
    """``rasa test nlu`` of ``model`` (file or folder) on ``test_file``; reports land in ``out``."""
    args = ["test", "nlu", "--nlu", test_file, "--model", model, "--domain", "domain", "--out", out, "--quiet"]
    if quiet:
        args += ["--no-plot", "--no-errors"]
        env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"}
        return subprocess.call([str(Path(sys.executable).with_name("rasa")), *args], cwd=PROJECT_ROOT, env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return _rasa(*args)


def nlu(test_file: str = NLU_TEST_FILE, intent_floor: float = INTENT_F1_FLOOR,
        entity_floor: float = ENTITY_F1_FLOOR, out: str = "results/nlu") -> int:
    rc = test_nlu("models", test_file, out)
    if rc != 0:
        print(f"rasa test nlu failed (exit code {rc})")
        return rc
    intent, entity = read_f1(PROJECT_ROOT / out)
    print(f"NLU on {test_file}: intent F1 {intent:.3f} (floor {intent_floor}), "
          f"entity F1 {entity:.3f} (floor {entity_floor})")
    report = PROJECT_ROOT / "reports" / "nlu_eval.json"
    report.parent.mkdir(exist_ok=True)
    report.write_text(json.dumps({"test_file": test_file, "intent_f1": intent, "entity_f1": entity,
                                  "intent_floor": intent_floor, "entity_floor": entity_floor}, indent=2))
    if intent < intent_floor or entity < entity_floor:
        print("FAILED: F1 below the floor")
        return 1
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("what", choices=["stories", "nlu"])
    parser.add_argument("--write-baseline", action="store_true",
                        help="stories: store the share of passed stories in tests/eval/baseline.json")
    args = parser.parse_args(argv)
    return stories(args.write_baseline) if args.what == "stories" else nlu()


if __name__ == "__main__":
    sys.exit(main())
