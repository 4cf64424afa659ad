"""Every cookie we set, built one way: `http.cookies`, HttpOnly, SameSite, and Secure
except on plain-http loopback (RFC 6265 §4.1; `settings.cookie_secure`)."""

from __future__ import annotations

from http.cookies import SimpleCookie

from .settings import get_settings


def set_cookie(name: str, value: str, *, max_age: int | None = None, path: str = "/",
               same_site: str = "Lax") -> str:
    """A `Set-Cookie` header value; `max_age=None` makes a cookie that ends with the browser."""
    jar: SimpleCookie = SimpleCookie()
    jar[name] = value
    morsel = jar[name]
    morsel["path"] = path
    morsel["httponly"] = True
    morsel["samesite"] = same_site
    if get_settings().cookie_secure:
        morsel["secure"] = True
    if max_age is not None:
        morsel["max-age"] = max_age
    return morsel.OutputString()


def clear_cookie(name: str, *, path: str = "/", same_site: str = "Lax") -> str:
    """Tells the browser to forget the cookie now."""
    return set_cookie(name, "", max_age=0, path=path, same_site=same_site)
