"""``bot validate``: our own checks on the project data, then Rasa's data validation.

Every finding is one line ``FEHLER datei.yml:ZEILE: Text`` or ``WARNUNG …``; the command exits 1
when there is at least one FEHLER. ``--project DIR`` checks another tree with the same layout
(domain/, data/nlu/, data/rules/, data/catalogue/, data/places/, config/, actions/);
``--no-rasa`` skips Rasa's own (slower) validation. Generated files (data/nlu/generated/) are not
checked: they are rebuilt from the catalogue by ``make setup``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from bot.catalogue import load_servicebw_ids
from bot.config import NLU_TRAINING_DIRS, PROJECT_ROOT, DataDirError, data_dir
from bot.console.checks_drafts import check_console_data
from bot.rasa_validate import rasa_problems
from bot.staff.checks import check_ags, check_responses, load_catalogue, load_rules, register_ags
from bot.staff.checks_facts import check_facts
from bot.staff.checks_heldout import check_heldout
from bot.staff.checks_languages import check_languages, check_response_variants
from bot.staff.checks_nlu import (
    check_duplicates,
    check_near_duplicates,
    check_service_examples,
    check_synonyms,
)
from bot.staff.checks_relations import check_relations, check_scope
from bot.staff.checks_zustaendigkeit import check_zustaendigkeit
from bot.staff.yaml_lines import ERROR, WARNING, Example, Finding, read_nlu

RASA_LABEL = "rasa data validate"
HELP = ("Prüft Katalog, Trainingsbeispiele, Antworten und AGS-Angaben und meldet jedes Problem als "
        "„FEHLER datei.yml:ZEILE: Text“ oder „WARNUNG …“. Danach läuft Rasas eigene Prüfung (außer mit --no-rasa). "
        "Exit-Code 1 bei mindestens einem FEHLER. Anleitung: docs/staff/.")


def nlu_files(root: Path) -> list[Path]:
    """The NLU training files of every language (bot.config.NLU_TRAINING_DIRS), without generated ones."""
    files: list[Path] = []
    for name in NLU_TRAINING_DIRS:
        folder = root / name
        files += sorted(p for p in folder.rglob("*.yml")
                        if "generated" not in p.relative_to(folder).parts and p.name != "README.md")
    return files


def collect(root: Path, data: Path | None) -> list[Finding]:
    """All findings of our own checks on the project at ``root``."""
    findings: list[Finding] = []
    servicebw = {}
    if data is not None:
        try:
            servicebw = load_servicebw_ids(data)
        except (DataDirError, OSError, KeyError) as exc:
            findings.append(Finding(WARNING, "servicebw_ids.csv", 0,
                                    f"service-bw-Liste nicht lesbar ({exc}); servicebw_id wird nur formal geprüft"))
    rules_doc, rule_ids, problems = load_rules(root)
    findings += problems
    catalogue = load_catalogue(root, servicebw, rule_ids)
    findings += catalogue.findings
    findings += check_facts(catalogue)
    findings += check_languages(root, catalogue)
    if not catalogue.entries and not catalogue.findings:
        findings.append(Finding(ERROR, "data/catalogue/services", 0, "keine Katalogdateien (*.yml) gefunden"))

    examples: list[Example] = []
    synonyms: list[tuple[str, str, int]] = []
    files = nlu_files(root)
    if not files:
        findings.append(Finding(ERROR, "data/nlu", 0, "keine NLU-Dateien (*.yml) gefunden"))
    for path in files:
        nlu = read_nlu(path, root)
        findings += nlu.findings
        examples += nlu.examples
        synonyms += [(path.relative_to(root).as_posix(), value, line) for value, line, _ in nlu.synonyms]
    longtail = {f"sbw-{k}" for k, v in servicebw.items() if v.kind == "leistung"}
    findings += check_duplicates(examples)
    findings += check_near_duplicates(examples)
    findings += check_synonyms(synonyms, examples, catalogue.ids | longtail)
    findings += check_service_examples(catalogue.entries, examples)
    findings += check_ags(root, rules_doc, register_ags(data))
    findings += check_responses(root)
    findings += check_response_variants(root)
    longtail_names = [(f"sbw-{k}", v.name) for k, v in servicebw.items() if v.kind == "leistung"]
    findings += check_heldout(root, examples, catalogue.entries, longtail_names)
    findings += check_zustaendigkeit(root, data, rule_ids)
    findings += check_console_data(root, catalogue.ids)
    findings += check_relations(root, catalogue.ids | longtail, bool(servicebw))
    findings += check_scope(root, catalogue.ids)
    return findings


def rasa_findings(root: Path) -> list[Finding]:
    """``rasa data validate --fail-on-warnings``; tolerated: responses only custom actions send."""
    if not (root / "config.yml").is_file():
        return [Finding(ERROR, "config.yml", 0, "Datei fehlt; die Rasa-Prüfung ist nicht möglich")]
    return [Finding(ERROR, RASA_LABEL, 0, problem) for problem in rasa_problems(root)]


def run(args: argparse.Namespace) -> int:
    root = Path(args.project).resolve()
    if not root.is_dir():
        print(f"Fehler: Projektverzeichnis nicht gefunden: {root}", file=sys.stderr)
        return 2
    try:
        data = data_dir(args.data_dir)
    except DataDirError as exc:
        print(f"WARNUNG: {exc}; Gemeinden und service-bw-Nummern werden nur formal geprüft.")
        data = None
    findings = sorted(collect(root, data), key=lambda f: (f.file, f.line, f.level))
    rasa_note = "übersprungen (--no-rasa)"
    if not args.no_rasa:
        rasa = rasa_findings(root)
        findings += rasa
        rasa_note = f"{len(rasa)} Problem(e)" if rasa else "bestanden"
    for finding in findings:
        print(finding)
    errors = sum(f.level == ERROR for f in findings)
    warnings = len(findings) - errors
    print(f"Ergebnis: {errors} Fehler, {warnings} Warnungen. Rasa-Prüfung: {rasa_note}.")
    if errors:
        print("Bitte beheben Sie die Fehler (Datei und Zeile stehen vor jeder Meldung) und prüfen Sie erneut.")
    return 1 if errors else 0


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("validate", help="Trainingsdaten, Katalog und Antworten prüfen (mit Datei und Zeile)",
                              description=HELP)
    p.add_argument("--project", default=str(PROJECT_ROOT), help="Projektverzeichnis (Standard: dieses Repository)")
    p.add_argument("--no-rasa", action="store_true", help="nur die eigenen Prüfungen, ohne `rasa data validate`")
    p.set_defaults(func=run)


def main(argv: list[str] | None = None) -> int:
    from bot.cli import main as cli_main

    return cli_main(["validate", *(argv or [])])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
