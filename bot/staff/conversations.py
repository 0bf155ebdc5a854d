"""The typed conversation suite (``tests/conversations/*.yml``): loading, checking a reply, figures.

Pure functions, no Rasa: ``scripts/conversation_suite.py`` types the turns into the real stack and
hands each reply (the widget's message list ``{text, buttons, custom}``) to :func:`observe` and
:func:`check_turn`. A turn states what a citizen would check: the Leistung the answer is about
(``service``: an id, ``none`` = no Leistung may be answered, ``any`` = not checked, only for
handoff/smalltalk), optionally the office (every substring must occur in one office named in the
reply), text fragments (all / at least one) and offered buttons.

The Leistung of a reply is read from what the citizen sees and what the API returns, in this
order: the structured data (``custom.service.id``), a Leistung name set off in the text
(``**Name**``, „Name“ or "Name:" at the start of a line), the service-bw link
(``/leistungen/<id>``). Only the first kind of evidence that is present counts.

A conversation may be in another answer language (``lang: de-LS``, Leichte Sprache), and a turn
may switch it (``lang`` on the turn, from that turn on), as the widget's switch does.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from bot.languages import LANGUAGES, STANDARD, canonical
from bot.text import fold

NONE = "none"
ANY = "any"
#: Turn types; the follow-up types must each occur at least ``MIN_PER_FOLLOW_UP`` times.
FOLLOW_UP_TYPES = ("documents", "online", "fees", "office", "opening_hours", "appointment",
                   "processing_time", "place", "variant")
OTHER_TYPES = ("first", "plz", "scope", "handoff", "several_needs", "smalltalk")
TYPES = FOLLOW_UP_TYPES + OTHER_TYPES
MIN_PER_FOLLOW_UP = 10
DEFAULT_AGS = "08119020"  # Fellbach, the demo tenant
_AGS = re.compile(r"^08\d{6}$")
_BOLD = re.compile(r"\*\*(.+?)\*\*")
_QUOTED = re.compile(r"„(.+?)“")
_LEAD = re.compile(r"^([^:\n]{3,120}):", re.M)
_SBW_LINK = re.compile(r"service-bw\.de/zufi/leistungen/(\d+)")
#: Quoted names after these words are examples ("zum Beispiel „Sperrmüll anmelden“"), not the answer.
_EXAMPLE_CUE = re.compile(r"(Beispiel|z\. ?B\.|etwa)\b[^.!?\n]*$")
#: Questions about the office: a reply that names the right office and no Leistung answers them.
OFFICE_TYPES = ("opening_hours", "appointment")


class SuiteError(ValueError):
    """A suite file is not in the expected shape (message names file and conversation)."""


@dataclass(frozen=True)
class Turn:
    user: str
    type: str
    service: str
    office: tuple[str, ...] = ()
    text: tuple[str, ...] = ()
    text_any: tuple[str, ...] = ()
    buttons: tuple[str, ...] = ()
    lang: str | None = None  # switch the answer language from this turn on (None: unchanged)


@dataclass(frozen=True)
class Conversation:
    id: str
    file: str
    ags: str
    turns: tuple[Turn, ...]
    lang: str = STANDARD  # the answer language from the first turn


def _language(value: Any, where: str) -> str:
    language = canonical(value)
    if language is None:
        raise SuiteError(f"{where}: 'lang' muss eine von {', '.join(LANGUAGES)} sein (nicht {value!r})")
    return language


@dataclass
class Observed:
    """What a reply shows: the Leistung evidence (first kind present), offices, text, buttons."""

    services: list[str] = field(default_factory=list)
    source: str = ""
    offices: list[str] = field(default_factory=list)
    text: str = ""
    buttons: list[str] = field(default_factory=list)


def _strings(value: Any, where: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list) and all(isinstance(v, str) and v for v in value):
        return tuple(value)
    raise SuiteError(f"{where}: erwartet einen Text oder eine Liste von Texten")


def parse_turn(raw: Any, where: str) -> Turn:
    if not isinstance(raw, dict) or not isinstance(raw.get("user"), str) or not raw["user"].strip():
        raise SuiteError(f"{where}: jeder Schritt braucht 'user' (getippter Text)")
    if raw["user"].lstrip().startswith("/"):
        raise SuiteError(f"{where}: nur getippter Text, keine Payloads ({raw['user'][:30]})")
    kind = raw.get("type")
    if kind not in TYPES:
        raise SuiteError(f"{where}: 'type' muss einer von {', '.join(TYPES)} sein (nicht {kind!r})")
    service = raw.get("service")
    if not isinstance(service, str) or not service:
        raise SuiteError(f"{where}: 'service' fehlt (Leistungs-id, '{NONE}' oder '{ANY}')")
    if service == ANY and kind not in ("handoff", "smalltalk"):
        raise SuiteError(f"{where}: '{ANY}' nur bei handoff/smalltalk")
    if kind in OFFICE_TYPES and service not in (NONE, ANY) and not raw.get("office"):
        raise SuiteError(f"{where}: Fragen nach Öffnungszeiten/Termin brauchen 'office'")
    unknown = set(raw) - {"user", "type", "service", "office", "text", "text_any", "buttons", "note", "quoted", "lang"}
    if unknown:
        raise SuiteError(f"{where}: unbekannte Schlüssel {sorted(unknown)}")
    return Turn(raw["user"].strip(), kind, service, _strings(raw.get("office"), where),
                _strings(raw.get("text"), where), _strings(raw.get("text_any"), where),
                _strings(raw.get("buttons"), where),
                _language(raw["lang"], where) if raw.get("lang") is not None else None)


def load_file(path: Path, label: str | None = None) -> list[Conversation]:
    label = label or path.name
    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise SuiteError(f"{label}: nicht lesbar ({exc})") from None
    items = doc.get("conversations") if isinstance(doc, dict) else None
    if not isinstance(items, list):
        raise SuiteError(f"{label}: Schlüssel 'conversations' mit einer Liste fehlt")
    out = []
    for i, item in enumerate(items):
        where = f"{label}, Gespräch {i + 1}"
        if not isinstance(item, dict) or not isinstance(item.get("id"), str):
            raise SuiteError(f"{where}: jedes Gespräch braucht eine 'id'")
        where = f"{label}, {item['id']}"
        ags = str(item.get("ags") or DEFAULT_AGS)
        if not _AGS.match(ags):
            raise SuiteError(f"{where}: 'ags' ist kein AGS aus Baden-Württemberg ({ags})")
        turns = item.get("turns")
        if not isinstance(turns, list) or not turns:
            raise SuiteError(f"{where}: 'turns' fehlt")
        lang = _language(item["lang"], where) if item.get("lang") is not None else STANDARD
        out.append(Conversation(item["id"], label, ags,
                                tuple(parse_turn(t, f"{where}, Schritt {n + 1}") for n, t in enumerate(turns)), lang))
    return out


def languages_of(conv: Conversation) -> list[str]:
    """The answer language of each turn (the conversation's, switched by a turn's ``lang``)."""
    out, current = [], conv.lang
    for turn in conv.turns:
        current = turn.lang or current
        out.append(current)
    return out


def load_suite(folder: Path) -> list[Conversation]:
    conversations: list[Conversation] = []
    for path in sorted(folder.glob("*.yml")):
        conversations += load_file(path)
    ids = Counter(c.id for c in conversations)
    if dupes := [i for i, n in ids.items() if n > 1]:
        raise SuiteError(f"Gesprächs-ids doppelt: {', '.join(sorted(dupes))}")
    return conversations


def suite_texts(folder: Path) -> list[tuple[str, str, int, bool]]:
    """``(text, file, line, quoted)`` of every typed turn, for the overlap check.

    ``quoted`` marks a turn quoted verbatim from an issue transcript (``quoted: "issue 9"``); such
    turns are kept even where they equal a training example, and the overlap check says so.
    """
    out: list[tuple[str, str, int, bool]] = []
    for path in sorted(folder.glob("*.yml")):
        try:
            node = yaml.compose(path.read_text(encoding="utf-8"))
        except (OSError, yaml.YAMLError):
            continue
        for mapping in _mappings(node):
            fields = {k.value: v for k, v in mapping.value if isinstance(k, yaml.ScalarNode)}
            user = fields.get("user")
            if isinstance(user, yaml.ScalarNode):
                out.append((str(user.value), path.name, user.start_mark.line + 1, "quoted" in fields))
    return out


def _mappings(node: yaml.Node):
    if isinstance(node, yaml.MappingNode):
        yield node
        for _k, v in node.value:
            yield from _mappings(v)
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            yield from _mappings(item)


class Names:
    """Leistung names and service-bw ids -> catalogue ids (built once from the catalogue)."""

    def __init__(self, services: list[tuple[str, str, str | None]]) -> None:
        self.by_name: dict[str, str] = {}
        self.by_sbw: dict[str, list[str]] = {}
        for sid, name, sbw in services:
            self.by_name.setdefault(fold(name), sid)
            if sbw:
                self.by_sbw.setdefault(sbw, []).append(sid)

    @classmethod
    def from_catalogue(cls, catalogue: Any) -> Names:
        return cls([(s.id, s.name, s.servicebw_id) for s in catalogue.services])


def observe(messages: list[dict[str, Any]], names: Names) -> Observed:
    obs = Observed()
    texts = [m.get("text") or "" for m in messages]
    obs.text = "\n".join(t for t in texts if t)
    obs.buttons = [f"{b.get('title', '')} {b.get('payload', '')}" for m in messages for b in m.get("buttons") or []]
    data = [m["custom"] for m in messages if isinstance(m.get("custom"), dict)]
    data_services = [d["service"]["id"] for d in data if isinstance(d.get("service"), dict) and d["service"].get("id")]
    obs.offices = [d["office"]["name"] for d in data if isinstance(d.get("office"), dict) and d["office"].get("name")]
    if data_services:
        obs.services, obs.source = data_services, "data"
    else:
        named = []
        for pattern in (_BOLD, _QUOTED, _LEAD):
            for match in pattern.finditer(obs.text):
                if pattern is _QUOTED and _EXAMPLE_CUE.search(obs.text[:match.start()]):
                    continue
                if (sid := names.by_name.get(fold(match.group(1).strip()))) is not None:
                    named.append((match.start(), sid))
        if named:
            obs.services, obs.source = [sid for _pos, sid in sorted(named)], "text"
        else:
            links = [sid for m in _SBW_LINK.finditer(obs.text) for sid in names.by_sbw.get(m.group(1), [])]
            if links:
                obs.services, obs.source = links, "link"
    named_services = set(names.by_name)
    obs.offices += [b for b in _BOLD.findall(obs.text) if fold(b) not in named_services and b not in obs.offices]
    return obs


def _contains(haystack: str, needle: str) -> bool:
    return needle.casefold() in haystack.casefold()


def got_service(obs: Observed) -> str:
    """The Leistung a reply answers (first evidence), ``none`` without any."""
    if not obs.services:
        return NONE
    # A link may stand for several catalogue entries with the same service-bw id.
    return obs.services[0] if obs.source != "link" else "|".join(dict.fromkeys(obs.services))


def check_turn(turn: Turn, obs: Observed) -> list[str]:
    """What is wrong with the reply to ``turn`` (empty = right), in German for the report."""
    problems = []
    got = got_service(obs)
    if turn.service == NONE:
        if got != NONE:
            problems.append(f"Leistung: erwartet keine, bekommen {got}")
    elif turn.service != ANY:
        ok = turn.service in got.split("|") if obs.source == "link" else got == turn.service
        if got == NONE and turn.type in OFFICE_TYPES:
            ok = True  # judged by the office named (checked below; such turns must expect one)
        if not ok:
            problems.append(f"Leistung: erwartet {turn.service}, bekommen {got}")
    if turn.office:
        places = obs.offices or [obs.text]
        if not any(all(_contains(o, part) for part in turn.office) for o in places):
            named = "; ".join(obs.offices) or "keine Stelle genannt"
            problems.append(f"Stelle: erwartet „{' + '.join(turn.office)}“, bekommen {named}")
    missing = [t for t in turn.text if not _contains(obs.text, t)]
    if missing:
        problems.append(f"Text fehlt: {', '.join(missing)}")
    if turn.text_any and not any(_contains(obs.text, t) for t in turn.text_any):
        problems.append(f"Text: keins von {', '.join(turn.text_any)}")
    for want in turn.buttons:
        if not any(_contains(b, want) for b in obs.buttons):
            problems.append(f"Button fehlt: {want}")
    return problems


def coverage(conversations: list[Conversation], curated_ids: set[str]) -> list[str]:
    """Gaps against the suite's promise: every curated Leistung, each follow-up type ≥ 10 times."""
    gaps = []
    named = {t.service for c in conversations for t in c.turns}
    if missing := sorted(curated_ids - named):
        gaps.append(f"Leistungen ohne Gespräch: {', '.join(missing)}")
    counts = Counter(t.type for c in conversations for t in c.turns)
    for kind in FOLLOW_UP_TYPES:
        if counts[kind] < MIN_PER_FOLLOW_UP:
            gaps.append(f"Folgefrage '{kind}' nur {counts[kind]}-mal (mindestens {MIN_PER_FOLLOW_UP})")
    return gaps


