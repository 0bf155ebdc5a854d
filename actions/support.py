"""Fallback, human handoff, feedback, opening hours and appointments."""

from __future__ import annotations

from rasa_sdk.events import SlotSet

from actions import local_info, render
from actions.base import SafeAction, core, dialogue_data
from actions.context import known_place, message_text, place_from_message
from actions.flows import answer_service, handoff, handoff_if_stuck, not_understood
from actions.focus import SWITCH_MARGIN, resolve_focus
from actions.followups import part_action
from actions.scope import answer_first_need, first_of, scope_reply
from bot.search import GOOD_MATCH


def person_or_adjacent(dispatcher, c, scope, tracker) -> list[dict] | None:
    """A wish for a person gets the handoff, an adjacent topic who helps instead; None for anything else."""
    if scope.wants_person(message_text(tracker)):
        return handoff(dispatcher, c, tracker)
    return scope_reply(dispatcher, scope, tracker)


async def another_place(dispatcher, c, tracker, domain) -> list[dict] | None:
    """A message that names a Gemeinde while a Leistung is in focus, misfiled as not understood, as
    "nein" or as a complaint ("wir ziehen aber nach Mannheim", "nee, wohn in Heilbronn", "Ich bin
    aber in Tübingen gemeldet"): the office of the Leistung there. None without such a place."""
    if not tracker.get_slot("service_id") or place_from_message(c, tracker) is None:
        return None
    from actions.places import ActionSetPlace  # actions.places imports this module

    return await ActionSetPlace().act(dispatcher, tracker, domain)


async def rescue(dispatcher, tracker, domain) -> list[dict] | None:
    """What a misfiled message may still be: a wish for a person, an adjacent topic, a typed follow-up
    about the Leistung in focus, or clearly a Leistung. None if none of these."""
    c = await core()
    scope, relations = await dialogue_data()
    text = message_text(tracker)
    if (events := person_or_adjacent(dispatcher, c, scope, tracker)) is not None:
        return events
    focus = resolve_focus(c, scope, relations, tracker, follow_up=True)
    if focus.service is not None and not focus.new:
        if (part := part_action(scope.question_type(text))) is not None:
            return await part.act(dispatcher, tracker, domain)
        return await another_place(dispatcher, c, tracker, domain)
    place = place_from_message(c, tracker)
    if (events := answer_first_need(dispatcher, c, scope, relations, tracker, place, first_of(focus),
                                     first_searched=focus.how == "search", candidates=focus.hits)) is not None:
        return events
    if focus.service is not None and (focus.how != "search" or focus.score >= GOOD_MATCH + SWITCH_MARGIN):
        return answer_service(dispatcher, c, tracker, focus.service, place)
    return None


class ActionFallback(SafeAction):
    """Low NLU confidence: the domain search may still recognise a Leistung; else ask to rephrase."""

    def name(self) -> str:
        return "action_fallback"

    async def act(self, dispatcher, tracker, domain):
        if (events := await rescue(dispatcher, tracker, domain)) is not None:
            return events
        return not_understood(dispatcher, await core(), tracker)


class ActionOutOfScope(SafeAction):
    """Off-topic: an adjacent topic gets who helps instead; chit-chat and politics a neutral scope reply;
    twice in a row → contact. A misfiled wish for a person or follow-up question is still answered."""

    def name(self) -> str:
        return "action_out_of_scope"

    async def act(self, dispatcher, tracker, domain):
        c = await core()
        scope, relations = await dialogue_data()
        text = message_text(tracker)
        if (events := person_or_adjacent(dispatcher, c, scope, tracker)) is not None:
            return events
        if tracker.get_slot("service_id"):  # a typed follow-up the NLU filed as off-topic
            if (part := part_action(scope.question_type(text))) is not None:
                return await part.act(dispatcher, tracker, domain)
            focus = resolve_focus(c, scope, relations, tracker)
            if focus.how == "variant":  # "und für mein Kind?"
                return answer_service(dispatcher, c, tracker, focus.service, place_from_message(c, tracker))
        else:  # "Wie viel Vorlauf brauche ich für einen Reisepass? Wir reisen nach Kanada": the NLU names the id
            focus = resolve_focus(c, scope, relations, tracker, follow_up=False)
            if focus.how == "entity" and focus.service is not None:
                return answer_service(dispatcher, c, tracker, focus.service, place_from_message(c, tracker))
        if (events := handoff_if_stuck(dispatcher, c, tracker)) is not None:
            return events
        dispatcher.utter_message(response="utter_out_of_scope")
        return [SlotSet("failures", float(int(tracker.get_slot("failures") or 0) + 1))]


