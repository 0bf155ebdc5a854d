"""Fallback, human handoff, feedback, opening hours and appointments."""

from __future__ import annotations

from rasa_sdk.events import SlotSet

from actions import local_info, render
from actions.base import SafeAction, core
from actions.context import known_place, place_from_message, service_from_message, service_from_slot
from actions.flows import answer_service, handoff_if_stuck, not_understood
from bot.search import GOOD_MATCH


class ActionFallback(SafeAction):
    """Low NLU confidence: the domain search may still recognise a Leistung; else ask to rephrase."""

    def name(self) -> str:
        return "action_fallback"

    async def act(self, dispatcher, tracker, domain):
        c = await core()
        choice = service_from_message(c, tracker)
        if choice.service is not None and choice.hits[0].score >= GOOD_MATCH + 0.15:
            return answer_service(dispatcher, c, tracker, choice.service, place_from_message(c, tracker))
        return not_understood(dispatcher, c, tracker)


class ActionOutOfScope(SafeAction):
    """Off-topic (or gibberish the classifier files as off-topic): explain the scope; twice in a row → contact."""

    def name(self) -> str:
        return "action_out_of_scope"

    async def act(self, dispatcher, tracker, domain):
        c = await core()
        if (events := handoff_if_stuck(dispatcher, c, tracker)) is not None:
            return events
        dispatcher.utter_message(response="utter_out_of_scope")
        return [SlotSet("failures", float(int(tracker.get_slot("failures") or 0) + 1))]


class ActionHandoff(SafeAction):
    def name(self) -> str:
        return "action_handoff"

    async def act(self, dispatcher, tracker, domain):
        c = await core()
        g, _ = known_place(c, tracker)
        service = service_from_slot(c, tracker)
        office = c.responsibility.office(service, g) if service and g else None
        dispatcher.utter_message(response="utter_handoff", contact=render.contact_text(g, office))
        return [SlotSet("failures", 0.0), SlotSet("pending", None)]


class ActionFeedback(SafeAction):
    """Thumbs up/down (or said in words); the event itself stays in the tracker for staff review."""

    def name(self) -> str:
        return "action_feedback"

    async def act(self, dispatcher, tracker, domain):
        positive = (tracker.latest_message.get("intent") or {}).get("name") == "feedback_positive"
        dispatcher.utter_message(response="utter_feedback_positive" if positive else "utter_feedback_negative")
        return []


class _OfficeInfo(SafeAction):
    specific = ""
    generic = ""
    local = staticmethod(lambda ags, service_id: None)  # text from the Kommune's local information, or None

    async def act(self, dispatcher, tracker, domain):
        c = await core()
        service = service_from_message(c, tracker).service or service_from_slot(c, tracker)
        res = place_from_message(c, tracker)
        g = res.unique if res is not None else known_place(c, tracker)[0]
        if g is not None and (text := self.local(g.ags, service.id if service else None)):
            dispatcher.utter_message(text=text)  # entered by the Kommune in the staff console
            return [SlotSet("service_id", service.id)] if service else []
        office = c.responsibility.office(service, g) if service and g else None
        if office is None:
            dispatcher.utter_message(response=self.generic)
            return []
        dispatcher.utter_message(response=self.specific, office=office.name,
                                 url=office.url or render.SERVICEBW_HOME)
        events = [SlotSet("service_id", service.id)]
        if res is not None and res.unique is not None:
            events += [SlotSet("place_ags", g.ags), SlotSet("place_source", "citizen")]
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


