"""The JWT authorizer verifies with the JWKS published in the table, never Secrets Manager."""

from __future__ import annotations

from typing import Any

import jwt
import pytest

from chalicelib.bootstrap import bootstrap
from chalicelib.errors import Unauthenticated
from chalicelib.oauth import access_tokens, signing_keys
from chalicelib.settings import get_settings
from chalicelib.store import db, secrets
from chalicelib.store import jwks as jwks_store
from tests.conftest import Browser, body_of
from tests.oauth.conftest import OAuthClient, tokens_for


def test_a_cold_verifier_needs_no_secrets_manager_client(browser: Browser, confidential: OAuthClient) -> None:
    token = tokens_for(browser, confidential)["access_token"]
    # A fresh container: no Secrets Manager client, no cached secret, no cached JWKS.
    secrets.client().delete_secret(SecretId=get_settings().signing_key_secret,
                                   ForceDeleteWithoutRecovery=True)
    secrets.client.cache_clear()
    secrets.forget()
    signing_keys.forget_published()
    assert access_tokens.verify(token).client_id == confidential.client_id
    assert secrets.client.cache_info().currsize == 0


def test_the_table_publishes_what_the_jwks_endpoint_shows(client: Any, browser: Browser,
                                                         confidential: OAuthClient) -> None:
    shown = body_of(client.http.get("/.well-known/jwks.json"))["keys"]
    assert jwks_store.get(consistent=True) == shown
    assert all(set(k) == {"kty", "crv", "x", "y", "kid", "use", "alg"} for k in shown)  # public only
    kid = signing_keys.rotate()
    assert [k["kid"] for k in jwks_store.get(consistent=True) or []] == [kid, shown[0]["kid"]]


def test_bootstrap_publishes_an_existing_secret(aws: None) -> None:
    """A deployment whose keys lived only in the secret gets the table item on its next bootstrap."""
    published = jwks_store.get(consistent=True)
    db.delete(jwks_store.PK, jwks_store.SORT)
    bootstrap()
    assert jwks_store.get(consistent=True) == published


def test_a_retired_key_stops_verifying_and_an_unpublished_one_never_does(
        browser: Browser, confidential: OAuthClient, monkeypatch: pytest.MonkeyPatch) -> None:
    old = tokens_for(browser, confidential)["access_token"]
    signing_keys.rotate()
    assert access_tokens.verify(old)  # the previous key still verifies
    signing_keys.retire_previous()
    with pytest.raises(Unauthenticated):
        access_tokens.verify(old)
    # A key that is in the secret but not published (say, someone edited the secret by hand).
    db.put({"pk": jwks_store.PK, "sk": jwks_store.SORT, "keys": [], "updated_at": 0})
    signing_keys.forget_published()
    monkeypatch.setattr(signing_keys, "_last_refresh", [0.0])
    with pytest.raises(Unauthenticated):
        access_tokens.verify(tokens_for(browser, confidential)["access_token"])
    assert jwt.get_unverified_header(old)["kid"] not in {k["kid"] for k in jwks_store.get() or []}
