"""Answer one kind of follow-up question by running the action that owns it.

Used when the NLU filed a follow-up under another intent ("welche unterlagen brauche ich dafür" as a
search, "Was kostet das?" as off-topic): the words say the question type, the owning action answers.
"""

from __future__ import annotations

import importlib
import importlib.util
import inspect
from pathlib import Path

from rasa_sdk import Action

PROCESSING_TIME_ACTION = "action_answer_processing_time"


def _actions() -> dict[str, object]:
    from actions.services import ActionAnswerDocuments, ActionAnswerFees, ActionAnswerOffice, ActionAnswerOnline
    from actions.support import ActionAnswerAppointment, ActionAnswerOpeningHours

    table: dict[str, object] = {
        "documents": ActionAnswerDocuments(), "online": ActionAnswerOnline(), "fees": ActionAnswerFees(),
        "office": ActionAnswerOffice(), "opening_hours": ActionAnswerOpeningHours(),
        "appointment": ActionAnswerAppointment(),
    }
    table["processing_time"] = _ProcessingTimeUnknown()
    # The processing-time answer (issue 9 item 4) lives in actions/facts.py once merged; only a module of
    # this very package counts (an editable install elsewhere may expose another checkout's file).
    spec = importlib.util.find_spec("actions.facts")
    if spec is None or spec.origin is None or Path(spec.origin).parent != Path(__file__).parent:
        return table
    try:
        facts = importlib.import_module("actions.facts")
    except ImportError:
        return table
    for value in vars(facts).values():
        if isinstance(value, type) and issubclass(value, Action) and not inspect.isabstract(value):
            action = value()
            if action.name() == PROCESSING_TIME_ACTION:
                table["processing_time"] = action
    return table


class _ProcessingTimeUnknown:
    """Until the processing-time answer exists: say honestly that the office knows, for the focus."""

    async def act(self, dispatcher, tracker, domain) -> list[dict]:
        from actions.services import _service_or_ask

        answer = await _service_or_ask(dispatcher, tracker)
        _, service, events = answer
        if service is not None and "summary" not in answer.said:
            dispatcher.utter_message(response="utter_processing_time_unknown", name=service.name)
        return events


def part_action(kind: str | None):
    """The action answering this kind of follow-up, or None."""
    return _actions().get(kind) if kind else None
