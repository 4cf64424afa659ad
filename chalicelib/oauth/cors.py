"""CORS for public clients at the token and revocation endpoints (Fetch standard, RFC 6454).

A single-page app (a public client, no secret) calls `/oauth/token` and
`/oauth/revoke` from the browser. Only the origins of a public client's own
registered redirect URIs may read the answers: a preflight is allowed when some
public client registered that origin (a preflight has no body, so no client_id),
and the actual answer names the origin only when the client in the request is a
public client that registered it. Credentials (cookies) are never allowed: these
endpoints authenticate clients by what they send, never by ambient cookies.
Any other origin gets no CORS headers at all, so the browser keeps the answer from it.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

from ..store import cors_origins
from . import clients, params

_ORIGIN = re.compile(r"^https?://[A-Za-z0-9.\-\[\]:]{1,260}$")
DEFAULT_PORTS = {"http": 80, "https": 443}
PREFLIGHT_MAX_AGE = "600"


def origin_of(uri: str) -> str:
    """The serialized origin of a URL (RFC 6454 §6.2): lowercase scheme and host, no default port."""
    parts = urlsplit(uri)
    scheme, host = parts.scheme.lower(), (parts.hostname or "").lower()
    if ":" in host:
        host = f"[{host}]"
    port = parts.port
    return f"{scheme}://{host}" + (f":{port}" if port and port != DEFAULT_PORTS.get(scheme) else "")


def well_formed(origin: str | None) -> bool:
    return bool(origin) and _ORIGIN.match(origin or "") is not None


def client_origins(client: dict[str, Any]) -> set[str]:
    if client["type"] != clients.PUBLIC:
        return set()
    return {origin_of(uri) for uri in client.get("redirect_uris") or []}


def registered(client: dict[str, Any]) -> None:
    """Index a new public client's origins (before it is shown to anyone)."""
    for origin in client_origins(client):
        cors_origins.add(origin, client["client_id"])


def deleted(client: dict[str, Any]) -> None:
    for origin in client_origins(client):
        cors_origins.remove(origin, client["client_id"])


def preflight(origin: str | None, method: str | None) -> dict[str, str]:
    """Headers for an OPTIONS preflight: the CORS grant, or nothing."""
    if not well_formed(origin) or method != "POST" or not cors_origins.registered(str(origin)):
        return {"Vary": "Origin"}
    return {"Access-Control-Allow-Origin": str(origin), "Access-Control-Allow-Methods": "POST",
            "Access-Control-Allow-Headers": "Content-Type", "Access-Control-Max-Age": PREFLIGHT_MAX_AGE,
            "Vary": "Origin"}


def response_headers(origin: str | None, form: params.Params) -> dict[str, str]:
    """Headers for the actual answer: the origin only for the public client that registered it."""
    if not well_formed(origin):
        return {}
    values = form.get("client_id") or []
    client = clients.get_active(values[0]) if len(values) == 1 else None
    if client is None or str(origin) not in client_origins(client):
        return {"Vary": "Origin"}
    return {"Access-Control-Allow-Origin": str(origin), "Vary": "Origin"}
