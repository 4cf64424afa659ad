"""Create what the service needs in whatever endpoint botocore is pointed at.

Idempotent: the table from `infra/table.json` (with TTL on), then each feature's
keys. Used by `make run` and by the tests; on AWS the packaged template does it.
"""

from __future__ import annotations

from .errors import Conflict
from .oauth import signing_keys
from .settings import get_settings
from .store import admin, mail
from .twofactor import crypto as totp_crypto


def bootstrap() -> None:
    admin.ensure_table()
    signing_keys.ensure()
    totp_crypto.ensure_key()
    mail.ensure_identity(get_settings().mail_from)


def seed_demo(email: str, password: str) -> None:
    """The demo workspace and user of the local stack (kept if already there), its email
    already verified so the quickstart works at once."""
    from .accounts import users
    from .store import users as user_store

    try:
        account = users.signup(email, password, "Demo Workspace")
    except Conflict:
        return
    user_store.set_fields(account.user_id, {"email_verified": True})


if __name__ == "__main__":
    bootstrap()
    print("bootstrap: table, keys and the email sender identity ready")
