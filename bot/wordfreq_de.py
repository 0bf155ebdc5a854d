"""German word frequencies from the data file that the ``wordfreq`` package ships.

The package's own API imports ``pkg_resources`` (setuptools), which current Python environments no
longer have (the gateway runs on Python 3.13), so this adapter reads the packaged list itself:
``wordfreq/data/large_de.msgpack.gz`` holds words in buckets of one centibel each (bucket ``i`` has
frequency 10^(-i/100)), which is exactly what ``wordfreq.zipf_frequency(word, "de")`` looks up for a
single lowercase word. Loaded lazily, once per process (~1-2 s); never at import.
"""

from __future__ import annotations

import functools
import gzip
import importlib.util
from pathlib import Path

import msgpack

DATA_FILE = "large_de.msgpack.gz"


class WordfreqMissing(RuntimeError):
    """The wordfreq package (and with it the German list) is not installed."""


def _data_path() -> Path:
    spec = importlib.util.find_spec("wordfreq")
    if spec is None or not spec.submodule_search_locations:
        raise WordfreqMissing("wordfreq ist nicht installiert (requirements/core.in)")
    return Path(next(iter(spec.submodule_search_locations))) / "data" / DATA_FILE


@functools.lru_cache(maxsize=1)
def _table() -> dict[str, float]:
    with gzip.open(_data_path(), "rb") as handle:
        buckets = msgpack.load(handle, raw=False)
    header, buckets = buckets[0], buckets[1:]
    if not isinstance(header, dict) or header.get("format") != "cB":
        raise WordfreqMissing(f"unbekanntes Format der Wortliste {DATA_FILE}")
    table: dict[str, float] = {}
    for index, words in enumerate(buckets):
        zipf = round(9.0 - index / 100, 2)
        for word in words:
            table.setdefault(word, zipf)
    return table


def zipf(word: str) -> float:
    """Zipf frequency of one word (3 = once per million words); 0.0 if the list does not have it."""
    return _table().get(word.casefold(), 0.0)
