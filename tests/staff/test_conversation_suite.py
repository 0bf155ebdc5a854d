"""The conversation suite's checking logic, with fake reply lists (no Rasa)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.staff import conversations as cs

NAMES = cs.Names([
    ("reisepass", "Reisepass beantragen", "2111"),
    ("vorlaeufiger_reisepass", "Vorläufigen Reisepass beantragen", "2112"),
    ("ehefaehigkeitszeugnis", "Ehefähigkeitszeugnis beantragen", "300"),
    ("sbw-1087", "Waffenbesitzkarte im Erbfall beantragen", "1087"),
])


def msg(text: str = "", buttons: list[tuple[str, str]] | None = None, custom: dict | None = None) -> dict:
    return {"text": text, "buttons": [{"title": t, "payload": p} for t, p in buttons or []], "custom": custom}


def answer(service_id: str, office: str | None) -> list[dict]:
    data = {"service": {"id": service_id}, "office": {"name": office} if office else None, "place": None}
    return [msg("**Reisepass beantragen**\nDen Reisepass beantragen Sie …"),
            msg(f"Zuständig in Ulm: **{office}**."), msg("Quelle: …", custom=data)]


def turn(**kw) -> cs.Turn:
    return cs.Turn(user=kw.pop("user", "x"), type=kw.pop("type", "first"), service=kw.pop("service"), **kw)


def test_structured_data_decides_the_leistung_and_office() -> None:
    obs = cs.observe(answer("reisepass", "Stadt Ulm – Bürgerbüro (Passbehörde)"), NAMES)
    assert cs.got_service(obs) == "reisepass" and obs.source == "data"
    assert cs.check_turn(turn(service="reisepass", office=("Ulm", "Bürgerbüro")), obs) == []
    problems = cs.check_turn(turn(service="reisepass", office=("Landratsamt Alb-Donau-Kreis",)), obs)
    assert problems and "Stelle" in problems[0] and "Stadt Ulm" in problems[0]


def test_follow_up_for_another_leistung_fails() -> None:
    """The issue's transcript: documents of the Ehefähigkeitszeugnis after a Reisepass answer."""
    reply = [msg("Für „Ehefähigkeitszeugnis beantragen“ bringen Sie bitte mit: Geburtsurkunde.")]
    obs = cs.observe(reply, NAMES)
    assert cs.got_service(obs) == "ehefaehigkeitszeugnis" and obs.source == "text"
    assert cs.check_turn(turn(type="documents", service="reisepass"), obs) == [
        "Leistung: erwartet reisepass, bekommen ehefaehigkeitszeugnis"]


def test_longer_name_is_not_read_as_the_shorter_one() -> None:
    obs = cs.observe([msg("Vorläufigen Reisepass beantragen: Das geht nicht online.")], NAMES)
    assert cs.got_service(obs) == "vorlaeufiger_reisepass"


def test_example_names_in_a_not_understood_reply_are_no_answer() -> None:
    reply = [msg("Das habe ich leider nicht verstanden, zum Beispiel „Reisepass beantragen“ oder "
                 "„Vorläufigen Reisepass beantragen“.")]
    assert cs.got_service(cs.observe(reply, NAMES)) == cs.NONE


def test_office_question_is_judged_by_the_office_when_no_leistung_is_named() -> None:
    obs = cs.observe([msg("Einen Termin bei Stadt Ulm – Zulassungsstelle vereinbaren Sie über https://www.service-bw.de")],
                     NAMES)
    assert cs.check_turn(turn(type="appointment", service="reisepass", office=("Ulm",)), obs) == []
    assert cs.check_turn(turn(type="appointment", service="reisepass", office=("Heidelberg",)), obs)
    assert cs.check_turn(turn(type="documents", service="reisepass"), obs)  # other questions need the Leistung


def test_service_bw_link_names_the_leistung_when_nothing_else_does() -> None:
    reply = [msg("Die Öffnungszeiten von Stadt Ulm – Bürgerbüro stehen auf service-bw: "
                 "https://www.service-bw.de/zufi/leistungen/2111?plz=89073&ags=08421000")]
    obs = cs.observe(reply, NAMES)
    assert obs.source == "link"
    assert cs.check_turn(turn(type="opening_hours", service="reisepass", office=("Ulm",)), obs) == []
    assert cs.check_turn(turn(type="opening_hours", service="vorlaeufiger_reisepass"), obs)


def test_not_understood_is_wrong_for_a_follow_up_and_none_is_checked() -> None:
    obs = cs.observe([msg("Das habe ich leider nicht verstanden.")], NAMES)
    assert cs.got_service(obs) == cs.NONE
    assert cs.check_turn(turn(type="processing_time", service="reisepass"), obs)
    assert cs.check_turn(turn(type="scope", service="none"), obs) == []
    wrong = cs.observe(answer("reisepass", "Stadt Ulm"), NAMES)
    assert cs.check_turn(turn(type="scope", service="none"), wrong) == ["Leistung: erwartet keine, bekommen reisepass"]


