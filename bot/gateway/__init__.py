"""Public web gateway: the only internet-facing entry point of the chatbot.

It serves the embeddable widget and a demo Rathaus page and relays chat messages to
Rasa's REST channel on loopback. Rasa's own HTTP API and the action server are never
reachable through it: the relay only ever calls ``{rasa_url}/webhooks/rest/webhook``.
"""

from bot.gateway.app import create_app
from bot.gateway.settings import Settings

__all__ = ["Settings", "create_app"]