class ActionBotChallenge(SafeAction):
    """"Bist du ein Mensch?" gets the honest answer; a question about a topic next to the services that the NLU
    read as a question about the bot ("Wer ist der Bürgermeister?") gets the scope reply instead."""

    def name(self) -> str:
        return "action_bot_challenge"

    async def act(self, dispatcher, tracker, domain):
        scope, _ = await dialogue_data()
        if (events := scope_reply(dispatcher, scope, tracker)) is not None:
            return events
        dispatcher.utter_message(response="utter_iamabot")
        return []


class ActionHandoff(SafeAction):
    def name(self) -> str:
        return "action_handoff"

    async def act(self, dispatcher, tracker, domain):
        return handoff(dispatcher, await core(), tracker)


class ActionFeedback(SafeAction):
    """Thumbs up/down (or said in words); the event itself stays in the tracker for staff review."""

    def name(self) -> str:
        return "action_feedback"

    async def act(self, dispatcher, tracker, domain):
        positive = (tracker.latest_message.get("intent") or {}).get("name") == "feedback_positive"
        if not positive:  # "Das hilft nicht, ich will einen Menschen" / "Ich bin aber in Tübingen gemeldet"
            c = await core()
            scope, _ = await dialogue_data()
            if scope.wants_person(message_text(tracker)):
                return handoff(dispatcher, c, tracker)
            if (events := await another_place(dispatcher, c, tracker, domain)) is not None:
                return events
        dispatcher.utter_message(response="utter_feedback_positive" if positive else "utter_feedback_negative")
        return []


class ActionDeny(SafeAction):
    """"Nein": acknowledged; "nee, wohn in Heilbronn" with a Leistung in focus gets its office there."""

    def name(self) -> str:
        return "action_deny"

    async def act(self, dispatcher, tracker, domain):
        if (events := await another_place(dispatcher, await core(), tracker, domain)) is not None:
            return events
        dispatcher.utter_message(response="utter_deny_ack")
        return []


class _OfficeInfo(SafeAction):
    specific = ""
    generic = ""
    local = staticmethod(lambda ags, service_id: None)  # text from the Kommune's local information, or None

    async def act(self, dispatcher, tracker, domain):
        from actions.services import _service_or_ask

        c = await core()
        scope, relations = await dialogue_data()
        res = place_from_message(c, tracker)
        g = res.unique if res is not None else known_place(c, tracker)[0]
        if resolve_focus(c, scope, relations, tracker).service is None and not tracker.get_slot("service_id"):
            if g is not None and (text := self.local(g.ags, None)):
                dispatcher.utter_message(response="utter_local_info", info=text)  # the Kommune's entry, in German
                return []
            dispatcher.utter_message(response=self.generic)  # "Wann hat das Rathaus offen?"
            return []
        answer = await _service_or_ask(dispatcher, tracker)
        _, service, events = answer
        if service is None:
            return events
        if g is not None and (text := self.local(g.ags, service.id)):
            dispatcher.utter_message(response="utter_local_info", info=text)  # the Kommune's entry, in German
            return events
        office = c.responsibility.office(service, g) if g else None
        if office is None:
            dispatcher.utter_message(response=self.generic)
            return events
        dispatcher.utter_message(response=self.specific, office=office.name,
                                 url=office.url or render.SERVICEBW_HOME)
        if res is not None and res.unique is not None:
            events = [*events, SlotSet("place_ags", g.ags), SlotSet("place_source", "citizen")]
        return events


class ActionAnswerOpeningHours(_OfficeInfo):
    specific, generic = "utter_opening_hours", "utter_opening_hours_generic"
    local = staticmethod(local_info.hours_sentence)

    def name(self) -> str:
        return "action_answer_opening_hours"


class ActionAnswerAppointment(_OfficeInfo):
    specific, generic = "utter_appointment", "utter_appointment_generic"
    local = staticmethod(local_info.appointment_sentence)

    def name(self) -> str:
        return "action_answer_appointment"
