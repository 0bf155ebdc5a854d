"""``python -m bot.launcher.run_rasa run …``: Rasa with telemetry off, JWT auth and private logs.

The launcher and the systemd units start Rasa through this module instead of the ``rasa``
script so that

* telemetry is off (``RASA_TELEMETRY_ENABLED=false``) whatever the user's Rasa config says;
* the HTTP API's JWT secret comes from ``$RASA_JWT_SECRET`` and never appears on a command line
  (``ps``) or in a URL: ``--jwt-secret``/``--jwt-method HS256`` are added here;
* every log record is made safe by :mod:`bot.launcher.privacy_logging`;
* the per-call schema check of action-server responses is compiled once
  (:mod:`bot.launcher.rasa_patches`, the only patch of Rasa behaviour); ``BOT_RASA_PATCHES=off``
  leaves Rasa as shipped (``make bench`` measures both side by side);
* with ``BOT_MALLOC_TRIM_SECONDS`` set, freed heap pages go back to the system
  (:mod:`bot.launcher.memory`: about 130 MB less RSS, but 20-28 % less throughput; off by default).
"""

from __future__ import annotations

import os
import sys

from bot.launcher import memory, rasa_patches
from bot.launcher.privacy_logging import install, install_structlog
from bot.rasa_jwt import SECRET_ENV


def main(argv: list[str]) -> None:
    os.environ["RASA_TELEMETRY_ENABLED"] = "false"
    install()
    if os.environ.get("BOT_RASA_PATCHES", "on").lower() != "off":
        rasa_patches.apply()
    memory.start_trimming()
    import rasa.__main__ as rasa_main

    original = rasa_main.configure_structlog

    def configure(log_level: int | None = None) -> None:
        original(log_level)
        install_structlog()

    rasa_main.configure_structlog = configure
    args = list(argv)
    secret = os.environ.pop(SECRET_ENV, "")
    if secret and args[:1] == ["run"]:
        args += [f"--jwt-secret={secret}", "--jwt-method", "HS256"]  # "=": a secret may start with "-"
    sys.argv = ["rasa", *args]
    rasa_main.main()


if __name__ == "__main__":
    main(sys.argv[1:])
