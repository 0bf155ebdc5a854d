"""YAML with line numbers, and Rasa NLU files read example by example.

Staff see every finding as ``datei.yml:ZEILE``. ruamel.yaml's round-trip loader keeps the position
of every mapping key and sequence item (``.lc``); examples inside an ``examples: |`` block get the
line of their ``- …`` row computed from the block's start. All line numbers here are 1-based.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError
from ruamel.yaml.scalarstring import LiteralScalarString

ERROR = "FEHLER"
WARNING = "WARNUNG"

#: Rasa's own annotation syntax: [text](entity), [text](entity:value), [text]{"entity": ..., "value": ...}
ENTITY_RE = re.compile(
    r"\[(?P<text>[^\]]+?)\](\((?P<entity>[^:)]+?)(?:\:(?P<value>[^)]+))?\)|\{(?P<dict>[^}]+?)\}|\[(?P<list>.*?)\])"
)


@dataclass(frozen=True)
class Finding:
    """One problem: ``FEHLER datei.yml:12: Text`` (line 0 = the file as a whole)."""

    level: str
    file: str
    line: int
    text: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{self.level} {where}: {self.text}"


class YamlFileError(Exception):
    """A file that is not valid YAML; carries the finding to report."""

    def __init__(self, finding: Finding) -> None:
        super().__init__(str(finding))
        self.finding = finding


def rel(path: Path, root: Path) -> str:
    """The path as staff see it: relative to the project, with forward slashes."""
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(path)


def load_yaml(path: Path, root: Path) -> object:
    """Round-trip load (keeps positions). Raises :class:`YamlFileError` naming file and line."""
    yaml = YAML(typ="rt")
    try:
        return yaml.load(path.read_text(encoding="utf-8"))
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else 0
        problem = (exc.problem or exc.context or "unbekannter Fehler").strip()
        raise YamlFileError(Finding(ERROR, rel(path, root), line, f"kein gültiges YAML ({problem})")) from None
    except Exception as exc:  # noqa: BLE001 - any other YAML/encoding problem, one line for staff
        raise YamlFileError(Finding(ERROR, rel(path, root), 0, f"Datei nicht lesbar ({exc})")) from None


def line_of(node: object, key: object = None) -> int:
    """1-based line of a mapping key (``key`` given) or of the node itself; 0 if unknown."""
    lc = getattr(node, "lc", None)
    if lc is None:
        return 0
    try:
        if key is None:
            return lc.line + 1
        if isinstance(key, int):
            return lc.item(key)[0] + 1
        return lc.key(key)[0] + 1
    except (KeyError, IndexError, TypeError, AttributeError):
        return lc.line + 1


@dataclass(frozen=True)
class Entity:
    start: int
    end: int
    entity: str
    value: str  # the annotated value, else the text itself
    text: str


@dataclass(frozen=True)
class Example:
    """One training or test example: ``text`` is what the model sees (annotations removed)."""

    file: str
    line: int
    intent: str
    raw: str
    text: str
    entities: tuple[Entity, ...] = ()

    @property
    def where(self) -> str:
        return f"{self.file}:{self.line}"


def parse_annotations(raw: str) -> tuple[str, tuple[Entity, ...]]:
    """Rasa's markup -> (plain text, entities with character spans in the plain text)."""
    out: list[str] = []
    entities: list[Entity] = []
    pos = length = 0
    for m in ENTITY_RE.finditer(raw):
        before = raw[pos:m.start()]
        out.append(before)
        length += len(before)
        text = m.group("text")
        start, end = length, length + len(text)
        out.append(text)
        length = end
        pos = m.end()
        specs: list[dict] = []
        if m.group("entity"):
            specs = [{"entity": m.group("entity").strip(), "value": (m.group("value") or "").strip()}]
        else:
            try:
                parsed = json.loads("{" + m.group("dict") + "}" if m.group("dict") else "[" + m.group("list") + "]")
            except json.JSONDecodeError:
                parsed = []
            specs = [parsed] if isinstance(parsed, dict) else [d for d in parsed if isinstance(d, dict)]
        for spec in specs:
            if spec.get("entity"):
                value = str(spec.get("value") or "") or text
                entities.append(Entity(start, end, str(spec["entity"]), value, text))
    out.append(raw[pos:])
    return "".join(out), tuple(entities)


def normalise(text: str) -> str:
    """Case and whitespace folded (used to find duplicates)."""
    return " ".join(text.lower().split())


@dataclass
class NluFile:
    """What one NLU file holds: intent examples, synonym entries and format problems."""

    examples: list[Example] = field(default_factory=list)
    synonyms: list[tuple[str, int, list[str]]] = field(default_factory=list)  # (value, line, texts)
    findings: list[Finding] = field(default_factory=list)


def block_items(item: object, key: str, file: str) -> tuple[list[tuple[int, str]], list[Finding]]:
    """The ``- …`` rows of an ``examples: |`` block with their file lines (Rasa skips other rows)."""
    value = item.get(key) if isinstance(item, dict) else None
    base = line_of(item, key)
    if isinstance(value, list):  # Rasa's long form: examples: [{text: ..., metadata: ...}]
        rows = [(line_of(value, i), str(v.get("text", "")).strip()) for i, v in enumerate(value) if isinstance(v, dict)]
        return [r for r in rows if r[1]], []
    if not isinstance(value, str):
        return [], [Finding(ERROR, file, base, f"'{key}' muss ein Textblock sein (`{key}: |`)")]
    block = isinstance(value, LiteralScalarString)
    rows: list[tuple[int, str]] = []
    problems: list[Finding] = []
    for offset, row in enumerate(value.splitlines()):
        line = base + 1 + offset if block else base
        stripped = row.strip()
        if not stripped:
            continue
        if not row.startswith("-"):
            problems.append(Finding(ERROR, file, line, f"Zeile beginnt nicht mit „- “ und wird ignoriert: {stripped[:60]}"))
            continue
        rows.append((line, row[1:].strip()))
    return rows, problems


def read_nlu(path: Path, root: Path) -> NluFile:
    """Read a Rasa NLU YAML file (``nlu:`` list with ``intent:`` / ``synonym:`` items)."""
    file = rel(path, root)
    result = NluFile()
    try:
        doc = load_yaml(path, root)
    except YamlFileError as exc:
        result.findings.append(exc.finding)
        return result
    items = doc.get("nlu") if isinstance(doc, dict) else None
    if items is None:
        return result
    if not isinstance(items, list):
        result.findings.append(Finding(ERROR, file, line_of(doc, "nlu"), "'nlu' muss eine Liste sein"))
        return result
    for item in items:
        if not isinstance(item, dict):
            continue
        if "intent" in item:
            rows, problems = block_items(item, "examples", file)
            result.findings += problems
            for line, raw in rows:
                text, entities = parse_annotations(raw)
                result.examples.append(Example(file, line, str(item["intent"]), raw, text, entities))
        elif "synonym" in item:
            rows, problems = block_items(item, "examples", file)
            result.findings += problems
            result.synonyms.append((str(item["synonym"]), line_of(item, "synonym"), [r for _, r in rows]))
    return result


def read_examples(path: Path, root: Path | None = None) -> tuple[list[Example], list[Finding]]:
    """All intent examples of a labelled file (the shape of ``tests/nlu/test_nlu.yml``)."""
    nlu = read_nlu(path, root or path.parent)
    return nlu.examples, nlu.findings
