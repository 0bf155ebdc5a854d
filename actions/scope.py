"""Honest scope and several needs: replies that come before (or instead of) a single Leistung."""

from __future__ import annotations

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import render
from actions.context import message_text
from actions.flows import answer_service
from bot.catalogue import Service
from bot.core import Core
from bot.needs import PART_MATCH, find_needs
from bot.places import PlaceResult
from bot.relations import Relations
from bot.scope import Scope
from bot.search import Hit


def scope_reply(dispatcher: CollectingDispatcher, scope: Scope, tracker: Tracker) -> list[dict] | None:
    """For a topic next to the Gemeinde's services (Elternzeit, Hundehaftpflicht, …): say so, and who
    helps instead. Returns the events, or None when the message is not about such a topic."""
    text = message_text(tracker)
    if not text or text.startswith("/"):
        return None
    topic = scope.adjacent(text)
    if topic is None:
        return None
    if (topic.follow_ups_to_offer and topic.offer == tracker.get_slot("service_id")
            and scope.question_type(text) is not None):
        return None  # "Welche Nachweise will die Familienkasse sehen?" with the Kindergeld in focus
    dispatcher.utter_message(response="utter_adjacent", answer=topic.answer)
    events = [SlotSet("failures", 0.0), SlotSet("pending", None)]
    if topic.offer is not None:  # "Bei der Anmeldung des Hundes helfe ich gern": "und wo melde ich ihn an?"
        events.append(SlotSet("service_id", topic.offer))
    return events


def answer_first_need(dispatcher: CollectingDispatcher, core: Core, scope: Scope, relations: Relations,
                      tracker: Tracker, place: PlaceResult | None, first: Service | None = None,
                      first_searched: bool = False, candidates: list[Hit] | None = None) -> list[dict] | None:
    """Several needs in one message: answer the first, offer the others as buttons. None if only one.

    ``first``: the Leistung the whole message names (else the first clause that names one);
    ``first_searched``: found by the search, not named by the NLU (:func:`bot.needs.find_needs`).
    ``candidates``: the close matches of a message that is ambiguous as a whole; one clause that clearly
    names one of them settles it ("Ich möchte als Tagesmutter arbeiten … Brauche ich dafür eine
    Erlaubnis?": the first clause names the Pflegeerlaubnis, the whole message also fits the Kindertagespflege)."""
    text = message_text(tracker)
    if not text or text.startswith("/"):
        return None
    needs = find_needs(core, relations, text, scope.need_words, first, scope.names_own_need, first_searched)
    if (len(needs) == 1 and candidates and needs[0].score >= PART_MATCH
            and any(h.service.id == needs[0].service.id for h in candidates)):
        return answer_service(dispatcher, core, tracker, needs[0].service, place)
    if len(needs) < 2:
        return None
    events = answer_service(dispatcher, core, tracker, needs[0].service, place)
    dispatcher.utter_message(response="utter_more_needs", name=needs[0].service.name,
                             buttons=[render.service_button(n.service) for n in needs[1:]])
    return events


def first_of(focus) -> Service | None:
    """The Leistung the whole message names, as the first need (None: let the clauses decide)."""
    return focus.service if focus.how in ("search", "entity") else None
