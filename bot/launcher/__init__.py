"""Launcher unit: starts and supervises action server(s), Rasa replica(s) and the gateway.

Not part of the gateway (which runs in its own environment): the launcher runs in the assistant's
Python 3.10 environment and starts the gateway with the gateway environment's interpreter.
"""

from bot.launcher.stack import Stack
from bot.launcher.supervisor import StackError

__all__ = ["Stack", "StackError"]