def summarise(results: list[dict[str, Any]]) -> dict[str, Any]:
    """Figures from per-turn results ``{conversation, turn, type, ok, ...}``."""
    turns = len(results)
    passed = sum(1 for r in results if r["ok"])
    by_conv: dict[str, bool] = {}
    for r in results:
        by_conv[r["conversation"]] = by_conv.get(r["conversation"], True) and r["ok"]
    per_type: dict[str, dict[str, Any]] = {}
    for r in results:
        entry = per_type.setdefault(r["type"], {"turns": 0, "passed": 0})
        entry["turns"] += 1
        entry["passed"] += int(r["ok"])
    for entry in per_type.values():
        entry["accuracy"] = round(entry["passed"] / entry["turns"], 4)
    return {
        "turns": turns, "turns_passed": passed,
        "turn_accuracy": round(passed / turns, 4) if turns else 0.0,
        "conversations": len(by_conv), "conversations_passed": sum(by_conv.values()),
        "conversation_accuracy": round(sum(by_conv.values()) / len(by_conv), 4) if by_conv else 0.0,
        "per_type": dict(sorted(per_type.items())),
    }


#: How the suite's figures are grouped by answer language: German and Leichte Sprache (German
#: messages, the German model's data) are one group, each other language its own.
LANGUAGE_GROUPS = {"de": "de", "de-LS": "de", "en": "en", "tr": "tr", "uk": "uk"}


