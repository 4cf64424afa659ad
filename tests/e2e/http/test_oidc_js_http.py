"""OpenID Connect with a JavaScript client: panva's oauth4webapi (npm, unmodified) run by node does
discovery -> authorization code + PKCE -> id_token validation -> userinfo against the local stack;
this test plays the user's browser in between."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.e2e.conftest import ROOT, Stack
from tests.e2e.http.interop import REDIRECT, Person

JS = ROOT / "tests" / "e2e" / "js"


def _installed() -> Path:
    """`make test` runs `npm ci` here; a bare pytest run installs once the same way."""
    if shutil.which("node") is None:
        pytest.fail("node is required for the JavaScript interop test")
    if not (JS / "node_modules" / "oauth4webapi").is_dir():
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=JS, check=True, timeout=300)
    return JS / "oidc_flow.mjs"


def test_oauth4webapi_discovery_code_pkce_id_token_userinfo(stack: Stack) -> None:
    script = _installed()
    person = Person(stack)
    app = person.register(type="public", redirect_uris=[REDIRECT], scopes=["read"])
    node = subprocess.Popen(["node", str(script), stack.url, app["client_id"], REDIRECT], cwd=JS,
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert node.stdin is not None and node.stdout is not None
    try:
        first = json.loads(node.stdout.readline())
        assert "authorization_url" in first, first
        node.stdin.write(person.authorize(first["authorization_url"]) + "\n")
        node.stdin.flush()
        result = json.loads(node.stdout.readline())
    finally:
        node.wait(timeout=30)
    assert "error" not in result, result
    claims = result["claims"]
    assert claims["aud"] == app["client_id"] and claims["iss"] == stack.url
    assert claims["email"] == person.email and "auth_time" in claims and "at_hash" in claims
    assert result["userinfo"] == {"sub": claims["sub"], "email": person.email,
                                  "email_verified": claims["email_verified"]}
    assert result["scope"] == "openid email read"
