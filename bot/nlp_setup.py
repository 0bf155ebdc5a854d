"""Build the German spaCy pipeline that Rasa's SpacyNLP loads (``build/spacy_de``).

Uses ``de_core_news_sm`` when it is installed. Otherwise it builds an embedded pipeline: blank
``de`` plus a lookup lemmatizer with the table that ships in ``spacy-lookups-data``, kept compact
(:mod:`bot.nlp_lemmas`: the same lemmas as spaCy's lookup mode in 6 MB instead of ~120 MB). Nothing is
ever downloaded, at build time or at run time.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from bot.config import PROJECT_ROOT

DEFAULT_TARGET = PROJECT_ROOT / "build" / "spacy_de"
PREFERRED_MODEL = "de_core_news_sm"
#: Turkish writes case endings after an apostrophe on names: "Stuttgart'ta", "Mannheim'dayım",
#: "Böblingen'e". A suffix rule splits them off, so that the place name is a token of its own (the
#: entity "Stuttgart" aligns with a token; German "geht's" becomes "geht" + "'s", harmless).
APOSTROPHE_SUFFIX = r"(?<=[^\W\d_])['’][^\W\d_]{1,8}$"
#: Bump when the tokenizer rules change: the pipeline is rebuilt and the model retrained.
TOKENIZER_RULES = "apostrophe-suffix-1"
#: Bump when the embedded lemmatizer changes (same effect).
LEMMATIZER = "compact-lookup-1"


def _add_apostrophe_suffix(nlp) -> None:  # noqa: ANN001 - spacy.Language
    from spacy.util import compile_suffix_regex

    suffixes = [*nlp.Defaults.suffixes, APOSTROPHE_SUFFIX]
    nlp.tokenizer.suffix_search = compile_suffix_regex(suffixes).search


def _source() -> str:
    try:
        __import__(PREFERRED_MODEL)
        return PREFERRED_MODEL
    except ImportError:
        return "blank:de+compact-lookup-lemmatizer"


def build(target: Path = DEFAULT_TARGET, force: bool = False) -> tuple[Path, str]:
    """Write the pipeline to ``target`` unless an up-to-date one is there. Returns (path, source)."""
    import spacy

    source = _source()
    marker = target / "bot_source.json"
    stamp = {"source": source, "spacy": spacy.__version__, "tokenizer": TOKENIZER_RULES}
    if source != PREFERRED_MODEL:
        stamp["lemmatizer"] = LEMMATIZER
    if not force and marker.is_file() and json.loads(marker.read_text()) == stamp:
        return target, source
    if source == PREFERRED_MODEL:
        nlp = spacy.load(PREFERRED_MODEL)
    else:
        from bot.nlp_lemmas import FACTORY

        nlp = spacy.blank("de")
        nlp.add_pipe(FACTORY)
        nlp.initialize()  # reads the lemma table from spacy-lookups-data (a local package)
    _add_apostrophe_suffix(nlp)
    target.mkdir(parents=True, exist_ok=True)
    nlp.to_disk(target)
    marker.write_text(json.dumps(stamp))
    return target, source


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--target", type=Path, default=DEFAULT_TARGET)
    parser.add_argument("--force", action="store_true")
    args = parser.parse_args(argv)
    try:
        path, source = build(args.target, args.force)
    except Exception as exc:  # never leave the build without a clear message
        print(f"ERROR: could not build the German spaCy pipeline: {exc}", file=sys.stderr)
        return 1
    print(f"German spaCy pipeline: {path} ({source})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
