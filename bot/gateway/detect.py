"""Which served language a typed message is in, and whether that should switch the conversation.

Used by the gateway only when a request carries no ``lang`` (a language the citizen chose in the
menu is kept). Two parts:

* :class:`Detector`: the text's language among :data:`DETECTABLE` with a confidence. Cyrillic
  script is Ukrainian without any model; Latin text goes to an offline statistical model
  (:class:`Py3LangidModel`: py3langid, a byte n-gram Naive Bayes model shipped inside the
  package, restricted to de/en/tr/uk; nothing is downloaded). The model is loaded on first use,
  in a worker thread (about 1 s, about 70 MB); importing this module loads nothing. Without the
  package (the Rasa environment) only the script rule works.
* :func:`switch_to`: the rules. The model sees only the message's *language words*: words of at
  most :data:`MAX_WORD_LETTERS` letters that are not capitalised inside the message. Long words
  and capitalised ones are mostly German office terms and place names ("Meldebescheinigung",
  "Anmeldung", "Fellbach"), which citizens type in every language: "need Führungszeugnis asap" is
  English. A switch needs at least :data:`MIN_WORDS` language words and a confidence of at least
  :data:`MIN_CONFIDENCE` (or Cyrillic script); anything shorter or less sure ("ok", "Perso
  Fellbach", "Einbürgerung in Freiburg") keeps the conversation's language. A detected German
  never switches a conversation in Leichter Sprache back to standard German.

Input is bounded: only the first :data:`MAX_CHARS` characters are looked at. Figures (memory,
time per message, accuracy on the held-out NLU files): ``scripts/langdetect_eval.py``.
"""

from __future__ import annotations

import asyncio
import logging
import re
import threading
from dataclasses import dataclass
from typing import Protocol

logger = logging.getLogger("bot.gateway.detect")

#: The languages a message can be detected in (Leichte Sprache is chosen, never detected).
DETECTABLE = ("de", "en", "tr", "uk")
MAX_CHARS = 300
MIN_WORDS = 2
#: German office terms and place names stand in messages of every language: back to German needs more words.
MIN_WORDS_TO_GERMAN = 3
MIN_CONFIDENCE = 0.95
MAX_WORD_LETTERS = 10
#: Share of Cyrillic among the letters from which a message counts as Ukrainian.
MIN_CYRILLIC_SHARE = 0.3

#: Place names like "Biberach an der Riß", "Weil am Rhein", "Kirchheim unter Teck" (their small words are German).
_PLACE_RE = re.compile(r"\b[A-ZÄÖÜ][\w.-]*(?:\s+(?:an der|an|am|im|in der|ob der|unter|bei|vor dem|auf der|der|zu)"
                       r"\s+[A-ZÄÖÜ][\w.-]*)+")
_WORD_RE = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")
_CYRILLIC_RE = re.compile("[\u0400-\u04ff]")
_LETTER_RE = re.compile(r"[^\W\d_]")


@dataclass(frozen=True)
class Detection:
    """A message's language, how sure the detector is, and on how many language words it decided."""

    language: str
    confidence: float
    words: int
    by: str = "model"  # model | script


class LanguageModel(Protocol):
    """A loaded statistical model: ``text -> (language, confidence)`` among :data:`DETECTABLE`."""

    def classify(self, text: str) -> tuple[str, float]: ...


def language_words(text: str) -> list[str]:
    """The words that tell a message's language (see the module docstring)."""
    words = _WORD_RE.findall(_PLACE_RE.sub(" ", text[:MAX_CHARS]))
    out = []
    for pos, word in enumerate(words):
        letters = sum(ch.isalpha() for ch in word)
        capitalised = pos > 0 and word[0].isupper() and len(word) > 1
        if letters <= MAX_WORD_LETTERS and not capitalised:
            out.append(word)
    return out


def cyrillic_share(text: str) -> float:
    letters = _LETTER_RE.findall(text[:MAX_CHARS])
    return sum(1 for ch in letters if _CYRILLIC_RE.match(ch)) / len(letters) if letters else 0.0


class Py3LangidModel:
    """py3langid's shipped model restricted to :data:`DETECTABLE` (only those columns are kept)."""

    def __init__(self) -> None:
        import numpy as np  # noqa: PLC0415 - lazy by design: loaded with the model
        from py3langid.langid import MODEL_DIR, MODEL_FILE, LanguageIdentifier  # noqa: PLC0415
        from py3langid.modelio import load_model  # noqa: PLC0415

        ptc, pc, classes, nextmove, row, output = load_model(MODEL_DIR / MODEL_FILE)
        keep = [classes.index(lang) for lang in DETECTABLE]
        # A copy of 4 of the model's ~140 language columns: the full matrix is freed.
        self._identifier = LanguageIdentifier(np.ascontiguousarray(ptc[:, keep]), pc[keep].copy(),
                                              [classes[i] for i in keep], nextmove, output,
                                              norm_probs=True, tk_row=row)

    def classify(self, text: str) -> tuple[str, float]:
        language, confidence = self._identifier.classify(text)
        return str(language), float(confidence)


class Detector:
    """Script rule plus a lazily loaded model (``model_factory``; None: script rule only)."""

    def __init__(self, model_factory: type[LanguageModel] | None = Py3LangidModel) -> None:
        self._factory = model_factory
        self._model: LanguageModel | None = None
        self._failed = model_factory is None
        self._lock = threading.Lock()

    def load(self) -> LanguageModel | None:
        """The model, loading it on first call (blocking; thread-safe). None if it cannot be loaded."""
        if self._model is None and not self._failed:
            with self._lock:
                if self._model is None and not self._failed:
                    try:
                        self._model = self._factory()  # type: ignore[misc]
                    except Exception as exc:  # noqa: BLE001 - ImportError, a damaged model file, ...
                        self._failed = True
                        logger.warning("language detection model unavailable (%s): only Cyrillic script "
                                       "is recognised", type(exc).__name__)
        return self._model

    @property
    def loaded(self) -> bool:
        return self._model is not None or self._failed

    def detect(self, text: str) -> Detection | None:
        """The message's language (blocking on the first call while the model loads)."""
        text = text[:MAX_CHARS]
        words = language_words(text)
        if cyrillic_share(text) >= MIN_CYRILLIC_SHARE:
            return Detection("uk", 1.0, len(words), "script")
        if not words:
            return None
        model = self.load()
        if model is None:
            return None
        language, confidence = model.classify(" ".join(words))
        return Detection(language, confidence, len(words)) if language in DETECTABLE else None

    async def detect_async(self, text: str) -> Detection | None:
        """:meth:`detect`, loading the model in a worker thread so that the event loop never waits."""
        if not self.loaded:
            await asyncio.to_thread(self.load)
        return self.detect(text)


def switch_to(detection: Detection | None, current: str) -> str | None:
    """The language to switch the conversation to, or None to keep ``current`` (see the module docstring)."""
    if detection is None or detection.language == current:
        return None
    if detection.by != "script" and (detection.words < MIN_WORDS or detection.confidence < MIN_CONFIDENCE):
        return None
    if detection.language == "de" and (current == "de-LS" or (
            detection.by != "script" and detection.words < MIN_WORDS_TO_GERMAN)):
        return None
    return detection.language
