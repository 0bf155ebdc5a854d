"""``rasa data validate --fail-on-warnings`` plus a check that the only tolerated warning is real noise.

Rasa warns about every response that no story or rule uses. Our custom actions send many responses
(``utter_office`` …) themselves, so that warning is accepted exactly for responses that a custom
action references. Any other warning fails, and so does a response that an action references but
the domain does not define.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import yaml

from bot.config import NLU_TRAINING_DIRS, PROJECT_ROOT, rasa_env

UNUSED = re.compile(r"The utterance '(utter_\w+)' is not used in any story or rule")
WARNING = re.compile(r"UserWarning: (.*)")
ACTION_REF = re.compile(r"""["'](utter_\w+)["']""")


def responses_used_by_actions(actions_dir: Path) -> set[str]:
    found: set[str] = set()
    for file in actions_dir.rglob("*.py"):
        found.update(ACTION_REF.findall(file.read_text(encoding="utf-8")))
    return found


def domain_responses(domain_dir: Path) -> set[str]:
    names: set[str] = set()
    for file in sorted(domain_dir.glob("*.yml")):
        doc = yaml.safe_load(file.read_text(encoding="utf-8")) or {}
        names.update((doc.get("responses") or {}).keys())
    return names


def rasa_problems(root: Path) -> list[str]:
    """What ``rasa data validate --fail-on-warnings`` reports, minus the one tolerated warning.

    Only existing data folders are passed: a missing one would make Rasa read all of ``data/``.
    """
    data = [d for d in (*NLU_TRAINING_DIRS, "data/rules", "data/stories") if (root / d).is_dir()]
    cmd = [str(Path(sys.executable).with_name("rasa")), "data", "validate", "--fail-on-warnings",
           "--domain", "domain", "--config", "config.yml", "--data", *data]
    proc = subprocess.run(cmd, cwd=root, capture_output=True, text=True,
                          env=rasa_env(TF_CPP_MIN_LOG_LEVEL="3"))
    output = proc.stdout + proc.stderr
    used = responses_used_by_actions(root / "actions")
    problems = []
    for message in WARNING.findall(output):
        unused = UNUSED.search(message)
        if not (unused and unused.group(1) in used):
            problems.append(message.strip())
    if proc.returncode != 0 and not problems:
        lines = [line.strip() for line in output.splitlines() if "ERROR" in line]
        problems += lines or output.strip().splitlines()[-3:] or [f"rasa data validate exited with {proc.returncode}"]
    return problems


def main() -> int:
    used = responses_used_by_actions(PROJECT_ROOT / "actions")
    defined = domain_responses(PROJECT_ROOT / "domain")
    problems = rasa_problems(PROJECT_ROOT)
    problems += [f"Response '{r}' is used in actions/ but not defined in domain/" for r in sorted(used - defined)]
    if problems:
        print("Rasa data validation FAILED:")
        for p in problems:
            print(f"  - {p}")
        return 1
    print(f"Rasa data validation passed (warnings as failures; {len(used & defined)} responses sent by custom actions).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
