"""Token revocation (RFC 7009).

A refresh token ends its whole grant (§2.1: the access tokens of that grant go
too); an access token ends just itself (its jti joins the grant's revoked set,
which the authorizer reads anyway). Unknown, expired or malformed tokens get
200 like revoked ones (§2.2), so the endpoint tells nothing about them.
"""

from __future__ import annotations

from typing import Any

from .. import audit, credentials
from ..errors import Unauthenticated
from ..store import grants as grant_store
from ..store import oauth_clients as client_store
from . import access_tokens, client_auth, client_tokens, grants, params, refresh_tokens
from .errors import InvalidGrant, UnsupportedTokenType


def revoke(form: params.Params, authorization: str | None) -> None:
    params.refuse_repeats(form)
    client = client_auth.authenticate(form, authorization)  # §2.1: the client authenticates
    token = params.require(form, "token", access_tokens.MAX_TOKEN_CHARS)
    # §2.1: token_type_hint is only a hint: we recognise every token by its shape instead,
    # and §2.2 says an invalid hint is ignored.
    shape = credentials.kind(token)
    if shape == credentials.API_KEY:
        raise UnsupportedTokenType()  # §2.2.1: API keys are not revoked through OAuth
    if shape == credentials.REFRESH_TOKEN:
        _revoke_refresh(client, token)
    elif shape == credentials.ACCESS_TOKEN:
        _revoke_access(client, token)


def _not_theirs(client: dict[str, Any], client_id: str) -> None:
    # §2.1: the token must have been issued to the client asking; otherwise refuse.
    if client_id != client["client_id"]:
        raise InvalidGrant("This token was issued to another client.")


def _revoke_refresh(client: dict[str, Any], token: str) -> None:
    found = refresh_tokens.lookup(token)  # the token's grant, current or spent
    if found is None:
        return  # §2.2: an unknown token is answered 200 all the same
    grant = found[1]
    _not_theirs(client, grant["client_id"])
    grants.revoke(grant["id"], "client_revoked", actor=client["client_id"])


def _revoke_access(client: dict[str, Any], token: str) -> None:
    try:
        claims = access_tokens.decode(token)
    except Unauthenticated:
        return  # expired or not ours: nothing left to revoke
    _not_theirs(client, claims["client_id"])
    if client_tokens.is_client_token(claims):
        client_store.revoke_jti(claims["client_id"], claims["jti"])
    else:
        grant_store.revoke_jti(claims["sid"], claims["jti"])
    user_id = None if client_tokens.is_client_token(claims) else claims["sub"]
    audit.record("oauth.access_token_revoked", claims["workspace_id"], actor=client["client_id"],
                 user_id=user_id, object_id=claims["sid"], client_id=client["client_id"])
