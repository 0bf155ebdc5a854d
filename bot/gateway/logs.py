"""Privacy-safe logging: no IP addresses, no query strings, no message texts.

The access log records method, path, status, size and duration only. A filter on the
handler additionally masks any IP address that might appear in a third-party log record
(e.g. aiohttp's own error messages); loopback stays readable for operators.
"""

from __future__ import annotations

import logging
import re

from aiohttp.abc import AbstractAccessLogger
from aiohttp.web import BaseRequest, StreamResponse

_IPV4_RE = re.compile(r"\b(?!127\.)(?:\d{1,3}\.){3}\d{1,3}\b")
_IPV6_RE = re.compile(
    r"(?<![\w:.])(?:(?:[0-9a-fA-F]{1,4}:){3,7}[0-9a-fA-F]{1,4}"
    r"|(?:[0-9a-fA-F]{1,4}:){0,6}[0-9a-fA-F]{0,4}::(?:[0-9a-fA-F]{1,4}:){0,6}[0-9a-fA-F]{0,4})(?![\w:])"
)


def mask_ips(text: str) -> str:
    return _IPV6_RE.sub("<ip>", _IPV4_RE.sub("<ip>", text))


class PrivacyAccessLogger(AbstractAccessLogger):
    """aiohttp access logger without remote address, user agent, referer or query string."""

    def log(self, request: BaseRequest, response: StreamResponse, time: float) -> None:
        self.logger.info("%s %s %s %s %.1fms", request.method, request.path,
                         response.status, response.body_length, time * 1000)


class MaskIpFilter(logging.Filter):
    """Rewrites a record's message with IP addresses masked (defence in depth)."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = mask_ips(message)
        if masked != message:
            record.msg, record.args = masked, None
        record.exc_info, record.exc_text = None, None  # tracebacks may quote request data
        return True


def configure_logging(level: int = logging.INFO, stream: object | None = None) -> None:
    """Root logging for the gateway process (the app itself never configures logging)."""
    handler = logging.StreamHandler(stream)  # type: ignore[arg-type]
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(MaskIpFilter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
