"""What every blueprint shares: error mapping around each view, body parsing, caller details."""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from http.cookies import CookieError, SimpleCookie
from typing import Any
from urllib.parse import parse_qs

from chalice.app import Blueprint, Request

from ..dashboard import error_page
from ..errors import InvalidRequest, PayloadTooLarge
from ..responses import error_response
from ..validation import MAX_BODY_BYTES, check_tree

View = Callable[..., Any]


class Area(Blueprint):
    """A blueprint whose views never leak an exception: errors map in `responses`,
    as JSON, or as a friendly page for routes declared `html=True`."""

    def route(self, path: str, **kwargs: Any) -> Callable[[View], View]:
        html = error_page.render_page if kwargs.pop("html", False) else None
        register = super().route(path, **kwargs)

        def decorator(view: View) -> View:
            @functools.wraps(view)
            def guarded(*args: Any, **kw: Any) -> Any:
                try:
                    return view(*args, **kw)
                except Exception as exc:  # noqa: BLE001 - mapped in one place
                    return error_response(exc, html=html)

            registered: View = register(guarded)
            return registered

        return decorator


def raw_body(request: Request) -> bytes:
    body = request.raw_body or b""
    data = body.encode("utf-8", "surrogateescape") if isinstance(body, str) else body
    if len(data) > MAX_BODY_BYTES:
        raise PayloadTooLarge()
    return data


def content_type(request: Request) -> str:
    return (request.headers.get("content-type") or "").split(";")[0].strip().lower()


def is_form(request: Request) -> bool:
    """An HTML form post (answered with pages and redirects rather than JSON)."""
    return content_type(request) == "application/x-www-form-urlencoded"


def parse_json(request: Request) -> dict[str, Any]:
    data = raw_body(request)
    try:
        body = json.loads(data.decode("utf-8")) if data else {}
    except (UnicodeDecodeError, ValueError):
        raise InvalidRequest("The body is not valid JSON.") from None
    except RecursionError:  # e.g. 30,000 nested '[' fit in 64 KiB
        raise InvalidRequest("The body is nested too deeply.") from None
    if not isinstance(body, dict):
        raise InvalidRequest("The JSON body must be an object.")
    check_tree(body)
    return body


def parse_form(request: Request) -> dict[str, list[str]]:
    """An x-www-form-urlencoded body, every value kept (OAuth must see duplicates)."""
    data = raw_body(request)
    try:
        # errors="strict": a percent-encoded invalid UTF-8 sequence is refused, not replaced.
        fields = parse_qs(data.decode("utf-8"), keep_blank_values=True, strict_parsing=bool(data),
                          max_num_fields=200, errors="strict")
    except (UnicodeDecodeError, ValueError):
        raise InvalidRequest("The form body is malformed.") from None
    check_tree(fields, "The form", nul_ok=True)
    return fields


def parse_body(request: Request) -> dict[str, Any]:
    """JSON or an HTML form, as one dict (a form field given twice is refused)."""
    kind = content_type(request)
    if kind == "application/json":
        return parse_json(request)
    if kind in ("application/x-www-form-urlencoded", ""):
        if kind == "" and raw_body(request).lstrip().startswith((b"{", b"[")):
            return parse_json(request)
        fields = parse_form(request)
        if any(len(v) > 1 for v in fields.values()):
            raise InvalidRequest("A form field was sent more than once.")
        return {k: v[0] for k, v in fields.items()}
    raise InvalidRequest("Send application/json or application/x-www-form-urlencoded.")


def cookies(request: Request) -> dict[str, str]:
    jar: SimpleCookie = SimpleCookie()
    try:
        jar.load(request.headers.get("cookie") or "")
    except CookieError:
        return {}
    return {name: morsel.value for name, morsel in jar.items()}


def client_ip(request: Request) -> str:
    identity = (request.context or {}).get("identity") or {}
    return str(identity.get("sourceIp") or "unknown")[:64]


def user_agent(request: Request) -> str:
    return (request.headers.get("user-agent") or "")[:256]
