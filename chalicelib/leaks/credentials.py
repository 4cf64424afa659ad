"""Each reported token: ours or not, live or not, and if live, revoked at once.

Our checksum comes first (tokens.well_formed): a string that is not one of our tokens costs
no store read. Then one consistent read by digest. A live API key is revoked with the reason
and the URL it was found at; a refresh token ends its whole grant (RFC 7009 §2.1: what the
grant issued goes with it), because whoever holds it can hold the current one too.

The label is GitHub's token-verification feedback: `true_positive` for a credential of ours
that was live when reported. A credential we already revoked because of a report stays
`true_positive`, so the same report twice (GitHub retries) answers the same and revokes once.
"""

from __future__ import annotations

from typing import Any

from .. import audit, tokens
from ..apikeys import keyformat, records
from ..apikeys.manage import RETENTION_SECONDS
from ..oauth import grants
from ..store import apikeys as key_store
from ..store import grants as grant_store
from ..store import refresh_tokens as refresh_store
from .notice import Leak, notify_workspace
from .report import Reported

ACTOR = "github-secret-scanning"
LEAKED = "leaked"
REFRESH_PREFIX = "tfr_"


def check(reported: Reported, now: int) -> bool:
    """True (`true_positive`) when the token is a live credential of ours, now revoked."""
    token = reported.token
    if keyformat.well_formed(token):
        return _api_key(reported, now)
    if tokens.well_formed(token, REFRESH_PREFIX):
        return _refresh_token(reported, now)
    return False


def _api_key(reported: Reported, now: int) -> bool:
    digest = keyformat.digest(reported.token)
    record = key_store.get(digest)
    if record is None:
        return False
    if records.status(record, now) == records.ACTIVE:
        ttl = min(now, record.get("expires_at") or now) + RETENTION_SECONDS
        if key_store.revoke_leaked(digest, now, ACTOR, reported.url, reported.source, ttl):
            _record(reported, record["workspace_id"], "api_key", record["id"],
                    f"{record['label']} ({record['hint']})", hint=record["hint"])
            return True
        record = key_store.get(digest) or record  # revoked meanwhile: by whom, and why?
    return record.get("revoked_reason") == LEAKED


def _refresh_token(reported: Reported, now: int) -> bool:
    record = refresh_store.get(tokens.digest(reported.token))
    grant = grant_store.get(record["grant_id"]) if record else None
    if grant is None:
        return False
    if grants.live(grant, now):
        if grants.revoke(grant["id"], LEAKED, actor=ACTOR):
            _record(reported, grant["workspace_id"], "refresh_token", grant["id"],
                    str(grant.get("client_name") or grant["client_id"]),
                    user_id=grant["user_id"], client_id=grant["client_id"])
            return True
        grant = grant_store.get(grant["id"]) or grant
    return grant.get("revoked_reason") == LEAKED


def _record(reported: Reported, workspace_id: str, credential_type: str, object_id: str, name: str,
            user_id: str | None = None, **details: Any) -> None:
    audit.record("credential.leaked", workspace_id, actor=ACTOR, user_id=user_id, object_id=object_id,
                 credential_type=credential_type, url=reported.url, source=reported.source, **details)
    notify_workspace(Leak(workspace_id, credential_type, object_id, name, reported.url, reported.source))
