"""The processing-time answer ("Wie lange dauert das?") for the Leistung in focus."""

from __future__ import annotations

from actions.base import SafeAction
from actions.context import answer_language
from actions.facts_text import processing_time_text
from actions.render import SERVICEBW_HOME
from actions.services import _service_or_ask


class ActionAnswerProcessingTime(SafeAction):
    """Says the typical processing time with its source; where none is known, says so and links service-bw."""

    def name(self) -> str:
        return "action_answer_processing_time"

    async def act(self, dispatcher, tracker, domain):
        c, service, events = await _service_or_ask(dispatcher, tracker)
        if service is None:
            return events
        sentence = processing_time_text(c, service, answer_language(tracker))
        if sentence:
            dispatcher.utter_message(response="utter_processing_time", name=service.name, time=sentence)
        else:
            dispatcher.utter_message(response="utter_processing_time_unknown", name=service.name,
                                     link=service.servicebw_url() or SERVICEBW_HOME)
        return events
