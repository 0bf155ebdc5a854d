"""Privacy-safe logging: no IP addresses, ids, paths, query strings or message texts.

The access log records method, **route template** (``/api/v1/services/{service_id}``, never
the decoded path with conversation ids or texts), status, size and duration. A filter on the
handler additionally rewrites every record (also third-party ones, e.g. aiohttp's parser
errors): IP addresses and UUIDs are masked, control characters (CR/LF) are escaped so that no
input can forge a log line, records are cut to a bounded length, and tracebacks are dropped
(their frames and messages may quote request data). Loopback stays readable for operators.
"""

from __future__ import annotations

import logging
import re

from aiohttp.abc import AbstractAccessLogger
from aiohttp.web import BaseRequest, StreamResponse

from bot.gateway.errors import route_of

_IPV4_RE = re.compile(r"\b(?!127\.)(?:\d{1,3}\.){3}\d{1,3}\b")
_IPV6_RE = re.compile(
    r"(?<![\w:.])(?:(?:[0-9a-fA-F]{1,4}:){3,7}[0-9a-fA-F]{1,4}"
    r"|(?:[0-9a-fA-F]{1,4}:){0,6}[0-9a-fA-F]{0,4}::(?:[0-9a-fA-F]{1,4}:){0,6}[0-9a-fA-F]{0,4})(?![\w:])"
)
_UUID_RE = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
_CONTROL_RE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_METHOD_RE = re.compile(r"[A-Z]{1,10}", re.ASCII)
MAX_RECORD_CHARS = 1000


def mask_ips(text: str) -> str:
    return _IPV6_RE.sub("<ip>", _IPV4_RE.sub("<ip>", text))


def safe_line(text: str) -> str:
    """One bounded log line: IPs and UUIDs masked, control characters escaped."""
    text = _UUID_RE.sub("<id>", mask_ips(text))
    text = _CONTROL_RE.sub(lambda m: f"\\x{ord(m.group()):02x}", text)
    return text if len(text) <= MAX_RECORD_CHARS else text[:MAX_RECORD_CHARS] + "…"


class PrivacyAccessLogger(AbstractAccessLogger):
    """aiohttp access logger: method, route template, status, size, time — nothing the client typed."""

    def log(self, request: BaseRequest, response: StreamResponse, time: float) -> None:
        method = request.method if _METHOD_RE.fullmatch(request.method or "") else "OTHER"
        self.logger.info("%s %s %s %s %.1fms", method, route_of(request), response.status,
                         response.body_length, time * 1000)


class MaskIpFilter(logging.Filter):
    """Rewrites every record as one safe line (see :func:`safe_line`), without traceback."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a broken format string must not lose the record
            message = str(record.msg)
        safe = safe_line(message)
        if safe != message or record.args:
            record.msg, record.args = safe, None
        record.exc_info, record.exc_text, record.stack_info = None, None, None
        return True


PrivacyFilter = MaskIpFilter


def configure_logging(level: int = logging.INFO, stream: object | None = None) -> None:
    """Root logging for the gateway process (the app itself never configures logging)."""
    handler = logging.StreamHandler(stream)  # type: ignore[arg-type]
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(MaskIpFilter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
