"""Checks on data/catalogue/relations.yml and data/scope/*.yml (each finding with file:line).

A relation must lead from a Leistung that exists to one that exists (curated id or ``sbw-NUMMER`` of
the service-bw list), through a kind that has keywords; the scope files must parse with the code
the bot runs (``bot.scope.parse_scope``).
"""

from __future__ import annotations

from pathlib import Path

import yaml

from bot.question_words import QuestionWordsError, parse_question_words
from bot.relations import Relations, RelationsError
from bot.scope import ScopeError, parse_scope, question_words_path
from bot.staff.yaml_lines import ERROR, WARNING, Finding, YamlFileError, line_of, load_yaml, rel

RELATIONS = "data/catalogue/relations.yml"
_FAST = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def check_relations(root: Path, known_ids: set[str], servicebw_loaded: bool = True) -> list[Finding]:
    """``known_ids``: curated ids plus ``sbw-N`` long-tail ids (if the service-bw list was readable)."""
    path = root / RELATIONS
    if not path.is_file():  # optional: without it, variants of the focus are simply not recognised
        return []
    file = rel(path, root)
    try:  # the fast loader first; the slow one (with line numbers) only when something is wrong
        doc = yaml.load(path.read_text(encoding="utf-8"), Loader=_FAST) or {}
        relations = Relations.parse(doc)
        if not _problems(relations, known_ids, servicebw_loaded):
            return []
        doc = load_yaml(path, root)
    except YamlFileError as exc:
        return [exc.finding]
    except yaml.YAMLError:
        try:
            load_yaml(path, root)
        except YamlFileError as exc:
            return [exc.finding]
        return [Finding(ERROR, file, 0, "kein gültiges YAML")]
    except RelationsError as exc:
        return [Finding(ERROR, file, 0, str(exc))]
    findings: list[Finding] = []
    items = doc.get("relations") or []
    seen: dict[tuple[str, str], int] = {}
    for i, r in enumerate(relations.relations):
        line = line_of(items, i)
        for key, value in (("from", r.source), ("to", r.target)):
            if value in known_ids:
                continue
            if value.startswith("sbw-") and not servicebw_loaded:
                continue
            findings.append(Finding(ERROR, file, line, f"'{key}: {value}' ist keine bekannte Leistung "
                                                      "(id aus data/catalogue/services oder sbw-NUMMER)"))
        if r.kind not in relations.kinds:
            findings.append(Finding(ERROR, file, line, f"Art '{r.kind}' ist unter 'kinds' nicht definiert"))
        if r.source == r.target:
            findings.append(Finding(ERROR, file, line, f"Beziehung von '{r.source}' auf sich selbst"))
        if (r.source, r.kind) in seen:
            findings.append(Finding(ERROR, file, line, f"'{r.source}' mit Art '{r.kind}' steht schon in Zeile "
                                                      f"{seen[(r.source, r.kind)]}; nur die erste zählt"))
        seen.setdefault((r.source, r.kind), line)
    for kind in sorted(relations.second_needs - set(relations.kinds)):
        findings.append(Finding(ERROR, file, line_of(doc, "second_needs"), f"Art '{kind}' in 'second_needs' ist unter 'kinds' nicht definiert"))
    used = {r.kind for r in relations.relations}
    for kind in relations.kinds:
        if kind not in used:
            findings.append(Finding(WARNING, file, line_of(doc.get("kinds"), kind), f"Art '{kind}' wird in keiner Beziehung benutzt"))
    return findings


def _problems(relations: Relations, known_ids: set[str], servicebw_loaded: bool) -> bool:
    """Whether :func:`check_relations` will report anything (decided without line numbers)."""
    pairs = [(r.source, r.kind) for r in relations.relations]
    unknown = [v for r in relations.relations for v in (r.source, r.target)
               if v not in known_ids and not (v.startswith("sbw-") and not servicebw_loaded)]
    return bool(unknown or len(set(pairs)) != len(pairs)
                or any(r.kind not in relations.kinds or r.source == r.target for r in relations.relations)
                or set(relations.kinds) - {r.kind for r in relations.relations}
                or relations.second_needs - set(relations.kinds))


def check_scope(root: Path, known_ids: set[str] | None = None) -> list[Finding]:
    """Scope data and the question-type words (``data/search/question_words.yml``, shared with the search).
    ``known_ids``: the Leistungen an adjacent topic may offer (``angebot``)."""
    folder = root / "data" / "scope"
    paths = {"adjacent.yml": folder / "adjacent.yml", "dialogue_words.yml": folder / "dialogue_words.yml",
             "questions": question_words_path(folder)}
    docs: dict[str, dict | None] = {}
    for name, path in paths.items():
        if not path.is_file():
            if name == "questions":  # the search alone may go without it; the dialogue must not
                return [Finding(ERROR, rel(path, root), 0, "Datei fehlt (Fragewörter für Dialog und Suche)")]
            return []  # optional, like relations.yml
        try:
            doc = yaml.load(path.read_text(encoding="utf-8"), Loader=_FAST)
        except yaml.YAMLError:
            try:
                load_yaml(path, root)
            except YamlFileError as exc:
                return [exc.finding]
            return [Finding(ERROR, rel(path, root), 0, "kein gültiges YAML")]
        if not isinstance(doc, dict):
            return [Finding(ERROR, rel(path, root), 0, "erwartet ein Objekt auf oberster Ebene")]
        docs[name] = doc
    try:
        parse_question_words(docs["questions"])
    except QuestionWordsError as exc:
        return [Finding(ERROR, rel(paths["questions"], root), 0, str(exc))]
    try:
        scope = parse_scope(docs["adjacent.yml"], docs["dialogue_words.yml"], docs["questions"])
    except ScopeError as exc:
        return [Finding(ERROR, "data/scope", 0, str(exc))]
    if known_ids is None:
        return []
    return [Finding(ERROR, rel(paths["adjacent.yml"], root), 0,
                    f"Thema '{t.topic}': angebot '{t.offer}' ist keine Leistung (id aus data/catalogue/services)")
            for t in scope.topics if t.offer is not None and t.offer not in known_ids]
