"""The alert body: a JSON array of `{token, type, url, source}`, checked whole before any action.

The whole batch is refused (400) if any entry is malformed, so a report is acted on entirely or
not at all. GitHub sends reports of a few tokens; the caps leave room for large pushes while
bounding the work one signed request can cause.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from ..errors import InvalidRequest
from ..validation import unsafe_text

MAX_BODY_BYTES = 1024 * 1024
MAX_ENTRIES = 1000
MAX_TOKEN_CHARS = 1024
MAX_FIELD_CHARS = 2048
FIELDS = ("token", "type", "url", "source")


@dataclass(frozen=True)
class Reported:
    token: str
    type: str
    url: str
    source: str


def check_size(body: bytes) -> None:
    if len(body) > MAX_BODY_BYTES:
        raise InvalidRequest(f"The report is larger than {MAX_BODY_BYTES // 1024} KiB.")


def parse(body: bytes) -> list[Reported]:
    """Every entry of the report, in order (duplicates kept: each gets its own answer)."""
    check_size(body)
    try:
        entries = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise InvalidRequest("The body is not valid JSON.") from None
    if not isinstance(entries, list):
        raise InvalidRequest("The report must be a JSON array of {token, type, url, source}.")
    if len(entries) > MAX_ENTRIES:
        raise InvalidRequest(f"A report may hold at most {MAX_ENTRIES} tokens.")
    return [_entry(index, entry) for index, entry in enumerate(entries)]


def _entry(index: int, entry: Any) -> Reported:
    if not isinstance(entry, dict):
        raise InvalidRequest(f"Entry {index} must be an object {{token, type, url, source}}.")
    values = {}
    for name in FIELDS:
        value = entry.get(name, "")
        limit = MAX_TOKEN_CHARS if name == "token" else MAX_FIELD_CHARS
        if not isinstance(value, str) or len(value) > limit:
            raise InvalidRequest(f"Entry {index}: '{name}' must be a string of at most {limit} characters.")
        if unsafe_text(value):
            raise InvalidRequest(f"Entry {index}: '{name}' holds a lone surrogate or a NUL character.")
        values[name] = value
    if not values["token"]:
        raise InvalidRequest(f"Entry {index}: 'token' is required.")
    return Reported(**values)

