"""Checks on the answer texts per language (``data/catalogue/languages/<lang>/<topic>.yml``), each with file:line.

What a machine can check of the Leichte-Sprache rules (``docs/staff/leichte-sprache.md``): every curated
Leistung has a text with all fields, the ids exist in the topic's catalogue file, no sentence is longer
than :data:`MAX_WORDS` words, none of the listed abbreviations is used, ``processing_time`` is there
exactly where the standard text has one, and a fee or processing-time text names no number that the
standard fee or processing time of the same Leistung does not name (never an invented amount).
The shape is read by ``bot.languages`` (the code the bot runs).

English, Turkish and Ukrainian (:data:`MINIMUM`) need a text for at least the most-asked Leistungen:
the list ``data/catalogue/languages/most_asked.yml`` (40 ids; how it was made is written in the file:
ranked by the messages naming them in ``data/nlu_i18n``, then by the German search evaluation queries).
A listed Leistung without a text is a FEHLER; the other curated Leistungen without one are counted in
one WARNUNG per language. Response variants (``domain/``): a response that has a Leichte-Sprache
variant needs an en, tr and uk variant too — a WARNUNG for now (:data:`MISSING_VARIANT_LEVEL`; the
variants are being written in issue 13, and ``bot validate`` must stay green meanwhile; then FEHLER).
Every language variant keeps the official German names: each ``{name}`` (Leistung) and ``{office}``
(Amt) of the standard text (:data:`OFFICIAL_NAMES`), else FEHLER.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date
from pathlib import Path

import yaml

from bot.languages import (
    DATA_LANGUAGES,
    LANGUAGE_NAMES,
    LANGUAGES,
    LANGUAGES_DIR,
    LanguageError,
    canonical,
    parse_entry,
)
from bot.staff.checks import Catalogue, CatalogueEntry
from bot.staff.yaml_lines import ERROR, WARNING, Finding, YamlFileError, line_of, load_yaml, rel

GUIDE = "Anleitung: docs/staff/leichte-sprache.md"
#: Languages in which every curated Leistung needs a text (the others: where one is written).
COMPLETE = ("de-LS",)
LABEL = {"de-LS": "Leichter Sprache"}
#: Languages that need a text for at least the most-asked Leistungen (MOST_ASKED_FILE).
MINIMUM = ("en", "tr", "uk")
MOST_ASKED_FILE = f"data/catalogue/{LANGUAGES_DIR}/most_asked.yml"
MOST_ASKED_MIN = 40
#: Shown per language in the WARNUNG about the other Leistungen without a text.
SHOWN_MISSING = 8
#: A response with a Leichte-Sprache variant but without one in a MINIMUM language (WARNUNG until the
#: variants of issue 13 are in domain/, then ERROR).
MISSING_VARIANT_LEVEL = WARNING
#: Placeholders that carry an official German name: every language variant keeps them.
OFFICIAL_NAMES = ("{name}", "{office}")
#: Languages with the rules of Leichte Sprache: short sentences, no abbreviations, no legal citations.
PLAIN = ("de-LS",)
MAX_WORDS = 15
REQUIRED = ("name", "summary", "documents", "online", "fee")
LIST_FIELDS = ("summary", "documents", "online", "fee", "processing_time")
#: Items per field the format asks for (outside: WARNUNG).
ITEMS = {"summary": (2, 6), "online": (1, 3), "fee": (1, 4)}
#: (shown, pattern): abbreviations Leichte Sprache writes out.
ABBREVIATIONS = tuple((shown, re.compile(pattern, re.IGNORECASE)) for shown, pattern in (
    ("z. B.", r"\bz\.\s*b\."), ("bzw.", r"\bbzw\."), ("ggf.", r"\bggf\."), ("usw.", r"\busw\."),
    ("u. a.", r"\bu\.\s*a\."), ("Nr.", r"\bnr\."), ("Abs.", r"\babs\."), ("§", r"§"), ("ca.", r"\bca\."),
    ("evtl.", r"\bevtl\."), ("inkl.", r"\binkl\."), ("d. h.", r"\bd\.\s*h\."),
))
_FAST = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_SENTENCE_END = re.compile(r"[.!?]\s+")
_WORD = re.compile(r"\w")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
#: Words before an ordinal number ("seit dem 1. Januar", "Ihr 1. Ausweis", "zum 1. Mal").
_BEFORE_ORDINAL = frozenset(("der", "die", "das", "dem", "den", "des", "zum", "zur", "am", "im", "vom", "ab", "bis",
                             "seit", "ein", "eine", "einem", "einen", "einer", "ihr", "ihre", "ihrem", "ihren", "ihres"))
_ORDINAL = re.compile(r"(\S+)\s+\d+\.$")
#: Numbers the standard text writes as words ("drei Monate", "je eine Urkunde", "minderjährig").
NUMBER_WORDS = {"ein": 1, "eine": 1, "einen": 1, "einem": 1, "einer": 1, "eins": 1, "zwei": 2, "drei": 3,
                "vier": 4, "fünf": 5, "sechs": 6, "sieben": 7, "acht": 8, "neun": 9, "zehn": 10, "elf": 11,
                "zwölf": 12, "zwanzig": 20, "dreißig": 30, "hundert": 100, "minderjährig": 18, "minderjährige": 18,
                "minderjährigen": 18, "minderjähriges": 18, "volljährig": 18}
_NUMBER_WORD = re.compile(r"\b(" + "|".join(NUMBER_WORDS) + r")\b", re.IGNORECASE)


def sentences(text: str) -> list[str]:
    """A text's sentences; a period after an ordinal ("seit dem 1. Januar") does not end one."""
    out, start = [], 0
    text = text.strip()
    for m in _SENTENCE_END.finditer(text):
        before = _ORDINAL.search(text[start:m.start() + 1])
        if before and before.group(1).casefold() in _BEFORE_ORDINAL:
            continue
        out.append(text[start:m.start() + 1])
        start = m.end()
    return [s for s in [*out, text[start:]] if s]


