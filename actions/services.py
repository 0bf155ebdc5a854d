"""Actions answering questions about a Leistung: what it is, who is responsible, online, documents, fees."""

from __future__ import annotations

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import render
from actions.base import SafeAction, core, dialogue_data
from actions.context import answer_language, message_text, place_from_message
from actions.facts_text import fees_text
from actions.flows import answer_service, apply_place, handoff, not_understood, say_office, say_only_german
from actions.focus import SWITCH_MARGIN, Focus, resolve_focus
from actions.followups import part_action, words_ask_instead
from actions.scope import answer_first_need, first_of, scope_reply
from bot.search import GOOD_MATCH

#: Intents whose own answer names the office: no office ahead of it when the message names a place.
_NAMES_OFFICE = frozenset({"ask_responsible_office", "ask_opening_hours", "ask_appointment"})


class FocusAnswer(tuple):
    """``(core, service, events)`` as before, plus ``said``: the parts of the answer already given."""

    said: frozenset[str]

    def __new__(cls, c, service, events, said=frozenset()):
        obj = super().__new__(cls, (c, service, events))
        obj.said = frozenset(said)
        return obj


async def _asked_instead(kind: str, tracker: Tracker):
    """The action of the follow-up the words ask for when the NLU filed it under ``kind`` (or None)."""
    scope, _ = await dialogue_data()
    return part_action(words_ask_instead(kind, scope, message_text(tracker)))


async def _service_or_ask(dispatcher: CollectingDispatcher, tracker: Tracker):
    """The focus resolver of every follow-up: the Leistung this question is about, or None.

    - Leistung in focus, message names no other one with confidence: that Leistung (and its office first
      when the message names a place).
    - A Leistung new in the conversation (named now, or a variant of the focus via relations.yml): the
      whole answer (summary, online, documents, office) is given here; ``said`` tells the caller.
    - An adjacent topic ("Was kostet eine Hundehaftpflicht?"): the honest scope answer, service None.
    - Nothing to go on: asks which Leistung (or offers the close matches), service None.
    """
    c = await core()
    scope, relations = await dialogue_data()
    focus = resolve_focus(c, scope, relations, tracker, follow_up=True)
    if focus.how not in ("entity",) and (reply := scope_reply(dispatcher, scope, tracker)) is not None:
        return FocusAnswer(c, None, reply)
    if focus.how == "ambiguous":
        dispatcher.utter_message(response="utter_did_you_mean",
                                 buttons=[render.service_button(h.service) for h in focus.hits])
        return FocusAnswer(c, None, [SlotSet("pending", "service")])
    service = focus.service
    if service is None:
        dispatcher.utter_message(response="utter_which_service")
        return FocusAnswer(c, None, [SlotSet("pending", "service")])
    place = place_from_message(c, tracker)
    if focus.new:
        events = answer_service(dispatcher, c, tracker, service, place)
        # The whole answer named the office (or asked for the place, or which of several places).
        said = {"summary", "online", "documents", "office"} if service.curated else {"summary", "office"}
        return FocusAnswer(c, service, events, said)
    events: list[dict] = [SlotSet("service_id", service.id)]
    intent = (tracker.latest_message.get("intent") or {}).get("name")
    if place is not None and intent not in _NAMES_OFFICE:  # "Welche Unterlagen brauche ich in Fellbach?"
        g, place_events = apply_place(dispatcher, c, tracker, place)
        events += place_events
        if g is not None:
            say_office(dispatcher, c, service, g, message_text(tracker), answer_language(tracker))
            return FocusAnswer(c, service, events, {"office"})
    return FocusAnswer(c, service, events)


def _confident(focus: Focus) -> bool:
    """The message names a Leistung for sure (entity, variant of the focus, or a clear search hit)."""
    return focus.how in ("entity", "variant") or (focus.how == "search" and focus.score >= GOOD_MATCH + SWITCH_MARGIN)


