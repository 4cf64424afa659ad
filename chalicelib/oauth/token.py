"""The token endpoint (RFC 6749 §3.2, §4.1.3, §4.4, §5): authorization_code, refresh_token and
client_credentials grants.

`handle` checks the grant type, authenticates the client, then runs the grant.
A code is redeemed by one conditional write that activates the grant it names;
presenting a used code again revokes that grant (RFC 6749 §4.1.2, RFC 9700 §4.2.4).
"""

from __future__ import annotations

from typing import Any, NoReturn

from .. import audit, clock, tokens
from ..errors import StoreUnavailable
from ..settings import get_settings
from ..store import grants as grant_store
from . import client_auth, client_credentials, codes, grants, oidc, params, pkce, refresh, refresh_tokens
from .clients import GRANT_TYPES
from .errors import InvalidGrant, InvalidRequest, UnauthorizedClient, UnsupportedGrantType


def handle(form: params.Params, authorization: str | None) -> dict[str, Any]:
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
        return exchange_code(client, form)
    if grant_type == "client_credentials":
        return client_credentials.issue(client, form)  # RFC 6749 §4.4
    return refresh.refresh(client, form)


def _explain(client: dict[str, Any], form: params.Params, grant: dict[str, Any] | None,
             code_digest: str | None, now: int) -> NoReturn:
    """Why the code could not be redeemed, from its grant as it was (RFC 6749 §4.1.3,
    RFC 7636 §4.6), in the order a client can act on."""
    if (grant is None or code_digest is None or grant["client_id"] != client["client_id"]
            or not tokens.same(str(grant.get("code_digest") or ""), code_digest)):
        raise InvalidGrant("Unknown authorization code, or it was issued to another client.")
    if grant.get("redeemed_at") is not None:
        _replayed(grant)
    if grant.get("revoked_at") is not None:
        raise InvalidGrant("This authorization was revoked; start again.")
    if grant["created_at"] <= _issued_after(now):
        raise InvalidGrant("The authorization code has expired.")
    redirect_uri = params.get(form, "redirect_uri")
    # §4.1.3: redirect_uri must be present and identical if the authorization request had one.
    if grant.get("redirect_uri") is not None and redirect_uri != grant["redirect_uri"]:
        raise InvalidGrant("redirect_uri does not match the authorization request.")
    if grant.get("redirect_uri") is None and redirect_uri is not None and not _default(client, redirect_uri):
        raise InvalidGrant("redirect_uri does not match the authorization request.")
    pkce.check_verifier(grant.get("code_challenge"), params.get(form, "code_verifier", 200))
    raise InvalidGrant("The authorization code could not be redeemed; start again.")


def _issued_after(now: int) -> int:
    """Codes issued at or before this are expired (RFC 9700 §4.2: as short-lived as practical)."""
    return now - get_settings().code_ttl


def _default(client: dict[str, Any], redirect_uri: str) -> bool:
    """The URI a code issued without a redirect_uri went to: the client's only registered one."""
    return client.get("redirect_uris") == [redirect_uri]


def _replayed(grant: dict[str, Any]) -> NoReturn:
    """RFC 6749 §4.1.2: a code used twice is refused, and what it issued is revoked."""
    grants.revoke(grant["id"], "code_replay")
    audit.record("oauth.code_replay_detected", grant["workspace_id"], actor=grant["client_id"],
                 user_id=grant["user_id"], object_id=grant["id"], client_id=grant["client_id"])
    raise InvalidGrant("The authorization code was already used; its tokens are now revoked.")


def _binding(client: dict[str, Any], form: params.Params) -> dict[str, Any]:
    """What the code must have been issued for: the client, redirect URI and PKCE challenge."""
    verifier = params.get(form, "code_verifier", 200)
    challenge = None
    if verifier is not None:
        # RFC 7636 §4.6: the verifier must hash to the code's challenge. A malformed one matches
        # no challenge (the write then fails and `_explain` names the problem).
        challenge = pkce.s256(verifier) if pkce.well_formed(verifier) else ""
    redirect_uri = params.get(form, "redirect_uri")
    return {"client_id": client["client_id"], "redirect_uri": redirect_uri,
            "redirect_default": redirect_uri is not None and _default(client, redirect_uri),
            "code_challenge": challenge}


def _redeem(client: dict[str, Any], form: params.Params, grant_id: str, code_digest: str, now: int,
            activate: dict[str, Any]) -> dict[str, Any]:
    """Redeem the code and activate its grant with `activate` in one conditional write; the
    grant, or the reason not.

    Single use (RFC 6749 §4.1.2): of two racing exchanges exactly one write succeeds. A write
    that landed though its answer was lost is a success when the grant carries the refresh
    digest only this request knows; without one it stays an error (fail closed).
    """
    try:
        redeemed, grant = grant_store.redeem(grant_id, code_digest, _binding(client, form), now,
                                             _issued_after(now), activate)
    except StoreUnavailable:
        again = grant_store.get(grant_id) or {}
        if "refresh_digest" not in activate or again.get("refresh_digest") != activate["refresh_digest"]:
            raise
        return again
    if not redeemed or grant is None:
        _explain(client, form, grant, code_digest, now)
    return grant


def exchange_code(client: dict[str, Any], form: params.Params) -> dict[str, Any]:
    """Code for tokens in two calls: the client's read (already done) and one conditional
    write that redeems the code and activates its grant, returning the grant."""
    now = clock.now()
    located = codes.locate(params.require(form, "code"))
    if located is None:
        _explain(client, form, None, None, now)
    grant_id, code_digest, family = located
    activate: dict[str, Any] = {}
    refresh_token = None
    if "refresh_token" in client["grant_types"]:
        # The code leads to its grant and its token family: the first refresh token is made before
        # the write that stores its digest.
        refresh_token, activate["refresh_digest"] = refresh_tokens.issue(family)
    grant = _redeem(client, form, grant_id, code_digest, now, activate)
    body = grants.token_response(grant, " ".join(grant["scopes"]), refresh_token, now)
    return oidc.with_id_token(body, grant, client["client_id"])  # OIDC Core §3.1.3.3
