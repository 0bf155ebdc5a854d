"""The schema patch of Rasa (bot/launcher/rasa_patches.py): upgrade-safe and as strict as Rasa."""

from __future__ import annotations

import pytest
from jsonschema import ValidationError
from rasa.core.actions.action import RemoteAction

from bot.launcher import rasa_patches

VALID = {"events": [{"event": "slot", "name": "place_ags", "value": "08119020"}],
         "responses": [{"text": "Hallo", "buttons": [], "custom": {}}]}
INVALID = [
    {"events": "slot"},                                   # events must be a list
    {"events": [{"name": "x"}]},                          # an event needs its type
    {"events": [{"event": "not-an-event"}]},              # unknown event type
    {"responses": {"text": "Hallo"}},                     # responses must be a list
]


def test_the_patched_rasa_function_is_the_one_the_patch_was_written_for() -> None:
    """Fails after a Rasa upgrade that changes _validate_action_result: re-check the patch, then the hash."""
    assert rasa_patches.source_sha256() == rasa_patches.PATCHED_SOURCE_SHA256


@pytest.fixture
def patched(monkeypatch):
    original = RemoteAction._validate_action_result
    monkeypatch.setattr(RemoteAction, "_validate_action_result", original)  # restored after the test
    assert rasa_patches.apply() is True
    assert RemoteAction._validate_action_result is not original
    return original


@pytest.mark.parametrize("result", INVALID)
def test_invalid_action_results_are_rejected_with_rasas_own_error(patched, result) -> None:
    action = RemoteAction("action_x", None)
    with pytest.raises(ValidationError) as rasa_error:
        patched(action, result)
    with pytest.raises(ValidationError) as our_error:
        action._validate_action_result(result)
    assert our_error.value.message == rasa_error.value.message
    assert "Failed to validate Action server response" in our_error.value.message


def test_valid_results_pass_and_applying_twice_changes_nothing(patched) -> None:
    action = RemoteAction("action_x", None)
    assert action._validate_action_result(VALID) is True
    first = RemoteAction._validate_action_result
    assert rasa_patches.apply() is True and RemoteAction._validate_action_result is first


def test_a_changed_rasa_function_is_left_alone(monkeypatch) -> None:
    original = RemoteAction._validate_action_result
    monkeypatch.setattr(RemoteAction, "_validate_action_result", original)
    monkeypatch.setattr(rasa_patches, "PATCHED_SOURCE_SHA256", "0" * 64)
    assert rasa_patches.apply() is False
    assert RemoteAction._validate_action_result is original
