"""Zuständigkeit: (service, Gemeinde) -> responsible office, from the rules in responsibility.yml.

The rules encode BW's administrative structure: Stadtkreise do the Landratsamt's tasks
themselves, Große Kreisstädte are untere Verwaltungsbehörde for some tasks but not for others,
and state-wide or federal bodies are the same everywhere.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from bot.catalogue import Assignment, CatalogueError, Service
from bot.places.register import Gemeinde

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

    def to_dict(self) -> dict:
        return {
            "name": self.name, "kind": self.kind, "url": self.url, "authority": self.authority,
            "department": self.department, "rule": self.rule, "legal_basis": self.legal_basis,
            "note": self.note,
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


class Responsibility:
    """Applies the rules; also assigns rules to long-tail services by name pattern."""

    def __init__(self, rules: dict[str, Rule], longtail: list[tuple[re.Pattern, Assignment]], longtail_meta: dict):
        self.rules = rules
        self.longtail = longtail
        self.longtail_meta = longtail_meta

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

    def assignment(self, service: Service) -> Assignment | None:
        """The rule for a service: its own, or for long-tail services the first matching pattern."""
        if service.responsibility:
            return service.responsibility
        for pattern, assignment in self.longtail:
            if pattern.search(service.name):
                return assignment
        return None

    def office(self, service: Service, gemeinde: Gemeinde, plz: str | None = None) -> Office | None:
        """The responsible office for ``service`` in ``gemeinde``; None if no rule applies."""
        assignment = self.assignment(service)
        if assignment is None or assignment.rule not in self.rules:
            return None
        rule = self.rules[assignment.rule]
        authority, kind = self._authority(rule, gemeinde)
        dept = assignment.department
        name = f"{authority} – {dept}" if dept else authority
        plz = plz if plz in gemeinde.plz else gemeinde.plz_verwaltungssitz or (gemeinde.plz[0] if gemeinde.plz else None)
        return Office(
            name=name, authority=authority, department=dept, kind=kind,
            url=service.servicebw_url(plz, gemeinde.ags), rule=rule.id,
            legal_basis=rule.legal_basis, note=rule.note,
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
