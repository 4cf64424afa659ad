"""Lockouts against guessing at the OAuth endpoints (RFC 6749 §10.10, RFC 9700 §4.x).

- Client authentication: 10 failed secrets per client_id in 15 minutes lock that
  client's secret checks (429 + Retry-After), so a secret cannot be guessed online.
- Authorize: TASKFORGE_AUTHORIZE_IP_LIMIT (50) fatal requests (unknown client,
  unregistered redirect URI) per source IP in 15 minutes, so client ids and
  redirect URIs cannot be enumerated (configurable: locally every caller is 127.0.0.1).
"""

from __future__ import annotations

import logging
from typing import Any

from .. import audit, logs
from ..ratelimit import Lockout
from ..settings import get_settings

CLIENT_AUTH = Lockout("client-auth", 10, 900)


def client_auth_failed(client_id: str, client: dict[str, Any] | None) -> None:
    """Count a failed client authentication; audit the moment a known client gets locked."""
    if CLIENT_AUTH.fail(client_id) and client is not None:
        audit.record("oauth.client_locked", client["workspace_id"], actor=client_id,
                     object_id=client_id)


def authorize_lock() -> Lockout:
    return Lockout("authorize-ip", get_settings().authorize_ip_limit, 900)


def authorize_failed(ip: str) -> None:
    """Count a fatal authorize request; no workspace to audit, so the lockout is logged."""
    if authorize_lock().fail(ip):
        logs.log("authorize_locked", logging.WARNING, ip=ip)
