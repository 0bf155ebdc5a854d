"""Closed-loop load for ``scripts/bench.py``: simulated citizens, latency figures, peak RSS.

Each simulated citizen sends one German multi-message conversation on its own sender id, waits for
every answer before typing the next message, then starts over with a new sender id. Bounded in time
and in the number of conversations; loopback targets only.
"""

from __future__ import annotations

import asyncio
import hashlib
import ipaddress
import statistics
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp

#: The German conversations the simulated citizens type, in turn: (text, a word the answer of this
#: assistant must contain, folded to lower case, or ``None``). A reply that lost the conversation's
#: Leistung or place counts as "wrong"; the stock starter bot is not checked (it knows no Leistungen).
CONVERSATIONS = (
    (("Ich brauche einen neuen Personalausweis", "personalausweis"),
     ("Ich wohne in Fellbach", "fellbach"),
     ("Welche Unterlagen brauche ich dafür?", "personalausweis"),
     ("Und was kostet das?", "personalausweis"),
     ("Danke, tschüss", None)),
    (("Guten Tag", None),
     ("Wo kann ich meinen Hund anmelden?", "hund"),
     ("Ich wohne in Ulm", "ulm"),
     ("Geht das auch online?", "hund"),
     ("Danke", None)),
)
#: The gateway's stand-in when Rasa answered nothing (bot/gateway/relay.py NO_ANSWER_TEXT): for the
#: benchmark that is an empty reply.
NO_ANSWER_START = "Darauf habe ich gerade keine Antwort"

#: (session, sender id, text) -> the list of answer texts, raises on HTTP errors.
Sender = Callable[[aiohttp.ClientSession, str, str], "asyncio.Future[list[str]]"]


@dataclass
class LoadResult:
    concurrency: int
    seconds: float
    latencies_ms: list[float] = field(default_factory=list)
    errors: int = 0
    empty: int = 0
    wrong: int = 0
    #: Up to three (message, start of the reply) of the wrong answers, to see what went wrong.
    wrong_examples: list[tuple[str, str]] = field(default_factory=list)
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
            "errors": self.errors, "empty_replies": self.empty, "wrong_replies": self.wrong,
            "wrong_examples": self.wrong_examples,
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
                   timeout: float = 35.0, check: bool = False) -> LoadResult:
    """``concurrency`` closed-loop citizens for ``seconds`` (a started conversation is finished).

    ``check``: count answers that miss the expected words of :data:`CONVERSATIONS` as wrong.
    """
    result = LoadResult(concurrency, seconds)
    deadline = time.monotonic() + seconds
    budget = [max_conversations]
    conn = aiohttp.TCPConnector(limit=concurrency + 4)
    async with aiohttp.ClientSession(connector=conn, timeout=aiohttp.ClientTimeout(total=timeout)) as session:

        async def citizen() -> None:
            while time.monotonic() < deadline and budget[0] > 0:
                budget[0] -= 1
                sender = str(uuid.uuid4())
                for text, expected in CONVERSATIONS[budget[0] % len(CONVERSATIONS)]:
                    started = time.perf_counter()
                    try:
                        answers = await send(session, sender, text)
                    except (aiohttp.ClientError, asyncio.TimeoutError, ValueError):
                        result.errors += 1
                        continue
                    result.latencies_ms.append((time.perf_counter() - started) * 1000)
                    if not answers or answers[0].startswith(NO_ANSWER_START):
                        result.empty += 1
                    elif check and expected and expected not in " ".join(answers).lower():
                        result.wrong += 1
                        if len(result.wrong_examples) < 3:
                            result.wrong_examples.append((text, " | ".join(answers)[:160]))
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
            return [m.get("text") or "" for m in await resp.json() if m.get("text") or m.get("buttons")]
    return send


#: RFC 2544's benchmarking network: each simulated citizen comes from its own address of it.
BENCH_NET = ipaddress.ip_network("198.18.0.0/15")


def citizen_address(sender: str) -> str:
    """A stable address for ``sender`` from :data:`BENCH_NET`, sent as ``X-Forwarded-For``: the
    gateway trusts it from loopback (a local reverse proxy), so the per-client rate limit applies
    per simulated citizen, as it does per citizen in production."""
    offset = int.from_bytes(hashlib.sha256(sender.encode()).digest()[:4], "big") % BENCH_NET.num_addresses
    return str(BENCH_NET[offset])


def gateway_sender(base_url: str, ags: str = "08119020") -> Sender:
    async def send(session: aiohttp.ClientSession, sender: str, text: str) -> list:
        headers = {"Origin": base_url, "X-Forwarded-For": citizen_address(sender)}
        async with session.post(f"{base_url}/chat/messages", headers=headers,
                                json={"sender_id": sender, "message": text, "ags": ags}) as resp:
            if resp.status != 200:
                raise ValueError(f"HTTP {resp.status}")
            body = await resp.json()
            return [m.get("text") or "" for m in body.get("messages", []) if m.get("text") or m.get("buttons")]
    return send
