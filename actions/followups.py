"""Answer one kind of follow-up question by running the action that owns it.

Used when the NLU filed a follow-up under another intent ("welche unterlagen brauche ich dafür" as a
search, "Was kostet das?" as off-topic): the words say the question type, the owning action answers.
"""

from __future__ import annotations

import functools


@functools.cache
def _actions() -> dict[str, object]:
    """The owning action per question type (imported late: those modules import this one)."""
    from actions.facts import ActionAnswerProcessingTime
    from actions.services import ActionAnswerDocuments, ActionAnswerFees, ActionAnswerOffice, ActionAnswerOnline
    from actions.support import ActionAnswerAppointment, ActionAnswerOpeningHours

    table: dict[str, object] = {
        "documents": ActionAnswerDocuments(), "online": ActionAnswerOnline(), "fees": ActionAnswerFees(),
        "office": ActionAnswerOffice(), "opening_hours": ActionAnswerOpeningHours(),
        "appointment": ActionAnswerAppointment(), "processing_time": ActionAnswerProcessingTime(),
    }
    return table


def part_action(kind: str | None):
    """The action answering this kind of follow-up, or None."""
    return _actions().get(kind) if kind else None
