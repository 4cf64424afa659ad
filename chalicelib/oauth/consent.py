"""Remembered consent and the `prompt` parameter (OpenID Connect Core 1.0 §3.1.2.1, §3.1.2.4).

A user's approval of a client is remembered, once per user and client, and
widened when they approve more. An authorization request whose scopes are all
already allowed goes straight back with a code, without the consent page,
unless it says `prompt=consent`. `prompt=none` never shows a page: when the user
is not signed in it answers `error=login_required`, when consent is still
needed `error=consent_required`. Withdrawing (Active Sessions) forgets it.
"""

from __future__ import annotations

from typing import Any

from .. import clock, scopes
from ..store import consents as consent_store
from . import params
from .errors import InvalidRequest, OAuthError

PROMPTS = ("none", "login", "consent", "select_account")


class LoginRequired(OAuthError):
    error = "login_required"
    description = "The user is not signed in, and prompt=none forbids asking."


class ConsentRequired(OAuthError):
    error = "consent_required"
    description = "The user has not allowed this request yet, and prompt=none forbids asking."


def parse_prompt(query: params.Params) -> frozenset[str]:
    """OIDC Core §3.1.2.1: space-separated values; `none` only alone."""
    raw = params.get(query, "prompt", 100)
    values = frozenset((raw or "").split())
    if not values <= set(PROMPTS):
        raise InvalidRequest("prompt may be none, login, consent or select_account.")
    if "none" in values and len(values) > 1:
        raise InvalidRequest("prompt=none cannot be combined with other values.")
    return values


def _allowed(consent: dict[str, Any] | None) -> set[str]:
    granted = list((consent or {}).get("scopes") or [])
    # API scopes nest (write includes read); identity scopes (openid, email) stand alone.
    return set(scopes.expand(granted)) | set(granted)


def covers(user_id: str, client_id: str, requested: list[str]) -> bool:
    """True when the user already allowed this client every scope requested."""
    return set(requested) <= _allowed(consent_store.get(user_id, client_id))


def remember(user_id: str, client: dict[str, Any], approved: list[str]) -> None:
    """Record an approval, widening what was allowed before (never narrowing it)."""
    known = set((consent_store.get(user_id, client["client_id"]) or {}).get("scopes") or [])
    merged = sorted(known | set(approved))
    consent_store.put(user_id, client["client_id"], client["name"], merged, clock.now())


def forget(user_id: str, client_id: str) -> None:
    consent_store.delete(user_id, client_id)


def for_user(user_id: str) -> list[dict[str, Any]]:
    return consent_store.for_user(user_id)
