"""The conversation's answer language as Rasa state: the slot ``language``, set before a message.

Widget and API send ``lang`` ("de" or "de-LS", checked by :func:`bot.gateway.input_policy.answer_language`).
The gateway remembers each conversation's language (:mod:`bot.gateway.memory`, shared through Redis in
production) and, only when it changes, sets the slot through Rasa's HTTP API
(``POST /conversations/<id>/tracker/events`` with the JWT) on the replica the message then goes to
(:meth:`bot.gateway.relay.RasaRelay.send`), so that the responses' conditions see the new language
already in the answer to this message. The dialogue state (Leistung in focus, place) is untouched.
A ``lang`` that is absent keeps the conversation's language.

Rasa 3.6 parses the events of that request (and stamps them) *before* it starts the session of a
conversation it does not know yet, and then loads only the events from the latest session start
on: a slot set on a brand-new conversation would be lost. So for a conversation the gateway does
not know, the slot is sent twice (the first request creates the session, the second one lands in
it); a known conversation needs one request.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.gateway.memory import ConversationMemory


@dataclass
class LanguageChange:
    """A language to set before relaying; ``applied`` once Rasa accepted the slot event.

    ``new``: the gateway does not know the conversation (see the module docstring)."""

    value: str
    new: bool = False
    applied: bool = False

    @property
    def requests(self) -> int:
        return 2 if self.new else 1


async def language_change(memory: ConversationMemory, sender: str, language: str | None) -> LanguageChange | None:
    """The change to make before this message, or None (no ``lang``, or the conversation is in it already).

    A conversation the gateway does not know (new, expired from the memory, memory unreachable)
    gets the slot set: Rasa may still hold another language from earlier."""
    if language is None:
        return None
    known = await memory.language(sender)
    return None if known == language else LanguageChange(language, new=known is None)


async def remember_change(memory: ConversationMemory, sender: str, change: LanguageChange | None) -> None:
    """Remember the language once Rasa has it (a refused slot is tried again with the next message)."""
    if change is not None and change.applied:
        await memory.remember_language(sender, change.value)
