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
from ..store import grants as grant_store
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


def _redeemable(client: dict[str, Any], form: params.Params, now: int) -> dict[str, Any]:
    """The code's record once every binding holds (RFC 6749 §4.1.3, RFC 7636 §4.6)."""
    record = codes.find(params.require(form, "code"))
    redirect_uri = params.get(form, "redirect_uri")
    verifier = params.get(form, "code_verifier", 200)
    if record is None or record["client_id"] != client["client_id"]:
        raise InvalidGrant("Unknown authorization code, or it was issued to another client.")
    if record.get("used_at") is not None:
        _replayed(record)
    if record["expires_at"] <= now:
        raise InvalidGrant("The authorization code has expired.")
    # §4.1.3: redirect_uri must be present and identical if the authorization request had one.
    if (record["redirect_uri_given"] or redirect_uri is not None) and redirect_uri != record["redirect_uri"]:
        raise InvalidGrant("redirect_uri does not match the authorization request.")
    pkce.check_verifier(record.get("code_challenge"), verifier)
    return record


def _replayed(record: dict[str, Any]) -> NoReturn:
    """RFC 6749 §4.1.2: a code used twice is refused, and what it issued is revoked."""
    grant_id = record.get("grant_id")
    if grant_id:
        grants.revoke(grant_id, "code_replay")
    audit.record("oauth.code_replay_detected", record["workspace_id"], actor=record["client_id"],
                 user_id=record["user_id"], object_id=grant_id, client_id=record["client_id"])
    raise InvalidGrant("The authorization code was already used; its tokens are now revoked.")


def exchange_code(client: dict[str, Any], form: params.Params, ip: str, user_agent: str) -> dict[str, Any]:
    now = clock.now()
    record = _redeemable(client, form, now)
    grant = grants.new(client, record, now, ip, user_agent)
    refresh_token, refresh_record = None, None
    if "refresh_token" in client["grant_types"]:
        refresh_token, refresh_record = grants.new_refresh_token(grant, now)
        grant["refresh_digest"] = refresh_record["digest"]
    _redeem(grant, record, refresh_record, params.require(form, "code"))
    grants.created(grant)
    body = grants.token_response(grant, " ".join(grant["scopes"]), refresh_token, now)
    return oidc.with_id_token(body, record, client["client_id"])  # OIDC Core §3.1.3.3


def _redeem(grant: dict[str, Any], record: dict[str, Any], refresh_record: dict[str, Any] | None,
            code: str) -> None:
    """Redeem the code into `grant`; a write that landed though its answer was lost is a success."""
    lost: StoreUnavailable | None = None
    try:
        if grant_store.create(grant, record["digest"], refresh_record):
            return
    except StoreUnavailable as exc:
        lost = exc
    again = codes.find(code)
    if again is not None and again.get("grant_id") == grant["id"]:
        return  # our transaction redeemed it (a fresh grant id is ours alone): never a replay of ours
    if lost is not None:
        raise lost
    # Another request redeemed the code between our read and our write: a replay too.
    if again is not None and again.get("used_at") is not None:
        _replayed(again)
    raise InvalidGrant("The authorization code could not be redeemed; start again.")
