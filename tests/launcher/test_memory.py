"""The heap trimmer gives freed memory back to the system and can be turned off."""

from __future__ import annotations

import threading

from bot.launcher import memory
from tests.hostile.hostile_helpers import rss_mb


def test_interval_reads_the_environment_and_falls_back_to_the_default() -> None:
    assert memory.interval({}) == memory.DEFAULT_SECONDS
    assert memory.interval({memory.ENV: "2.5"}) == 2.5
    assert memory.interval({memory.ENV: "0"}) == 0.0
    assert memory.interval({memory.ENV: "off"}) == 0.0
    assert memory.interval({memory.ENV: "-3"}) == 0.0
    assert memory.interval({memory.ENV: "soon"}) == memory.DEFAULT_SECONDS
    assert memory.interval({memory.ENV: "nan"}) == memory.DEFAULT_SECONDS


def test_turned_off_starts_no_thread(monkeypatch) -> None:
    assert memory.start_trimming(0) is None
    monkeypatch.delenv(memory.ENV, raising=False)
    assert memory.start_trimming() is None  # off by default: trimming costs throughput (see the module)


def test_the_thread_trims_at_its_interval(monkeypatch) -> None:
    calls = threading.Semaphore(0)

    def counting() -> int:
        calls.release()
        return 1

    monkeypatch.setattr(memory, "malloc_trim", lambda: counting)
    thread = memory.start_trimming(0.01)
    assert thread is not None and thread.daemon
    try:
        assert all(calls.acquire(timeout=5) for _ in range(3))
    finally:
        thread.stop.set()
        thread.join(timeout=5)
    assert not thread.is_alive()


def test_freed_heap_pages_go_back_to_the_system() -> None:
    trim = memory.malloc_trim()
    assert trim is not None  # glibc (Debian, the deployment target) has malloc_trim
    blocks = [bytes(4096) for _ in range(40_000)]  # 160 MB of heap blocks below the mmap threshold
    keep = blocks[-1]  # the last block pins the top of the heap: only malloc_trim can give the rest back
    del blocks
    before = rss_mb()
    trim()
    after = rss_mb()
    assert before - after > 80, (before, after)
    assert len(keep) == 4096
