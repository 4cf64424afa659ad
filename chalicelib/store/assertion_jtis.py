"""Used client-assertion ids (RFC 7523 §3 item 7): `JTI#<client_id>#<sha256(jti)>` / `JTI`.

The put is conditional on the item being absent: that condition is what makes
each `jti` single-use, also for two requests racing with the same assertion.
The item lives until the assertion expires (TTL cleanup only: past `exp` the
assertion is refused on its own, so a late deletion reopens nothing).
"""

from __future__ import annotations

from . import db


def use(client_id: str, jti_digest: str, expires_at: int) -> bool:
    """Record the jti; False when it was already used."""
    try:
        db.put({"pk": f"JTI#{client_id}#{jti_digest}", "sk": "JTI", "ttl": expires_at},
               # Single use: only the first assertion with this jti finds the item absent.
               "attribute_not_exists(pk)")
    except db.ConditionFailed:
        return False
    return True
