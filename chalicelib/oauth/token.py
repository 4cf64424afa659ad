"""The token endpoint (RFC 6749 §3.2, §4.1.3, §4.4, §5): authorization_code, refresh_token and
client_credentials grants.

`handle` checks the grant type, authenticates the client, then runs the grant.
A code is redeemed in one transaction with the grant it creates; presenting a
used code again revokes that grant (RFC 6749 §4.1.2, RFC 9700 §4.2.4).
"""

from __future__ import annotations

from typing import Any, NoReturn

from .. import audit, clock
from ..errors import StoreUnavailable
from ..store import codes as code_store
from . import client_auth, client_credentials, codes, grants, oidc, params, pkce, refresh
from .clients import GRANT_TYPES
from .errors import InvalidGrant, InvalidRequest, UnauthorizedClient, UnsupportedGrantType


def handle(form: params.Params, authorization: str | None, ip: str, user_agent: str) -> dict[str, Any]:
    """The token response body, or an OAuthError (RFC 6749 §5.2)."""
    params.refuse_repeats(form)  # RFC 6749 §3.2
    grant_type = params.get(form, "grant_type", 100)
    if grant_type is None:
        raise InvalidRequest("grant_type is required.")
    if grant_type not in GRANT_TYPES:
        raise UnsupportedGrantType()
    client = client_auth.authenticate(form, authorization)
    if grant_type not in client["grant_types"]:
        raise UnauthorizedClient(f"This client is not registered for the {grant_type} grant.")
    if grant_type == "authorization_code":
        return exchange_code(client, form, ip, user_agent)
    if grant_type == "client_credentials":
        return client_credentials.issue(client, form)  # RFC 6749 §4.4
    return refresh.refresh(client, form)


def _explain(client: dict[str, Any], form: params.Params, record: dict[str, Any] | None,
             now: int) -> NoReturn:
    """Why the code could not be redeemed, from the code's record as it was (RFC 6749 §4.1.3,
    RFC 7636 §4.6), in the order a client can act on."""
    if record is None or record["client_id"] != client["client_id"]:
        raise InvalidGrant("Unknown authorization code, or it was issued to another client.")
    if record.get("used_at") is not None:
        _replayed(record)
    if record["expires_at"] <= now:
        raise InvalidGrant("The authorization code has expired.")
    redirect_uri = params.get(form, "redirect_uri")
    # §4.1.3: redirect_uri must be present and identical if the authorization request had one.
    if (record["redirect_uri_given"] or redirect_uri is not None) and redirect_uri != record["redirect_uri"]:
        raise InvalidGrant("redirect_uri does not match the authorization request.")
    pkce.check_verifier(record.get("code_challenge"), params.get(form, "code_verifier", 200))
    raise InvalidGrant("The authorization code could not be redeemed; start again.")


def _replayed(record: dict[str, Any]) -> NoReturn:
    """RFC 6749 §4.1.2: a code used twice is refused, and what it issued is revoked."""
    grant_id = record.get("grant_id")
    if grant_id:
        grants.revoke_issued(grant_id, "code_replay")
    audit.record("oauth.code_replay_detected", record["workspace_id"], actor=record["client_id"],
                 user_id=record["user_id"], object_id=grant_id, client_id=record["client_id"])
    raise InvalidGrant("The authorization code was already used; its tokens are now revoked.")


def _binding(client: dict[str, Any], form: params.Params) -> dict[str, Any]:
    """What the code must have been issued for: the client, redirect URI and PKCE challenge."""
    verifier = params.get(form, "code_verifier", 200)
    challenge = None
    if verifier is not None:
        # RFC 7636 §4.6: the verifier must hash to the code's challenge. A malformed one matches
        # no challenge (the write then fails and `_explain` names the problem).
        challenge = pkce.s256(verifier) if pkce.well_formed(verifier) else ""
    return {"client_id": client["client_id"], "redirect_uri": params.get(form, "redirect_uri"),
            "code_challenge": challenge}


def _redeem(client: dict[str, Any], form: params.Params, grant_id: str, now: int) -> dict[str, Any]:
    """Redeem the code for `grant_id` in one conditional write; its record, or the reason not.

    Single use (RFC 6749 §4.1.2): of two racing exchanges exactly one write succeeds. A write
    that landed though its answer was lost is a success: the fresh grant id is ours alone.
    """
    code = params.require(form, "code")
    digest = codes.digest_of(code)
    if digest is None:
        _explain(client, form, None, now)
    try:
        redeemed, record = code_store.redeem(digest, grant_id, now, _binding(client, form))
    except StoreUnavailable:
        again = code_store.get(digest)
        if again is None or again.get("grant_id") != grant_id:
            raise
        return again
    if not redeemed or record is None:
        _explain(client, form, record, now)
    return record


def exchange_code(client: dict[str, Any], form: params.Params, ip: str, user_agent: str) -> dict[str, Any]:
    """Code, grant and tokens in three calls: the client's read (already done), the code's
    conditional redemption (which returns it), and one transaction of the grant, its client
    link, first refresh token and audit event."""
    now = clock.now()
    grant_id = grants.new_id()
    record = _redeem(client, form, grant_id, now)
    grant = grants.new(grant_id, client, record, now, ip, user_agent)
    refresh_token, refresh_record = None, None
    if "refresh_token" in client["grant_types"]:
        refresh_token, refresh_record = grants.new_refresh_token(grant, now)
        grant["refresh_digest"] = refresh_record["digest"]
    try:
        stored = grants.store(grant, refresh_record)
    except StoreUnavailable:
        code_store.release(record["digest"], grant_id)  # the client may try its code again
        raise
    if not stored:
        # A replay of this code was seen while we wrote (RFC 6749 §4.1.2): nothing is issued.
        raise InvalidGrant("The authorization code was already used; its tokens are now revoked.")
    body = grants.token_response(grant, " ".join(grant["scopes"]), refresh_token, now)
    return oidc.with_id_token(body, record, client["client_id"])  # OIDC Core §3.1.3.3
