"""Users, their unique emails and their workspaces (see infra/TABLE.md)."""

from __future__ import annotations

from typing import Any

from . import db


def user_key(user_id: str) -> tuple[str, str]:
    return f"USER#{user_id}", "PROFILE"


def create(user: dict[str, Any], workspace: dict[str, Any]) -> bool:
    """Store user, email guard and workspace at once; False when the email is taken."""
    email_guard = {"pk": f"EMAIL#{user['email_lower']}", "sk": "USER", "user_id": user["user_id"]}
    try:
        db.transact([
            # attribute_not_exists on the guard makes the email unique across racing sign-ups.
            db.put_action(email_guard, "attribute_not_exists(pk)"),
            db.put_action({"pk": f"USER#{user['user_id']}", "sk": "PROFILE", **user},
                          "attribute_not_exists(pk)"),
            db.put_action({"pk": f"WORKSPACE#{workspace['workspace_id']}", "sk": "META", **workspace},
                          "attribute_not_exists(pk)"),
        ])
    except db.TransactionCanceled as exc:
        if exc.reasons and exc.reasons[0] == "ConditionalCheckFailed":
            return False
        raise
    return True


def get(user_id: str) -> dict[str, Any] | None:
    return db.record(db.get(*user_key(user_id), consistent=True))


NO_USER = "usr_0000000000000000"  # never issued: new_id draws 16 random base62 characters


def email_guard_moves(user_id: str, old_lower: str, new_lower: str) -> list[dict[str, Any]]:
    """Transaction actions moving a user's email guard from `old_lower` to `new_lower`."""
    return [
        # The old guard must still point at this user (nothing else moved it meanwhile).
        db.delete_action(f"EMAIL#{old_lower}", "USER", "user_id = :uid", vals={":uid": user_id}),
        # The new address must still be free: emails stay unique across accounts.
        db.put_action({"pk": f"EMAIL#{new_lower}", "sk": "USER", "user_id": user_id},
                      "attribute_not_exists(pk)"),
    ]


def get_by_email(email_lower: str, same_cost: bool = False) -> dict[str, Any] | None:
    """The user with this email; `same_cost` reads twice for unknown emails too (sign-in timing)."""
    guard = db.get(f"EMAIL#{email_lower}", "USER", consistent=True)
    if guard is None and same_cost:
        get(NO_USER)
    return get(guard["user_id"]) if guard else None


def set_fields(user_id: str, fields: dict[str, Any], remove: tuple[str, ...] = ()) -> None:
    """Set (and remove) attributes of an existing user."""
    names = {f"#f{i}": name for i, name in enumerate(fields)}
    vals = {f":v{i}": value for i, value in enumerate(fields.values())}
    expression = "SET " + ", ".join(f"#f{i} = :v{i}" for i in range(len(fields))) if fields else ""
    if remove:
        names.update({f"#r{i}": name for i, name in enumerate(remove)})
        expression += " REMOVE " + ", ".join(f"#r{i}" for i in range(len(remove)))
    db.update(*user_key(user_id), expression.strip(), names, vals, condition="attribute_exists(pk)")


def workspace(workspace_id: str) -> dict[str, Any] | None:
    return db.record(db.get(f"WORKSPACE#{workspace_id}", "META"))


def delete_account(user: dict[str, Any], workspace_id: str | None) -> bool:
    """Remove the user, its email guard (and the workspace when given) at once; False when
    the account was already gone or changed its email meanwhile."""
    actions = [
        # attribute_exists: of two racing deletions only one reports success.
        db.delete_action(*user_key(user["user_id"]), "attribute_exists(pk)"),
        # The guard must still be this user's: never free an address someone else now holds.
        db.delete_action(f"EMAIL#{user['email_lower']}", "USER", "user_id = :uid",
                         vals={":uid": user["user_id"]}),
    ]
    if workspace_id:
        actions.append(db.delete_action(f"WORKSPACE#{workspace_id}", "META"))
    try:
        db.transact(actions)
    except db.TransactionCanceled:
        return False
    return True


def workspace_name(workspace_id: str) -> str | None:
    item = db.get(f"WORKSPACE#{workspace_id}", "META")
    return str(item["name"]) if item and item.get("name") else None
