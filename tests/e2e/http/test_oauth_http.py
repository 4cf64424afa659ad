"""The OAuth code flow over HTTP against the real local stack, driven by a standard client
library (Authlib's OAuth2Session with PKCE S256): authorize -> sign in -> consent -> token ->
API call -> refresh -> revoke, for a confidential and a public client. Access tokens are
checked with nothing but the published JWKS (PyJWT's PyJWKClient)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from typing import Any

import jwt
import pytest
import requests
from authlib.common.security import generate_token
from authlib.integrations.base_client.errors import OAuthError
from authlib.integrations.requests_client import OAuth2Session

from tests.e2e import steps
from tests.e2e.conftest import ROOT, Stack
from tests.html import hidden_inputs

PASSWORD = "correct horse battery staple"
REDIRECT = "http://127.0.0.1:9/callback"  # never contacted: the test reads the redirect itself


class Person:
    """A user with a browser: signs up, registers apps, signs in when asked, consents."""

    def __init__(self, stack: Stack):
        self.stack = stack
        self.email = f"oauth-{uuid.uuid4().hex[:10]}@example.com"
        setup = requests.Session()
        assert setup.post(f"{stack.url}/signup", json={"email": self.email, "password": PASSWORD,
                                                       "workspace": "OAuth E2E"}).status_code == 201
        steps.verify_email(stack.url, self.email)
        login = setup.post(f"{stack.url}/login", json={"email": self.email, "password": PASSWORD})
        self.setup, self.csrf = setup, login.json()["csrf_token"]
        self.browser = requests.Session()  # not signed in yet: the flow will send it to /login

    def register(self, kind: str) -> dict[str, Any]:
        answer = self.setup.post(f"{self.stack.url}/account/oauth-clients",
                                 headers={"X-CSRF-Token": self.csrf},
                                 json={"name": f"E2E {kind} app", "type": kind, "redirect_uris": [REDIRECT],
                                       "scopes": ["write"]})
        assert answer.status_code == 201, answer.text
        created: dict[str, Any] = answer.json()
        return created

    def authorize(self, url: str) -> str:
        """Follow the authorization URL like a browser: sign in if asked, press Allow; the redirect."""
        answer = steps.through_sign_in(self.browser, self.stack.url,
                                       self.browser.get(url, allow_redirects=False), self.email, PASSWORD)
        assert answer.status_code == 200, answer.text
        assert "frame-ancestors 'none'" in answer.headers["Content-Security-Policy"]
        assert ">Allow</button>" in answer.text and ">Deny</button>" in answer.text
        decision = self.browser.post(f"{self.stack.url}/oauth/authorize", allow_redirects=False,
                                     data={**hidden_inputs(answer.text), "decision": "allow"})
        assert decision.status_code == 303, decision.text
        location: str = decision.headers["Location"]
        assert location.startswith(REDIRECT + "?")
        assert f"iss={requests.utils.quote(self.stack.url, safe='')}" in location  # RFC 9207
        return location


def session_for(stack: Stack, client: dict[str, Any]) -> OAuth2Session:
    secret = client.get("client_secret")
    return OAuth2Session(client["client_id"], secret, scope="read write", redirect_uri=REDIRECT,
                         code_challenge_method="S256",
                         token_endpoint_auth_method="client_secret_basic" if secret else "none")


def signed_up_with_grant(stack: Stack, kind: str = "confidential") -> tuple[
        Person, dict[str, Any], OAuth2Session, dict[str, Any]]:
    """A new user who registered an app and approved it: the app's session and its tokens."""
    person = Person(stack)
    client = person.register(kind)
    oauth = session_for(stack, client)
    verifier = generate_token(48)
    url, _ = oauth.create_authorization_url(f"{stack.url}/oauth/authorize", code_verifier=verifier)
    token = oauth.fetch_token(f"{stack.url}/oauth/token", authorization_response=person.authorize(url),
                              code_verifier=verifier)
    return person, client, oauth, token


def verify_with_jwks(stack: Stack, access_token: str) -> dict[str, Any]:
    """What any resource server can do knowing only the metadata document."""
    metadata = requests.get(f"{stack.url}/.well-known/oauth-authorization-server", timeout=10).json()
    signing_key = jwt.PyJWKClient(metadata["jwks_uri"]).get_signing_key_from_jwt(access_token)
    claims: dict[str, Any] = jwt.decode(access_token, signing_key.key, algorithms=["ES256"],
                                        audience="taskforge-api", issuer=metadata["issuer"])
    assert jwt.get_unverified_header(access_token)["typ"] == "at+jwt"
    return claims


