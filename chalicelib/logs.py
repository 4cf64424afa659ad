"""Structured JSON logs: one JSON object a line, with the request id.

Only named fields are logged, never whole requests, so a password, token, code
or cookie cannot reach a log line by accident; `redact` guards the free-text
fields that do get logged (paths, user agents).
"""

from __future__ import annotations

import json
import logging
import sys
from contextvars import ContextVar
from typing import Any

from .credentials import SECRETISH

request_id: ContextVar[str] = ContextVar("request_id", default="-")
principal: ContextVar[str] = ContextVar("principal", default="-")

_LOGGER = logging.getLogger("taskforge")
_SECRETISH = SECRETISH


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": round(record.created, 3),
            "level": record.levelname,
            "event": record.getMessage(),
            "request_id": request_id.get(),
            "principal": principal.get(),
        }
        entry.update(getattr(record, "fields", {}))
        if record.exc_info and record.exc_info[0] is not None:
            entry["exception"] = record.exc_info[0].__name__
        return json.dumps(entry, default=str, separators=(",", ":"))


class _StdoutHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """Writes to whatever sys.stdout is at the time (Lambda and test capture swap it)."""

    @property
    def stream(self) -> Any:
        return sys.stdout

    @stream.setter
    def stream(self, value: Any) -> None:
        pass


def configure(level: str) -> None:
    if any(isinstance(h.formatter, JsonFormatter) for h in _LOGGER.handlers):
        return
    handler = _StdoutHandler()
    handler.setFormatter(JsonFormatter())
    _LOGGER.addHandler(handler)
    _LOGGER.setLevel(level)
    _LOGGER.propagate = False


def redact(text: str) -> str:
    """Blank out anything shaped like one of our credentials or a JWT."""
    return _SECRETISH.sub("[redacted]", text)


def log(event: str, level: int = logging.INFO, exc_info: bool = False, **fields: Any) -> None:
    _LOGGER.log(level, event, exc_info=exc_info, extra={"fields": fields})

