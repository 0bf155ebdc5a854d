"""The conversation's answer language as Rasa state: the slot ``language``, set before a message.

Widget and API send ``lang`` (one of ``bot.languages.LANGUAGES``, checked by
:func:`bot.gateway.input_policy.answer_language`) when the citizen chose a language; a client that lets
the citizen choose sends it with every message, as the widget does. A typed message *without* ``lang``
may switch the conversation to the language it is clearly written in (:mod:`bot.gateway.detect`: de,
en, tr, uk; never from Leichter Sprache back to standard German); a button click never does.
The gateway remembers each conversation's language (:mod:`bot.gateway.memory`, shared through Redis in
production) and, only when it changes, sets the slot through Rasa's HTTP API
(``POST /conversations/<id>/tracker/events`` with the JWT) on the replica the message then goes to
(:meth:`bot.gateway.relay.RasaRelay.send`), so that the responses' conditions see the new language
already in the answer to this message. The dialogue state (Leistung in focus, place) is untouched.
A ``lang`` that is absent (and nothing detected) keeps the conversation's language.
The answer names its language (``"lang"`` of the response, :attr:`LanguageTurn.answered`): the one
chosen or detected when Rasa accepted it, else the one the gateway remembers, else ``"de"``.

Rasa 3.6 parses the events of that request (and stamps them) *before* it starts the session of a
conversation it does not know yet, and then loads only the events from the latest session start
on: a slot set on a brand-new conversation would be lost. So for a conversation the gateway does
not know, the slot is sent twice (the first request creates the session, the second one lands in
it); a known conversation needs one request.
"""

from __future__ import annotations

from dataclasses import dataclass

from aiohttp import web

from bot.gateway.detect import Detector, switch_to
from bot.gateway.memory import ConversationMemory
from bot.languages import STANDARD


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


@dataclass
class LanguageTurn:
    """The language side of one message: what the gateway knew, and the change to make (if any)."""

    known: str | None
    change: LanguageChange | None = None
    detected: bool = False  # the change comes from the message's text, not from ``lang``

    @property
    def answered(self) -> str:
        """The conversation's answer language after this message (the response's ``lang``)."""
        if self.change is not None and self.change.applied:
            return self.change.value
        return self.known or STANDARD


async def language_turn(memory: ConversationMemory, sender: str, chosen: str | None, typed: str | None = None,
                        detector: Detector | None = None) -> LanguageTurn:
    """What to do before relaying: the chosen ``lang``, else (typed text only) a clearly detected language.

    No change when the conversation is in that language already. A conversation the gateway does not
    know (new, expired from the memory, memory unreachable) gets the slot set: Rasa may still hold
    another language from earlier."""
    known = await memory.language(sender)
    language, detected = chosen, False
    if language is None and typed is not None and detector is not None:
        language = switch_to(await detector.detect_async(typed), known or STANDARD)
        detected = language is not None
    if language is None or language == known:
        return LanguageTurn(known)
    return LanguageTurn(known, LanguageChange(language, new=known is None), detected)


async def remember_change(memory: ConversationMemory, sender: str, change: LanguageChange | None) -> None:
    """Remember the language once Rasa has it (a refused slot is tried again with the next message)."""
    if change is not None and change.applied:
        await memory.remember_language(sender, change.value)


DETECTOR_KEY: web.AppKey[Detector | None] = web.AppKey("language_detector")
