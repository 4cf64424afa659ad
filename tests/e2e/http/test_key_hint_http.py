"""The key hint ends with the key's own last 4 characters (issue 14, finding 10; CONTRACT
"Details clients rely on"): what a user sees at the end of the key they hold."""

from __future__ import annotations

from tests.e2e.conftest import Stack
from tests.e2e.http.test_apikeys_http import sign_up_and_in


def test_hint_is_prefix_first_four_and_the_keys_last_four(stack: Stack) -> None:
    owner = sign_up_and_in(stack)
    created = owner.create_key(["read"])
    key = created["key"]
    assert created["hint"] == f"tfk_{key[4:8]}\u2026{key[-4:]}"
    listed = owner.http.get(f"{stack.url}/account/api-keys").json()["api_keys"]
    assert [k["hint"] for k in listed] == [created["hint"]]
    assert listed[0]["hint"].endswith(key[-4:])
