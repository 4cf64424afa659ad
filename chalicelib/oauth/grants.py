"""Grants: what a user's consent created, and what every token of it points at.

A grant exists from the moment its authorization code is issued (pending), and is
activated by the code's redemption (oauth/token.py). Revoking a grant ends all its
tokens at once: refresh tokens fail at the token endpoint, access tokens at the
authorizer (which reads this one item).
"""

from __future__ import annotations

import hashlib
from typing import Any

from .. import audit, clock, tokens
from ..settings import get_settings
from ..store import grants as grant_store
from ..store import oauth_clients as client_store
from . import access_tokens

PREFIX = "grt_"


def id_for_family(family: str) -> str:
    """A grant's id, from its refresh-token family: one-way, so the id (public: `sid` in
    every access token) does not give the family away, and no one can make up a family that
    leads to a given grant."""
    material = hashlib.sha256(b"taskforge grant\0" + family.encode("utf-8", "surrogatepass")).digest()
    return PREFIX + tokens.base62(int.from_bytes(material, "big"), 16)


def create(grant_id: str, client: dict[str, Any], binding: dict[str, Any], code_digest: str,
           now: int) -> None:
    """Store the pending grant of a code being issued, with its client link and audit event.

    It carries the code's digest and what the code is bound to (`binding`: redirect URI as
    given, PKCE challenge, user, workspace, scopes, nonce, auth_time, and the allowing
    browser's ip and user_agent). Its lifetime (`expires_at`) starts now; the code's ends
    `code_ttl` after `created_at`.
    """
    grant = {**binding, "id": grant_id, "client_id": client["client_id"], "client_name": client["name"],
             "code_digest": code_digest, "created_at": now,
             "expires_at": now + get_settings().refresh_token_ttl}
    event = audit.pending("oauth.grant_created", grant["workspace_id"], user_id=grant["user_id"],
                          object_id=grant_id, client_id=grant["client_id"], scope=" ".join(grant["scopes"]))
    grant_store.create_pending(grant, [event])
    audit.written(event)


def revoke(grant_id: str, reason: str, actor: str | None = None) -> bool:
    """End the grant and record why; False when it was unknown or already revoked."""
    grant = grant_store.get(grant_id)
    if grant is None or not grant_store.revoke(grant_id, clock.now(), reason):
        return False
    audit.record("oauth.grant_revoked", grant["workspace_id"], actor=actor or grant["client_id"],
                 user_id=grant["user_id"], object_id=grant_id, client_id=grant["client_id"], reason=reason)
    return True


def revoke_all_of_client(client_id: str) -> int:
    """Revoke every grant issued to a deleted client; the number revoked."""
    return sum(revoke(grant_id, "client_deleted") for grant_id in client_store.grant_ids(client_id))


def token_response(grant: dict[str, Any], scope: str, refresh_token: str | None, now: int) -> dict[str, Any]:
    """RFC 6749 §5.1 (the route adds Cache-Control: no-store)."""
    body: dict[str, Any] = {"access_token": access_tokens.issue(grant, scope, now), "token_type": "Bearer",
                            "expires_in": get_settings().access_token_ttl, "scope": scope}
    if refresh_token is not None:
        body["refresh_token"] = refresh_token
    return body


def live(grant: dict[str, Any] | None, now: int) -> bool:
    """Not revoked, not expired: what an account deletion must still revoke (pending ones too)."""
    return grant is not None and grant.get("revoked_at") is None and grant["expires_at"] > now


def pending(grant: dict[str, Any]) -> bool:
    """Its code not redeemed yet (grants from before codes lived on them have no code)."""
    return grant.get("code_digest") is not None and grant.get("redeemed_at") is None


def active(grant: dict[str, Any] | None, now: int) -> bool:
    """Live and redeemed: a grant that holds tokens, as listings show them."""
    return grant is not None and live(grant, now) and not pending(grant)