def test_text_and_buttons() -> None:
    reply = answer("sbw-1087", None) + [msg("Außerdem:", buttons=[("Waffenbesitzkarte im Erbfall beantragen",
                                                                   '/search_service{"service": "sbw-1087"}')])]
    obs = cs.observe(reply, NAMES)
    ok = turn(service="sbw-1087", buttons=("Waffe",), text=("beantragen",), text_any=("nie da", "Reisepass"))
    assert cs.check_turn(ok, obs) == []
    bad = turn(service="sbw-1087", buttons=("kfz",), text=("Euro",), text_any=("115", "Telefon"))
    assert cs.check_turn(bad, obs) == ["Text fehlt: Euro", "Text: keins von 115, Telefon", "Button fehlt: kfz"]


def test_summary_counts_turns_conversations_and_types() -> None:
    results = [
        {"conversation": "a", "type": "first", "ok": True, "problems": []},
        {"conversation": "a", "type": "documents", "ok": False, "problems": ["Leistung: erwartet x, bekommen y"]},
        {"conversation": "b", "type": "first", "ok": True, "problems": []},
        {"conversation": "b", "type": "documents", "ok": True, "problems": []},
    ]
    s = cs.summarise(results)
    assert (s["turns"], s["turns_passed"], s["turn_accuracy"]) == (4, 3, 0.75)
    assert (s["conversations"], s["conversations_passed"], s["conversation_accuracy"]) == (2, 1, 0.5)
    assert s["per_type"]["documents"] == {"turns": 2, "passed": 1, "accuracy": 0.5}
    assert cs.common_failures(results) == [("documents: falsche Leistung", 1)]
    assert cs.common_mixups(results) == [("x → y", 1)]


def _suite(tmp_path: Path, body: str) -> Path:
    (tmp_path / "a.yml").write_text("conversations:\n" + body, encoding="utf-8")
    return tmp_path


def test_payloads_and_unknown_types_are_rejected(tmp_path: Path) -> None:
    with pytest.raises(cs.SuiteError, match="Payload"):
        cs.load_suite(_suite(tmp_path, '  - id: x\n    turns:\n      - {user: "/ask_fees", type: fees, service: a}\n'))
    with pytest.raises(cs.SuiteError, match="type"):
        cs.load_suite(_suite(tmp_path, '  - id: x\n    turns:\n      - {user: "hi", type: chat, service: a}\n'))
    with pytest.raises(cs.SuiteError, match="any"):
        cs.load_suite(_suite(tmp_path, '  - id: x\n    turns:\n      - {user: "hi", type: fees, service: any}\n'))


def test_the_real_suite_loads_and_keeps_its_promise() -> None:
    from bot.core import get_core

    folder = Path(__file__).resolve().parents[1] / "conversations"
    conversations = cs.load_suite(folder)
    assert len(conversations) >= 150
    assert cs.coverage(conversations, {s.id for s in get_core().catalogue.curated}) == []
    known = {s.id for s in get_core().catalogue.services} | {cs.NONE, cs.ANY}
    assert {t.service for c in conversations for t in c.turns} <= known


def test_a_conversation_in_leichter_sprache_and_a_switch_on_a_turn(tmp_path: Path) -> None:
    body = ('  - id: ls\n    lang: de-ls\n    turns:\n      - {user: "Pass", type: first, service: reisepass}\n'
            '      - {user: "Kosten?", type: fees, service: reisepass, lang: de}\n'
            '      - {user: "Dauer?", type: processing_time, service: reisepass}\n'
            '  - id: de\n    turns:\n      - {user: "Pass", type: first, service: reisepass}\n')
    ls, de = cs.load_suite(_suite(tmp_path, body))
    assert ls.lang == "de-LS" and cs.languages_of(ls) == ["de-LS", "de", "de"]
    assert de.lang == "de" and cs.languages_of(de) == ["de"]
    with pytest.raises(cs.SuiteError, match="'lang' muss eine von de, de-LS, en, tr, uk sein"):
        cs.load_suite(_suite(tmp_path, '  - id: x\n    lang: fr\n    turns:\n      - {user: "hi", type: first, service: a}\n'))


def test_the_real_suite_has_conversations_in_leichter_sprache() -> None:
    folder = Path(__file__).resolve().parents[1] / "conversations"
    plain = [c for c in cs.load_suite(folder) if "de-LS" in cs.languages_of(c)]
    assert len(plain) >= 3 and all(t.office or t.type != "first" for c in plain for t in c.turns)


def test_figures_per_language_keep_german_and_leichte_sprache_together() -> None:
    results = [
        {"conversation": "a", "turn": 1, "type": "first", "ok": True, "lang": "de"},
        {"conversation": "a", "turn": 2, "type": "fees", "ok": False, "lang": "de-LS"},
        {"conversation": "b", "turn": 1, "type": "first", "ok": True, "lang": "en"},
        {"conversation": "b", "turn": 2, "type": "fees", "ok": True, "lang": "de"},  # switched to German
    ]
    groups = cs.summarise_by_language(results)
    assert set(groups) == {"de", "en"}
    assert (groups["de"]["turns"], groups["de"]["turns_passed"], groups["de"]["conversations"]) == (3, 2, 2)
    assert groups["en"]["turn_accuracy"] == 1.0
    # German keeps the comparison value it always had; a new language gets its own
    assert cs.baseline_key("de") == "conversation_turn_accuracy"
    assert cs.baseline_key("uk") == "conversation_turn_accuracy_uk"
