"""``python -m bot.launcher.run_actions --actions actions --port N``: rasa-sdk with private logs."""

from __future__ import annotations

import os

from bot.launcher import memory
from bot.launcher.privacy_logging import install


def main() -> None:
    os.environ["RASA_TELEMETRY_ENABLED"] = "false"
    install()
    memory.start_trimming()
    from rasa_sdk.__main__ import main as sdk_main

    sdk_main()


if __name__ == "__main__":
    main()
