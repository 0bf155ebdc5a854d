"""Where the data lives. Nothing here reads files at import time."""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent

#: Environment variable naming the shared data directory (with ``municipalities/`` and ``services/``).
DATA_DIR_ENV = "BOT_DATA_DIR"
#: Environment variable naming the curated catalogue directory (``services/*.yml``, ``responsibility.yml``).
CATALOGUE_DIR_ENV = "BOT_CATALOGUE_DIR"


#: Every Rasa command the project runs has telemetry off (the environment wins over Rasa's config).
#: The NLU training data: German, and English/Turkish/Ukrainian in one multilingual model (the
#: measured choice of issue 13, README "Languages"; scripts/nlu_languages.py).
NLU_TRAINING_DIRS = ("data/nlu", "data/nlu_i18n")
RASA_QUIET_ENV = {"RASA_TELEMETRY_ENABLED": "false", "TF_CPP_MIN_LOG_LEVEL": "2"}


def rasa_env(**extra: str) -> dict[str, str]:
    """The environment for a Rasa subprocess: ours plus :data:`RASA_QUIET_ENV` (and ``extra``)."""
    return {**os.environ, **RASA_QUIET_ENV, **extra}


def disable_rasa_telemetry() -> None:
    """For CLI entry points: Rasa subprocesses and in-process Rasa inherit telemetry off."""
    os.environ["RASA_TELEMETRY_ENABLED"] = "false"


class DataDirError(RuntimeError):
    """The configured data directory does not exist or lacks a required file."""


def data_dir(override: str | os.PathLike[str] | None = None) -> Path:
    """The shared data directory: the option, else ``$BOT_DATA_DIR``, else ``../shared/data``."""
    raw = override or os.environ.get(DATA_DIR_ENV) or PROJECT_ROOT.parent / "shared" / "data"
    path = Path(raw).expanduser().resolve()
    if not path.is_dir():
        raise DataDirError(
            f"Datenverzeichnis nicht gefunden: {path} "
            f"(setzen Sie {DATA_DIR_ENV} oder --data-dir)"
        )
    return path


def catalogue_dir(override: str | os.PathLike[str] | None = None) -> Path:
    """The curated catalogue directory: the option, else ``$BOT_CATALOGUE_DIR``, else ``data/catalogue``."""
    raw = override or os.environ.get(CATALOGUE_DIR_ENV) or PROJECT_ROOT / "data" / "catalogue"
    path = Path(raw).expanduser().resolve()
    if not path.is_dir():
        raise DataDirError(f"Katalogverzeichnis nicht gefunden: {path}")
    return path


def require_file(path: Path) -> Path:
    """Return ``path`` or raise a :class:`DataDirError` naming it."""
    if not path.is_file():
        raise DataDirError(f"Datei fehlt im Datenverzeichnis: {path}")
    return path