def word_count(sentence: str) -> int:
    return sum(1 for token in sentence.split() if _WORD.search(token))


def numbers(text: str, words: bool = False) -> set[int]:
    """Every number in ``text``, split at "," and "." ("27,60" → 27 and 60: "27 Euro und 60 Cent");
    with ``words`` also the numbers written as words (in the standard text)."""
    found = {int(part) for token in _NUMBER.findall(text) for part in re.split(r"[.,]", token) if part}
    if words:
        found |= {NUMBER_WORDS[m.group(1).casefold()] for m in _NUMBER_WORD.finditer(text)}
    return found


def _standard_facts(node: dict, field: str, with_basis: bool) -> str:
    """The standard fee or processing-time text of a catalogue entry (what a translation may name).

    The legal basis counts only where a language may cite it (not in Leichte Sprache)."""
    value = node.get(field if field == "processing_time" else "fee", node.get("fees") if field == "fee" else None)
    if isinstance(value, dict):
        keys = (("amount", "range", "note") + (("basis",) if with_basis else ())) if field == "fee" else ("text", "note")
        return " ".join(str(value.get(k) or "") for k in keys)
    return str(value or "")


def _lines(node: object, key: str) -> Iterable[tuple[int, str]]:
    """(line, text) of a field: each list item, or the field itself."""
    value = node.get(key) if isinstance(node, dict) else None
    if isinstance(value, list):
        for i, item in enumerate(value):
            if isinstance(item, str):
                yield line_of(value, i), item
    elif isinstance(value, str):
        yield line_of(node, key), value


def check_plain(label: str, line: int, text: str, file: str) -> list[Finding]:
    """Sentence length and abbreviations of one text (``label``: "Leistung 'x', summary")."""
    findings = []
    for sentence in (s for row in text.split("\n") for s in sentences(row)):
        if (n := word_count(sentence)) > MAX_WORDS:
            findings.append(Finding(ERROR, file, line, f"{label}: Satz mit {n} Wörtern (höchstens "
                                    f"{MAX_WORDS}); bitte teilen: „{sentence[:80]}“"))
    for shown, pattern in ABBREVIATIONS:
        if pattern.search(text):
            findings.append(Finding(ERROR, file, line, f"{label}: Abkürzung „{shown}“ bitte ausschreiben "
                                    "(zum Beispiel, oder, vielleicht …; Paragraphen gehören in den Standardtext)"))
    return findings


