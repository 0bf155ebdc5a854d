"""``bot validate`` checks of the review draft file (data/drafts/review.yml) written by the console."""

from __future__ import annotations

import os
from pathlib import Path

import yaml

from bot.console.drafts import DECISIONS
from bot.staff.pii import mask
from bot.staff.yaml_lines import ENTITY_RE, ERROR, WARNING, Finding

DRAFT = Path("data") / "drafts" / "review.yml"


def domain_intents(root: Path) -> set[str]:
    intents: set[str] = set()
    for path in sorted((root / "domain").glob("*.yml")):
        doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for item in doc.get("intents") or []:
            intents.add(next(iter(item)) if isinstance(item, dict) else str(item))
    return intents


def _line(lines: list[str], group: str) -> int:
    return next((i for i, line in enumerate(lines, 1) if f"group: {group}" in line), 0)


def check_review_drafts(root: Path, service_ids: set[str], path: Path | None = None) -> list[Finding]:
    if path is None:  # the file the console writes: $BOT_STAFF_DRAFTS (same as the console) or the default
        env = os.environ.get("BOT_STAFF_DRAFTS")
        path = (Path(env) if Path(env).is_absolute() else root / env) if env else root / DRAFT
    if not path.is_file():
        return []
    file = path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)
    text = path.read_text(encoding="utf-8")
    try:
        doc = yaml.safe_load(text) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        return [Finding(ERROR, file, mark.line + 1 if mark else 0, "kein gültiges YAML")]
    entries = doc.get("review") if isinstance(doc, dict) else None
    if not isinstance(entries, list):
        return [Finding(ERROR, file, 0, "erwartet 'review:' mit einer Liste von Zuordnungen")]
    lines, findings, intents = text.splitlines(), [], domain_intents(root)
    for entry in entries:
        if not isinstance(entry, dict):
            findings.append(Finding(ERROR, file, 0, "Eintrag ist keine Zuordnung"))
            continue
        group = str(entry.get("group") or "")
        line = _line(lines, group) if group else 0
        decision = entry.get("decision")
        if decision not in DECISIONS:
            findings.append(Finding(ERROR, file, line, f"unbekannte Entscheidung {decision!r} "
                                                       f"(erlaubt: {', '.join(DECISIONS)})"))
        intent, service = entry.get("intent"), entry.get("service")
        if decision == "intent" and not intent and not service:
            findings.append(Finding(ERROR, file, line, "Zuordnung ohne Absicht und ohne Leistung"))
        if intent and intent not in intents:
            findings.append(Finding(ERROR, file, line, f"Absicht {intent!r} gibt es nicht in domain/"))
        if service and service not in service_ids:
            findings.append(Finding(ERROR, file, line, f"Leistung {service!r} gibt es nicht im Katalog"))
        examples = entry.get("examples")
        if not isinstance(examples, list) or not examples:
            findings.append(Finding(ERROR, file, line, "keine Beispiele"))
            continue
        for example in examples:
            if not isinstance(example, str) or not example.strip():
                findings.append(Finding(ERROR, file, line, "leeres Beispiel"))
            elif mask(example) != example:
                findings.append(Finding(ERROR, file, line, "Beispiel enthält personenbezogene Daten (nicht maskiert)"))
            elif ENTITY_RE.search(example) and decision == "intent":
                findings.append(Finding(WARNING, file, line, "Beispiel enthält Rasa-Annotationen; bitte prüfen"))
    return findings


def check_local_info(root: Path, service_ids: set[str]) -> list[Finding]:
    """data/local/<tenant>.yml (written by the console): schema, times, URLs, known Leistungen."""
    from bot.local_info import problems  # noqa: PLC0415

    findings: list[Finding] = []
    env = os.environ.get("BOT_LOCAL_DIR")
    folder = Path(env) if env else root / "data" / "local"
    for path in sorted(folder.glob("*.yml")):
        file = path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)
        try:
            doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        except yaml.YAMLError:
            findings.append(Finding(ERROR, file, 0, "kein gültiges YAML"))
            continue
        findings += [Finding(ERROR, file, 0, text) for text in problems(doc, service_ids)]
    return findings


def check_console_data(root: Path, service_ids: set[str]) -> list[Finding]:
    """Everything the staff console writes: the review draft and the local information."""
    return check_review_drafts(root, service_ids) + check_local_info(root, service_ids)
