"""Rasa is started with the JWT secret from the environment, also when the secret begins with "-"."""

from __future__ import annotations

import sys

import rasa.__main__ as rasa_main

from bot.launcher import run_rasa
from bot.rasa_jwt import SECRET_ENV


def test_a_secret_starting_with_a_dash_reaches_rasa_as_the_option_value(monkeypatch) -> None:
    seen: list[list[str]] = []
    monkeypatch.setattr(rasa_main, "main", lambda: seen.append(list(sys.argv)))
    monkeypatch.setattr(rasa_main, "configure_structlog", rasa_main.configure_structlog)  # restored afterwards
    monkeypatch.setattr(run_rasa, "install", lambda: None)
    applied: list[bool] = []
    monkeypatch.setattr(run_rasa.rasa_patches, "apply", lambda: applied.append(True))
    trimming: list[bool] = []
    monkeypatch.setattr(run_rasa.memory, "start_trimming", lambda: trimming.append(True))
    monkeypatch.setenv(SECRET_ENV, "-abc_DEF")
    monkeypatch.setattr(sys, "argv", list(sys.argv))
    run_rasa.main(["run", "--port", "5005"])
    argv = seen[0]
    assert "--jwt-secret=-abc_DEF" in argv and "-abc_DEF" not in argv
    assert argv[argv.index("--jwt-secret=-abc_DEF") + 1:][:2] == ["--jwt-method", "HS256"]
    assert SECRET_ENV not in __import__("os").environ  # not handed on to children of Rasa
    assert applied == [True]  # the schema patch (bot/launcher/rasa_patches.py) is applied at start-up
    assert trimming == [True]  # freed heap pages go back to the system (bot/launcher/memory.py)
