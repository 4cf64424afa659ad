"""Checks for request fields: each failure is a 400 `invalid_request` that names the field."""

from __future__ import annotations

from typing import Any

from .errors import InvalidRequest

MAX_BODY_BYTES = 64 * 1024
MAX_DEPTH = 32  # far deeper than any body we accept; refused before anything recurses over it


def unsafe_text(value: str) -> str | None:
    """Why `value` cannot be stored or echoed, or None: NUL, or a lone UTF-16 surrogate
    (valid JSON escapes, but not encodable as UTF-8: botocore, hashing and logs would fail)."""
    if "\x00" in value:
        return "must not contain NUL characters"
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return "must be valid Unicode text (no lone surrogates)"
    return None


def check_tree(value: Any, where: str = "The body", nul_ok: bool = False) -> None:
    """Walk a parsed body once, iteratively: every key and string is clean text, depth bounded.
    `nul_ok` leaves NUL to each field's own check (forms re-render with the field's reason)."""
    stack: list[tuple[Any, int]] = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise InvalidRequest(f"{where} is nested too deeply.")
        if isinstance(item, str):
            problem = unsafe_text(item.replace("\x00", "") if nul_ok else item)
            if problem:
                raise InvalidRequest(f"{where} {problem}.")
        elif isinstance(item, dict):
            stack.extend((k, depth + 1) for k in item)
            stack.extend((v, depth + 1) for v in item.values())
        elif isinstance(item, list):
            stack.extend((v, depth + 1) for v in item)


def text(body: dict[str, Any], name: str, *, max_len: int = 200, min_len: int = 1,
         required: bool = True) -> str | None:
    value = body.get(name)
    if value is None and required:
        raise InvalidRequest(f"'{name}' is required.")
    if value is None or (value == "" and not required):
        return None  # absent, or an optional field left empty (HTML forms send "")
    if not isinstance(value, str):
        raise InvalidRequest(f"'{name}' must be a string.")
    problem = unsafe_text(value)
    if problem:
        raise InvalidRequest(f"'{name}' {problem}.")
    if not min_len <= len(value) <= max_len:
        raise InvalidRequest(f"'{name}' must be {min_len} to {max_len} characters.")
    return value


def required_text(body: dict[str, Any], name: str, *, max_len: int = 200, min_len: int = 1) -> str:
    value = text(body, name, max_len=max_len, min_len=min_len)
    if value is None:  # text() already refuses a missing required field
        raise InvalidRequest(f"'{name}' is required.")
    return value


def integer(body: dict[str, Any], name: str, low: int, high: int) -> int | None:
    value = body.get(name)
    if value is None:
        return None
    if isinstance(value, str) and value.strip().isascii() and value.strip().isdigit():
        value = int(value.strip())  # HTML forms send numbers as text
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidRequest(f"'{name}' must be a whole number.")
    if not low <= value <= high:
        raise InvalidRequest(f"'{name}' must be between {low} and {high}.")
    return value


def boolean(body: dict[str, Any], name: str) -> bool | None:
    value = body.get(name)
    if value is None or isinstance(value, bool):
        return value
    raise InvalidRequest(f"'{name}' must be true or false.")


def string_list(body: dict[str, Any], name: str, *, max_items: int = 20,
                max_len: int = 2000, required: bool = True) -> list[str] | None:
    value = body.get(name)
    if value is None:
        if required:
            raise InvalidRequest(f"'{name}' is required.")
        return None
    if isinstance(value, str):
        value = [value]  # one form field, or a space-separated string handled by the caller
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise InvalidRequest(f"'{name}' must be a list of strings.")
    if len(value) > max_items or any(len(v) > max_len for v in value):
        raise InvalidRequest(f"'{name}' has too many or too long entries.")
    return value


def known_fields(body: dict[str, Any], allowed: tuple[str, ...]) -> None:
    """Refuse fields we do not know: a typo such as `expires_in_day` must not pass silently."""
    unknown = sorted(name for name in body if name not in allowed)
    if unknown:
        names = ", ".join(repr(name[:40]) for name in unknown[:5])
        raise InvalidRequest(f"Unknown field(s): {names}. Known fields: {', '.join(allowed)}.")
