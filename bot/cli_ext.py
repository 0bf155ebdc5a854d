"""Registry of feature subcommands; each feature module adds a function that registers its parser."""

from __future__ import annotations

import argparse
from collections.abc import Callable

REGISTRARS: list[Callable[[argparse._SubParsersAction], None]] = []
