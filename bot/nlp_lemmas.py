"""spaCy's German lookup lemmas in 6 MB instead of about 120 MB of Python objects.

The embedded pipeline lemmatises by lookup: spaCy's ``lemmatizer`` in ``lookup`` mode keeps the
355,354 entries of ``spacy-lookups-data``'s table as an ``OrderedDict`` of Python ints and strings in the
Rasa process. This component gives every token the same lemma (``table.get(token.text, token.text)``,
as spaCy's lookup mode does), from three numpy arrays and one UTF-8 blob: the sorted string hashes, for
each the number of its lemma, and the lemmas' offsets into the blob.

spaCy finds the factory through the ``spacy_factories`` entry point in ``pyproject.toml``, so that
``spacy.load`` in Rasa's ``SpacyNLP`` needs no import of ours first.
"""

# No "from __future__ import annotations": spaCy validates the factory's arguments by their real types.
import io
from pathlib import Path

import numpy as np
from spacy.language import Language
from spacy.strings import get_string_id
from spacy.tokens import Doc

FACTORY = "bot_lookup_lemmatizer"
TABLE = "lemma_lookup"
_FILE = "lemmas.npz"


class CompactLemmaTable:
    """Immutable string -> lemma lookup keyed by spaCy's string hash, like ``spacy.lookups.Table``."""

    def __init__(self, keys: np.ndarray, lemma_of: np.ndarray, offsets: np.ndarray, blob: bytes) -> None:
        self.keys, self.lemma_of, self.offsets, self.blob = keys, lemma_of, offsets, blob

    @classmethod
    def from_items(cls, items) -> "CompactLemmaTable":  # noqa: ANN001 - (hash or string, lemma) pairs
        numbers: dict[str, int] = {}
        pairs = []
        for key, value in items:
            lemma = value if isinstance(value, str) else value[0]  # spaCy takes the first of several
            pairs.append((get_string_id(key), numbers.setdefault(lemma, len(numbers))))
        pairs.sort()
        encoded = [lemma.encode() for lemma in numbers]  # in number order (dicts keep insertion order)
        offsets = np.zeros(len(encoded) + 1, dtype=np.uint32)
        np.cumsum([len(e) for e in encoded], out=offsets[1:])
        keys = np.fromiter((k for k, _ in pairs), dtype=np.uint64, count=len(pairs))
        lemma_of = np.fromiter((n for _, n in pairs), dtype=np.uint32, count=len(pairs))
        return cls(keys, lemma_of, offsets, b"".join(encoded))

    def __len__(self) -> int:
        return len(self.keys)

    def get(self, text: str, default: str) -> str:
        key = np.uint64(get_string_id(text))
        i = int(np.searchsorted(self.keys, key))
        if i == len(self.keys) or self.keys[i] != key:
            return default
        n = int(self.lemma_of[i])
        return self.blob[self.offsets[n]:self.offsets[n + 1]].decode()

    def to_bytes(self) -> bytes:
        out = io.BytesIO()
        np.savez(out, keys=self.keys, lemma_of=self.lemma_of, offsets=self.offsets,
                 blob=np.frombuffer(self.blob, dtype=np.uint8))
        return out.getvalue()

    @classmethod
    def from_bytes(cls, data: bytes) -> "CompactLemmaTable":
        with np.load(io.BytesIO(data)) as arrays:
            return cls(arrays["keys"], arrays["lemma_of"], arrays["offsets"], arrays["blob"].tobytes())


class CompactLookupLemmatizer:
    """Sets ``token.lemma_`` where no lemma is set yet, from a :class:`CompactLemmaTable`."""

    def __init__(self, nlp: Language, name: str) -> None:
        self.name = name
        self.table = CompactLemmaTable.from_items([])

    def __call__(self, doc: Doc) -> Doc:
        for token in doc:
            if token.lemma == 0:
                token.lemma_ = self.table.get(token.text, token.text)
        return doc

    def initialize(self, get_examples=None, *, nlp=None) -> None:  # noqa: ANN001 - spaCy's signature
        """Reads the table from the local ``spacy-lookups-data`` package (nothing is downloaded)."""
        from spacy.lookups import load_lookups

        table = load_lookups(nlp.lang if nlp is not None else "de", [TABLE]).get_table(TABLE)
        self.table = CompactLemmaTable.from_items(table.items())

    def to_disk(self, path: str | Path, *, exclude=()) -> None:  # noqa: ANN001
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        (path / _FILE).write_bytes(self.table.to_bytes())

    def from_disk(self, path: str | Path, *, exclude=()) -> "CompactLookupLemmatizer":  # noqa: ANN001
        self.table = CompactLemmaTable.from_bytes((Path(path) / _FILE).read_bytes())
        return self


@Language.factory(FACTORY)
def make_lemmatizer(nlp: Language, name: str) -> CompactLookupLemmatizer:
    return CompactLookupLemmatizer(nlp, name)
