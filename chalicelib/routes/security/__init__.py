"""Settings → Security: the page, two-factor enrolment, active sessions and the audit log."""

from ..base import Area

bp = Area(__name__)

from . import activity, page, passkeys, sessions, twofactor  # noqa: E402,F401 - each registers its routes on bp
