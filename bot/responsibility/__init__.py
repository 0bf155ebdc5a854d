"""Zuständigkeit: (service, Gemeinde) -> responsible office.

The rules in responsibility.yml encode BW's administrative structure: Stadtkreise do the
Landratsamt's tasks themselves, Große Kreisstädte are untere Verwaltungsbehörde for some tasks
but not for others, and state-wide or federal bodies are the same everywhere. Where BW is
irregular (shared Standesämter, Verwaltungsgemeinschaften as Baurechtsbehörde, own Jugendamt or
Ausländerbehörde, Finanzamt), the sourced data in ``data/zustaendigkeit/`` decides
(:mod:`bot.responsibility.overrides`); a default answer for a type with such data is marked as
unconfirmed and says who confirms it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path

import yaml

from bot.catalogue import Assignment, CatalogueError, Service
from bot.places.register import Gemeinde, Register
from bot.responsibility.overrides import Answer, Zustaendigkeit

LEVELS = ("gemeinde", "kreis", "kreis_oder_gkst", "regierungsbezirk", "fixed")


@dataclass(frozen=True)
class Office:
    """The office a citizen should turn to."""

    name: str  # "Stadt Fellbach – Bürgerbüro"
    authority: str  # "Stadt Fellbach"
    department: str
    kind: str  # Gemeinde | Standesamt | Landratsamt | Stadtkreis | Große Kreisstadt | ...
    url: str | None
    rule: str
    legal_basis: str = ""
    note: str = ""
    confirmed: bool = True  # False: the rule's usual answer, not checked for this Gemeinde
    source: str = ""
    stand: str = ""
    address: str = ""
    phone: str = ""
    candidates: tuple[str, ...] = ()  # several offices, the address decides
    place_role: str = ""  # the office follows another place than the residence (see catalogue)

    def to_dict(self) -> dict:
        return {
            "name": self.name, "kind": self.kind, "url": self.url, "authority": self.authority,
            "department": self.department, "rule": self.rule, "legal_basis": self.legal_basis,
            "note": self.note, "confirmed": self.confirmed, "source": self.source, "stand": self.stand,
            "address": self.address, "phone": self.phone, "candidates": list(self.candidates),
            "place_role": self.place_role,
        }


@dataclass(frozen=True)
class Rule:
    id: str
    level: str
    kind: str
    legal_basis: str = ""
    note: str = ""
    authority: str = ""
    authority_template: str = ""
    overrides: frozenset[str] = frozenset()
    fallback_url: str = ""


class Responsibility:
    """Applies the rules; also assigns rules to long-tail services by name pattern."""

    def __init__(self, rules: dict[str, Rule], longtail: list[tuple[re.Pattern, Assignment]], longtail_meta: dict,
                 zustaendigkeit: Zustaendigkeit | None = None):
        self.rules = rules
        self.longtail = longtail
        self.longtail_meta = longtail_meta
        self.zustaendigkeit = zustaendigkeit or Zustaendigkeit({})

    @classmethod
    def load(cls, path: Path) -> Responsibility:
        try:
            doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except (OSError, yaml.YAMLError) as exc:
            raise CatalogueError(f"{path.name}: nicht lesbar ({exc})") from None
        rules: dict[str, Rule] = {}
        for rid, spec in (doc.get("rules") or {}).items():
            if not isinstance(spec, dict) or spec.get("level") not in LEVELS:
                raise CatalogueError(f"{path.name}: Regel '{rid}' braucht level aus {', '.join(LEVELS)}")
            if spec["level"] == "fixed" and not spec.get("authority"):
                raise CatalogueError(f"{path.name}: Regel '{rid}' (fixed) braucht 'authority'")
            rules[rid] = Rule(
                id=rid, level=spec["level"], kind=str(spec.get("kind") or ""),
                legal_basis=str(spec.get("legal_basis") or ""), note=str(spec.get("note") or ""),
                authority=str(spec.get("authority") or ""),
                authority_template=str(spec.get("authority_template") or ""),
                overrides=frozenset(str(a) for a in spec.get("overrides") or []),
                fallback_url=str(spec.get("fallback_url") or ""),
            )
        lt = doc.get("longtail") or {}
        patterns = []
        for item in lt.get("rules") or []:
            if item.get("rule") not in rules:
                raise CatalogueError(f"{path.name}: Long-Tail-Muster verweist auf unbekannte Regel '{item.get('rule')}'")
            try:
                patterns.append((re.compile(item["pattern"], re.I), Assignment(item["rule"], item.get("department", ""))))
            except (KeyError, re.error) as exc:
                raise CatalogueError(f"{path.name}: ungültiges Muster {item!r}: {exc}") from None
        meta = {"source": lt.get("source", ""), "stand": lt.get("stand", "")}
        return cls(rules, patterns, meta)

    def attach_sourced_data(self, folder: Path, register: Register, data_dir: Path | None) -> None:
        """Load ``data/zustaendigkeit/``; a broken entry stops loading like a broken catalogue entry."""
        data, problems = Zustaendigkeit.load(folder, register, data_dir, set(self.rules))
        if problems:
            first = problems[0]
            more = f" (und {len(problems) - 1} weitere; `bot validate` zeigt alle)" if len(problems) > 1 else ""
            raise CatalogueError(f"{first.file}:{first.line}: {first.text}{more}")
        self.zustaendigkeit = data

    def assignment(self, service: Service) -> Assignment | None:
        """The rule for a service: its own, or for long-tail services the first matching pattern."""
        if service.responsibility:
            return service.responsibility
        for pattern, assignment in self.longtail:
            if pattern.search(service.name):
                return assignment
        return None

    def office(self, service: Service, gemeinde: Gemeinde, plz: str | None = None) -> Office | None:
        """The responsible office for ``service`` in ``gemeinde``; None if no rule applies or the
        sourced data says the default cannot be given for this kind of Gemeinde."""
        assignment = self.assignment(service)
        if assignment is None or assignment.rule not in self.rules:
            return None
        rule = self.rules[assignment.rule]
        data = self.zustaendigkeit.get(rule.id)
        answer = data.answers.get(gemeinde.ags) if data else None
        plz = plz if plz in gemeinde.plz else gemeinde.plz_verwaltungssitz or (gemeinde.plz[0] if gemeinde.plz else None)
        url = service.servicebw_url(plz, gemeinde.ags)
        role = service.place_role
        if answer is not None:
            office = self._sourced(answer, assignment, rule, url, role)
            return _with_fallback_link(office, rule)
        if data is not None and gemeinde.kreis_typ in data.unknown_in:
            return None
        authority, kind = self._authority(rule, gemeinde)
        dept = assignment.department
        confirmed = data is None or data.default_sourced
        name = _join(authority, dept)
        note = rule.note
        if not confirmed:
            name += " (in der Regel)"
            hint = data.hint.format(gemeinde=gemeinde.short_name, authority=gemeinde.authority_name)
            note = f"{hint} {note}".strip()
        source = (data.default_source if data and data.default_sourced else "") or rule.legal_basis
        return _with_fallback_link(Office(
            name=name, authority=authority, department=dept, kind=kind, url=url, rule=rule.id,
            legal_basis=rule.legal_basis, note=note, confirmed=confirmed, source=source, place_role=role,
        ), rule)

    @staticmethod
    def _sourced(answer: Answer, assignment: Assignment, rule: Rule, url: str | None, role: str) -> Office:
        dept = assignment.department if answer.department is None else answer.department
        notes = []
        if answer.address:
            notes.append(f"Anschrift: {answer.address}" + (f", Telefon {answer.phone}" if answer.phone else "") + ".")
        notes.append(answer.note)
        if answer.candidates:
            notes.append("Welches davon zuständig ist, richtet sich nach Ihrer Adresse"
                         + (f"; die Finanzamtsuche nennt es Ihnen: {rule.fallback_url}" if rule.fallback_url else "") + ".")
        notes.append(rule.note)
        return Office(
            name=_join(answer.authority, dept), authority=answer.authority, department=dept, kind=answer.kind,
            url=url, rule=rule.id, legal_basis=rule.legal_basis, note=" ".join(n for n in notes if n),
            confirmed=True, source=answer.source, stand=answer.stand, address=answer.address, phone=answer.phone,
            candidates=answer.candidates, place_role=role,
        )

    @staticmethod
    def _authority(rule: Rule, g: Gemeinde) -> tuple[str, str]:
        if rule.level == "fixed":
            return rule.authority, rule.kind
        if rule.level == "regierungsbezirk":
            return g.rp_name, rule.kind
        if rule.level == "gemeinde" or g.ags in rule.overrides:
            return g.authority_name, rule.kind if rule.level == "gemeinde" else "Gemeinde"
        # kreis levels
        if g.kreis_typ == "Stadtkreis":
            city = g.authority_name
            if rule.authority_template:
                return rule.authority_template.format(kreis=g.short_name), rule.kind
            return city, "Stadtkreis"
        if rule.level == "kreis_oder_gkst" and g.gemeindetyp == "Große Kreisstadt":
            return g.authority_name, "Große Kreisstadt"
        if rule.authority_template:
            return rule.authority_template.format(kreis=g.kreis_display), rule.kind
        return f"Landratsamt {g.kreis}", rule.kind


def _with_fallback_link(office: Office, rule: Rule) -> Office:
    """Without a service-bw page, the rule's own link goes into the note (the answer labels ``url`` as service-bw)."""
    if office.url or not rule.fallback_url or rule.fallback_url in office.note:
        return office
    return replace(office, note=f"{office.note} Mehr dazu: {rule.fallback_url}".strip())


def _join(authority: str, department: str) -> str:
    """"Stadt Fellbach – Bürgerbüro"; the department is left out where the name already says it."""
    if not department or department.lower() in authority.lower():
        return authority
    return f"{authority} – {department}"
