"""Security notices: an email to the account's address after a sensitive change.

Sent for: password changed or reset, email changed (to the old address), 2FA on
or off, an API key created, a leaked credential revoked, a passkey added or
removed. A notice never blocks or undoes the change it reports: when SES fails,
the change stands and the failure is logged and audited (`email.send_failed`),
because refusing a password change because a mail server is down would leave
the account less safe, not more.
"""

from __future__ import annotations

import time
from typing import Any

from .. import audit, clock
from ..errors import MailUnavailable, StoreUnavailable
from ..store import users as user_store
from . import compose

# kind -> (subject, what happened, in one sentence)
NOTICES: dict[str, tuple[str, str]] = {
    "password_changed": ("Your TaskForge password was changed",
                         "The password of your TaskForge account was changed."),
    "password_reset": ("Your TaskForge password was reset",
                       "The password of your TaskForge account was reset with a link sent to this address. "
                       "Every browser signed in to your account was signed out."),
    "email_changed": ("The email address of your TaskForge account was changed",
                      "Your TaskForge account now signs in with a different email address."),
    "email_change_requested": ("A change of your TaskForge email address was requested",
                               "Someone signed in to your TaskForge account asked to move it to a new "
                               "email address. Nothing changes until the new address is confirmed."),
    "twofactor_enabled": ("Two-factor authentication is on",
                          "Two-factor authentication was turned on for your TaskForge account."),
    "twofactor_disabled": ("Two-factor authentication is off",
                           "Two-factor authentication was turned off for your TaskForge account."),
    "api_key_created": ("A new TaskForge API key was created",
                        "A new API key was created in your TaskForge workspace."),
    "credential_leaked": ("A leaked TaskForge credential was revoked",
                          "A credential of your TaskForge workspace was found in public and has been "
                          "revoked. Anything still using it must get a new one."),
    "passkey_added": ("A passkey was added to your TaskForge account",
                      "A new passkey can now sign in to your TaskForge account."),
    "passkey_removed": ("A passkey was removed from your TaskForge account",
                        "A passkey was removed from your TaskForge account."),
    "account_deleted": ("Your TaskForge account was deleted",
                        "Your TaskForge account was deleted, with its sessions and credentials."),
}


def notify(user: dict[str, Any], kind: str, *, to: str | None = None, ip: str | None = None,
           **facts: str) -> bool:
    """Email notice `kind` to the user (or `to`); False, logged and audited, when it failed.

    `facts` are shown as a list (e.g. label="CI deploy", url="https://…"): never a secret.
    """
    subject, happened = NOTICES[kind]
    try:
        compose.send(to or str(user["email"]), "notice", subject, happened=happened,
                     facts=sorted(facts.items()), ip=ip,
                     when=time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime(clock.now())))
    except MailUnavailable:
        compose.failed("notice")
        audit.record("email.send_failed", user["workspace_id"], user_id=user["user_id"],
                     object_id=user["user_id"], ip=ip, template="notice", notice=kind)
        return False
    return True


def notify_user(user_id: str, kind: str, *, ip: str | None = None, **facts: str) -> bool:
    """`notify` for a user id (other features call this: leaked credential, passkeys).
    A store failure while looking the user up is logged, never raised."""
    try:
        user = user_store.get(user_id)
    except StoreUnavailable:
        compose.failed("notice")
        return False
    return notify(user, kind, ip=ip, **facts) if user else False


def notify_workspace(workspace_id: str, kind: str, *, ip: str | None = None, **facts: str) -> bool:
    """`notify` for a workspace: its owner gets the notice."""
    try:
        workspace = user_store.workspace(workspace_id)
    except StoreUnavailable:
        compose.failed("notice")
        return False
    owner = (workspace or {}).get("owner_id")
    return notify_user(str(owner), kind, ip=ip, **facts) if owner else False
