"""``python -m bot.launcher [--profile dev|production] [--replicas N]`` (what ``make run`` starts).

Starts the stack (:mod:`bot.launcher.stack`), waits until every process answers, prints the demo
page's URL and then supervises: a crashed child is restarted with backoff while the others keep
running. Ctrl+C or SIGTERM stops exactly the processes it started.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from bot.config import PROJECT_ROOT
from bot.launcher.stack import Stack
from bot.launcher.supervisor import StackError


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bot.launcher", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--profile", choices=["dev", "production"], default=os.environ.get("PROFILE") or "dev")
    parser.add_argument("--replicas", type=int, default=None,
                        help="Rasa replicas (default 2 with 2+ cores and enough memory, else 1)")
    parser.add_argument("--gateway-workers", type=int, default=None,
                        help="gateway processes on one port (production: default 2)")
    parser.add_argument("--port", type=int, default=8080, help="gateway port")
    parser.add_argument("--rasa-port", type=int, default=5005, help="first Rasa port (replica i: +i)")
    parser.add_argument("--actions-port", type=int, default=5055, help="first action server port (+i)")
    parser.add_argument("--tenants", type=Path, default=PROJECT_ROOT / "config" / "tenants.yml")
    parser.add_argument("--model", type=Path, default=None, help="model file or directory (default: models/)")
    parser.add_argument("--redis-url", default=os.environ.get("RATE_LIMIT_REDIS_URL"),
                        help="shared rate limits and conversation memory "
                             "(production default: redis://REDIS_HOST:REDIS_PORT/2)")
    return parser.parse_args(argv)


#: Memory one Rasa replica with its action server needs (measured by make bench: ~1.4 GB + 0.2 GB),
#: with room for the rest of the machine.
REPLICA_MEMORY_MB = 2500  # two replicas from 5 GB free


def available_memory_mb(meminfo: Path = Path("/proc/meminfo")) -> int | None:
    try:
        for line in meminfo.read_text(encoding="ascii").splitlines():
            if line.startswith("MemAvailable:"):
                return int(line.split()[1]) // 1024
    except (OSError, ValueError, IndexError):
        return None
    return None


def default_replicas(cores: int | None = None, memory_mb: int | None = None) -> int:
    """Two Rasa processes (routed by sender, so one conversation's turns never interleave) where both
    cores and the memory are there: ``make bench`` measured 1.6-1.8x the messages/s of one process at
    10-20 concurrent citizens; one process otherwise."""
    cores = os.cpu_count() if cores is None else cores
    memory_mb = available_memory_mb() if memory_mb is None else memory_mb
    return 2 if (cores or 1) >= 2 and (memory_mb or 0) >= 2 * REPLICA_MEMORY_MB else 1


def build_stack(args: argparse.Namespace) -> Stack:
    production = args.profile == "production"
    replicas = args.replicas or (2 if production else default_replicas())
    workers = args.gateway_workers or (2 if production else 1)
    redis_url = args.redis_url
    if production and not redis_url:
        redis_url = (f"redis://{os.environ.get('REDIS_HOST', '127.0.0.1')}:"
                     f"{os.environ.get('REDIS_PORT', '6379')}/2")
    return Stack(gateway_port=args.port, rasa_port=args.rasa_port, actions_port=args.actions_port,
                 tenants=args.tenants, model=args.model, profile=args.profile, replicas=replicas,
                 gateway_workers=workers, redis_url=redis_url, write_run_files=True)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        stack = build_stack(args)
    except StackError as exc:
        print(f"Start fehlgeschlagen: {exc}", file=sys.stderr)
        return 2

    def _terminate(signum: int, _frame: object) -> None:  # SIGTERM (service managers, kill) = Ctrl+C
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, _terminate)
    try:
        base = stack.start()
        extra = (f" Profil production: {stack.replicas} Rasa-Repliken, {stack.gateway_workers} Gateway-Prozesse."
                 if args.profile == "production" else f" {stack.replicas} Rasa-Prozess(e).")
        print(f"\nDigitaler Bürgerservice läuft. Demo-Seite: {base}/demo/\n"
              f"(Stuttgart: {base}/demo/?ags=08111000 · Ulm: {base}/demo/?ags=08421000&title=Stadt%20Ulm)\n"
              f"Abgestürzte Prozesse werden neu gestartet.{extra} Beenden mit Strg+C.", flush=True)
        while True:
            time.sleep(1)
    except KeyboardInterrupt:
        return 0
    except StackError as exc:
        print(f"Start fehlgeschlagen: {exc}", file=sys.stderr)
        return 1
    finally:
        stack.stop()


if __name__ == "__main__":
    sys.exit(main())
