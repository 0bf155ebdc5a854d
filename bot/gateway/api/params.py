"""Validation of query parameters and JSON bodies: every bad input is a 4xx, never a 500."""

from __future__ import annotations

import re
from typing import Any

from aiohttp import web

from bot.gateway.errors import ApiError
from bot.gateway.input_policy import answer_language, clean_text, read_json_object

MAX_QUERY_CHARS = 200
MAX_LIMIT = 20
MAX_BODY_BYTES = 8 * 1024
_LIMIT_RE = re.compile(r"[0-9]{1,3}", re.ASCII)


def optional_text(request: web.Request, name: str) -> str | None:
    """A free-text query parameter if present: not blank, at most 200 characters."""
    value = request.query.get(name)
    if value is None:
        return None
    what = "query" if name == "q" else name
    if len(value) > MAX_QUERY_CHARS:
        raise ApiError(413, "query_too_long",
                       f"Der Parameter '{name}' ist zu lang (höchstens {MAX_QUERY_CHARS} Zeichen).")
    value = clean_text(value, MAX_QUERY_CHARS, code=f"invalid_{what}", what=f"Der Parameter '{name}'")
    if not value.strip():
        raise ApiError(400, f"empty_{what}", f"Der Parameter '{name}' ist leer.")
    return value


def required_text(request: web.Request, name: str) -> str:
    value = optional_text(request, name)
    if value is None:
        raise ApiError(400, f"missing_{'query' if name == 'q' else name}", f"Der Parameter '{name}' fehlt.")
    return value


def language_param(request: web.Request) -> str | None:
    """``lang`` ("de" or "de-LS"): the texts of that language are added; None when absent."""
    return answer_language(request.query.get("lang"))


def limit_param(request: web.Request, default: int) -> int:
    raw = request.query.get("limit")
    if raw is None:
        return default
    if not _LIMIT_RE.fullmatch(raw) or not 1 <= int(raw) <= MAX_LIMIT:
        raise ApiError(400, "invalid_limit", f"limit muss eine ganze Zahl von 1 bis {MAX_LIMIT} sein.")
    return int(raw)


async def json_body(request: web.Request, max_bytes: int = MAX_BODY_BYTES) -> dict[str, Any]:
    """The JSON object body, or 415 / 413 / 400 (one policy with the widget: ``input_policy``)."""
    return await read_json_object(request, max_bytes)