def language_group(language: str | None) -> str:
    return LANGUAGE_GROUPS.get(language or "de", language or "de")


def summarise_by_language(results: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """:func:`summarise` per language group (the turn's ``lang``); a conversation that switches
    language counts in each group with the turns it has there."""
    groups: dict[str, list[dict[str, Any]]] = {}
    for r in results:
        groups.setdefault(language_group(r.get("lang")), []).append(r)
    return {group: summarise(rs) for group, rs in sorted(groups.items())}


def baseline_key(group: str) -> str:
    """The comparison value of a language group in tests/eval/baseline.json (German: the original key)."""
    return "conversation_turn_accuracy" if group == "de" else f"conversation_turn_accuracy_{group}"


def failure_kind(problem: str) -> str:
    """"Leistung: erwartet x, bekommen none" -> "keine Leistung erkannt" (German, for grouping)."""
    if problem.startswith("Leistung: erwartet keine"):
        return "Leistung genannt, wo keine passt"
    if problem.startswith("Leistung:"):
        return "keine Leistung erkannt" if problem.endswith("bekommen none") else "falsche Leistung"
    if problem.startswith("Stelle:"):
        return "keine Stelle genannt" if problem.endswith("keine Stelle genannt") else "falsche Stelle"
    return problem.split(":")[0]


def common_failures(results: list[dict[str, Any]], limit: int = 20) -> list[tuple[str, int]]:
    """The most frequent failures by turn type and kind ("documents: falsche Leistung"), for the to-do list."""
    counter: Counter[str] = Counter()
    for r in results:
        for kind in dict.fromkeys(failure_kind(p) for p in r.get("problems", [])):
            counter[f"{r['type']}: {kind}"] += 1
    return counter.most_common(limit)


def common_mixups(results: list[dict[str, Any]], limit: int = 20) -> list[tuple[str, int]]:
    """The most frequent wrong Leistungen ("expected -> got"), e.g. "reisepass -> ehefaehigkeitszeugnis"."""
    counter: Counter[str] = Counter()
    for r in results:
        for problem in r.get("problems", []):
            if problem.startswith("Leistung:"):
                expected, _, got = problem.removeprefix("Leistung: erwartet ").partition(", bekommen ")
                counter[f"{expected} → {got}"] += 1
    return counter.most_common(limit)
