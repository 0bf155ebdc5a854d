"""Train the Rasa model if its inputs changed; print the time.

Rasa 3 writes a new ~42 MB archive on every ``rasa train`` even when nothing changed (its cache
only skips retraining components). So we fingerprint the inputs ourselves — domain, config,
training data (including the generated lookups), the spaCy pipeline's source and the Rasa
version — and record it per model in ``<out>/fingerprints.json``; when the newest model in
``<out>`` has the current fingerprint, training is skipped and that model serves.

Writes ``reports/train.json`` with the duration so the 3-minute budget is checked by a script,
not by a timed unit test.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import subprocess
import sys
import time
from pathlib import Path

from bot.config import NLU_TRAINING_DIRS, PROJECT_ROOT, rasa_env

RASA_DATA = [*NLU_TRAINING_DIRS, "data/rules", "data/stories"]
BUDGET_SECONDS = 180


def rasa_bin() -> str:
    return str(Path(sys.executable).with_name("rasa"))


#: Everything a model is built from (relative to the project root).
INPUTS = ["domain", "config.yml", *RASA_DATA, "build/spacy_de/bot_source.json", "build/spacy_de/meta.json"]
FINGERPRINTS = "fingerprints.json"


def inputs_fingerprint(root: Path | None = None) -> str:
    """SHA-256 over the paths and contents of :data:`INPUTS` and the installed Rasa version."""
    root = root or PROJECT_ROOT
    from importlib.metadata import PackageNotFoundError, version

    digest = hashlib.sha256()
    try:
        digest.update(f"rasa {version('rasa')}\n".encode())
    except PackageNotFoundError:
        digest.update(b"rasa ?\n")
    for name in INPUTS:
        base = root / name
        files = sorted(p for p in base.rglob("*") if p.is_file()) if base.is_dir() else [base]
        for path in files:
            digest.update(str(path.relative_to(root)).encode() + b"\0")
            digest.update(path.read_bytes() if path.is_file() else b"<missing>")
            digest.update(b"\0")
    return digest.hexdigest()


def _newest_model(out: Path) -> Path | None:
    models = sorted(out.glob("*.tar.gz"), key=lambda p: p.stat().st_mtime)
    return models[-1] if models else None


def _recorded(out: Path) -> dict[str, str]:
    try:
        data = json.loads((out / FINGERPRINTS).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def up_to_date(out: Path, fingerprint: str) -> Path | None:
    """The newest model in ``out`` if it was trained from exactly these inputs."""
    newest = _newest_model(out)
    return newest if newest is not None and _recorded(out).get(newest.name) == fingerprint else None


def train(force: bool = False, out: str = "models") -> tuple[int, float]:
    out_dir = PROJECT_ROOT / out
    fingerprint = inputs_fingerprint()
    current = None if force else up_to_date(out_dir, fingerprint)
    if current is not None:
        print(f"Keine Änderung seit dem letzten Training: {current.name} wird verwendet.")
        return 0, 0.0
    cmd = [rasa_bin(), "train", "--domain", "domain", "--config", "config.yml", "--data", *RASA_DATA,
           "--out", out, "--quiet"]
    if force:
        cmd.append("--force")
    start = time.perf_counter()
    rc = subprocess.call(cmd, cwd=PROJECT_ROOT, env=rasa_env())
    newest = _newest_model(out_dir)
    if rc == 0 and newest is not None:
        recorded = {name: fp for name, fp in _recorded(out_dir).items() if (out_dir / name).is_file()}
        recorded[newest.name] = fingerprint
        (out_dir / FINGERPRINTS).write_text(json.dumps(recorded, indent=1), encoding="utf-8")
    return rc, time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--force", action="store_true", help="train even if nothing changed")
    parser.add_argument("--out", default="models")
    args = parser.parse_args(argv)
    rc, seconds = train(args.force, args.out)
    if rc == 0 and seconds == 0.0:
        return 0  # nothing trained: reports/train.json keeps the last real training time
    print(f"Training finished in {seconds:.0f} s (budget {BUDGET_SECONDS} s, exit code {rc}).")
    report = PROJECT_ROOT / "reports" / "train.json"
    report.parent.mkdir(exist_ok=True)
    report.write_text(json.dumps({"seconds": round(seconds, 1), "exit_code": rc, "budget": BUDGET_SECONDS}))
    return rc


if __name__ == "__main__":
    sys.exit(main())
