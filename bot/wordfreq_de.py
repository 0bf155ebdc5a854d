"""German word frequencies from the data file that the ``wordfreq`` package ships.

The package's own API imports ``pkg_resources`` (setuptools), which current Python environments no
longer have (the gateway runs on Python 3.13), so this adapter reads the packaged list itself:
``wordfreq/data/large_de.msgpack.gz`` holds words in buckets of one centibel each (bucket ``i`` has
frequency 10^(-i/100)), which is exactly what ``wordfreq.zipf_frequency(word, "de")`` looks up for a
single lowercase word. Loaded lazily, once per process (~1-2 s); never at import.

:func:`foreign_zipf`: the same for the other languages citizens write in (English, Turkish, Ukrainian),
from wordfreq's *small* lists (their most frequent words, ~0.1 s and a few MB each): the search counts a
word that is everyday in one of them as an everyday word ("good", "lost", "job" are not rare German words).
"""

from __future__ import annotations

import functools
import gzip
import importlib.util
from pathlib import Path

import msgpack

DATA_FILE = "large_de.msgpack.gz"
#: The other served languages (bot/languages.py), their small lists.
FOREIGN_FILES = ("small_en.msgpack.gz", "small_tr.msgpack.gz", "small_uk.msgpack.gz")


class WordfreqMissing(RuntimeError):
    """The wordfreq package (and with it the German list) is not installed."""


def _data_path(name: str = DATA_FILE) -> Path:
    spec = importlib.util.find_spec("wordfreq")
    if spec is None or not spec.submodule_search_locations:
        raise WordfreqMissing("wordfreq ist nicht installiert (requirements/core.in)")
    return Path(next(iter(spec.submodule_search_locations))) / "data" / name


def _read(name: str, table: dict[str, float]) -> dict[str, float]:
    with gzip.open(_data_path(name), "rb") as handle:
        buckets = msgpack.load(handle, raw=False)
    header, buckets = buckets[0], buckets[1:]
    if not isinstance(header, dict) or header.get("format") != "cB":
        raise WordfreqMissing(f"unbekanntes Format der Wortliste {name}")
    for index, words in enumerate(buckets):
        zipf = round(9.0 - index / 100, 2)
        for word in words:
            if zipf > table.get(word, 0.0):
                table[word] = zipf
    return table


@functools.lru_cache(maxsize=1)
def _table() -> dict[str, float]:
    return _read(DATA_FILE, {})


@functools.lru_cache(maxsize=1)
def _foreign_table() -> dict[str, float]:
    table: dict[str, float] = {}
    for name in FOREIGN_FILES:
        _read(name, table)
    return table


def zipf(word: str) -> float:
    """Zipf frequency of one word (3 = once per million words); 0.0 if the list does not have it."""
    return _table().get(word.casefold(), 0.0)


def foreign_zipf(word: str) -> float:
    """The word's highest Zipf frequency in English, Turkish or Ukrainian (0.0 if it is in none of them)."""
    return _foreign_table().get(word.casefold(), 0.0)
