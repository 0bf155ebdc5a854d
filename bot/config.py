"""Where the data lives. Nothing here reads files at import time."""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent

#: Environment variable naming the shared data directory (with ``municipalities/`` and ``services/``).
DATA_DIR_ENV = "BOT_DATA_DIR"
#: Environment variable naming the curated catalogue directory (``services/*.yml``, ``responsibility.yml``).
CATALOGUE_DIR_ENV = "BOT_CATALOGUE_DIR"


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