class ActionAnswerService(SafeAction):
    def name(self) -> str:
        return "action_answer_service"

    async def act(self, dispatcher, tracker, domain):
        c = await core()
        scope, relations = await dialogue_data()
        focus = resolve_focus(c, scope, relations, tracker, follow_up=False)
        if focus.how != "entity" and (reply := scope_reply(dispatcher, scope, tracker)) is not None:
            return reply
        text = message_text(tracker)
        # "Ich will keinen Bot, ich will einen Menschen!"; "Mitarbeiter!!!" (no Leistung beyond the wish itself)
        if scope.wants_person(text) and (not _confident(focus)
                                         or not scope.residual(text, frozenset(scope.handoff_words))):
            return handoff(dispatcher, c, tracker)
        place = place_from_message(c, tracker)
        if focus.how in ("search", "entity", "ambiguous", "none") and (
                events := answer_first_need(dispatcher, c, scope, relations, tracker, place, first_of(focus),
                                            first_searched=focus.how == "search", candidates=focus.hits)) is not None:
            return events
        if focus.how == "ambiguous":
            dispatcher.utter_message(
                response="utter_did_you_mean", buttons=[render.service_button(h.service) for h in focus.hits]
            )
            events = [SlotSet("pending", "service")]
            if place is not None and place.unique is not None:
                events += [SlotSet("place_ags", place.unique.ags), SlotSet("place_source", "citizen")]
            return events
        if focus.service is None:
            return not_understood(dispatcher, c, tracker)
        if not focus.new and (part := part_action(scope.question_type(message_text(tracker)))) is not None:
            return await part.act(dispatcher, tracker, domain)  # "welche unterlagen brauche ich dafür" as a search
        return answer_service(dispatcher, c, tracker, focus.service, place)


class ActionAnswerOffice(SafeAction):
    def name(self) -> str:
        return "action_answer_office"

    async def act(self, dispatcher, tracker, domain):
        answer = await _service_or_ask(dispatcher, tracker)
        c, service, events = answer
        if service is None or "office" in answer.said:
            return events
        return events + answer_service(dispatcher, c, tracker, service, place_from_message(c, tracker), summary=False)


class ActionAnswerOnline(SafeAction):
    def name(self) -> str:
        return "action_answer_online"

    async def act(self, dispatcher, tracker, domain):
        if (other := await _asked_instead("online", tracker)) is not None:
            return await other.act(dispatcher, tracker, domain)
        answer = await _service_or_ask(dispatcher, tracker)
        c, service, events = answer
        if service is not None and "online" not in answer.said:
            language = answer_language(tracker)
            names = {**render.name_vars(c, service, language), "url": render.service_link(service)}
            if online := render.online_text(c, service, language):
                say_only_german(dispatcher, c, service, language)
                dispatcher.utter_message(response="utter_service_online", online=online, **names)
            else:
                dispatcher.utter_message(response="utter_service_online_unknown", **names)
        return events


class ActionAnswerDocuments(SafeAction):
    def name(self) -> str:
        return "action_answer_documents"

    async def act(self, dispatcher, tracker, domain):
        if (other := await _asked_instead("documents", tracker)) is not None:
            return await other.act(dispatcher, tracker, domain)
        answer = await _service_or_ask(dispatcher, tracker)
        c, service, events = answer
        if service is not None and "documents" not in answer.said:
            language = answer_language(tracker)
            if service.documents:
                say_only_german(dispatcher, c, service, language)
                dispatcher.utter_message(response="utter_service_documents_for",
                                         **render.documents_vars(c, service, language))
            else:
                dispatcher.utter_message(response="utter_service_no_documents",
                                         **render.name_vars(c, service, language))
        return events


class ActionAnswerFees(SafeAction):
    def name(self) -> str:
        return "action_answer_fees"

    async def act(self, dispatcher, tracker, domain):
        if (other := await _asked_instead("fees", tracker)) is not None:
            return await other.act(dispatcher, tracker, domain)
        c, service, events = await _service_or_ask(dispatcher, tracker)
        if service is not None:
            language = answer_language(tracker)
            if service.fee is not None:
                say_only_german(dispatcher, c, service, language)
                dispatcher.utter_message(response="utter_service_fees", fees=fees_text(c, service, language),
                                         **render.name_vars(c, service, language))
            else:
                dispatcher.utter_message(response="utter_service_no_fees", **render.name_vars(c, service, language))
        return events
