"""Registered redirect URIs: what a client may register, matched by exact string.

RFC 6749 §3.1.2: absolute, no fragment. RFC 9700 §2.1 / §4.1.3: exact string
matching, and plain http only on the loopback interface (RFC 8252 §7.3, §8.3:
an IP literal, not the name "localhost").
"""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

from ..errors import InvalidRequest

MAX_URIS = 10
MAX_CHARS = 512


def validate(uri: str) -> str:
    if not uri or len(uri) > MAX_CHARS or not uri.isascii() or any(c <= " " or c == "\x7f" for c in uri):
        raise InvalidRequest(f"Each redirect URI must be 1 to {MAX_CHARS} printable ASCII characters "
                             "without spaces (percent-encode anything else).")
    parts = urlsplit(uri)
    if "#" in uri:
        raise InvalidRequest("A redirect URI must not contain a fragment (#).")
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise InvalidRequest("A redirect URI must be an absolute https:// URL.")
    if "@" in parts.netloc:
        raise InvalidRequest("A redirect URI must not contain user information (user@host).")
    try:
        parts.port  # noqa: B018 - raises ValueError for a malformed port
    except ValueError:
        raise InvalidRequest("A redirect URI has a malformed port.") from None
    if parts.scheme == "http" and not _loopback(parts.hostname):
        raise InvalidRequest("Plain http redirect URIs are allowed only on a loopback IP address "
                             "(http://127.0.0.1:PORT/... or http://[::1]:PORT/...); use https.")
    return uri


def _loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def validate_all(uris: list[str]) -> list[str]:
    if not 1 <= len(uris) <= MAX_URIS:
        raise InvalidRequest(f"Register 1 to {MAX_URIS} redirect URIs.")
    return list(dict.fromkeys(validate(uri) for uri in uris))
