"""Train the Rasa model if the data changed (Rasa's fingerprinting skips unchanged data); print the time.

Writes ``reports/train.json`` with the duration so the 3-minute budget is checked by a script,
not by a timed unit test.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

from bot.config import PROJECT_ROOT, rasa_env

RASA_DATA = ["data/nlu", "data/rules", "data/stories"]
BUDGET_SECONDS = 180


def rasa_bin() -> str:
    return str(Path(sys.executable).with_name("rasa"))


def train(force: bool = False, out: str = "models") -> tuple[int, float]:
    cmd = [rasa_bin(), "train", "--domain", "domain", "--config", "config.yml", "--data", *RASA_DATA,
           "--out", out, "--quiet"]
    if force:
        cmd.append("--force")
    env = rasa_env()
    start = time.perf_counter()
    rc = subprocess.call(cmd, cwd=PROJECT_ROOT, env=env)
    return rc, time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--force", action="store_true", help="train even if nothing changed")
    parser.add_argument("--out", default="models")
    args = parser.parse_args(argv)
    rc, seconds = train(args.force, args.out)
    print(f"Training finished in {seconds:.0f} s (budget {BUDGET_SECONDS} s, exit code {rc}).")
    report = PROJECT_ROOT / "reports" / "train.json"
    report.parent.mkdir(exist_ok=True)
    report.write_text(json.dumps({"seconds": round(seconds, 1), "exit_code": rc, "budget": BUDGET_SECONDS}))
    return rc


if __name__ == "__main__":
    sys.exit(main())
