"""Where the time goes: a sampling profile (py-spy) of Rasa and the action server under citizen load.

Starts a ``make bench`` configuration (``embedded`` or ``embedded-unpatched``: Rasa as shipped),
drives closed-loop simulated citizens (scripts/bench_load.py) and records each process with
``py-spy record --format raw`` for the same seconds. Prints, per process, the share of samples in
which a frame of interest appears (jsonschema, the tracker store's save and retrieve, DIET, the search
of the action server …) and the top frames; writes the collapsed stacks and ``summary.json`` to
``reports/profiles/<config>/`` (not committed). A diagnostic tool, not part of ``make test``:
py-spy is not a project dependency (``.venv/bin/pip install py-spy``).

    .venv/bin/python scripts/profile_stack.py --config embedded-unpatched --concurrency 1 --seconds 30
"""

from __future__ import annotations

import argparse
import asyncio
import json
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from bench import OurStack  # noqa: E402
from bench_load import gateway_sender, run_load  # noqa: E402

#: label -> substrings of a collapsed frame ("function (file:line)") that mark it.
MARKERS = {
    "jsonschema (validation of action results)": ("jsonschema/",),
    "tracker store: save": ("tracker_store.py:", "save"),
    "tracker store: retrieve": ("tracker_store.py:", "retrieve"),
    "cached tracker store: save": ("tracker_cache.py:", "save"),
    "cached tracker store: retrieve": ("tracker_cache.py:", "retrieve"),
    "SQLAlchemy": ("sqlalchemy/",),
    "DIET / TensorFlow": ("tensorflow/",),
    "featurizers (spaCy, count vectors, regex)": ("nlu/featurizers/",),
    "policies (predict next action)": ("core/policies/",),
    "action server: search (bot/search.py)": ("bot/search.py",),
    "action server: places (bot/places)": ("bot/places/",),
    "action server: rasa_sdk": ("rasa_sdk/",),
}


def marker_hits(stack: str, needles: tuple[str, ...]) -> bool:
    frames = stack.split(";")
    if len(needles) == 1:
        return any(needles[0] in f for f in frames)
    return any(needles[0] in f and all(n in f for n in needles[1:]) for f in frames)


def summarise(raw: Path) -> dict:
    """Inclusive shares per marker and the 15 frames with the most self samples."""
    total = 0
    shares: Counter[str] = Counter()
    leaf: Counter[str] = Counter()
    for line in raw.read_text(encoding="utf-8", errors="replace").splitlines():
        stack, _, count = line.rpartition(" ")
        if not count.isdigit():
            continue
        n = int(count)
        total += n
        for label, needles in MARKERS.items():
            if marker_hits(stack, needles):
                shares[label] += n
        leaf[stack.split(";")[-1]] += n
    pct = {label: round(100 * shares[label] / total, 1) for label in MARKERS} if total else {}
    top = [(frame, round(100 * n / total, 1)) for frame, n in leaf.most_common(15)] if total else []
    return {"samples": total, "share_percent": pct, "top_self_frames": top}


async def load(base: str, concurrency: int, seconds: float) -> dict:
    send = gateway_sender(base)
    await run_load(send, 1, 3.0)  # warm-up
    return (await run_load(send, concurrency, seconds, check=True)).summary()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--config", default="embedded", choices=("embedded", "embedded-unpatched", "embedded-nocache"))
    parser.add_argument("--concurrency", type=int, default=1)
    parser.add_argument("--seconds", type=float, default=30.0)
    args = parser.parse_args(argv)
    pyspy = shutil.which("py-spy") or str(Path(sys.executable).parent / "py-spy")
    if not Path(pyspy).exists():
        print("py-spy fehlt: .venv/bin/pip install py-spy", file=sys.stderr)
        return 2
    out = ROOT / "reports" / "profiles" / args.config
    out.mkdir(parents=True, exist_ok=True)
    log_dir = Path(tempfile.mkdtemp(prefix="profile-"))
    runner = OurStack(log_dir, args.config)
    try:
        base = runner.start()
        pids = runner.pids()
        targets = {name: pid for name, pid in pids.items() if name.startswith(("rasa", "actions"))}
        asyncio.run(run_load(gateway_sender(base), 1, 3.0))  # models and caches loaded before sampling
        recorders = {name: subprocess.Popen(
            [pyspy, "record", "--pid", str(pid), "--duration", str(int(args.seconds)), "--rate", "200",
             "--format", "raw", "--output", str(out / f"{name}.txt"), "--nonblocking"],
            stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT) for name, pid in targets.items()}
        time.sleep(1.0)
        result = asyncio.run(load(base, args.concurrency, args.seconds - 2))
        for proc in recorders.values():
            proc.wait(timeout=args.seconds + 60)
    finally:
        runner.stop()
    summary = {"config": args.config, "concurrency": args.concurrency, "load": result,
               "processes": {name: summarise(out / f"{name}.txt") for name in targets}}
    (out / "summary.json").write_text(json.dumps(summary, indent=2), encoding="utf-8")
    print(f"{args.config}: {result['msg_per_s']} msg/s at {args.concurrency} concurrent, p50 {result['p50_ms']} ms")
    for name, s in summary["processes"].items():
        print(f"  {name} ({s['samples']} samples):")
        for label, share in s["share_percent"].items():
            if share:
                print(f"    {share:5.1f} %  {label}")
        for frame, share in s["top_self_frames"][:8]:
            print(f"    self {share:5.1f} %  {frame}")
    print(f"Written: {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
