"""``make run`` does not retrain (nor write a new 42 MB model) when no input changed."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from bot import train as train_mod
from bot.config import PROJECT_ROOT


@pytest.fixture
def project(tmp_path: Path) -> Path:
    for name in ("domain", "data/nlu", "data/rules", "data/stories"):
        (tmp_path / name).mkdir(parents=True)
        (tmp_path / name / "a.yml").write_text(f"# {name}\n")
    (tmp_path / "config.yml").write_text("pipeline: []\n")
    (tmp_path / "build" / "spacy_de").mkdir(parents=True)
    (tmp_path / "build" / "spacy_de" / "bot_source.json").write_text("{}")
    return tmp_path


def test_fingerprint_changes_with_every_input(project: Path):
    first = train_mod.inputs_fingerprint(project)
    assert train_mod.inputs_fingerprint(project) == first
    for name in ("domain/a.yml", "config.yml", "data/nlu/a.yml", "build/spacy_de/bot_source.json"):
        path = project / name
        original = path.read_text()
        path.write_text(original + "x")
        assert train_mod.inputs_fingerprint(project) != first, name
        path.write_text(original)
    (project / "data" / "nlu" / "generated").mkdir()
    (project / "data" / "nlu" / "generated" / "lookups.yml").write_text("x")
    assert train_mod.inputs_fingerprint(project) != first


def test_unchanged_inputs_skip_rasa(project: Path, monkeypatch: pytest.MonkeyPatch, capsys):
    calls: list[list[str]] = []

    def fake_rasa_train(cmd, **_kw):
        calls.append(cmd)
        out = Path(cmd[cmd.index("--out") + 1])
        (project / out).mkdir(exist_ok=True)
        (project / out / f"model-{len(calls)}.tar.gz").write_bytes(b"model")
        return 0

    monkeypatch.setattr(train_mod, "PROJECT_ROOT", project)
    monkeypatch.setattr(subprocess, "call", fake_rasa_train)
    assert train_mod.train()[0] == 0 and len(calls) == 1
    assert train_mod.train() == (0, 0.0) and len(calls) == 1  # second start: nothing trained
    assert "Keine Änderung" in capsys.readouterr().out
    (project / "data" / "nlu" / "a.yml").write_text("# changed\n")
    assert train_mod.train()[0] == 0 and len(calls) == 2
    assert train_mod.train(force=True)[0] == 0 and len(calls) == 3
    assert sorted(p.name for p in (project / "models").glob("*.tar.gz")) == [
        "model-1.tar.gz", "model-2.tar.gz", "model-3.tar.gz"]


def test_real_project_inputs_exist():
    missing = [n for n in train_mod.INPUTS if not (PROJECT_ROOT / n).exists() and not n.startswith("build/")]
    assert not missing
