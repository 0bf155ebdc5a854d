"""Sourced Zuständigkeit per authority type: ``data/zustaendigkeit/*.yml`` plus official data files.

Each file refines one rule of ``responsibility.yml`` (e.g. ``standesamt``): entries name the
Gemeinden (by AGS, Gemeindeverband or Kreis) and the authority that serves them, each with its
source and Stand; ``imports`` read official lists from the shared data directory (never copied).
The most specific entry wins (Gemeinde > Verband > Kreis); two different answers at the same
level are a data error. Gemeinden without an entry get the rule's default, marked as unconfirmed
unless the file says the default itself is sourced (``default: {sourced: true, source: ...}``).
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from bot.places.register import Gemeinde, Register

LEVEL_RANK = {"kreis": 1, "verband": 2, "gemeinde": 3}
#: BZSt numbering in Finanzamt names ("Finanzamt Offenburg -14-", "... -01- (vormals ASt Achern)"); the
#: note column of finanzaemter.csv says these are the Finanzamt Offenburg.
_BZST_SUFFIX = re.compile(r"\s+-\d+-(\s+\(vormals [^)]*\))?")
SELF_ARTS = {"Stadtkreis", "Große Kreisstadt", "Gemeinde"}
SPLIT = " | "


@dataclass(frozen=True)
class Answer:
    """The sourced authority for one Gemeinde."""

    authority: str
    kind: str
    source: str
    stand: str
    department: str | None = None  # None: the service's own department
    note: str = ""
    address: str = ""
    phone: str = ""
    candidates: tuple[str, ...] = ()  # several authorities, the address decides (split cities)
    scope: str = "gemeinde"
    file: str = ""
    line: int = 0


@dataclass(frozen=True)
class Problem:
    file: str
    line: int
    text: str


@dataclass
class TypeData:
    """All sourced answers for one rule (authority type)."""

    rule: str
    label: str
    file: str
    default_sourced: bool = False
    default_source: str = ""
    hint: str = ""
    unknown_in: frozenset[str] = frozenset()
    answers: dict[str, Answer] = field(default_factory=dict)


def _line(node: object, key: object = None) -> int:
    lc = getattr(node, "lc", None)
    if lc is None:
        return 0
    try:
        if key is None:
            return lc.line + 1
        return (lc.item(key) if isinstance(key, int) else lc.key(key))[0] + 1
    except (KeyError, IndexError, TypeError):
        return lc.line + 1


def kind_of(g: Gemeinde) -> str:
    if g.kreis_typ == "Stadtkreis":
        return "Stadtkreis"
    return "Große Kreisstadt" if g.gemeindetyp == "Große Kreisstadt" else "Gemeinde"


class _Parser:
    def __init__(self, register: Register, data_dir: Path | None, root: Path) -> None:
        self.register = register
        self.data_dir = data_dir
        self.root = root
        self.by_verband: dict[str, list[Gemeinde]] = {}
        self.by_kreis: dict[str, list[Gemeinde]] = {}
        for g in register.gemeinden:
            self.by_verband.setdefault(g.verband_schluessel, []).append(g)
            self.by_kreis.setdefault(g.kreis_schluessel, []).append(g)
        self.problems: list[Problem] = []

    def problem(self, file: str, line: int, text: str) -> None:
        self.problems.append(Problem(file, line, text))

    # -- the authority an entry names, for one Gemeinde ----------------------------------------
    def authority(self, spec: object, g: Gemeinde, file: str, line: int) -> tuple[str, str] | None:
        if spec == "self":
            return g.authority_name, kind_of(g)
        if spec == "landratsamt":
            if g.kreis_typ == "Stadtkreis":
                self.problem(file, line, f"'landratsamt' passt nicht zu {g.short_name}: ein Stadtkreis hat kein Landratsamt")
                return None
            return f"Landratsamt {g.kreis}", "Landratsamt"
        if isinstance(spec, dict):
            if "landratsamt" in spec:
                members = self.by_kreis.get(str(spec["landratsamt"]))
                if not members or members[0].kreis_typ != "Landkreis":
                    self.problem(file, line, f"Landkreis '{spec['landratsamt']}' gibt es im Gemeindeverzeichnis nicht")
                    return None
                return f"Landratsamt {members[0].kreis}", "Landratsamt"
            if "gemeinde" in spec:
                target = self.register.by_ags(str(spec["gemeinde"]))
                if target is None:
                    self.problem(file, line, f"Ziel-Gemeinde (AGS '{spec['gemeinde']}') gibt es im Gemeindeverzeichnis nicht")
                    return None
                return target.authority_name, str(spec.get("kind") or kind_of(target))
            if spec.get("name") and spec.get("kind"):
                return str(spec["name"]), str(spec["kind"])
        self.problem(file, line, "authority muss 'self', 'landratsamt', {landratsamt: KREIS}, {gemeinde: AGS} "
                                 "oder {name: ..., kind: ...} sein")
        return None

    def members(self, entry: dict, file: str, line: int) -> tuple[str, list[Gemeinde]]:
        if "gemeinden" in entry:
            out = []
            for i, ags in enumerate(entry["gemeinden"] or []):
                g = self.register.by_ags(str(ags)) if isinstance(ags, str) else None
                if g is None:
                    self.problem(file, _line(entry["gemeinden"], i) or line,
                                 f"AGS '{ags}' ist keine Gemeinde im Gemeindeverzeichnis (8 Ziffern in Anführungszeichen)")
                else:
                    out.append(g)
            return "gemeinde", out
        for scope, table in (("verband", self.by_verband), ("kreis", self.by_kreis)):
            if scope in entry:
                members = table.get(str(entry[scope]))
                if not members:
                    self.problem(file, _line(entry, scope), f"{scope} '{entry[scope]}' gibt es im Gemeindeverzeichnis nicht")
                    return scope, []
                return scope, members
        self.problem(file, line, "Eintrag braucht 'gemeinden', 'verband' oder 'kreis'")
        return "gemeinde", []

    # -- one file --------------------------------------------------------------------------------
    def parse(self, path: Path, doc: object, rules: set[str] | None) -> TypeData | None:
        file = path.relative_to(self.root).as_posix() if path.is_relative_to(self.root) else path.name
        if not isinstance(doc, dict) or not doc.get("rule"):
            self.problem(file, 1, "Schlüssel 'rule' (die Regel aus responsibility.yml) fehlt")
            return None
        rule = str(doc["rule"])
        if rules is not None and rule not in rules:
            self.problem(file, _line(doc, "rule"), f"Regel '{rule}' gibt es in data/catalogue/responsibility.yml nicht")
        default = doc.get("default") or {}
        data = TypeData(rule=rule, label=str(doc.get("label") or rule), file=file,
                        default_sourced=bool(default.get("sourced")), default_source=str(default.get("source") or ""),
                        hint=str(default.get("hint") or ""), unknown_in=frozenset(default.get("unknown_in") or []))
        try:
            data.hint.format(gemeinde="X", authority="Gemeinde X")
        except (KeyError, IndexError, ValueError):
            self.problem(file, _line(default, "hint") or _line(doc, "default"),
                         "hint darf nur {gemeinde} und {authority} als Platzhalter enthalten")
            data.hint = ""
        if data.default_sourced and not data.default_source:
            self.problem(file, _line(doc, "default"), "default mit 'sourced: true' braucht eine 'source'")
        fixed_kind = str(doc.get("kind") or "")
        levels: dict[str, tuple[int, Answer]] = {}
        for entry in doc.get("entries") or []:
            for g, answer in self._entry(entry, file, fixed_kind):
                self._put(levels, g, answer)
        for imp in doc.get("imports") or []:
            for g, answer in self._import(imp, file):
                self._put(levels, g, answer)
        data.answers = {ags: answer for ags, (_, answer) in levels.items()}
        return data

    def _put(self, levels: dict[str, tuple[int, Answer]], g: Gemeinde, answer: Answer) -> None:
        rank = LEVEL_RANK.get(answer.scope, 3)
        old = levels.get(g.ags)
        if old is None or rank > old[0]:
            levels[g.ags] = (rank, answer)
        elif rank == old[0] and (old[1].authority, old[1].department) != (answer.authority, answer.department):
            self.problem(answer.file, answer.line,
                         f"{g.short_name} ({g.ags}) hat zwei Antworten: „{old[1].authority}“ ({old[1].file}:{old[1].line}) "
                         f"und „{answer.authority}“")

    def _entry(self, entry: object, file: str, fixed_kind: str):
        if not isinstance(entry, dict):
            self.problem(file, 0, f"Eintrag ist kein Objekt: {entry!r:.60}")
            return
        line = _line(entry)
        for key in ("source", "stand"):
            if not str(entry.get(key) or "").strip():
                self.problem(file, line, f"Eintrag braucht '{key}' (Quelle: URL oder amtliche Datei; Stand: Datum)")
        if "authority" not in entry:
            self.problem(file, line, "Eintrag braucht 'authority'")
            return
        spec = entry["authority"]
        department = spec.get("department") if isinstance(spec, dict) else None
        scope, members = self.members(entry, file, line)
        for g in members:
            resolved = self.authority(spec, g, file, _line(entry, "authority") or line)
            if resolved is None:
                continue
            yield g, Answer(authority=resolved[0], kind=fixed_kind or resolved[1], source=str(entry.get("source") or ""),
                            stand=str(entry.get("stand") or ""), department=department,
                            note=str(entry.get("note") or ""), scope=scope, file=file, line=line)

    def _import(self, imp: object, file: str):
        line = _line(imp)
        if not isinstance(imp, dict) or imp.get("format") not in ("baurecht", "finanzamt") or not imp.get("file"):
            self.problem(file, line, "import braucht 'file' (im Datenverzeichnis) und 'format' (baurecht oder finanzamt)")
            return
        for key in ("source", "stand"):
            if not str(imp.get(key) or "").strip():
                self.problem(file, line, f"import braucht '{key}'")
        if self.data_dir is None:
            return
        path = self.data_dir / str(imp["file"])
        if not path.is_file():
            self.problem(file, line, f"Datei {imp['file']} fehlt im Datenverzeichnis ({self.data_dir})")
            return
        stand = str(imp.get("stand") or "")
        with path.open(encoding="utf-8-sig", newline="") as fh:
            for row in csv.DictReader(fh):
                g = self.register.by_ags(row.get("ags", ""))
                if g is None:
                    self.problem(file, line, f"{imp['file']}: AGS '{row.get('ags')}' fehlt im Gemeindeverzeichnis")
                    continue
                if imp["format"] == "baurecht":
                    name, art = row["baurechtsbehoerde"].strip(), row["art"].strip()
                    if art in SELF_ARTS and g.short_name.split(" (")[0] in name:
                        name = g.authority_name
                    yield g, Answer(authority=name, kind=art, source=f"{imp['file']}: {row['source']}", stand=stand,
                                    scope="datei", file=file, line=line)
                else:
                    yield g, self._finanzamt(row, imp, g, file, line, stand)

    @staticmethod
    def _finanzamt(row: dict, imp: dict, g: Gemeinde, file: str, line: int, stand: str) -> Answer:
        names = tuple(_BZST_SUFFIX.sub("", n.strip()) for n in row["finanzamt_name"].split(SPLIT))
        addresses = [a.strip() for a in row["finanzamt_anschrift"].split(SPLIT)]
        phones = [p.strip() for p in row["finanzamt_telefon"].split(SPLIT)]
        source = f"{imp['file']} ({imp['source']})"
        if len(names) == 1:
            note = ""
            if "Hausanschrift der Außenstelle" in row.get("note", ""):
                note = "Diese Anschrift ist laut Bundeszentralamt für Steuern die des Hauptsitzes."
            return Answer(authority=names[0], kind="Finanzamt", source=source, stand=stand, department="",
                          note=note, address=addresses[0], phone=phones[0], scope="datei", file=file, line=line)
        short = [n.removeprefix("Finanzamt ") for n in names]
        joined = "Finanzamt " + ", ".join(short[:-1]) + " oder " + short[-1]
        return Answer(authority=joined, kind="Finanzamt", source=source, stand=stand, department="",
                      candidates=names, scope="datei", file=file, line=line)


class Zustaendigkeit:
    """The sourced answers of every authority type, by rule id."""

    def __init__(self, types: dict[str, TypeData]) -> None:
        self.types = types

    def get(self, rule: str) -> TypeData | None:
        return self.types.get(rule)

    @classmethod
    def load(cls, folder: Path, register: Register, data_dir: Path | None, rules: set[str] | None = None,
             root: Path | None = None, with_lines: bool = False) -> tuple[Zustaendigkeit, list[Problem]]:
        """Read every ``*.yml`` in ``folder``; data problems come back as a list (file, line, text).

        ``with_lines`` (``bot validate``): read with ruamel.yaml's round-trip loader so every problem
        names its line. At run time the plain loader is used: the gateway's environment has no ruamel,
        and the round trip is slower.
        """
        parser = _Parser(register, data_dir, root or folder.parent.parent)
        types: dict[str, TypeData] = {}
        read, errors = yaml.safe_load, (OSError, yaml.YAMLError)
        if with_lines:
            from ruamel.yaml import YAML  # noqa: PLC0415 - staff tooling only (Rasa environment)
            from ruamel.yaml.error import YAMLError  # noqa: PLC0415

            read, errors = YAML(typ="rt").load, (OSError, YAMLError)
        for path in sorted(folder.glob("*.yml")) if folder.is_dir() else []:
            try:
                doc = read(path.read_text(encoding="utf-8"))
            except errors as exc:
                parser.problem(path.name, 0, f"nicht lesbar ({str(exc).splitlines()[0]})")
                continue
            data = parser.parse(path, doc, rules)
            if data is None:
                continue
            if data.rule in types:
                parser.problem(data.file, 1, f"Regel '{data.rule}' hat schon eine Datei ({types[data.rule].file})")
                continue
            types[data.rule] = data
        return cls(types), parser.problems
