"""Goals and regressions: a missed goal fails unless goals are only reported; then only a regression fails."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.staff import goals


@pytest.fixture
def baseline(tmp_path: Path) -> Path:
    path = tmp_path / "baseline.json"
    path.write_text(json.dumps({"summary": {}, "quality": {"turns": 0.70}}), encoding="utf-8")
    return path


def test_a_met_goal_passes_in_both_modes(monkeypatch, baseline: Path) -> None:
    for mode in ("enforce", "report"):
        monkeypatch.setenv(goals.GOALS_ENV, mode)
        assert goals.judge("Schritte", 0.96, 0.95, "turns", baseline=goals.baseline_values(baseline))


def test_a_missed_goal_fails_when_goals_are_enforced(monkeypatch, baseline: Path, capsys) -> None:
    monkeypatch.setenv(goals.GOALS_ENV, "enforce")
    assert not goals.judge("Schritte", 0.71, 0.95, "turns", baseline=goals.baseline_values(baseline))
    assert "NICHT BESTANDEN" in capsys.readouterr().out
    monkeypatch.delenv(goals.GOALS_ENV)  # enforcing is the default
    assert not goals.judge("Schritte", 0.71, 0.95, "turns", baseline=goals.baseline_values(baseline))


def test_reported_goals_still_fail_on_a_regression(monkeypatch, baseline: Path, capsys) -> None:
    monkeypatch.setenv(goals.GOALS_ENV, "report")
    values = goals.baseline_values(baseline)
    assert goals.judge("Schritte", 0.69, 0.95, "turns", baseline=values)  # within the tolerance
    assert "nur gemeldet" in capsys.readouterr().out
    assert not goals.judge("Schritte", 0.67, 0.95, "turns", baseline=values)  # worse than 0.70 - 0.02
    assert "REGRESSION" in capsys.readouterr().out
    assert not goals.judge("Schritte", 0.80, 0.95, "unknown", baseline=values)  # nothing to compare with


def test_writing_a_comparison_value_keeps_the_rest_of_the_file(baseline: Path) -> None:
    goals.write_baseline_value("search_top1", 0.861234, baseline)
    doc = json.loads(baseline.read_text(encoding="utf-8"))
    assert doc["quality"] == {"turns": 0.70, "search_top1": 0.8612} and "summary" in doc


def test_a_small_group_may_be_given_a_wider_tolerance(monkeypatch) -> None:
    monkeypatch.setenv(goals.GOALS_ENV, "report")  # as in make test: regressions fail, goals are reported
    baseline = {"turns_en": 0.50}
    assert not goals.judge("Englisch", 0.47, 0.95, "turns_en", baseline=baseline)  # 3 points below: regression
    assert goals.judge("Englisch", 0.47, 0.95, "turns_en", baseline=baseline, tolerance=2 / 43)  # two of 43 turns
    assert not goals.judge("Englisch", 0.44, 0.95, "turns_en", baseline=baseline, tolerance=2 / 43)
