"""The citizen names or changes their place."""

from __future__ import annotations

from rasa_sdk.events import SlotSet

from actions.base import SafeAction, core
from actions.context import answer_language, message_text, place_from_message, service_from_message, service_from_slot
from actions.flows import answer_service, apply_place, say_office


class ActionSetPlace(SafeAction):
    """Remember the place; if a Leistung is named or under discussion, name its office there right away."""

    def name(self) -> str:
        return "action_set_place"

    async def act(self, dispatcher, tracker, domain):
        c = await core()
        res = place_from_message(c, tracker)
        if res is None:
            from actions.support import rescue  # "und für mein Kind?" filed as a place message

            if (events := await rescue(dispatcher, tracker, domain)) is not None:
                return events
            dispatcher.utter_message(response="utter_place_unknown")
            return [SlotSet("pending", "place")]
        named = service_from_message(c, tracker, entities_only=True).service
        if named is not None:  # "Ich brauche einen neuen Perso, ich wohne in Fellbach"
            return answer_service(dispatcher, c, tracker, named, res)
        service = service_from_slot(c, tracker)
        g, events = apply_place(dispatcher, c, tracker, res, announce_change=service is None)
        if g is None:
            return events
        if service is not None:
            say_office(dispatcher, c, service, g, message_text(tracker), answer_language(tracker))
        else:
            dispatcher.utter_message(response="utter_place_set", place=g.short_name, kreis=g.kreis_display)
        return [*events, SlotSet("pending", None)]
