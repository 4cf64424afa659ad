"""Refresh tokens as presented: which grant each names, and whether it is that grant's.

A token (`credentials.RefreshTokenFormat`) carries its grant's token family, and the grant's
id is derived from the family (`grants.id_for_family`), so a token names its grant without
any lookup. The grant stores `refresh_digest`, the digest of its one current token. With
the grant in hand, a token whose family leads to it was issued for it: current if its
digest is `refresh_digest`, else spent, and a spent one coming back is a reuse (RFC 9700
§4.14.2). A token made up around a known grant id cannot lead to that grant (it would take
a preimage of the id), so it never revokes anything.

Tokens issued before families existed have the same shape; their family leads nowhere, and
their record (`store/refresh_tokens`) names their grant instead (`legacy_grant`).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from .. import tokens
from ..credentials import REFRESH_TOKENS
from ..store import grants as grant_store
from ..store import refresh_tokens as legacy_store
from . import grants


@dataclass(frozen=True)
class Presented:
    grant_id: str  # the grant its family leads to
    digest: str  # SHA-256 of the whole token: the grant's `refresh_digest` while current
    family: str


def family_of(code: str) -> str:
    """The token family of the grant a code creates, derived from the code: so the grant's id
    is known when the code is issued, and its first token can be made when the code is redeemed.

    Whoever intercepts a code learns the family, and so can make look-alikes that count as
    reuses and end the grant; the same person can already end it by replaying the code
    (RFC 6749 §4.1.2). Without the current token's own random part no look-alike refreshes.
    """
    material = hashlib.sha256(b"taskforge refresh family\0" + code.encode("utf-8", "surrogatepass")).digest()
    return tokens.base62(int.from_bytes(material, "big"), REFRESH_TOKENS.FAMILY_CHARS)


def issue(family: str) -> tuple[str, str]:
    """A new token of the family: (token, digest)."""
    token = REFRESH_TOKENS.issue(family)
    return token, REFRESH_TOKENS.digest(token)


def present(raw: str) -> Presented | None:
    """The grant the token names, and its digest; None for a malformed token (no read)."""
    if not REFRESH_TOKENS.well_formed(raw):  # the checksum costs no read
        return None
    family = REFRESH_TOKENS.family(raw)
    return Presented(grants.id_for_family(family), REFRESH_TOKENS.digest(raw), family)


def legacy_grant(presented: Presented) -> dict[str, Any] | None:
    """The grant of a token issued before families, which its record names; None for an
    unknown token."""
    record = legacy_store.get(presented.digest)
    return grant_store.get(str(record["grant_id"])) if record else None


def grant_of(presented: Presented) -> dict[str, Any] | None:
    """The grant the token was issued for (its family's, else its record's), current or
    spent; None for a token that is not one of ours."""
    return grant_store.get(presented.grant_id) or legacy_grant(presented)


def lookup(raw: str) -> tuple[Presented, dict[str, Any]] | None:
    """The token and the grant it was issued for, or None for a token that is not one of
    ours. Current or spent: see `current`."""
    presented = present(raw)
    if presented is None:
        return None
    grant = grant_of(presented)
    return (presented, grant) if grant is not None else None


def lookup_many(raws: list[str]) -> dict[str, dict[str, Any]]:
    """`lookup` for many tokens at once (secret scanning reports): the grant of each token
    of ours, by token, in two or three batch reads."""
    presented = {raw: p for raw, p in ((raw, present(raw)) for raw in raws) if p is not None}
    found = grant_store.get_many([p.grant_id for p in presented.values()]) if presented else {}
    owners = {raw: p.grant_id for raw, p in presented.items() if p.grant_id in found}
    older = {p.digest: raw for raw, p in presented.items() if raw not in owners}
    records = legacy_store.get_many(list(older)) if older else {}
    legacy = {digest: str(record["grant_id"]) for digest, record in records.items()}
    if legacy:
        found.update(grant_store.get_many(list(legacy.values())))
        owners.update({older[digest]: grant_id for digest, grant_id in legacy.items() if grant_id in found})
    return {raw: found[grant_id] for raw, grant_id in owners.items()}


def current(presented: Presented, grant: dict[str, Any], now: int) -> bool:
    """The grant's live refresh token (constant-time on the digests)."""
    return grants.active(grant, now) and tokens.same(presented.digest, str(grant.get("refresh_digest") or ""))
