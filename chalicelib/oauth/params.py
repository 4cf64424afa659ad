"""Reading OAuth parameters from a query string or form body, kept as lists so repeats show.

RFC 6749 §3.1 / §3.2: parameters MUST NOT be included more than once, and a
parameter sent without a value is treated as omitted.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from .errors import InvalidRequest

Params = Mapping[str, Sequence[str]]
MAX_VALUE_CHARS = 2048
_PLAIN = re.compile(r"[A-Za-z0-9_.\-]{1,40}")


def repeated(params: Params) -> list[str]:
    return sorted(name for name, values in params.items() if len(values) > 1)


def refuse_repeats(params: Params) -> None:
    names = repeated(params)
    if names:
        # Only plain names are echoed: error_description allows printable ASCII without
        # `"` or `\` (RFC 6749 §5.2), and the names come from the caller.
        shown = [n for n in names if _PLAIN.fullmatch(n)][:5]
        raise InvalidRequest(f"Parameter sent more than once: {', '.join(shown)}." if shown
                             else "A parameter was sent more than once.")


def get(params: Params, name: str, max_len: int = MAX_VALUE_CHARS) -> str | None:
    """The single value of `name`, or None when absent or empty."""
    values = params.get(name) or []
    if len(values) > 1:
        raise InvalidRequest(f"Parameter sent more than once: {name}.")
    value = values[0] if values else ""
    if len(value) > max_len:
        raise InvalidRequest(f"{name} is too long.")
    return value or None


def require(params: Params, name: str, max_len: int = MAX_VALUE_CHARS) -> str:
    value = get(params, name, max_len)
    if value is None:
        raise InvalidRequest(f"{name} is required.")
    return value
