"""Changing the sign-in email: password required, confirmed from the new address.

`request` emails a link to the new address and a notice to the old one, and audits
both addresses. `confirm` (signed in as the same user) switches the address in one
transaction: the old email guard goes, the new one is created under
`attribute_not_exists` (so the address is still free), the user's email changes and
counts as verified. A taken address answers 202 at request time like any other (a
signed-in user must not be able to probe who has an account) and 409 at confirmation.

Sending failures: the confirmation link is the point of the request, so SES refusing
it is a 503 and the sign-in email stays as it was; the notice to the old address
never blocks (logged and audited).
"""

from __future__ import annotations

from typing import Any

from .. import audit, clock
from ..caller import Caller
from ..errors import Conflict, InvalidToken
from ..mailer import compose, notices
from ..store import account_tokens
from ..store import sessions as session_store
from ..store import users as user_store
from . import links, users
from .password_change import check_current
from .sessions import Session
from .throttle import Throttle

PURPOSE = "email"
REQUESTS = Throttle("email-change", 5, 3600)


def request(session: Session, new_email: str, password: str, caller: Caller) -> None:
    user = _profile(session.user_id)
    check_current(user, password)
    new_email = users.normalise_email(new_email)
    if new_email.lower() == str(user["email"]).lower():
        raise Conflict("email_unchanged", "That is already your sign-in email address.")
    REQUESTS.take(user["user_id"])
    token = links.issue(user, PURPOSE, new_email=new_email)
    compose.send(new_email, "email_change", "Confirm your new TaskForge email address",
                 url=compose.link("/settings/account/confirm-email", token))
    audit.record("email.change_requested", user["workspace_id"], user_id=user["user_id"],
                 object_id=user["user_id"], ip=caller.ip, user_agent=caller.user_agent,
                 old_email=str(user["email"]), new_email=new_email)
    notices.notify(user, "email_change_requested", ip=caller.ip, new_address=new_email)


def confirm(session: Session, token: Any, caller: Caller) -> None:
    """Switch the sign-in email; the link must be the signed-in user's own and newest."""
    record = links.find(token, PURPOSE, user_id=session.user_id)
    user = _profile(session.user_id)
    old_lower, new_email = str(user["email"]).lower(), str(record["new_email"])
    guards = user_store.email_guard_moves(user["user_id"], old_lower, new_email.lower())
    reasons = account_tokens.redeem(
        record, clock.now(), "SET #email = :new, #lower = :newlower, email_verified = :true",
        {"#email": "email", "#lower": "email_lower"},
        {":new": new_email, ":newlower": new_email.lower(), ":true": True, ":old": old_lower},
        condition="#lower = :old", extra=guards)
    if reasons is not None:
        if len(reasons) > 3 and reasons[3] == "ConditionalCheckFailed" and reasons[0] == "None":
            raise Conflict("email_taken", "An account with this email already exists.")
        raise InvalidToken()
    for record in session_store.for_user(user["user_id"]):
        session_store.set_email(record["digest"], new_email)
    audit.record("email.changed", user["workspace_id"], user_id=user["user_id"],
                 object_id=user["user_id"], ip=caller.ip, user_agent=caller.user_agent,
                 old_email=str(user["email"]), new_email=new_email)
    notices.notify(user, "email_changed", ip=caller.ip, new_address=new_email)


def _profile(user_id: str) -> dict[str, Any]:
    user = user_store.get(user_id)
    if user is None:
        raise InvalidToken("This account no longer exists.")
    return user
