"""``make run`` uses both cores where it pays: two Rasa processes with 2+ cores and enough memory."""

from __future__ import annotations

from pathlib import Path

from bot.launcher.__main__ import REPLICA_MEMORY_MB, available_memory_mb, build_stack, default_replicas, parse_args


def test_two_replicas_only_with_two_cores_and_the_memory_for_both() -> None:
    assert default_replicas(cores=2, memory_mb=2 * REPLICA_MEMORY_MB) == 2
    assert default_replicas(cores=8, memory_mb=64_000) == 2
    assert default_replicas(cores=1, memory_mb=64_000) == 1
    assert default_replicas(cores=4, memory_mb=2 * REPLICA_MEMORY_MB - 1) == 1
    assert default_replicas(cores=None, memory_mb=None) in (1, 2)  # this machine, never an error


def test_available_memory_is_read_from_meminfo_and_unreadable_means_unknown(tmp_path: Path) -> None:
    meminfo = tmp_path / "meminfo"
    meminfo.write_text("MemTotal:       24683520 kB\nMemAvailable:   23986176 kB\n", encoding="ascii")
    assert available_memory_mb(meminfo) == 23424
    meminfo.write_text("MemTotal: garbage\n", encoding="ascii")
    assert available_memory_mb(meminfo) is None
    assert available_memory_mb(tmp_path / "missing") is None


def test_an_explicit_replica_count_wins() -> None:
    assert build_stack(parse_args(["--replicas", "1"])).replicas == 1
    assert build_stack(parse_args(["--profile", "production"])).replicas == 2
