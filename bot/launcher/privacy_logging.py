"""Privacy for the logs of Rasa and the action server (DSGVO: no citizen texts, no sender ids).

Rasa 3.6 logs citizen texts in several places: structlog events carry ``text=…`` (e.g.
``rest.message.received.timeout``), JSON tracebacks carry local variables, and exceptions raised
while handling a message often quote it. :func:`install` makes every log record of the process
safe before any handler sees it:

* structlog events keep only ``event``, ``level`` and ``timestamp`` (+ ``error_type``);
* stdlib records lose their traceback (only the exception's type stays) and their ``args``
  are replaced by their types when the logger is on :data:`MESSAGE_LOGGERS` (which format
  conversation data into their messages).

The launcher also runs both servers at WARNING level, which drops Sanic's access log (paths
contain conversation ids) and Rasa's per-message debug output.
"""

from __future__ import annotations

import logging
from typing import Any

_KEEP = ("event", "level", "timestamp", "log_level", "logger")
#: Stdlib loggers whose messages interpolate conversation data (sender ids, texts, slots).
MESSAGE_LOGGERS = ("rasa.core", "rasa.server", "rasa_sdk.executor", "rasa_sdk.endpoint", "sanic.access")


def _exc_type(exc_info: Any) -> str | None:
    if exc_info is True:
        import sys

        exc_info = sys.exc_info()
    if isinstance(exc_info, BaseException):
        return type(exc_info).__name__
    if isinstance(exc_info, tuple) and exc_info and exc_info[0] is not None:
        return exc_info[0].__name__
    return None


def structlog_privacy(_logger: Any, _method: str, event_dict: dict[str, Any]) -> dict[str, Any]:
    """structlog processor: drop every field that could carry conversation data."""
    error = _exc_type(event_dict.get("exc_info"))
    safe = {key: event_dict[key] for key in _KEEP if key in event_dict}
    if error:
        safe["error_type"] = error
    return safe


def _install_record_factory() -> None:
    previous = logging.getLogRecordFactory()
    if getattr(previous, "_bot_privacy", False):
        return

    def factory(name: str, level: int, fn: str, lno: int, msg: Any, args: Any, exc_info: Any,
                func: str | None = None, sinfo: str | None = None, **kwargs: Any) -> logging.LogRecord:
        error = _exc_type(exc_info)
        if name.startswith(MESSAGE_LOGGERS) and args:
            args = tuple(type(a).__name__ for a in args) if isinstance(args, tuple) else ()
            msg = str(msg).replace("%r", "%s")
        if error:
            msg = f"{msg} [{error}]"
        record = previous(name, level, fn, lno, msg, args, None, func, None, **kwargs)
        return record

    factory._bot_privacy = True  # type: ignore[attr-defined]
    logging.setLogRecordFactory(factory)


def install_structlog() -> None:
    """Put :func:`structlog_privacy` first in structlog's current processor chain."""
    import structlog

    processors = list(structlog.get_config().get("processors", []))
    if structlog_privacy not in processors:
        structlog.configure(processors=[structlog_privacy, *processors])


def install() -> None:
    _install_record_factory()
