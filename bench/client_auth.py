"""Client authentication costs, in-process and without the store: a client secret checked
against SHA-256 digests (what the token endpoint does now) vs the Argon2id verification it
replaced, and a private_key_jwt assertion's ES256 / RS256 verification.

    .venv/bin/python -m bench.client_auth
"""

from __future__ import annotations

import time
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from bench.common import Row, configure, main, median_ms, ms


def _assertion_cost(key: Any, alg: str) -> float:
    now = int(time.time())
    token = jwt.encode({"iss": "cli_x", "sub": "cli_x", "aud": "http://127.0.0.1:8000/oauth/token",
                        "exp": now + 120, "jti": "j"}, key, algorithm=alg)
    public = key.public_key()
    return median_ms(lambda: jwt.decode(token, public, algorithms=[alg], audience="http://127.0.0.1:8000/oauth/token",
                                        issuer="cli_x"), 300)


def costs() -> dict[str, float]:
    configure(None)
    from chalicelib import hashing
    from chalicelib.oauth import client_secrets

    secret, secret_id, entry = client_secrets.new_entry(int(time.time()))
    client = {"client_id": "cli_bench", "secrets": {secret_id: {**entry, "last_used_at": 2**40}}}
    stored = hashing.hash_secret(secret)
    return {"digest": median_ms(lambda: client_secrets.verify(client, secret), 2000),
            "argon2": median_ms(lambda: hashing.verify(stored, secret), 20),
            "es256": _assertion_cost(ec.generate_private_key(ec.SECP256R1()), "ES256"),
            "rs256": _assertion_cost(rsa.generate_private_key(public_exponent=65537, key_size=2048), "RS256")}


def rows() -> list[Row]:
    found = costs()
    return [Row("Client secret check: SHA-256 digests, constant time / the Argon2id it replaced "
                "(`bench.client_auth`)", f"{found['digest'] * 1000:.1f} µs / {ms(found['argon2'])}",
                "< 1 ms"),
            Row("private_key_jwt assertion verification ES256 / RS256 (`bench.client_auth`)",
                f"{ms(found['es256'])} / {ms(found['rs256'])}", "< 5 ms")]


if __name__ == "__main__":
    main(rows)
