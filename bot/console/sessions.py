"""Server-side sessions (in memory) with idle and absolute expiry and a CSRF token each.

The cookie holds only a random id (``__Host-``-style attributes: Path=/staff, HttpOnly,
SameSite=Strict, Secure unless configured off for http://localhost). A gateway restart logs
everybody out; with several gateway replicas, put the console behind one of them (sticky).
"""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass, field

COOKIE = "bw_staff"
PRE_COOKIE = "bw_staff_login"  # CSRF token of the login form (before there is a session)


@dataclass
class Session:
    user: str
    csrf: str = field(default_factory=lambda: secrets.token_urlsafe(32))
    created: float = field(default_factory=time.time)
    seen: float = field(default_factory=time.time)


class SessionStore:
    def __init__(self, idle: float, maximum: float) -> None:
        self.idle, self.maximum = idle, maximum
        self._sessions: dict[str, Session] = {}

    def create(self, user: str) -> tuple[str, Session]:
        self._expire()
        token = secrets.token_urlsafe(32)
        session = Session(user)
        self._sessions[token] = session
        return token, session

    def get(self, token: str | None) -> Session | None:
        if not token:
            return None
        session = self._sessions.get(token)
        now = time.time()
        if session is None:
            return None
        if now - session.seen > self.idle or now - session.created > self.maximum:
            self._sessions.pop(token, None)
            return None
        session.seen = now
        return session

    def drop(self, token: str | None) -> None:
        if token:
            self._sessions.pop(token, None)

    def drop_user(self, user: str) -> None:
        for token in [t for t, s in self._sessions.items() if s.user == user]:
            self._sessions.pop(token, None)

    def _expire(self) -> None:
        now = time.time()
        for token in [t for t, s in self._sessions.items()
                      if now - s.seen > self.idle or now - s.created > self.maximum]:
            self._sessions.pop(token, None)


class LoginRateLimit:
    """At most ``limit`` login attempts per key (client address) per ``window`` seconds, in memory."""

    def __init__(self, limit: int, window: float) -> None:
        self.limit, self.window = limit, window
        self._hits: dict[str, list[float]] = {}

    def allow(self, key: str) -> bool:
        now = time.time()
        hits = [t for t in self._hits.get(key, []) if now - t < self.window]
        if len(self._hits) > 10_000:  # bounded memory
            self._hits.clear()
        allowed = len(hits) < self.limit
        if allowed:
            hits.append(now)
        self._hits[key] = hits
        return allowed
