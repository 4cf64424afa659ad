"""Create what the service needs in whatever endpoint botocore is pointed at.

Idempotent: the table from `infra/table.json` (with TTL on), then each feature's
keys. Used by `make run` and by the tests; on AWS the packaged template does it.
"""

from __future__ import annotations

from .errors import Conflict
from .oauth import signing_keys
from .store import admin
from .twofactor import crypto as totp_crypto


def bootstrap() -> None:
    admin.ensure_table()
    signing_keys.ensure()
    totp_crypto.ensure_key()


def seed_demo(email: str, password: str) -> None:
    """The demo workspace and user of the local stack (kept if already there)."""
    from .accounts import users

    try:
        users.signup(email, password, "Demo Workspace")
    except Conflict:
        pass


if __name__ == "__main__":
    bootstrap()
    print("bootstrap: table and keys ready")
