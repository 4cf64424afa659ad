"""Account: sign-up, sign-in (password or passkey), the second sign-in step, sign-out, their
pages, /account, and recovering an account: email verification, password change and reset,
email change, deletion (Settings → Account)."""

from ..base import Area

bp = Area(__name__)

from . import pages, passkey_signin, recovery, second_step, settings, signin  # noqa: E402,F401 - each registers its routes on bp
