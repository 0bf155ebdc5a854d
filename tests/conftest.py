"""Shared fixtures: the domain core is loaded once per test session from the real shared data."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from bot.config import PROJECT_ROOT, data_dir
from bot.core import Core, get_core, load_places


@pytest.fixture(scope="session")
def core() -> Core:
    return get_core()


@pytest.fixture(scope="session")
def places() -> SimpleNamespace:
    """Register and place resolver only (no catalogue needed)."""
    register, resolver = load_places(data_dir(), PROJECT_ROOT / "data" / "places")
    return SimpleNamespace(register=register, place=resolver.resolve)
