"""The processing-time answer ("Wie lange dauert das?") for the Leistung in focus."""

from __future__ import annotations

from actions import render
from actions.base import SafeAction
from actions.context import answer_language
from actions.facts_text import processing_time_text
from actions.flows import say_only_german
from actions.services import _service_or_ask


class ActionAnswerProcessingTime(SafeAction):
    """Says the typical processing time with its source; where none is known, says so and links service-bw."""

    def name(self) -> str:
        return "action_answer_processing_time"

    async def act(self, dispatcher, tracker, domain):
        c, service, events = await _service_or_ask(dispatcher, tracker)
        if service is None:
            return events
        language = answer_language(tracker)
        names = render.name_vars(c, service, language)
        if sentence := processing_time_text(c, service, language):
            say_only_german(dispatcher, c, service, language)
            dispatcher.utter_message(response="utter_processing_time", time=sentence, **names)
        else:
            dispatcher.utter_message(response="utter_processing_time_unknown", link=render.service_link(service),
                                     **names)
        return events
