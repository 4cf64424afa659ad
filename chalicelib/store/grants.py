"""Grants: one per authorization (an "OAuth session"), the record every token points at.

`GRANT#<grant_id>` / `GRANT`, listed per user through gsi1 (`USER#<user_id>` /
`GRANT#<created_at>#<grant_id>`). A grant is written, with its whole lifetime, when
its authorization code is issued: pending, it holds the code's digest and bindings (an
unredeemed one stays pending, listed by no one, until it expires). Redeeming the code
activates it in one conditional UpdateItem (`redeem`), which sets `redeemed_at` and its
first refresh token's digest. Rotation is one conditional UpdateItem too (`rotate`).
Access tokens carry the grant id as `sid`; the authorizer's single read is this item
(`revoked_at`, `revoked_jtis`).
"""

from __future__ import annotations

from typing import Any

from . import db, oauth_clients, refresh_tokens

SORT = "GRANT"


def _pk(grant_id: str) -> str:
    return f"GRANT#{grant_id}"


def get(grant_id: str) -> dict[str, Any] | None:
    """Consistent, so a revocation is seen by the very next request."""
    return db.record(db.get(_pk(grant_id), SORT, consistent=True))


def get_many(grant_ids: list[str]) -> dict[str, dict[str, Any]]:
    """Consistent reads of many grants at once (secret scanning reports), by id."""
    items = db.batch_get([(_pk(grant_id), SORT) for grant_id in set(grant_ids)], consistent=True)
    return {item["id"]: db.record(item) for item in items}


def create_pending(grant: dict[str, Any], also: list[dict[str, Any]]) -> None:
    """Store a grant whose code is being issued, its client link and `also` (its audit
    event), all or none. A fresh grant id never collides; the condition makes that an invariant."""
    item = {"pk": _pk(grant["id"]), "sk": SORT, "gsi1pk": f"USER#{grant['user_id']}",
            "gsi1sk": f"GRANT#{grant['created_at']:012d}#{grant['id']}", "ttl": grant["expires_at"],
            **grant}
    link = oauth_clients.grant_link(grant["client_id"], grant["id"], grant["expires_at"])
    db.transact([db.put_action(item, "attribute_not_exists(pk)"), db.put_action(link),
                 *(db.put_action(extra, "attribute_not_exists(pk)") for extra in also)])


def _sets(fields: dict[str, Any]) -> tuple[str, dict[str, str], dict[str, Any]]:
    return (", ".join(f"#{name} = :{name}" for name in fields), {f"#{name}": name for name in fields},
            {f":{name}": value for name, value in fields.items()})


def redeem(grant_id: str, code_digest: str, binding: dict[str, Any], now: int, issued_after: int,
           activate: dict[str, Any]) -> tuple[bool, dict[str, Any] | None]:
    """Redeem the grant's code and activate the grant with `activate`'s fields, if the code
    is unused, unrevoked, issued after `issued_after` (so unexpired) and `binding` holds.

    `binding` is what the token request must match: `client_id`, `redirect_uri` (None when
    the request sent none; `redirect_default`: it is the client's only registered URI, which
    a code issued without a redirect_uri went to) and `code_challenge` (what the request's
    verifier hashes to, or None without a verifier). `(True, the grant as now)` when
    redeemed, else `(False, the grant as it was, or None)`: the caller tells why from it.
    Nothing is written unless every binding holds, so a wrong verifier does not use the code up.
    """
    expression, names, vals = _sets({**activate, "redeemed_at": now})
    vals.update({":code": code_digest, ":after": issued_after, ":client": binding["client_id"]})
    # RFC 6749 §4.1.2: single use, and short-lived; the grant may have been revoked before.
    condition = ("code_digest = :code AND attribute_not_exists(redeemed_at) "
                 "AND attribute_not_exists(revoked_at) AND created_at > :after AND client_id = :client")
    # RFC 6749 §4.1.3: a redirect_uri the authorization request gave must come back identical.
    if binding["redirect_uri"] is None:
        condition += " AND attribute_not_exists(redirect_uri)"
    else:
        condition += (" AND (redirect_uri = :uri OR attribute_not_exists(redirect_uri))"
                      if binding["redirect_default"] else " AND redirect_uri = :uri")
        vals[":uri"] = binding["redirect_uri"]
    if binding["code_challenge"] is None:
        condition += " AND attribute_not_exists(code_challenge)"
    else:
        condition += " AND code_challenge = :challenge"
        vals[":challenge"] = binding["code_challenge"]
    try:
        grant = db.update(_pk(grant_id), SORT, "SET " + expression, names=names, vals=vals,
                          condition=condition, return_values="ALL_NEW")
    except db.ConditionFailed as lost:
        return False, db.record(lost.old) if lost.old else None
    return True, db.record(grant or {})


