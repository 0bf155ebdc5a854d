"""The one input policy of the public surface: widget (``/chat/*``) and API (``/api/v1/*``).

Everything a client sends passes through here before it reaches Rasa:

* **JSON bodies** are read bounded (never more than the limit is buffered), only as
  ``application/json`` in UTF-8, never compressed (``Content-Encoding`` is refused; the app
  also tells aiohttp not to inflate bodies, see :data:`SERVER_HANDLER_ARGS`), with a bounded
  nesting depth.
* **Text** is NFC-normalised; control characters, lone surrogates, BOMs and bidi overrides
  are removed; the length is bounded before any other work.
* **Payloads** (``/intent{...}``) pass only if the assistant offered exactly that button in
  its last answer of this conversation (remembered by :mod:`bot.gateway.memory`); anything else typed with a leading "/" (also
  ``"/ /restart"``) loses all leading slashes and whitespace and is plain text.
* **Feedback** is accepted only for message ids the gateway delivered in this conversation.
* **Language** (``lang``): one of ``bot.languages.LANGUAGES`` ("de", "de-LS", "en", "tr", "uk";
  case-insensitive), else 400.
* **Ids and AGS** are matched in full (``fullmatch``; ``$`` would accept a trailing newline),
  ASCII digits only.
"""

from __future__ import annotations

import json
import re
import unicodedata
from typing import Any

from aiohttp import web

from bot.gateway.errors import ApiError
from bot.languages import LANGUAGE_NAMES, LANGUAGES, canonical

#: Passed as ``web.Application(handler_args=...)``: the HTTP parser must not inflate
#: ``Content-Encoding: gzip`` bodies (aiohttp < 3.13.3 inflates without a bound; a 48 kB
#: body of zeros became 50 MB per request). Compressed bodies are refused instead.
SERVER_HANDLER_ARGS: dict[str, Any] = {"auto_decompress": False}

MAX_JSON_DEPTH = 16
PAYLOAD_RE = re.compile(r"/[a-z_]{1,64}(\{[^\n\r]*\})?", re.ASCII)
ID_RE = re.compile(r"[A-Za-z0-9_-]{1,64}", re.ASCII)
AGS_RE = re.compile(r"08[0-9]{6}", re.ASCII)
UUID_RE = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", re.ASCII)

# C0/C1 controls except tab and newline, lone surrogates, zero-width space/marks, bidi
# embeddings/overrides/isolates, word joiner, BOM, interlinear annotations, non-characters.
_UNSAFE_RE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\u200b\u200e\u200f\u202a-\u202e"
    "\u2060-\u2069\ufeff\ufff9-\ufffb\ufffe\uffff]"
)
_LEADING_RE = re.compile(r"^[\s/]+")
_JSON_TOKEN_RE = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]', re.DOTALL)
_UTF8 = frozenset({"utf-8", "utf8"})

TOO_LARGE = "Die Anfrage ist zu groß."
NOT_CURRENT = ("Diese Auswahl ist nicht mehr aktuell. Bitte schreiben Sie Ihre Frage "
               "einfach in das Textfeld.")


# --- JSON bodies ----------------------------------------------------------------------------

def _check_headers(request: web.Request, max_bytes: int) -> None:
    if request.content_type != "application/json":
        raise ApiError(415, "unsupported_media_type",
                       "Bitte senden Sie JSON (Content-Type: application/json).")
    charset = request.charset
    if charset is not None and charset.strip().lower() not in _UTF8:
        raise ApiError(415, "unsupported_charset", "Bitte senden Sie JSON in UTF-8.")
    encoding = request.headers.get("Content-Encoding", "").strip().lower()
    if encoding not in ("", "identity"):
        raise ApiError(415, "unsupported_encoding",
                       "Komprimierte Anfragen werden nicht angenommen. Bitte senden Sie die Daten "
                       "unkomprimiert.")
    if request.content_length is not None and request.content_length > max_bytes:
        raise ApiError(413, "too_large", TOO_LARGE)


async def read_bounded(request: web.Request, max_bytes: int) -> bytes:
    """The raw body, never buffering more than ``max_bytes + 1`` bytes (else 413)."""
    chunks: list[bytes] = []
    size = 0
    try:
        while True:
            chunk = await request.content.read(max_bytes + 1 - size)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
            if size > max_bytes:
                raise ApiError(413, "too_large", TOO_LARGE)
    except web.HTTPRequestEntityTooLarge:
        raise ApiError(413, "too_large", TOO_LARGE) from None
    return b"".join(chunks)


