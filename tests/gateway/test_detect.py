"""Language detection of a message without ``lang``: the switching rules on a fake model, and the real
model (py3langid, in the gateway's own environment) on the messages the rules are made for."""

from __future__ import annotations

import json
import os
import subprocess

import pytest

from bot.config import PROJECT_ROOT
from bot.gateway.detect import MAX_CHARS, Detection, Detector, language_words, switch_to
from bot.launcher.stack import GATEWAY_VENV, gateway_python

ENGLISH = {"need", "how", "do", "i", "my", "asap", "the", "is", "where"}
TURKISH = {"nasil", "alinir", "lazim", "nerede"}


class FakeModel:
    """English or Turkish when the text has such a word, else German; every text it saw is kept."""

    seen: list[str] = []
    built = 0

    def __init__(self) -> None:
        FakeModel.built += 1

    def classify(self, text: str) -> tuple[str, float]:
        FakeModel.seen.append(text)
        words = set(text.lower().split())
        if words & TURKISH:
            return "tr", 0.99
        return ("en", 0.99) if words & ENGLISH else ("de", 0.99)


@pytest.fixture
def detector() -> Detector:
    FakeModel.seen, FakeModel.built = [], 0
    return Detector(FakeModel)


def test_the_model_is_loaded_on_first_use_and_only_once(detector: Detector) -> None:
    assert FakeModel.built == 0 and not detector.loaded
    detector.detect("how do i register")
    detector.detect("where is the office")
    assert FakeModel.built == 1


def test_cyrillic_is_ukrainian_without_the_model(detector: Detector) -> None:
    assert switch_to(detector.detect("де зробити Anmeldung у Fellbach?"), "de") == "uk"
    assert switch_to(detector.detect("живу в Ditzingen"), "en") == "uk"
    assert FakeModel.seen == []


def test_a_clear_message_in_another_language_switches(detector: Detector) -> None:
    assert switch_to(detector.detect("how do i get a new passport"), "de") == "en"
    assert switch_to(detector.detect("Schwerbehindertenausweis nasil alinir"), "de") == "tr"
    assert switch_to(detector.detect("how do i get a new passport"), "en") is None  # already in it


@pytest.mark.parametrize("text", ["ok", "Perso Fellbach", "Fellbach", "72116", "help", "?!"])
def test_short_messages_keep_the_language(detector: Detector, text: str) -> None:
    assert switch_to(detector.detect(text), "de") is None
    assert switch_to(detector.detect(text), "en") is None


def test_german_office_terms_and_place_names_do_not_count(detector: Detector) -> None:
    assert language_words("need Führungszeugnis asap") == ["need", "asap"]
    assert language_words("i live in Biberach an der Riß") == ["i", "live", "in"]
    assert language_words("cost for führerschein umschreiben?") == ["cost", "for"]  # long words, also lowercase
    # An English sentence with a German compound stays English; a German one switches an English conversation
    # back only with enough German words of its own.
    assert switch_to(detector.detect("need Führungszeugnis asap"), "de") == "en"
    assert switch_to(detector.detect("Einbürgerung in Freiburg"), "en") is None
    assert switch_to(detector.detect("ich brauche einen neuen Personalausweis"), "en") == "de"


def test_german_never_switches_leichte_sprache_back(detector: Detector) -> None:
    assert switch_to(detector.detect("ich brauche einen neuen Personalausweis"), "de-LS") is None
    assert switch_to(detector.detect("how do i get a new passport"), "de-LS") == "en"


def test_unsure_detections_keep_the_language() -> None:
    assert switch_to(Detection("en", 0.8, 6), "de") is None
    assert switch_to(Detection("en", 0.99, 1), "de") is None
    assert switch_to(None, "de") is None


def test_the_input_is_bounded(detector: Detector) -> None:
    detector.detect("how " * 5000)
    assert len(FakeModel.seen[-1]) <= MAX_CHARS


def test_without_the_model_only_the_script_rule_works(caplog) -> None:
    def broken() -> FakeModel:
        raise ImportError("py3langid")

    detector = Detector(broken)  # type: ignore[arg-type]
    assert detector.detect("how do i get a new passport") is None
    assert detector.detect("як отримати паспорт").language == "uk"
    assert "only Cyrillic script" in caplog.text


async def test_loading_happens_off_the_event_loop(detector: Detector) -> None:
    detection = await detector.detect_async("how do i get a new passport")
    assert detection is not None and detection.language == "en" and detector.loaded


PROBE = """
import json
from bot.gateway.detect import Detector, switch_to
d = Detector()
cases = [("how do i register my new flat in Stuttgart?", "de"), ("need Führungszeugnis asap", "de"),
         ("Kimlik kartımı kaybettim, ne yapmalıyım?", "de"), ("Perso Fellbach", "en"), ("ok", "tr"),
         ("Einbürgerung in Freiburg", "en"), ("Ich brauche einen neuen Reisepass für den Urlaub", "en"),
         ("Ich brauche einen neuen Reisepass für den Urlaub", "de-LS"), ("Wo melde ich meinen Hund an?", "de")]
print(json.dumps([switch_to(d.detect(text), current) for text, current in cases]))
"""


def test_the_real_model_follows_the_rules() -> None:
    assert (GATEWAY_VENV / "bin" / "python").exists(), "make gateway-venv (scripts/bootstrap_gateway.sh)"
    proc = subprocess.run([gateway_python(), "-c", PROBE], cwd=PROJECT_ROOT, capture_output=True, text=True,
                          timeout=120, env={**os.environ, "PYTHONPATH": str(PROJECT_ROOT)})
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert json.loads(proc.stdout.strip().splitlines()[-1]) == ["en", "en", "tr", None, None, None, "de", None, None]