def rotate(grant_id: str, client_id: str, old_digest: str, new_digest: str, now: int,
           legacy_record: dict[str, Any] | None = None) -> tuple[bool, dict[str, Any]]:
    """Make `new_digest` the refresh token of `client_id`'s grant in place of `old_digest`:
    `(True, the grant as now)`.

    One conditional write, the single point where of two racing rotations exactly one
    wins. When it loses, `(False, the grant as it was, {} if absent)`, so the caller tells
    a reuse from a revocation without another read. A token of the older format has its
    successor's record (`legacy_record`) written with it, in one transaction.
    """
    # `last_used_at` is also when `previous_digest` was retired (the grace period's clock).
    expression = "SET refresh_digest = :new, previous_digest = :old, last_used_at = :now"
    vals: dict[str, Any] = {":new": new_digest, ":old": old_digest, ":now": now, ":client": client_id}
    # `old` still its current token (so the grant exists and was redeemed), not revoked, not
    # expired: a revocation or another rotation that landed first makes this one lose, and the
    # grant's own expiry stays the authority. RFC 6749 §6: only for the client it was issued to.
    condition = ("refresh_digest = :old AND client_id = :client "
                 "AND attribute_not_exists(revoked_at) AND expires_at > :now")
    if legacy_record is not None:
        update = db.update_action(_pk(grant_id), SORT, expression, vals=vals, condition=condition,
                                  return_old=True)
        try:
            db.transact([update, refresh_tokens.put_action(legacy_record)])
        except db.TransactionCanceled as lost:
            return False, db.record(lost.olds[0] or {})
        return True, get(grant_id) or {}
    try:
        grant = db.update(_pk(grant_id), SORT, expression, vals=vals, condition=condition,
                          return_values="ALL_NEW")
    except db.ConditionFailed as lost:
        return False, db.record(lost.old or {})
    return True, db.record(grant or {})


def revoke(grant_id: str, now: int, reason: str) -> bool:
    """End the grant (all its tokens); False when it was absent or already revoked."""
    try:
        db.update(_pk(grant_id), SORT, "SET revoked_at = :now, revoked_reason = :why",
                  vals={":now": now, ":why": reason},
                  # Never create a stub item, and keep the first revocation's time and reason.
                  condition="attribute_exists(pk) AND attribute_not_exists(revoked_at)")
    except db.ConditionFailed:
        return False
    return True


def revoke_jti(grant_id: str, jti: str) -> None:
    """Refuse one access token from now on (RFC 7009 §2.1), leaving the grant's others alive."""
    try:
        db.update(_pk(grant_id), SORT, "ADD revoked_jtis :jti", vals={":jti": {jti}},
                  # Only an existing grant: never create a stub item.
                  condition="attribute_exists(pk)")
    except db.ConditionFailed:
        pass


def for_user(user_id: str) -> list[dict[str, Any]]:
    return db.records(db.query_all(f"USER#{user_id}", index=db.GSI1, sk_prefix="GRANT#"))
