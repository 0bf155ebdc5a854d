"""Actions answering questions about a Leistung: what it is, who is responsible, online, documents, fees."""

from __future__ import annotations

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import render
from actions.base import SafeAction, core
from actions.context import place_from_message, service_from_message, service_from_slot
from actions.facts_text import fees_sentence
from actions.flows import answer_service, not_understood


async def _service_or_ask(dispatcher: CollectingDispatcher, tracker: Tracker):
    """The Leistung named now or earlier in the conversation; asks for it when there is none."""
    c = await core()
    choice = service_from_message(c, tracker)
    service = choice.service or service_from_slot(c, tracker)
    if service is None:
        dispatcher.utter_message(response="utter_which_service")
        return c, None, [SlotSet("pending", "service")]
    return c, service, [SlotSet("service_id", service.id)]


class ActionAnswerService(SafeAction):
    def name(self) -> str:
        return "action_answer_service"

    async def act(self, dispatcher, tracker, domain):
        c = await core()
        choice = service_from_message(c, tracker)
        place = place_from_message(c, tracker)
        if choice.ambiguous:
            dispatcher.utter_message(
                response="utter_did_you_mean", buttons=[render.service_button(h.service) for h in choice.hits[:3]]
            )
            events = [SlotSet("pending", "service")]
            if place is not None and place.unique is not None:
                events += [SlotSet("place_ags", place.unique.ags), SlotSet("place_source", "citizen")]
            return events
        if choice.service is None:
            return not_understood(dispatcher, c, tracker)
        return answer_service(dispatcher, c, tracker, choice.service, place)


class ActionAnswerOffice(SafeAction):
    def name(self) -> str:
        return "action_answer_office"

    async def act(self, dispatcher, tracker, domain):
        c, service, events = await _service_or_ask(dispatcher, tracker)
        if service is None:
            return events
        return events + answer_service(dispatcher, c, tracker, service, place_from_message(c, tracker), summary=False)


class ActionAnswerOnline(SafeAction):
    def name(self) -> str:
        return "action_answer_online"

    async def act(self, dispatcher, tracker, domain):
        _, service, events = await _service_or_ask(dispatcher, tracker)
        if service is not None:
            link = f" Mehr dazu: {service.servicebw_url()}" if service.servicebw_id else ""
            online = render.online_sentence(service) or "Ob das online geht, weiß ich leider nicht."
            dispatcher.utter_message(response="utter_service_online", name=service.name, online=online, link=link)
        return events


class ActionAnswerDocuments(SafeAction):
    def name(self) -> str:
        return "action_answer_documents"

    async def act(self, dispatcher, tracker, domain):
        _, service, events = await _service_or_ask(dispatcher, tracker)
        if service is not None:
            if service.documents:
                dispatcher.utter_message(response="utter_service_documents_for", name=service.name,
                                         documents=render.documents_sentence(service))
            else:
                dispatcher.utter_message(response="utter_service_no_documents", name=service.name)
        return events


class ActionAnswerFees(SafeAction):
    def name(self) -> str:
        return "action_answer_fees"

    async def act(self, dispatcher, tracker, domain):
        _, service, events = await _service_or_ask(dispatcher, tracker)
        if service is not None:
            if service.fee is not None:
                dispatcher.utter_message(response="utter_service_fees", name=service.name, fees=fees_sentence(service))
            else:
                dispatcher.utter_message(response="utter_service_no_fees", name=service.name)
        return events
