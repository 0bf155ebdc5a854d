"""``bot review``: messages the assistant did not understand well, grouped, for staff to label.

Reads the conversations of a time window from the tracker store (SQLite by default, PostgreSQL via
``--endpoints config/production/endpoints.yml`` or ``--tracker-store URL``), lists the typed
messages that hit the fallback, had low intent confidence or got a thumbs-down (see
:mod:`bot.staff.flagged`), grouped by similar text and counted. ``--export FILE`` writes the
(selected) groups as a Rasa NLU YAML stub for ``data/nlu/``. Personal data is masked before
anything is printed or written. ``bot purge`` (registered here, :mod:`bot.staff.retention`)
deletes conversations older than the retention period.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from bot.staff import retention
from bot.staff.flagged import Group, fallback_threshold, flag_conversation, group
from bot.staff.trackers import StoreError, add_store_args, engine_for, iter_conversations, parse_when, store_url

REASON_LABELS = {"fallback": "Fallback", "low_confidence": "unsicher", "thumbs_down": "Daumen runter"}
EXIT_USAGE, EXIT_STORE = 2, 4


def review(url: str, since: datetime, until: datetime, threshold: float) -> list[Group]:
    """Flagged messages of [since, until) in the store at ``url``, grouped."""
    lo, hi = since.timestamp(), until.timestamp()
    engine = engine_for(url)
    try:
        flagged = [
            item
            for _sender, events in iter_conversations(engine, since=lo)
            for item in flag_conversation(events, threshold)
            if item.reasons and lo <= item.timestamp < hi
        ]
    finally:
        engine.dispose()
    return group(flagged)


def _when(iso: str) -> str:
    return iso[:16].replace("T", " ")


def _reasons_text(g: dict[str, Any]) -> str:
    parts = [f"{REASON_LABELS.get(r, r)} {n}" for r, n in g["reasons"].items()]
    return ", ".join(parts) + ("*" if g["thumbs_down_guessed"] else "")


def render_table(groups: list[Group], since: datetime, until: datetime, threshold: float, limit: int) -> str:
    total = sum(g.count for g in groups)
    lines = [f"Zeitraum {since:%Y-%m-%d %H:%M} bis {until:%Y-%m-%d %H:%M} UTC: {total} Nachrichten in "
             f"{len(groups)} Gruppen (Schwelle der Konfidenz {threshold:.2f}). Personenbezogene Daten maskiert."]
    if not groups:
        return lines[0] + "\nKeine auffälligen Nachrichten."
    header = f"{'Nr':>3} {'Anz':>4}  {'Gründe':<40} {'zuerst':<16}  {'zuletzt':<16}  {'Vermutung':<22} Beispiel"
    lines += [header, "-" * len(header)]
    for g in groups[: limit or None]:
        d = g.to_dict()
        guess = d["intent_guess"] or "-"
        if d["min_confidence"] is not None:
            guess += f" ({d['min_confidence']:.2f})"
        example = d["example"] if len(d["example"]) <= 70 else d["example"][:69] + "…"
        lines.append(f"{d['id']:>3} {d['count']:>4}  {_reasons_text(d):<40} {_when(d['first_seen']):<16}  "
                     f"{_when(d['last_seen']):<16}  {guess:<22} {example}")
    if limit and len(groups) > limit:
        lines.append(f"... {len(groups) - limit} weitere Gruppen (--limit 0 zeigt alle)")
    if any(g.to_dict()["thumbs_down_guessed"] for g in groups):
        lines.append("* Daumen runter ohne passende Antwort-Kennung: der vorigen Nachricht zugeordnet.")
    return "\n".join(lines)


def to_json(groups: list[Group], since: datetime, until: datetime, threshold: float) -> dict[str, Any]:
    return {"since": since.isoformat(), "until": until.isoformat(), "threshold": threshold,
            "messages": sum(g.count for g in groups), "groups": [g.to_dict() for g in groups]}


_RASA_MARKUP = re.compile(r"\](?=[(\[{])")


def _example_line(text: str) -> str:
    """One NLU example: single line, no accidental Rasa entity markup (``[x](y)``, ``[x]{..}``)."""
    return _RASA_MARKUP.sub("] ", " ".join(text.split()))


def export_yaml(groups: list[Group], since: datetime, until: datetime) -> str:
    out = [
        f"# Von `bot review` erzeugt: auffällige Nachrichten vom {since:%Y-%m-%d} bis {until:%Y-%m-%d}.",
        "# Personenbezogene Daten sind maskiert ([NAME], [E-MAIL], [TELEFON], [IBAN], [ADRESSE]).",
        "# Je Gruppe die Absicht (intent) eintragen, Platzhalter durch erfundene Angaben ersetzen,",
        "# unpassende Beispiele löschen und die Datei dann nach data/nlu/ verschieben.",
        'version: "3.1"', "nlu:",
    ]
    for g in groups:
        d = g.to_dict()
        reasons = ", ".join(f"{REASON_LABELS.get(r, r)} {n}" for r, n in d["reasons"].items())
        out.append(f"# Gruppe {d['id']}: {d['count']}x ({reasons}); Vorschlag des Modells: {d['intent_guess'] or '-'}")
        out.append("# TODO: Absicht eintragen")
        out.append(f"- intent: todo_gruppe_{d['id']}")
        out.append("  examples: |")
        out += [f"    - {_example_line(text)}" for text in g.examples() if text.strip()]
    return "\n".join(out) + "\n"


def _selection(text: str | None, groups: list[Group]) -> list[Group]:
    if not text:
        return groups
    try:
        wanted = {int(part) for part in text.split(",") if part.strip()}
    except ValueError:
        raise ValueError(f"--select erwartet Gruppennummern, z. B. 1,3,5 (nicht {text!r})") from None
    unknown = wanted - {g.number for g in groups}
    if unknown:
        raise ValueError(f"unbekannte Gruppe(n): {', '.join(map(str, sorted(unknown)))}")
    return [g for g in groups if g.number in wanted]


def cmd_review(args: argparse.Namespace) -> int:
    try:
        now = datetime.now(timezone.utc)
        since, until = parse_when(args.since, now), parse_when(args.until, now) if args.until else now
        if since >= until:
            raise ValueError("--since muss vor --until liegen")
        threshold = args.threshold if args.threshold is not None else fallback_threshold()
        groups = review(store_url(args), since, until, threshold)
        chosen = _selection(args.select, groups)
    except ValueError as exc:
        print(f"Fehler: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except StoreError as exc:
        print(f"Fehler: {exc}", file=sys.stderr)
        return EXIT_STORE
    if args.json:
        print(json.dumps(to_json(groups, since, until, threshold), ensure_ascii=False, indent=2))
    else:
        print(render_table(groups, since, until, threshold, args.limit))
    if args.export:
        args.export.parent.mkdir(parents=True, exist_ok=True)
        args.export.write_text(export_yaml(chosen, since, until), encoding="utf-8")
        print(f"{len(chosen)} Gruppen nach {args.export} exportiert.", file=sys.stderr)
    return 0


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("review", help="Nicht oder schlecht verstandene Nachrichten auswerten",
                              description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_store_args(p)
    p.add_argument("--since", default="7d", help="Beginn: Dauer zurück (7d, 24h) oder Datum (2026-11-01)")
    p.add_argument("--until", help="Ende: Dauer zurück oder Datum (Standard: jetzt)")
    p.add_argument("--threshold", type=float, help="Konfidenz-Schwelle (Standard: FallbackClassifier in config.yml)")
    p.add_argument("--json", action="store_true", help="JSON statt Tabelle ausgeben")
    p.add_argument("--limit", type=int, default=50, help="höchstens so viele Gruppen anzeigen (0 = alle)")
    p.add_argument("--export", type=Path, metavar="DATEI", help="Gruppen als NLU-YAML-Entwurf schreiben")
    p.add_argument("--select", metavar="1,3,5", help="nur diese Gruppen exportieren")
    p.set_defaults(func=cmd_review)
    retention.add_parser(subparsers)
