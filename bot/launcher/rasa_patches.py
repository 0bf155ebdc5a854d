"""The one patch of Rasa behaviour, applied explicitly by :mod:`bot.launcher.run_rasa` at start-up.

Rasa 3.6 checks every action-server response with ``jsonschema.validate(result, schema)``
(``RemoteAction._validate_action_result``). With jsonschema 4.x that call first validates the
*schema* against the JSON-Schema meta-schema, on every action call (rasa#11717); in a profile of our
Rasa process it was the largest single cost. The schema is a constant
(``RemoteAction.action_response_format_spec()``), so it is checked once here and one compiled
validator is reused: the same schema, the same ``ValidationError`` (jsonschema's ``best_match``, as
``validate`` raises) with Rasa's own message appended.

Upgrade safety: the patch is applied only when the source of the patched function is exactly the
one it was written for (:data:`PATCHED_SOURCE_SHA256`); otherwise Rasa runs unpatched and a warning
says so. ``tests/launcher/test_rasa_patches.py`` fails when the function changes, so a Rasa upgrade
cannot drop or outdate the patch silently. jsonschema itself is not pinned back to 3.2: the test
tooling (schemathesis 4) needs jsonschema 4.
"""

from __future__ import annotations

import hashlib
import inspect
import logging
from typing import Any

logger = logging.getLogger(__name__)

#: SHA-256 of ``inspect.getsource(RemoteAction._validate_action_result)`` in Rasa 3.6.21.
PATCHED_SOURCE_SHA256 = "f8cdb4be6812396167ced74161b2ccd65c5ea676ad86d7d359d8c322d9d8dc42"


def source_sha256() -> str:
    from rasa.core.actions.action import RemoteAction

    return hashlib.sha256(inspect.getsource(RemoteAction._validate_action_result).encode()).hexdigest()


def compiled_validator() -> Any:
    """A validator of the action-server response schema, the schema checked once."""
    from jsonschema.validators import validator_for
    from rasa.core.actions.action import RemoteAction

    spec = RemoteAction.action_response_format_spec()
    cls = validator_for(spec)
    cls.check_schema(spec)
    return cls(spec)


def apply() -> bool:
    """Replace the per-call schema check; ``False`` (Rasa left as it is) if Rasa's function changed."""
    from rasa.core.actions import action as rasa_action

    if getattr(rasa_action.RemoteAction._validate_action_result, "_bw_patched", False):
        return True
    if source_sha256() != PATCHED_SOURCE_SHA256:
        logger.warning("Rasa's RemoteAction._validate_action_result changed: schema patch not applied.")
        return False
    from jsonschema.exceptions import best_match

    validator = compiled_validator()
    docs = rasa_action.DOCS_BASE_URL

    def _validate_action_result(self: Any, result: dict[str, Any]) -> bool:
        error = best_match(validator.iter_errors(result))
        if error is None:
            return True
        error.message += (
            f". Failed to validate Action server response from API, "
            f"make sure your response from the Action endpoint is valid. "
            f"For more information about the format visit "
            f"{docs}/custom-actions"
        )
        raise error

    _validate_action_result._bw_patched = True  # type: ignore[attr-defined]
    rasa_action.RemoteAction._validate_action_result = _validate_action_result  # type: ignore[method-assign]
    return True