def check_entry(sid: str, entry: dict, standard: CatalogueEntry, file: str, language: str) -> list[Finding]:
    """One Leistung's text against the rules of its language and against its standard text."""
    plain = language in PLAIN
    node = standard.node if isinstance(standard.node, dict) else {}
    where = line_of(entry) or 0
    findings = [Finding(ERROR, file, where, f"Leistung '{sid}': Pflichtfeld '{key}' fehlt. {GUIDE}")
                for key in REQUIRED if entry.get(key) is None or (key != "documents" and not entry.get(key))]
    std_documents = node.get("documents") or []
    if entry.get("documents") == [] and std_documents:
        findings.append(Finding(ERROR, file, line_of(entry, "documents"), f"Leistung '{sid}': documents ist leer, "
                                f"der Standardtext nennt {len(std_documents)} Unterlage(n)"))
    elif isinstance(entry.get("documents"), list) and len(entry["documents"]) != len(std_documents):
        findings.append(Finding(WARNING, file, line_of(entry, "documents"), f"Leistung '{sid}': {len(entry['documents'])} "
                                f"Unterlage(n), der Standardtext nennt {len(std_documents)}; bitte je Unterlage einen Eintrag"))
    has_time, std_time = entry.get("processing_time") is not None, node.get("processing_time") is not None
    if has_time and not std_time:
        findings.append(Finding(ERROR, file, line_of(entry, "processing_time"), f"Leistung '{sid}': processing_time "
                                f"gibt es im Standardtext ({standard.file}) nicht; bitte entfernen"))
    elif std_time and not has_time:
        findings.append(Finding(ERROR, file, where, f"Leistung '{sid}': processing_time fehlt (der Standardtext "
                                f"nennt eine Bearbeitungszeit). {GUIDE}"))
    for key, (low, high) in ITEMS.items():
        value = entry.get(key)
        if isinstance(value, list) and value and not low <= len(value) <= high:
            findings.append(Finding(WARNING, file, line_of(entry, key), f"Leistung '{sid}': {key} hat {len(value)} "
                                    f"Einträge (vorgesehen: {low} bis {high})"))
    for key in ("name", *LIST_FIELDS) if plain else ():
        for line, text in _lines(entry, key):
            findings += check_plain(f"Leistung '{sid}', {key}", line, text, file)
    for key in ("fee", "processing_time") if std_time else ("fee",):
        allowed = numbers(_standard_facts(node, key, with_basis=not plain), words=True)
        for line, text in _lines(entry, key):
            if invented := sorted(numbers(text) - allowed):
                shown = ", ".join(str(n) for n in invented)
                findings.append(Finding(ERROR, file, line, f"Leistung '{sid}', {key}: die Zahl {shown} steht nicht in "
                                        f"der Angabe des Standardtexts ({standard.file}); nie einen Betrag oder eine "
                                        "Frist erfinden"))
    return findings


def _is_date(value: object) -> bool:
    try:
        return len(str(value)) == 10 and bool(date.fromisoformat(str(value)))
    except ValueError:
        return False


def raw_ids(path: Path) -> set[str]:
    """Every id written in a catalogue file, valid or not (fast loader, no line numbers)."""
    try:
        doc = yaml.load(path.read_text(encoding="utf-8"), Loader=_FAST)
    except (OSError, yaml.YAMLError):
        return set()
    services = doc.get("services") if isinstance(doc, dict) else None
    return {str(e["id"]) for e in services if isinstance(e, dict) and e.get("id")} if isinstance(services, list) else set()


def check_file(path: Path, root: Path, language: str, by_topic: dict[str, list[CatalogueEntry]],
               by_id: dict[str, CatalogueEntry]) -> tuple[list[Finding], set[str]]:
    """One language file: its findings and the ids it has a text for."""
    file = rel(path, root)
    try:
        doc = load_yaml(path, root)
    except YamlFileError as exc:
        return [exc.finding], set()
    standard = root / "data" / "catalogue" / "services" / path.name
    if not standard.is_file():
        return [Finding(ERROR, file, 1, f"zu dieser Datei gibt es keine data/catalogue/services/{path.stem}.yml "
                        "(der Dateiname muss der Name der Katalogdatei sein)")], set()
    services = doc.get("services") if isinstance(doc, dict) else None
    if not isinstance(services, dict):
        return [Finding(ERROR, file, 1, "Schlüssel 'services' mit einem Abschnitt je Leistung fehlt")], set()
    findings = []
    if str(doc.get("language") or "") != path.parent.name:
        findings.append(Finding(ERROR, file, line_of(doc, "language") if "language" in doc else 1,
                                f"language muss '{path.parent.name}' sein (wie der Ordner)"))
    if not str(doc.get("source") or "").strip():
        findings.append(Finding(ERROR, file, 1, "source fehlt (woraus und nach welchen Regeln übertragen)"))
    if not _is_date(doc.get("stand")):
        findings.append(Finding(ERROR, file, line_of(doc, "stand") if "stand" in doc else 1,
                                "stand fehlt oder ist kein Datum (JJJJ-MM-TT, zum Beispiel 2026-12-02)"))
    ids = {e.id for e in by_topic.get(path.stem, [])}
    written = raw_ids(standard)
    for sid, entry in services.items():
        sid, line = str(sid), line_of(services, sid)
        if sid not in ids and sid in written:
            continue  # an entry the catalogue check rejects (broken or duplicate): reported there
        if sid not in ids:
            other = f" (sie steht in {by_id[sid].file})" if sid in by_id else ""
            findings.append(Finding(ERROR, file, line, f"Leistung '{sid}' gibt es in data/catalogue/services/"
                                    f"{path.stem}.yml nicht{other}"))
            continue
        try:
            parse_entry(sid, entry, language, file, {})
        except LanguageError as exc:
            findings.append(Finding(ERROR, file, line, str(exc).split(": ", 1)[-1]))
            continue
        findings += check_entry(sid, entry, by_id[sid], file, language)
    return findings, ids & {str(s) for s in services}