@pytest.mark.parametrize("kind", ["confidential", "public"])
def test_full_flow_with_authlib(stack: Stack, kind: str) -> None:
    person = Person(stack)
    client = person.register(kind)
    oauth = session_for(stack, client)
    verifier = generate_token(48)
    url, state = oauth.create_authorization_url(f"{stack.url}/oauth/authorize", code_verifier=verifier)
    assert "code_challenge_method=S256" in url
    redirected = person.authorize(url)

    token = oauth.fetch_token(f"{stack.url}/oauth/token", authorization_response=redirected,
                              code_verifier=verifier)
    assert token["token_type"] == "Bearer" and token["expires_in"] == 3600
    assert token["scope"] == "read write" and token["refresh_token"].startswith("tfr_")
    claims = verify_with_jwks(stack, token["access_token"])
    assert claims["client_id"] == client["client_id"] and claims["scope"] == "read write"

    me = oauth.get(f"{stack.url}/v1/me")  # OAuth2Session sends the Bearer token itself
    assert me.status_code == 200, me.text
    assert me.json()["principal_type"] == "user" and me.json()["client_id"] == client["client_id"]
    assert oauth.post(f"{stack.url}/v1/tasks", json={"title": f"from the {kind} app"}).status_code == 201

    old_refresh = token["refresh_token"]
    renewed = oauth.refresh_token(f"{stack.url}/oauth/token")
    assert renewed["refresh_token"] != old_refresh
    assert verify_with_jwks(stack, renewed["access_token"])["sid"] == claims["sid"]
    assert oauth.get(f"{stack.url}/v1/tasks").json()["tasks"][0]["title"] == f"from the {kind} app"

    revoked = oauth.revoke_token(f"{stack.url}/oauth/revoke", token=renewed["refresh_token"],
                                 token_type_hint="refresh_token")
    assert revoked.status_code == 200
    after = requests.get(f"{stack.url}/v1/me", timeout=10,
                         headers={"Authorization": f"Bearer {renewed['access_token']}"})
    assert after.status_code == 401
    with pytest.raises(OAuthError) as refused:
        oauth.refresh_token(f"{stack.url}/oauth/token", refresh_token=renewed["refresh_token"])
    assert refused.value.error == "invalid_grant"


def test_deny_and_errors_reach_the_client(stack: Stack) -> None:
    person = Person(stack)
    client = person.register("public")
    oauth = session_for(stack, client)
    url, _ = oauth.create_authorization_url(f"{stack.url}/oauth/authorize", code_verifier=generate_token(48))
    person.authorize(url)  # signs the browser in (and the consent is remembered)
    page = person.browser.get(url + "&prompt=consent", allow_redirects=False)  # ask again anyway
    denied = person.browser.post(f"{stack.url}/oauth/authorize", allow_redirects=False,
                                 data={**hidden_inputs(page.text), "decision": "deny"})
    assert "error=access_denied" in denied.headers["Location"]
    plain = url.replace("code_challenge_method=S256", "code_challenge_method=plain")
    assert "error=invalid_request" in person.browser.get(plain, allow_redirects=False).headers["Location"]
    unknown = person.browser.get(url.replace(client["client_id"], "cli_unknown"), allow_redirects=False)
    assert unknown.status_code == 400 and "Location" not in unknown.headers


def test_rotate_signing_key_keeps_issued_tokens_valid(stack: Stack) -> None:
    """`make rotate-signing-key` against the stack: earlier tokens stay valid until they expire."""
    _person, _client, oauth, token = signed_up_with_grant(stack)
    old_kid = jwt.get_unverified_header(token["access_token"])["kid"]
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TASKFORGE_", "AWS_"))}
    env["MOTO_PORT"] = stack.moto_url.rsplit(":", 1)[1]
    rotated = subprocess.run([sys.executable, str(ROOT / "scripts" / "rotate_signing_key.py"), "--local"],
                             cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert rotated.returncode == 0, rotated.stderr
    assert "New signing key" in rotated.stdout
    secret = _stack_secret(stack)
    assert [k["kid"] for k in secret["keys"]][1] == old_kid and len(secret["keys"]) == 2
    assert oauth.get(f"{stack.url}/v1/me").status_code == 200


def _stack_secret(stack: Stack) -> dict[str, Any]:
    import botocore.session

    sm = botocore.session.get_session().create_client(
        "secretsmanager", region_name="us-east-1", endpoint_url=stack.moto_url,
        aws_access_key_id="local", aws_secret_access_key="local")
    value: dict[str, Any] = json.loads(sm.get_secret_value(SecretId="taskforge/signing-keys")["SecretString"])
    return value
