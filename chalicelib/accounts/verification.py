"""Email verification: a link emailed at sign-up (and on request), valid 24 hours, once.

Until verified, an account can sign in but cannot create API keys or OAuth clients
(403 `email_unverified`). A new link voids the older ones. Accounts created before
verification existed carry no `email_verified` attribute and count as verified.

Sending failures: at sign-up the account is created anyway (the failure is logged
and audited; the person can ask for a new link); a resend that SES refuses is a 503
(the email is all that request is for, so it must not look as if it worked).
"""

from __future__ import annotations

from typing import Any

from .. import audit, clock
from ..caller import Caller
from ..errors import Conflict, EmailUnverified, InvalidToken, MailUnavailable
from ..mailer import compose
from ..store import account_tokens
from ..store import users as user_store
from . import links
from .throttle import Throttle

PURPOSE = "verify"
RESEND = Throttle("verify-resend", 5, 3600)


def send_link(user: dict[str, Any], caller: Caller) -> None:
    """Issue a link and email it; raises MailUnavailable when SES refuses."""
    token = links.issue(user, PURPOSE)
    compose.send(str(user["email"]), "verify_email", "Verify your email address for TaskForge",
                 url=compose.link("/verify-email", token))
    _audit("email.verification_sent", user, caller)


def after_signup(user_id: str, caller: Caller) -> None:
    """The first link; a sending failure never undoes the sign-up."""
    user = user_store.get(user_id)
    if user is None:
        return
    try:
        send_link(user, caller)
    except MailUnavailable:
        compose.failed("verify_email")
        _audit("email.send_failed", user, caller, template="verify_email")


def resend(user_id: str, caller: Caller) -> None:
    user = user_store.get(user_id)
    if user is None:
        raise InvalidToken("This account no longer exists.")
    if is_verified(user):
        raise Conflict("email_already_verified", "Your email address is already verified.")
    RESEND.take(user_id)
    send_link(user, caller)


def verify(token: Any, caller: Caller) -> dict[str, Any]:
    """Mark the address verified; the link must be the newest and for the current address."""
    record = links.find(token, PURPOSE)
    reasons = account_tokens.redeem(record, clock.now(), "SET email_verified = :true",
                                 {"#email": "email_lower"},
                                 {":true": True, ":email": record["email_lower"]},
                                 # The address the link went to is still the account's address.
                                 condition="#email = :email")
    if reasons is not None:
        raise InvalidToken()
    user = user_store.get(record["user_id"]) or {"user_id": record["user_id"], "workspace_id": ""}
    _audit("email.verified", user, caller)
    return user


def is_verified(user: dict[str, Any]) -> bool:
    return bool(user.get("email_verified", True))


def require_verified(user_id: str) -> None:
    """403 email_unverified for an account that has not confirmed its address yet."""
    user = user_store.get(user_id)
    if user is not None and not is_verified(user):
        raise EmailUnverified()


def _audit(kind: str, user: dict[str, Any], caller: Caller, **details: str) -> None:
    if user.get("workspace_id"):
        audit.record(kind, user["workspace_id"], user_id=user["user_id"], object_id=user["user_id"],
                     ip=caller.ip, user_agent=caller.user_agent, **details)