def check_languages(root: Path, catalogue: Catalogue) -> list[Finding]:
    """Every language file, then the curated Leistungen without a text in a language that must be complete."""
    folder = root / "data" / "catalogue" / LANGUAGES_DIR
    by_topic: dict[str, list[CatalogueEntry]] = {}
    for e in catalogue.entries:
        by_topic.setdefault(Path(e.file).stem, []).append(e)
    by_id = {e.id: e for e in catalogue.entries}
    findings: list[Finding] = []
    covered: dict[str, set[str]] = {}
    for lang_dir in sorted(p for p in folder.iterdir() if p.is_dir()) if folder.is_dir() else []:
        language = canonical(lang_dir.name, DATA_LANGUAGES)
        if language is None or language != lang_dir.name:
            findings.append(Finding(ERROR, rel(lang_dir, root), 0, f"Sprache '{lang_dir.name}' gibt es nicht; möglich: "
                                    f"{', '.join(DATA_LANGUAGES)} (bot/languages.py)"))
            continue
        for path in sorted(lang_dir.glob("*.yml")):
            found, ids = check_file(path, root, language, by_topic, by_id)
            findings += found
            covered.setdefault(language, set()).update(ids)
    for language in COMPLETE:
        for e in catalogue.entries:
            if e.id not in covered.get(language, set()):
                target = f"data/catalogue/{LANGUAGES_DIR}/{language}/{Path(e.file).stem}.yml"
                findings.append(Finding(ERROR, e.file, e.line, f"Leistung '{e.id}' hat keinen Text in "
                                        f"{LABEL.get(language, language)} ({target}). {GUIDE}"))
    listed, list_findings = most_asked(root, by_id)
    findings += list_findings
    for language in MINIMUM:
        findings += check_minimum(language, catalogue.entries, listed, covered.get(language, set()),
                                  (folder / language).is_dir())
    return findings


def most_asked(root: Path, by_id: dict[str, CatalogueEntry]) -> tuple[dict[str, int], list[Finding]]:
    """The listed ids with their line, and what is wrong with the list (no list: none needed below
    :data:`MOST_ASKED_MIN` curated Leistungen, e.g. a Kommune's small catalogue)."""
    path = root / MOST_ASKED_FILE
    if not path.is_file():
        if len(by_id) < MOST_ASKED_MIN:
            return {}, []
        return {}, [Finding(ERROR, MOST_ASKED_FILE, 0, "Liste der meistgefragten Leistungen fehlt (mindestens "
                            f"{MOST_ASKED_MIN} ids unter 'services:'); Englisch, Türkisch und Ukrainisch brauchen für "
                            "jede davon einen Text")]
    try:
        doc = load_yaml(path, root)
    except YamlFileError as exc:
        return {}, [exc.finding]
    ids = doc.get("services") if isinstance(doc, dict) else None
    if not isinstance(ids, list):
        return {}, [Finding(ERROR, MOST_ASKED_FILE, 1, "Schlüssel 'services' mit einer Liste von ids fehlt")]
    listed: dict[str, int] = {}
    findings = []
    for i, sid in enumerate(ids):
        line = line_of(ids, i)
        if str(sid) not in by_id:
            findings.append(Finding(ERROR, MOST_ASKED_FILE, line, f"Leistung '{sid}' gibt es im Katalog nicht "
                                    "(data/catalogue/services/*.yml)"))
        elif str(sid) in listed:
            findings.append(Finding(WARNING, MOST_ASKED_FILE, line, f"Leistung '{sid}' steht doppelt in der Liste"))
        else:
            listed[str(sid)] = line
    needed = min(MOST_ASKED_MIN, len(by_id))
    if len(listed) < needed:
        findings.append(Finding(ERROR, MOST_ASKED_FILE, 1, f"die Liste nennt {len(listed)} Leistungen, mindestens "
                                f"{needed} sind nötig"))
    return listed, findings


