"""Browser-session helpers: who is signed in, CSRF checks, the pre-session token."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote, urlsplit

from chalice.app import Request

from .. import tokens
from ..accounts import presession, sessions
from ..cookies import set_cookie
from ..errors import InvalidCsrfToken
from .base import cookies

PRE_SESSION_COOKIE = "tf_csrf"
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


def current_session(request: Request) -> sessions.Session:
    return sessions.resolve(cookies(request).get(sessions.COOKIE))


def optional_session(request: Request) -> sessions.Session | None:
    try:
        return current_session(request)
    except Exception:  # noqa: BLE001 - any failure means "not signed in" for page rendering
        return None


def csrf_from(request: Request, body: dict[str, Any] | None) -> str | None:
    header = request.headers.get("x-csrf-token")
    if isinstance(header, str) and header:
        return header
    value = (body or {}).get("csrf_token")
    return value if isinstance(value, str) else None


def signed_in(request: Request, body: dict[str, Any] | None = None) -> sessions.Session:
    """The caller's session; for state-changing methods also its CSRF token."""
    session = current_session(request)
    if request.method not in SAFE_METHODS:
        sessions.check_csrf(session, csrf_from(request, body))
    return session


def check_pre_session_csrf(request: Request, body: dict[str, Any]) -> None:
    """Signed double-submit cookie for the sign-in and sign-up forms (OWASP CSRF cheat sheet):
    the token must be one we issued, and a browser must not label the post as cross-site."""
    cookie = cookies(request).get(PRE_SESSION_COOKIE)
    supplied = body.get("csrf_token")
    if not cookie or not isinstance(supplied, str) or not tokens.same(cookie, supplied):
        raise InvalidCsrfToken()
    if not presession.valid(cookie):  # a planted cookie + field pair (login CSRF)
        raise InvalidCsrfToken()
    if request.headers.get("sec-fetch-site") in ("cross-site", "same-site"):
        raise InvalidCsrfToken()


def pre_session_cookie(token: str) -> str:
    return set_cookie(PRE_SESSION_COOKIE, token, same_site="Strict")


def safe_next(target: str | None, default: str = "/settings/api") -> str:
    """Only same-origin paths: no scheme, no host, no `//` or `/\\` (open-redirect guard)."""
    if not target or not isinstance(target, str) or len(target) > 2048:
        return default
    if not target.startswith("/") or target.startswith(("//", "/\\")):
        return default
    if any(ord(c) < 0x20 or c == "\\" for c in target):
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return default
    # A Location header is ASCII: non-ASCII characters go percent-encoded as UTF-8 (RFC 3986 §2.1);
    # existing escapes and the URL's delimiters stay as they are.
    return quote(target, safe="/?#[]@!$&'()*+,;=:%~-._") if not target.isascii() else target
