"""Command line: ``bot place``, ``bot lookup`` (and further subcommands registered by other modules).

The JSON shapes printed here are a contract used by staff and the evaluation scripts.
Errors go to stderr as one German line with a non-zero exit code, never a traceback.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Iterator

from bot.config import DataDirError, disable_rasa_telemetry
from bot.languages import LANGUAGES

EXIT_USAGE = 2
EXIT_NOT_FOUND = 3
EXIT_DATA = 4


class CliError(Exception):
    def __init__(self, message: str, code: int = 1) -> None:
        super().__init__(message)
        self.code = code


def _core(args: argparse.Namespace):
    from bot.catalogue import CatalogueError
    from bot.core import get_core

    try:
        return get_core(args.data_dir, args.catalogue_dir)
    except (DataDirError, CatalogueError) as exc:
        raise CliError(str(exc), EXIT_DATA) from None


def place_result(core, text: str) -> dict:
    if not text or not text.strip():
        raise CliError("Bitte geben Sie einen Ort, eine Postleitzahl oder einen AGS an.", EXIT_USAGE)
    res = core.place(text)
    if res.in_bw is None:
        raise CliError(f"Ort nicht gefunden: {text.strip()[:80]}", EXIT_NOT_FOUND)
    return res.to_dict()


def lookup_result(core, text: str, place: str | None, language: str | None = None) -> dict:
    """``bot lookup`` (and ``GET /api/v1/services``); with ``language`` each hit carries its ``texts``."""
    if not text or not text.strip():
        raise CliError("Bitte geben Sie an, was Sie erledigen möchten.", EXIT_USAGE)
    if place is not None:
        if not place.strip():
            raise CliError("Die Ortsangabe ist leer.", EXIT_USAGE)
        if core.place(place).in_bw is None:
            raise CliError(f"Ort nicht gefunden: {place.strip()[:80]}", EXIT_NOT_FOUND)
    out = core.lookup(text, place).to_dict()
    if language is not None:
        core.add_texts(out["services"], language)
    return out


def _jsonl(handler: Callable[[dict], dict]) -> int:
    """One JSON object per input line -> one JSON result per line; bad lines get an error object."""
    failures = 0
    for lineno, line in enumerate(_stdin_lines(), 1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
            if not isinstance(item, dict):
                raise ValueError("kein JSON-Objekt")
            out = handler(item)
        except (ValueError, CliError) as exc:
            failures += 1
            msg = str(exc) if isinstance(exc, CliError) else f"Zeile {lineno}: ungültiges JSON ({exc})"
            out = {"error": msg, "line": lineno}
        print(json.dumps(out, ensure_ascii=False), flush=True)
    return 1 if failures else 0


def _stdin_lines() -> Iterator[str]:
    yield from sys.stdin


def cmd_place(args: argparse.Namespace) -> int:
    core = _core(args)
    if args.jsonl:
        return _jsonl(lambda item: place_result(core, str(item.get("text") or "")))
    _emit(place_result(core, " ".join(args.text)), args)
    return 0


def cmd_lookup(args: argparse.Namespace) -> int:
    core = _core(args)
    if args.jsonl:
        return _jsonl(lambda item: lookup_result(core, str(item.get("text") or ""), item.get("place"), args.lang))
    _emit(lookup_result(core, " ".join(args.text), args.place, args.lang), args)
    return 0


def _emit(result: dict, args: argparse.Namespace) -> None:
    if args.json:
        print(json.dumps(result, ensure_ascii=False))
        return
    if "candidates" in result and "services" not in result:
        if result["in_bw"] is False:
            print(f"Außerhalb Baden-Württembergs ({result.get('land') or 'unbekanntes Land'}).")
        for c in result["candidates"]:
            print(f"{c['name']} ({c['gemeindetyp']}, {c['kreis']}) AGS {c['ags']} PLZ {', '.join(c['plz'])}")
        return
    if not result["services"]:
        print("Keine passende Leistung gefunden.")
    for s in result["services"]:
        print(f"{s['score']:.2f}  {s['name']}  [{s['id']}]")
    if result["office"]:
        o = result["office"]
        print(f"Zuständig: {o['name']} ({o['kind']})" + (f"\n{o['url']}" if o["url"] else ""))


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="bot", description="Bürgerservice-Assistent Baden-Württemberg")
    parser.add_argument("--data-dir", help="Datenverzeichnis (Standard: $BOT_DATA_DIR oder ../shared/data)")
    parser.add_argument("--catalogue-dir", help="Katalogverzeichnis (Standard: data/catalogue)")
    sub = parser.add_subparsers(dest="command", required=True)

    def common(p: argparse.ArgumentParser, text_required: bool = True) -> None:
        p.add_argument("text", nargs="*", help="Freitext")
        fmt = p.add_mutually_exclusive_group()
        fmt.add_argument("--json", action="store_true", help="JSON ausgeben")
        fmt.add_argument("--jsonl", action="store_true", help="JSON-Zeilen von stdin lesen")

    p = sub.add_parser("place", help="Ort, PLZ oder AGS auflösen")
    common(p)
    p.set_defaults(func=cmd_place)
    p = sub.add_parser("lookup", help="Leistung suchen und Zuständigkeit bestimmen")
    common(p)
    p.add_argument("--place", help="Ort, PLZ oder AGS")
    p.add_argument("--lang", choices=LANGUAGES, help="die Texte der Leistungen in dieser Sprache dazu (de-LS: Leichte Sprache)")
    p.set_defaults(func=cmd_lookup)
    p = sub.add_parser("parse", help="NLU des trainierten Modells plus Leistungs- und Ortssuche")
    p.add_argument("--jsonl", action="store_true", required=True, help="JSON-Zeilen von stdin lesen")
    p.add_argument("--model", help="Modelldatei oder -verzeichnis (Standard: models/, neuestes Modell)")
    p.set_defaults(func=cmd_parse)
    for module in STAFF_COMMANDS:
        _add_staff_command(sub, module)
    return parser


#: Staff workflow commands, each in its own module with ``add_parser(subparsers)`` that sets ``func``.
STAFF_COMMANDS = ("bot.staff.validate", "bot.staff.evaluate", "bot.staff.review", "bot.staff.publish",
                  "bot.console.cli")


def _add_staff_command(sub: argparse._SubParsersAction, module: str) -> None:
    import importlib

    try:
        mod = importlib.import_module(module)
    except ModuleNotFoundError as exc:
        if exc.name and module.startswith(exc.name):  # the command (or its package) is not built yet
            return
        raise
    mod.add_parser(sub)


def cmd_parse(args: argparse.Namespace) -> int:
    from bot import parse

    core = _core(args)
    try:
        return parse.main(args.model, core)
    except parse.ModelError as exc:
        raise CliError(str(exc), EXIT_DATA) from None


def main(argv: list[str] | None = None) -> int:
    disable_rasa_telemetry()  # bot eval/publish/validate run Rasa (subprocesses inherit it)
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except CliError as exc:
        print(f"Fehler: {exc}", file=sys.stderr)
        return exc.code
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:  # last resort: one line, no traceback
        print(f"Fehler: interner Fehler ({type(exc).__name__}: {exc})", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
