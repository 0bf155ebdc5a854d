"""``make run``: start action server, Rasa and the gateway on localhost (see bot/gateway/devstack.py)."""

from __future__ import annotations

import sys

from bot.gateway.devstack import main

if __name__ == "__main__":
    sys.exit(main())
