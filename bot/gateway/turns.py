"""One message at a time per conversation, in arrival order, with a bounded queue.

Rasa handles one message per sender at a time (lock store); when many arrive at once, the
later ones wait inside Rasa while the gateway's client timeout runs, so they ended as 504 and
never reached the tracker. The gateway therefore queues messages of one conversation itself
(``asyncio.Lock`` wakes waiters first-in, first-out) and sends the next only when the previous
one is answered. The queue per conversation is bounded (429 when full) and so is the waiting
time (503), and both are shorter than what a browser or reverse proxy waits (~60 s), so a
citizen always gets a clear German answer instead of a silent timeout.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

from aiohttp import web

from bot.gateway.errors import ApiError

#: The whole request (waiting for its turn + Rasa) stays below a reverse proxy's 60 s.
REQUEST_DEADLINE = 55.0


@dataclass
class _Slot:
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    users: int = 0


class ConversationTurns:
    """``async with turns.turn(sender): ...`` runs the block for one message of ``sender`` at a time."""

    def __init__(self, max_pending: int = 64, max_wait: float = 25.0) -> None:
        self.max_pending = max_pending
        self.max_wait = max_wait
        self._slots: dict[str, _Slot] = {}

    @asynccontextmanager
    async def turn(self, sender: str) -> AsyncIterator[None]:
        slot = self._slots.get(sender)
        if slot is None:
            slot = self._slots[sender] = _Slot()
        if slot.users >= self.max_pending:
            raise ApiError(429, "too_many_pending",
                           "Bitte warten Sie auf die Antworten auf Ihre vorigen Nachrichten.",
                           {"Retry-After": "5"})
        slot.users += 1
        try:
            try:
                await asyncio.wait_for(slot.lock.acquire(), self.max_wait)
            except asyncio.TimeoutError:
                raise ApiError(503, "busy", "Der Chat ist gerade stark ausgelastet. Bitte senden Sie "
                               "Ihre Nachricht in einem Moment noch einmal.", {"Retry-After": "5"}) from None
            try:
                yield
            finally:
                slot.lock.release()
        finally:
            slot.users -= 1
            if slot.users == 0 and self._slots.get(sender) is slot:
                del self._slots[sender]

    def __len__(self) -> int:
        return len(self._slots)


def turns_for(rasa_timeout: float, max_pending: int = 64) -> ConversationTurns:
    """Waiting time so that waiting plus Rasa's timeout stays within :data:`REQUEST_DEADLINE`."""
    return ConversationTurns(max_pending, max(1.0, REQUEST_DEADLINE - rasa_timeout))


TURNS_KEY: web.AppKey[ConversationTurns] = web.AppKey("conversation_turns")
