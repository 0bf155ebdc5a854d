"""Closed-loop load for ``scripts/bench.py``: simulated citizens, latency figures, peak RSS.

Each simulated citizen sends one German multi-message conversation on its own sender id, waits for
every answer before typing the next message, then starts over with a new sender id. Bounded in time
and in the number of conversations; loopback targets only.
"""

from __future__ import annotations

import asyncio
import statistics
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp

CONVERSATION = (
    "Hallo, ich brauche einen neuen Personalausweis",
    "Ich wohne in Fellbach",
    "Welche Unterlagen brauche ich dafür?",
    "Und was kostet das?",
    "Danke, tschüss",
)

#: (session, sender id, text) -> the list of answers, raises on HTTP errors.
Sender = Callable[[aiohttp.ClientSession, str, str], "asyncio.Future[list]"]


@dataclass
class LoadResult:
    concurrency: int
    seconds: float
    latencies_ms: list[float] = field(default_factory=list)
    errors: int = 0
    empty: int = 0
    conversations: int = 0

    def summary(self) -> dict:
        lat = sorted(self.latencies_ms)

        def pct(p: float) -> float | None:
            return round(lat[min(len(lat) - 1, int(p * len(lat)))], 1) if lat else None

        ok = len(lat)
        return {
            "concurrency": self.concurrency, "messages": ok + self.errors, "conversations": self.conversations,
            "msg_per_s": round(ok / self.seconds, 2) if self.seconds else 0.0,
            "p50_ms": pct(0.50), "p95_ms": pct(0.95), "p99_ms": pct(0.99),
            "mean_ms": round(statistics.fmean(lat), 1) if lat else None,
            "errors": self.errors, "empty_replies": self.empty,
        }


def rss_mb(pid: int) -> float:
    """Resident set size of a process and its children (MB); 0 when it is gone."""
    total = 0.0
    for p in [pid, *_children(pid)]:
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1]) / 1024
        except OSError:
            continue
    return total


def _children(pid: int) -> list[int]:
    try:
        kids = [int(k) for k in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []
    return kids + [g for k in kids for g in _children(k)]


class RssSampler:
    """Samples the RSS of named processes every ``interval`` seconds and keeps the peak."""

    def __init__(self, pids: dict[str, int], interval: float = 0.25) -> None:
        self.pids, self.interval = pids, interval
        self.peak: dict[str, float] = dict.fromkeys(pids, 0.0)
        self._task: asyncio.Task | None = None

    async def _run(self) -> None:
        while True:
            for name, pid in self.pids.items():
                self.peak[name] = max(self.peak[name], rss_mb(pid))
            await asyncio.sleep(self.interval)

    def __enter__(self) -> RssSampler:
        self._task = asyncio.get_running_loop().create_task(self._run())
        return self

    def __exit__(self, *exc: object) -> None:
        if self._task:
            self._task.cancel()

    def result(self) -> dict[str, float]:
        return {k: round(v, 1) for k, v in self.peak.items()}


async def run_load(send: Sender, concurrency: int, seconds: float, max_conversations: int = 5000,
                   timeout: float = 35.0) -> LoadResult:
    """``concurrency`` closed-loop citizens for ``seconds`` (a started conversation is finished)."""
    result = LoadResult(concurrency, seconds)
    deadline = time.monotonic() + seconds
    budget = [max_conversations]
    conn = aiohttp.TCPConnector(limit=concurrency + 4)
    async with aiohttp.ClientSession(connector=conn, timeout=aiohttp.ClientTimeout(total=timeout)) as session:

        async def citizen() -> None:
            while time.monotonic() < deadline and budget[0] > 0:
                budget[0] -= 1
                sender = str(uuid.uuid4())
                for text in CONVERSATION:
                    started = time.perf_counter()
                    try:
                        answers = await send(session, sender, text)
                    except (aiohttp.ClientError, asyncio.TimeoutError, ValueError):
                        result.errors += 1
                        continue
                    result.latencies_ms.append((time.perf_counter() - started) * 1000)
                    if not answers:
                        result.empty += 1
                result.conversations += 1

        began = time.monotonic()
        await asyncio.gather(*(citizen() for _ in range(concurrency)))
        result.seconds = time.monotonic() - began
    return result


def rasa_rest_sender(base_url: str) -> Sender:
    async def send(session: aiohttp.ClientSession, sender: str, text: str) -> list:
        async with session.post(f"{base_url}/webhooks/rest/webhook",
                                json={"sender": sender, "message": text}) as resp:
            if resp.status != 200:
                raise ValueError(f"HTTP {resp.status}")
            return await resp.json()
    return send


def gateway_sender(base_url: str, ags: str = "08119020") -> Sender:
    async def send(session: aiohttp.ClientSession, sender: str, text: str) -> list:
        async with session.post(f"{base_url}/chat/messages", headers={"Origin": base_url},
                                json={"sender_id": sender, "message": text, "ags": ags}) as resp:
            if resp.status != 200:
                raise ValueError(f"HTTP {resp.status}")
            body = await resp.json()
            return [m for m in body.get("messages", []) if m.get("text") or m.get("buttons")]
    return send
