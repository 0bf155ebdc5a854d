"""Answer one kind of follow-up question by running the action that owns it.

Used when the NLU filed a follow-up under another intent ("welche unterlagen brauche ich dafür" as a
search, "Was kostet das?" as off-topic): the words say the question type, the owning action answers.
"""

from __future__ import annotations

import functools

#: Question types whose words are unambiguous enough to overrule the NLU's choice among the
#: follow-up intents ("Mit welcher Gebühr … muss ich rechnen?" filed as a documents question).
#: Not office or processing time: "Amt", "Stelle", "lange" occur in every kind of question.
WORD_LED = ("documents", "fees", "online")


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


def words_ask_instead(kind: str, scope, text: str) -> str | None:
    """The other follow-up type the citizen's words ask for, when they carry exactly one and it is
    word-led (:data:`WORD_LED`); None when the words agree with ``kind``, are mixed or say nothing."""
    if not text or text.startswith("/"):
        return None
    kinds = scope.question_types(text)
    if len(kinds) == 1 and kinds[0] != kind and kinds[0] in WORD_LED:
        return kinds[0]
    return None
