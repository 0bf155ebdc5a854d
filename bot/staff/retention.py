"""``bot purge``: delete conversation events older than the retention period (DSGVO).

The widget's privacy notice promises that conversations are deleted after 30 days. Run daily
(cron/systemd timer): ``bot purge`` for the default SQLite store, ``bot purge --endpoints
config/production/endpoints.yml`` for PostgreSQL. ``--dry-run`` only counts.
"""

from __future__ import annotations

import argparse
import os
import sys
from datetime import datetime, timezone

from bot.staff.trackers import StoreError, add_store_args, engine_for, parse_duration, purge, store_url

RETENTION_ENV = "BOT_RETENTION"
DEFAULT_RETENTION = "30d"


def cmd_purge(args: argparse.Namespace) -> int:
    try:
        period = parse_duration(args.older_than)
    except ValueError as exc:
        print(f"Fehler: {exc}", file=sys.stderr)
        return 2
    before = datetime.now(timezone.utc) - period
    try:
        engine = engine_for(store_url(args))
        try:
            events, conversations = purge(engine, before.timestamp(), dry_run=args.dry_run)
        finally:
            engine.dispose()
    except StoreError as exc:
        print(f"Fehler: {exc}", file=sys.stderr)
        return 4
    verb = "würden gelöscht" if args.dry_run else "gelöscht"
    print(f"{events} Ereignisse aus {conversations} Gesprächen vor {before:%Y-%m-%d %H:%M} UTC {verb} "
          f"(Aufbewahrung {args.older_than}).")
    return 0


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    if "purge" in subparsers.choices:  # registered already (e.g. listed in STAFF_COMMANDS too)
        return
    p = subparsers.add_parser("purge", help="Gespräche nach Ablauf der Aufbewahrungsfrist löschen",
                              description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_store_args(p)
    p.add_argument("--older-than", default=os.environ.get(RETENTION_ENV, DEFAULT_RETENTION),
                   help=f"Aufbewahrungsfrist (Standard: ${RETENTION_ENV} oder {DEFAULT_RETENTION})")
    p.add_argument("--dry-run", action="store_true", help="nur zählen, nichts löschen")
    p.set_defaults(func=cmd_purge)
