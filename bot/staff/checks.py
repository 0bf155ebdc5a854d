"""Checks on the catalogue, Zuständigkeit rules, AGS values and responses (each finding with file:line).

The catalogue schema itself is ``bot.catalogue.parse_service`` (the same code the bot runs); this
module only adds the position of the offending entry or field to its message.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from pathlib import Path

from bot.catalogue import CatalogueError, ServicebwEntry, parse_service
from bot.rasa_validate import ACTION_REF
from bot.staff.yaml_lines import ERROR, Finding, YamlFileError, line_of, load_yaml, normalise, rel

AGS_RE = re.compile(r"^08[0-9]{6}$")
MIN_SYNONYMS = 5
RESPONSIBILITY = "data/catalogue/responsibility.yml"


@dataclass(frozen=True)
class CatalogueEntry:
    """A curated service that passed the schema, with where it stands."""

    id: str
    name: str
    synonyms: tuple[str, ...]
    file: str
    line: int
    node: object = field(default=None, compare=False, repr=False)  # the YAML mapping, with line numbers


@dataclass
class Catalogue:
    entries: list[CatalogueEntry] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)

    @property
    def ids(self) -> set[str]:
        return {e.id for e in self.entries}


def _field_line(entry: dict, message: str) -> int:
    """Line of the field a schema message talks about (else of the entry itself)."""
    item = re.search(r"Eintrag (\d+) in '(\w+)'", message)
    if item and isinstance(entry.get(item.group(2)), list):
        return line_of(entry[item.group(2)], int(item.group(1)) - 1)
    message = message.split(": ", 1)[-1]  # without "Leistung 'id'"
    hits = [(m.start(), key) for key in entry if (m := re.search(rf"\b{re.escape(str(key))}\b", message))]
    return line_of(entry, min(hits)[1]) if hits else line_of(entry)


def load_catalogue(root: Path, servicebw: dict[str, ServicebwEntry], rule_ids: set[str] | None) -> Catalogue:
    """Every curated entry checked against the schema; broken entries become findings."""
    result = Catalogue()
    seen: dict[str, str] = {}
    for path in sorted((root / "data" / "catalogue" / "services").glob("*.yml")):
        file = rel(path, root)
        try:
            doc = load_yaml(path, root)
        except YamlFileError as exc:
            result.findings.append(exc.finding)
            continue
        services = doc.get("services") if isinstance(doc, dict) else None
        if not isinstance(services, list):
            result.findings.append(Finding(ERROR, file, 1, "Schlüssel 'services' mit einer Liste von Leistungen fehlt"))
            continue
        for entry in services:
            line = line_of(entry) if isinstance(entry, dict) else line_of(services)
            try:
                service = parse_service(entry, path, doc, servicebw)
            except CatalogueError as exc:
                text = str(exc).removeprefix(path.name).lstrip(":, ")
                where = _field_line(entry, text) if isinstance(entry, dict) else line
                result.findings.append(Finding(ERROR, file, where, text))
                continue
            if service.id in seen:
                result.findings.append(Finding(ERROR, file, line_of(entry, "id"),
                                               f"Leistung '{service.id}': id doppelt (auch in {seen[service.id]})"))
                continue
            seen[service.id] = f"{file}:{line}"
            distinct = {normalise(s) for s in service.synonyms} - {normalise(service.name)}
            if len(distinct) < MIN_SYNONYMS:
                result.findings.append(Finding(
                    ERROR, file, line_of(entry, "synonyms") if "synonyms" in entry else line,
                    f"Leistung '{service.id}' hat nur {len(distinct)} Synonyme; nötig sind mindestens {MIN_SYNONYMS} "
                    "(Wörter, die Bürgerinnen und Bürger wirklich verwenden)"))
            rule = service.responsibility.rule if service.responsibility else ""
            if rule_ids is not None and rule not in rule_ids:
                resp = entry.get("responsibility")
                result.findings.append(Finding(
                    ERROR, file, line_of(resp, "rule"),
                    f"Leistung '{service.id}': Zuständigkeitsregel '{rule}' gibt es in {RESPONSIBILITY} nicht "
                    f"(vorhanden: {', '.join(sorted(rule_ids))})"))
            result.entries.append(CatalogueEntry(service.id, service.name, service.synonyms, file, line, entry))
    return result


def load_rules(root: Path) -> tuple[object, set[str] | None, list[Finding]]:
    """responsibility.yml: its document, the rule ids, and long-tail patterns naming unknown rules."""
    path = root / RESPONSIBILITY
    if not path.is_file():
        return None, None, [Finding(ERROR, RESPONSIBILITY, 0, "Datei fehlt")]
    try:
        doc = load_yaml(path, root)
    except YamlFileError as exc:
        return None, None, [exc.finding]
    rules = doc.get("rules") if isinstance(doc, dict) else None
    if not isinstance(rules, dict):
        return doc, set(), [Finding(ERROR, RESPONSIBILITY, 1, "Schlüssel 'rules' fehlt")]
    ids = {str(k) for k in rules}
    findings = []
    for item in ((doc.get("longtail") or {}).get("rules") or []):
        if isinstance(item, dict) and item.get("rule") not in ids:
            findings.append(Finding(ERROR, RESPONSIBILITY, line_of(item, "rule"),
                                    f"Long-Tail-Muster verweist auf unbekannte Regel '{item.get('rule')}'"))
    return doc, ids, findings


def register_ags(data_dir: Path | None) -> set[str]:
    """The AGS of all BW Gemeinden in the shared register (empty if it is not available)."""
    path = data_dir / "municipalities" / "bw_gemeinden.csv" if data_dir else None
    if path is None or not path.is_file():
        return set()
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return {row["ags"] for row in csv.DictReader(fh)}


def _ags(value: object, file: str, line: int, known: set[str]) -> list[Finding]:
    if not isinstance(value, str):
        return [Finding(ERROR, file, line, f"AGS {value} bitte in Anführungszeichen schreiben, z. B. \"08119020\" "
                        "(sonst wird er als Zahl ohne führende 0 gelesen)")]
    if not AGS_RE.match(value):
        return [Finding(ERROR, file, line, f"AGS '{value}' ist ungültig: ein AGS hat 8 Ziffern und beginnt "
                        "in Baden-Württemberg mit 08")]
    if known and value not in known:
        return [Finding(ERROR, file, line, f"AGS '{value}' ist keine Gemeinde im Gemeindeverzeichnis Baden-Württembergs")]
    return []


def check_ags(root: Path, rules_doc: object, known: set[str]) -> list[Finding]:
    """AGS in place aliases, rule overrides and tenants: 8 digits, starting with 08, a real Gemeinde."""
    findings: list[Finding] = []
    if isinstance(rules_doc, dict):
        for rule in (rules_doc.get("rules") or {}).values():
            overrides = rule.get("overrides") if isinstance(rule, dict) else None
            for i, value in enumerate(overrides or []):
                findings += _ags(value, RESPONSIBILITY, line_of(overrides, i), known)
    for name, walk in (("data/places/aliases.yml", _alias_ags), ("config/tenants.yml", _tenant_ags)):
        path = root / name
        if not path.is_file():
            continue
        try:
            doc = load_yaml(path, root)
        except YamlFileError as exc:
            findings.append(exc.finding)
            continue
        for value, line in walk(doc):
            findings += _ags(value, name, line, known)
    return findings


def _alias_ags(doc: object):
    aliases = doc.get("aliases") if isinstance(doc, dict) else None
    for key, value in (aliases or {}).items():
        yield value, line_of(aliases, key)


def _tenant_ags(doc: object):
    for tenant in (doc.get("tenants") if isinstance(doc, dict) else None) or []:
        ags = tenant.get("ags") if isinstance(tenant, dict) else None
        for i, item in enumerate(ags if isinstance(ags, list) else []):
            if isinstance(item, dict):
                yield item.get("ags"), line_of(item, "ags")
            else:
                yield item, line_of(ags, i)


def domain_responses(root: Path) -> tuple[set[str], list[Finding]]:
    """Response names defined in domain/*.yml (or domain.yml)."""
    files = sorted((root / "domain").glob("*.yml")) or [p for p in [root / "domain.yml"] if p.is_file()]
    names: set[str] = set()
    findings: list[Finding] = []
    if not files:
        findings.append(Finding(ERROR, "domain", 0, "keine Domain-Dateien gefunden"))
    for path in files:
        try:
            doc = load_yaml(path, root)
        except YamlFileError as exc:
            findings.append(exc.finding)
            continue
        names.update(str(k) for k in ((doc.get("responses") if isinstance(doc, dict) else None) or {}))
    return names, findings


def response_references(root: Path) -> list[tuple[str, str, int]]:
    """(response, file, line) for every ``utter_…`` used by custom actions, rules and stories."""
    refs: list[tuple[str, str, int]] = []
    for path in sorted((root / "actions").rglob("*.py")):
        for lineno, text in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            refs += [(name, rel(path, root), lineno) for name in ACTION_REF.findall(text)]
    for folder in ("rules", "stories"):
        for path in sorted((root / "data" / folder).glob("*.yml")):
            try:
                doc = load_yaml(path, root)
            except YamlFileError:
                continue  # reported by Rasa's own validation
            for block in ((doc.get(folder) if isinstance(doc, dict) else None) or []):
                for step in (block.get("steps") if isinstance(block, dict) else None) or []:
                    action = step.get("action") if isinstance(step, dict) else None
                    if isinstance(action, str) and action.startswith("utter_"):
                        refs.append((action, rel(path, root), line_of(step, "action")))
    return refs


def check_responses(root: Path) -> list[Finding]:
    """Responses used by actions, rules or stories must exist in domain/."""
    defined, findings = domain_responses(root)
    for name, file, line in response_references(root):
        if name not in defined:
            findings.append(Finding(ERROR, file, line, f"Antwort '{name}' wird hier verwendet, ist aber in domain/ "
                                    "nicht definiert (Tippfehler? sonst unter 'responses:' ergänzen)"))
    return findings
