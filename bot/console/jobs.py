"""The publish job of the console: one at a time, its progress lines and its outcome.

Two backends behind one async interface (:mod:`bot.console.shared`): in the process (default), or
in Redis for several gateway processes. There a lock (``SET NX`` with an expiry, renewed by the
running process every :data:`HEARTBEAT` seconds) guarantees one job across all processes, and the
job's state and last lines are readable from any of them. A job whose process died (lock expired
without an outcome) is shown as interrupted and no longer blocks a new one.
"""

from __future__ import annotations

import asyncio
import contextlib
import secrets
import time
from dataclasses import dataclass, field
from typing import Protocol

from bot.console.shared import RedisHandle, text

MAX_LINES = 60
#: Exit code shown for a job whose gateway process ended before the job did.
INTERRUPTED = -1
LOCK_SECONDS = 90
HEARTBEAT = 20.0
#: How long the last job's outcome stays readable in Redis.
KEEP_SECONDS = 30 * 24 * 3600


@dataclass
class Job:
    user: str
    id: str = field(default_factory=lambda: secrets.token_hex(8))
    started: float = field(default_factory=time.time)
    lines: list[str] = field(default_factory=list)
    code: int | None = None
    finished: float | None = None

    @property
    def running(self) -> bool:
        return self.code is None


class PublishJobs(Protocol):
    async def current(self) -> Job | None: ...

    async def start(self, user: str) -> Job | None:
        """A new running job, or None while another one runs (in any process)."""

    async def progress(self, job: Job, line: str) -> None: ...

    async def finish(self, job: Job, code: int) -> None: ...

    async def close(self) -> None: ...


class InMemoryPublishJobs:
    def __init__(self) -> None:
        self._job: Job | None = None

    async def current(self) -> Job | None:
        return self._job

    async def start(self, user: str) -> Job | None:
        if self._job is not None and self._job.running:
            return None
        self._job = Job(user)
        return self._job

    async def progress(self, job: Job, line: str) -> None:
        job.lines = (job.lines + [line])[-MAX_LINES:]

    async def finish(self, job: Job, code: int) -> None:
        job.code, job.finished = code, time.time()

    async def close(self) -> None:
        return None


_RENEW = """
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('EXPIRE', KEYS[1], ARGV[2]) end
return 0
"""
_RELEASE = """
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
"""


class RedisPublishJobs:
    """Lock, job hash and progress list in Redis; errors raise :class:`SharedStateUnavailable`."""

    def __init__(self, redis: RedisHandle, lock_seconds: int = LOCK_SECONDS, heartbeat: float = HEARTBEAT) -> None:
        self.redis, self.lock_seconds, self.heartbeat = redis, lock_seconds, heartbeat
        self.lock, self.job, self.lines = (redis.key("publish", x) for x in ("lock", "job", "lines"))
        self._beats: dict[str, asyncio.Task] = {}

    async def current(self) -> Job | None:
        try:
            async with self.redis.client.pipeline(transaction=True) as pipe:
                pipe.hgetall(self.job)
                pipe.lrange(self.lines, 0, -1)
                pipe.get(self.lock)
                raw, lines, holder = await pipe.execute()
        except Exception as exc:  # noqa: BLE001
            raise self.redis.failed(exc) from None
        self.redis.ok()
        data = {text(k): text(v) for k, v in raw.items()}
        if not data.get("id"):
            return None
        job = Job(data.get("user", ""), id=data["id"], started=float(data.get("started") or 0),
                  lines=[text(x) for x in lines])
        if data.get("code"):
            job.code, job.finished = int(data["code"]), float(data.get("finished") or 0)
        elif text(holder) != job.id:  # its process ended without an outcome
            job.code = INTERRUPTED
        return job

    async def start(self, user: str) -> Job | None:
        job = Job(user)
        try:
            if not await self.redis.client.set(self.lock, job.id, nx=True, ex=self.lock_seconds):
                self.redis.ok()
                return None
            async with self.redis.client.pipeline(transaction=True) as pipe:
                pipe.delete(self.job, self.lines)
                pipe.hset(self.job, mapping={"id": job.id, "user": user, "started": repr(job.started), "code": ""})
                await pipe.execute()
        except Exception as exc:  # noqa: BLE001
            raise self.redis.failed(exc) from None
        self.redis.ok()
        self._beats[job.id] = asyncio.ensure_future(self._beat(job))
        return job

    async def _beat(self, job: Job) -> None:
        renew = self.redis.client.register_script(_RENEW)
        while True:
            await asyncio.sleep(self.heartbeat)
            with contextlib.suppress(Exception):  # a missed beat only shortens the lock
                await renew(keys=[self.lock], args=[job.id, self.lock_seconds])

    async def progress(self, job: Job, line: str) -> None:
        job.lines = (job.lines + [line])[-MAX_LINES:]
        try:
            async with self.redis.client.pipeline(transaction=True) as pipe:
                pipe.rpush(self.lines, line)
                pipe.ltrim(self.lines, -MAX_LINES, -1)
                await pipe.execute()
        except Exception as exc:  # noqa: BLE001 - the job goes on; other processes miss the line
            self.redis.failed(exc)

    async def finish(self, job: Job, code: int) -> None:
        job.code, job.finished = code, time.time()
        beat = self._beats.pop(job.id, None)
        if beat is not None:
            beat.cancel()
        try:
            async with self.redis.client.pipeline(transaction=True) as pipe:
                pipe.hset(self.job, mapping={"code": str(code), "finished": repr(job.finished)})
                pipe.expire(self.job, KEEP_SECONDS)
                pipe.expire(self.lines, KEEP_SECONDS)
                await pipe.execute()
            await self.redis.client.register_script(_RELEASE)(keys=[self.lock], args=[job.id])
        except Exception as exc:  # noqa: BLE001 - the lock then expires by itself
            self.redis.failed(exc)

    async def close(self) -> None:
        for beat in self._beats.values():
            beat.cancel()