def json_depth_ok(text: str, max_depth: int = MAX_JSON_DEPTH) -> bool:
    """Whether brackets outside strings nest at most ``max_depth`` deep (checked before parsing)."""
    depth = 0
    for match in _JSON_TOKEN_RE.finditer(text):
        token = match.group()
        if token in "[{":
            depth += 1
            if depth > max_depth:
                return False
        elif token in "]}":
            depth -= 1
    return True


async def read_json_object(request: web.Request, max_bytes: int) -> dict[str, Any]:
    """The JSON object body, or 415 / 413 / 400 with a German message."""
    _check_headers(request, max_bytes)
    raw = await read_bounded(request, max_bytes)
    invalid = ApiError(400, "invalid_json", "Die Anfrage enthält kein gültiges JSON.")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise invalid from None
    if not json_depth_ok(text):
        raise ApiError(400, "invalid_json", "Die Anfrage ist zu tief verschachtelt.")
    try:
        body = json.loads(text)
    except (ValueError, RecursionError):
        raise invalid from None
    if not isinstance(body, dict):
        raise ApiError(400, "invalid_json", "Die Anfrage muss ein JSON-Objekt sein.")
    return body


# --- text -----------------------------------------------------------------------------------

def clean_text(value: Any, max_chars: int, *, code: str = "invalid_message",
               what: str = "Die Nachricht") -> str:
    """NFC text without unsafe characters, at most ``max_chars`` long (413 otherwise)."""
    if not isinstance(value, str):
        raise ApiError(400, code, f"{what} muss Text sein.")
    too_long = ApiError(413, "message_too_long" if code == "invalid_message" else "query_too_long",
                        f"{what} ist zu lang (höchstens {max_chars} Zeichen).")
    if len(value) > max_chars:
        raise too_long
    # NFC grows a text at most threefold (Unicode stability policy): still bounded work, and
    # input within the documented length is never refused because of its normalisation.
    return unicodedata.normalize("NFC", _UNSAFE_RE.sub("", value))


def typed_text(value: Any, max_chars: int) -> str:
    """Typed text: cleaned, without leading slashes or whitespace (no intent triggering)."""
    text = _LEADING_RE.sub("", clean_text(value, max_chars)).strip()
    if not text:
        raise ApiError(400, "empty_message", "Bitte geben Sie eine Nachricht ein.")
    return text


def is_payload(value: str, max_chars: int) -> bool:
    return len(value) <= max_chars and PAYLOAD_RE.fullmatch(value) is not None


def offered_payload(value: Any, offered: frozenset[str], max_chars: int) -> str:
    """The widget's ``payload`` field: exactly a button of the assistant's last answer."""
    if not isinstance(value, str) or not is_payload(value, max_chars):
        raise ApiError(400, "invalid_payload", "Diese Auswahl ist ungültig.")
    if value not in offered:
        raise ApiError(400, "invalid_payload", NOT_CURRENT)
    return value


def text_or_offered(value: Any, offered: frozenset[str], max_chars: int, max_payload_chars: int) -> str:
    """The API's ``message``: an offered payload unchanged, anything else as typed text."""
    if isinstance(value, str):
        stripped = value.strip()
        if stripped in offered and is_payload(stripped, max_payload_chars):
            return stripped
    return typed_text(value, max_chars)


# --- language -------------------------------------------------------------------------------

def answer_language(value: Any) -> str | None:
    """The ``lang`` field: None when absent (the conversation keeps its language), else its canonical tag."""
    if value is None:
        return None
    language = canonical(value)
    if language is None:
        known = ", ".join(f"{lang} ({LANGUAGE_NAMES[lang]})" for lang in LANGUAGES)
        raise ApiError(400, "invalid_lang", f"Diese Sprache (lang) gibt es nicht. Möglich sind: {known}.")
    return language


# --- ids ------------------------------------------------------------------------------------

def valid_id(value: Any) -> bool:
    return isinstance(value, str) and ID_RE.fullmatch(value) is not None


def valid_ags(value: Any) -> bool:
    return isinstance(value, str) and AGS_RE.fullmatch(value) is not None


def valid_uuid(value: Any) -> bool:
    return isinstance(value, str) and UUID_RE.fullmatch(value.lower()) is not None
