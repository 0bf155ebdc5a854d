"""``make run``: start and supervise the local stack (see bot/launcher/)."""

from __future__ import annotations

import sys

from bot.launcher.__main__ import main

if __name__ == "__main__":
    sys.exit(main())
