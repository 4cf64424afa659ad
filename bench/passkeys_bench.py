"""Passkey costs: the library's checks alone, and the routes in-process.

    .venv/bin/python -m bench.passkeys_bench

The authenticator is the tests' software one (tests/passkeys/authenticator.py). Route timings
use chalice.test.Client against moto's in-memory DynamoDB (`mock_aws`): our code's share,
not DynamoDB's network latency.
"""

from __future__ import annotations

import json
import sys
from typing import Any

from bench.common import EMAIL, PASSWORD, Row, main, median_ms, ms, signed_in_owner


def unit_costs() -> dict[str, float]:
    from webauthn import verify_authentication_response, verify_registration_response
    from webauthn.helpers import bytes_to_base64url

    from tests.passkeys.authenticator import ORIGIN, RP_ID, SoftAuthenticator

    challenge = b"c" * 32
    options = {"challenge": bytes_to_base64url(challenge), "user": {"id": "dXNy"}}
    device = SoftAuthenticator(counts_up=False)
    created = device.create(options)
    verified = verify_registration_response(credential=created, expected_challenge=challenge,
                                            expected_rp_id=RP_ID, expected_origin=ORIGIN,
                                            require_user_verification=True)
    assertion = device.get(options)
    return {
        "register": median_ms(lambda: verify_registration_response(
            credential=created, expected_challenge=challenge, expected_rp_id=RP_ID,
            expected_origin=ORIGIN, require_user_verification=True), 300),
        "assert": median_ms(lambda: verify_authentication_response(
            credential=assertion, expected_challenge=challenge, expected_rp_id=RP_ID,
            expected_origin=ORIGIN, credential_public_key=verified.credential_public_key,
            credential_current_sign_count=0, require_user_verification=True), 300),
    }


def route_costs() -> dict[str, float]:
    with signed_in_owner(EMAIL, PASSWORD) as owner:
        from tests.conftest import Browser
        from tests.passkeys.authenticator import SoftAuthenticator

        client = owner.client
        device = SoftAuthenticator()

        def add() -> Any:
            options = json.loads(owner.post("/account/passkeys/options", {}).body)
            return owner.post("/account/passkeys", {"credential": device.create(options)})

        def sign_in() -> Any:
            browser = Browser(client)
            options = json.loads(browser.post("/login/passkey/options", {}).body)
            answer = browser.post("/login/passkey", {"credential": device.get(options)})
            assert answer.status_code == 200, answer.body
            return answer

        costs = {"add": median_ms(add, 15)}
        costs["sign_in"] = median_ms(sign_in, 30)
        costs["options"] = median_ms(lambda: Browser(client).post("/login/passkey/options", {}), 30)
    return costs


def rows() -> list[Row]:
    units = unit_costs()
    return [Row("Passkey assertion / registration check in `webauthn` (`bench.passkeys_bench`)",
                f"{ms(units['assert'])} / {ms(units['register'])}", "well under a password's Argon2")]


def all_rows() -> list[Row]:
    units, routes = unit_costs(), route_costs()
    measured = [
        ("webauthn verify_registration_response (attestation none, ES256)", units["register"]),
        ("webauthn verify_authentication_response (ES256)", units["assert"]),
        ("POST /account/passkeys/options + POST /account/passkeys", routes["add"]),
        ("POST /login/passkey/options (challenge write + cookie)", routes["options"]),
        ("options + POST /login/passkey (challenge, guard, verify, counter, session)", routes["sign_in"]),
    ]
    return [Row(what, ms(value), "") for what, value in measured]


if __name__ == "__main__":
    main(rows if "--json" in sys.argv else all_rows)
