"""What a bearer credential may create (issue 14, findings 6 and 7).

- An OAuth access token creates no API keys and no OAuth clients: what it made would outlive
  the user's consent (revoking the grant or deleting the app would not touch it). 403.
- An API key creates (or rolls into) keys no wider than itself: scopes within its own, an expiry
  no later than its own, a rate limit no higher than its own (the default when it has none).
  Asking for more is refused (403, saying which bound); leaving a field out inherits the
  caller's bound, so a short-lived key's children are short-lived too.
The signed-in dashboard user owns the workspace and is not bounded.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .. import scopes
from ..errors import Forbidden
from ..principal import Principal
from ..settings import get_settings
from ..store import apikeys as key_store
from . import records

NOT_FOR_OAUTH = ("OAuth access tokens cannot create API keys or OAuth clients. Use the dashboard "
                 "(Settings → API) or an admin API key.")


@dataclass(frozen=True)
class Bounds:
    scopes: tuple[str, ...]
    expires_at: int | None
    rate_limit_per_minute: int


def of(principal: Principal, now: int) -> Bounds:
    """The creating credential's own bounds; 403 for anything but a live API key."""
    if principal.principal_type != "api_key":
        raise Forbidden(NOT_FOR_OAUTH)
    record = key_store.find(principal.workspace_id, principal.credential_id)
    if record is None or records.status(record, now) != records.ACTIVE:
        raise Forbidden("This API key can no longer create keys.")
    limit = record.get("rate_limit_per_minute") or get_settings().rate_limit_per_minute
    return Bounds(tuple(record.get("scopes") or ()), record.get("expires_at"), int(limit))


def within(bounds: Bounds | None, wanted_scopes: list[str], expires_at: int | None,
           rate_limit: int | None) -> tuple[int | None, int | None]:
    """The new key's (expires_at, rate_limit_per_minute): inherited where left out, 403 where wider."""
    if bounds is None:
        return expires_at, rate_limit
    if not all(scopes.allows(bounds.scopes, s) for s in wanted_scopes):
        raise Forbidden("A key cannot create a key with scopes its own do not include.")
    if bounds.expires_at is not None:
        if expires_at is None:
            expires_at = bounds.expires_at
        elif expires_at > bounds.expires_at:
            raise Forbidden("A key cannot create a key that expires after it does "
                            f"(at {bounds.expires_at}, epoch seconds).")
    if rate_limit is None:
        own = get_settings().rate_limit_per_minute
        rate_limit = None if bounds.rate_limit_per_minute >= own else bounds.rate_limit_per_minute
    elif rate_limit > bounds.rate_limit_per_minute:
        raise Forbidden("A key cannot create a key with a higher rate limit than its own "
                        f"({bounds.rate_limit_per_minute} requests per minute).")
    return expires_at, rate_limit


def check_roll(bounds: Bounds | None, old: dict[str, Any]) -> None:
    """A roll copies the old key's scopes, expiry and limit: all must be within the caller's."""
    if bounds is None:
        return
    expires_at = old.get("expires_at")
    if bounds.expires_at is not None and (expires_at is None or expires_at > bounds.expires_at):
        raise Forbidden("A key cannot roll a key that expires after it does.")
    within(bounds, list(old.get("scopes") or []), expires_at,
           old.get("rate_limit_per_minute") or get_settings().rate_limit_per_minute)
