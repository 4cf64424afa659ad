"""Sign-up and password sign-in."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from .. import audit, clock, hashing, logs, tokens
from ..errors import Conflict, InvalidCredentials, InvalidRequest
from ..store import users as user_store
from . import passwords

_EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]+$")


@dataclass(frozen=True)
class NewAccount:
    user_id: str
    workspace_id: str


def normalise_email(email: str) -> str:
    """Emails compare case-insensitively; the stored form keeps the user's spelling."""
    cleaned = email.strip()
    if len(cleaned) > 254 or not _EMAIL.match(cleaned):
        raise InvalidRequest("Enter a valid email address, like name@example.com.")
    return cleaned


def signup(email: str, password: str, workspace_name: str, ip: str | None = None,
           user_agent: str | None = None) -> NewAccount:
    email = normalise_email(email)
    passwords.check_policy(password)
    name = workspace_name.strip()
    if not name:
        raise InvalidRequest("'workspace' must not be blank.")
    user_id, workspace_id = tokens.new_id("usr_"), tokens.new_id("ws_")
    now = clock.now()
    user = {"user_id": user_id, "email": email, "email_lower": email.lower(),
            "password_hash": hashing.hash_secret(password),
            "workspace_id": workspace_id, "created_at": now, "email_verified": False}
    workspace = {"workspace_id": workspace_id, "name": name, "owner_id": user_id, "created_at": now}
    if not user_store.create(user, workspace):
        raise Conflict("email_taken", "An account with this email already exists. Sign in instead.")
    logs.log("signup", user_id=user_id, workspace_id=workspace_id)
    audit.record("account.created", workspace_id, user_id=user_id, object_id=user_id, ip=ip,
                 user_agent=user_agent, workspace=name[:100])
    return NewAccount(user_id, workspace_id)


def authenticate(email: str, password: str) -> dict[str, Any]:
    """The user for these credentials, or one generic 401 (same time for unknown emails)."""
    user = None
    if len(email) <= 254 and len(password) <= passwords.MAX_LENGTH:
        user = user_store.get_by_email(email.strip().lower(), same_cost=True)
    stored = user.get("password_hash") if user else None
    if not hashing.verify(stored, password) or user is None:
        error = InvalidCredentials()
        error.user = user  # for the audit log only; the answer is the same either way
        raise error
    if stored and hashing.needs_rehash(stored):
        user_store.set_fields(user["user_id"], {"password_hash": hashing.hash_secret(password)})
    return user


def profile(user_id: str) -> dict[str, Any]:
    """The signed-in user's record (its session proves it exists)."""
    user = user_store.get(user_id)
    if user is None:
        raise InvalidCredentials("This account no longer exists.")
    return user