def check_minimum(language: str, entries: list[CatalogueEntry], listed: dict[str, int], covered: set[str],
                  started: bool) -> list[Finding]:
    """FEHLER for each listed Leistung without a text in ``language``; one WARNUNG for the others
    (only once the language has a folder: a catalogue may not have begun a language at all)."""
    name = LANGUAGE_NAMES[language]
    findings = []
    others = []
    for e in entries:
        if e.id in covered:
            continue
        target = f"data/catalogue/{LANGUAGES_DIR}/{language}/{Path(e.file).stem}.yml"
        if e.id in listed:
            findings.append(Finding(ERROR, e.file, e.line, f"Leistung '{e.id}' hat keinen Text auf {name} ({target}); "
                                    f"sie gehört zu den meistgefragten ({MOST_ASKED_FILE})"))
        else:
            others.append(e.id)
    if others and started:
        shown = ", ".join(others[:SHOWN_MISSING]) + (" …" if len(others) > SHOWN_MISSING else "")
        findings.append(Finding(WARNING, f"data/catalogue/{LANGUAGES_DIR}/{language}", 0,
                                f"{len(others)} weitere kuratierte Leistung(en) haben noch keinen Text auf {name}: {shown}"))
    return findings


def _variant_language(variant: object) -> str | None:
    conditions = variant.get("condition") if isinstance(variant, dict) else None
    for cond in conditions if isinstance(conditions, list) else []:
        if isinstance(cond, dict) and cond.get("name") == "language":
            return str(cond.get("value"))
    return None


def check_response_variants(root: Path) -> list[Finding]:
    """Response variants per language (``condition: [{type: slot, name: language, value: …}]`` in domain/):
    the value must be a language the bot serves, the Leichte-Sprache wording follows its rules, every
    variant keeps the official names of the standard text, and a response with a Leichte-Sprache
    variant has one in English, Turkish and Ukrainian too."""
    findings: list[Finding] = []
    for path in sorted((root / "domain").glob("*.yml")):
        try:
            doc = load_yaml(path, root)
        except YamlFileError:
            continue  # reported by the response check
        file = rel(path, root)
        for name, variants in ((doc.get("responses") if isinstance(doc, dict) else None) or {}).items():
            variants = variants if isinstance(variants, list) else []
            standard = next((v.get("text") for v in variants if isinstance(v, dict) and not v.get("condition")), None)
            names = [n for n in OFFICIAL_NAMES if isinstance(standard, str) and n in standard]
            languages = set()
            for variant in variants:
                value = _variant_language(variant)
                if value is None:
                    continue
                languages.add(value)
                text = variant.get("text")
                if value not in LANGUAGES:
                    findings.append(Finding(ERROR, file, line_of(variant, "condition"), f"Antwort '{name}': "
                                            f"Sprache '{value}' gibt es nicht (möglich: {', '.join(LANGUAGES)})"))
                    continue
                if value in PLAIN and isinstance(text, str):
                    findings += check_plain(f"Antwort '{name}' (Leichte Sprache)", line_of(variant, "text"), text, file)
                if lost := [n for n in names if not isinstance(text, str) or n not in text]:
                    findings.append(Finding(ERROR, file, line_of(variant, "condition"), f"Antwort '{name}' ({value}): "
                                            f"{' und '.join(lost)} fehlt; der amtliche deutsche Name steht in jeder "
                                            "Sprache dabei"))
            if "de-LS" in languages and (missing := [lang for lang in MINIMUM if lang not in languages]):
                findings.append(Finding(MISSING_VARIANT_LEVEL, file, line_of(doc["responses"], name),
                                        f"Antwort '{name}' hat eine Variante in Leichter Sprache, aber keine für "
                                        f"{', '.join(missing)}"))
    return findings
