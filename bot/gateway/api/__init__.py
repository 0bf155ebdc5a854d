"""Versioned HTTP API for service portals, mounted at ``/api/v1`` (see ``openapi.yaml``, docs/api.md).

Places, services and Zuständigkeit from the domain core in the shapes of ``bot place`` and
``bot lookup``; conversations through the same relay to Rasa as the widget; health and version.
Every request except the OpenAPI document and its HTML page needs a portal's ``X-API-Key``.
"""

from bot.gateway.api.app import setup_api
from bot.gateway.api.guard import api_guard

__all__ = ["api_guard", "setup_api"]
