"""Answer flows shared by several actions: a Leistung with its office, place handling, not-understood."""

from __future__ import annotations

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import place_roles, render
from actions.context import answer_language, known_place, message_text
from bot.catalogue import Service
from bot.core import Core
from bot.places import Gemeinde, PlaceResult

#: Misunderstood messages in a row before the assistant offers a human contact.
MAX_FAILURES = 2
POPULAR = ("personalausweis", "wohnsitz_anmelden", "kfz_zulassung")


def apply_place(dispatcher: CollectingDispatcher, core: Core, tracker: Tracker, res: PlaceResult | None,
                announce_change: bool = False) -> tuple[Gemeinde | None, list[dict]]:
    """Use the place named in the message, or the remembered/tenant place. Returns (Gemeinde, events)."""
    if res is not None:
        if res.in_bw is False:
            name = res.outside_name or res.text.strip()
            land = f" ({res.land})" if res.land and res.land != name else ""
            dispatcher.utter_message(response="utter_place_outside_bw", place=name, land=land)
            return None, []
        if res.ambiguous:
            dispatcher.utter_message(
                response="utter_place_ambiguous_plz" if res.match == "plz" else "utter_place_ambiguous",
                query=(res.matched or res.text.strip())[:60],
                buttons=[render.place_button(g) for g in res.candidates[:6]],
            )
            return None, [SlotSet("pending", "place")]
        g = res.unique
        events = [SlotSet("place_ags", g.ags), SlotSet("place_source", "citizen")]
        previous = tracker.get_slot("place_ags")
        if announce_change and previous and previous != g.ags:
            dispatcher.utter_message(response="utter_place_changed", place=g.short_name, kreis=g.kreis_display)
        return g, events
    g, source = known_place(core, tracker)
    if g is not None and source == "tenant" and tracker.get_slot("place_source") != "tenant":
        dispatcher.utter_message(response="utter_place_tenant", place=g.short_name)
        return g, [SlotSet("place_ags", g.ags), SlotSet("place_source", "tenant")]
    return g, []


def say_only_german(dispatcher: CollectingDispatcher, core: Core, service: Service, language: str | None) -> None:
    """Before catalogue content that the conversation's language has no text for: say honestly, in that
    language, that it follows in German (``utter_no_translation``) rather than switch language silently."""
    if core.texts(service, language).missing:
        dispatcher.utter_message(response="utter_no_translation")


def say_office(dispatcher: CollectingDispatcher, core: Core, service: Service, g: Gemeinde, text: str = "",
               language: str | None = None) -> None:
    office = core.responsibility.office(service, g, g.plz_in(text))
    if office is None:
        dispatcher.utter_message(response="utter_office_unknown", place=g.short_name, url=render.service_link(service),
                                 **render.name_vars(core, service, language))
    else:
        response = "utter_office" if office.url else "utter_office_no_link"
        dispatcher.utter_message(response=response, **render.office_vars(service, office, g))
    if (role := place_roles.response(service)) is not None:
        dispatcher.utter_message(response=role, place=g.short_name)
    dispatcher.utter_message(response="utter_source", buttons=render.follow_up_buttons(service, language),
                             **render.source_vars(service))
    dispatcher.utter_message(json_message=render.structured(service, office, g, core.texts(service, language)))


def answer_service(dispatcher: CollectingDispatcher, core: Core, tracker: Tracker, service: Service,
                   place: PlaceResult | None, summary: bool = True) -> list[dict]:
    """Say what the Leistung is and, once the place is known, who is responsible there."""
    events: list[dict] = [SlotSet("service_id", service.id), SlotSet("failures", 0.0), SlotSet("pending", None)]
    language = answer_language(tracker)
    if summary:
        if service.curated:
            say_only_german(dispatcher, core, service, language)
            dispatcher.utter_message(response="utter_service_summary", **render.summary_vars(core, service, language))
            if service.documents:
                dispatcher.utter_message(response="utter_service_documents",
                                         **render.documents_vars(core, service, language))
        else:
            dispatcher.utter_message(response="utter_service_longtail", **render.name_vars(core, service, language))
    g, place_events = apply_place(dispatcher, core, tracker, place)
    events += place_events
    if g is not None:
        say_office(dispatcher, core, service, g, message_text(tracker), language)
    elif place is None:
        dispatcher.utter_message(response="utter_ask_place")
        dispatcher.utter_message(json_message=render.structured(service, None, None, core.texts(service, language)))
        events.append(SlotSet("pending", "place"))
    return events


def handoff_if_stuck(dispatcher: CollectingDispatcher, core: Core, tracker: Tracker) -> list[dict] | None:
    """Count a misunderstood message; on the second in a row, give the human contact route."""
    failures = int(tracker.get_slot("failures") or 0) + 1
    if failures >= MAX_FAILURES:
        g, _ = known_place(core, tracker)
        response = "utter_handoff_after_failures" if g is not None else "utter_handoff_after_failures_generic"
        dispatcher.utter_message(response=response, **render.contact_vars(g, None))
        return [SlotSet("failures", 0.0), SlotSet("pending", None)]
    return None


def not_understood(dispatcher: CollectingDispatcher, core: Core, tracker: Tracker) -> list[dict]:
    """A rephrase hint with suggestions; after repeated failures, a human contact route."""
    if (events := handoff_if_stuck(dispatcher, core, tracker)) is not None:
        return events
    failures = int(tracker.get_slot("failures") or 0) + 1
    weak = [h.service for h in core.search(message_text(tracker), 3) if h.score >= 0.25]
    suggestions = weak or [core.catalogue.get(sid) for sid in POPULAR if core.catalogue.get(sid)]
    dispatcher.utter_message(response="utter_rephrase", buttons=[render.service_button(s) for s in suggestions[:3]])
    return [SlotSet("failures", float(failures))]


def handoff(dispatcher: CollectingDispatcher, core: Core, tracker: Tracker) -> list[dict]:
    """A personal contact: the office for the Leistung in focus at the known place, else the Rathaus."""
    g, _ = known_place(core, tracker)
    sid = tracker.get_slot("service_id")
    service = core.catalogue.get(sid) if sid else None
    office = core.responsibility.office(service, g) if service and g else None
    response = "utter_handoff" if g is not None or office is not None else "utter_handoff_generic"
    dispatcher.utter_message(response=response, **render.contact_vars(g, office))
    return [SlotSet("failures", 0.0), SlotSet("pending", None)]
