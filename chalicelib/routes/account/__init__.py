"""Account: sign-up, sign-in, the second sign-in step, sign-out, their pages, and /account."""

from ..base import Area

bp = Area(__name__)

from . import pages, passkey_signin, second_step, signin  # noqa: E402,F401 - each registers its routes on bp
