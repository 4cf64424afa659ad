"""Each reported token: ours or not, live or not, and if live, revoked at once.

Our checksum comes first (`credentials.TokenFormat.well_formed`): a string that is not one of our tokens costs
no store read. Then consistent reads (one BatchGetItem for the keys, one for the grants the
refresh tokens' families lead to, and for tokens of the older format their records and
grants): a look-alike built around a known grant id leads to no grant and revokes nothing. A live
API key is revoked with the reason and the URL it was found at; a refresh token ends its whole
grant (RFC 7009 §2.1: what the grant issued goes with it), because whoever holds it can hold
the current one too.

The label is GitHub's token-verification feedback: `true_positive` for a credential of ours
that was live when reported. A credential we already revoked because of a report stays
`true_positive`, so the same report twice (GitHub retries) answers the same and revokes once.
"""

from __future__ import annotations

import contextvars
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from typing import Any

from .. import audit
from ..apikeys import records
from ..apikeys.manage import RETENTION_SECONDS
from ..credentials import API_KEYS, REFRESH_TOKENS
from ..oauth import grants, refresh_tokens
from ..store import apikeys as key_store
from ..store import grants as grant_store
from .notice import Leak, notify_workspace
from .report import Reported

ACTOR = "github-secret-scanning"
LEAKED = "leaked"
WORKERS = 8


def check_all(reported: list[Reported], now: int) -> dict[str, bool]:
    """Each distinct token's label: True (`true_positive`) for a live credential of ours, now revoked.

    The tokens that pass our checksum are read in one batch; the revocations (a conditional
    write and an audit record each) run a few at a time, so a report of 100 live keys costs
    about 100 / WORKERS round trips of latency rather than 200.
    """
    keys = {API_KEYS.digest(r.token): r for r in reported if API_KEYS.well_formed(r.token)}
    refresh = {r.token: r for r in reported if REFRESH_TOKENS.well_formed(r.token)}
    key_records = key_store.get_many(list(keys)) if keys else {}
    refresh_grants = refresh_tokens.lookup_many(list(refresh)) if refresh else {}
    checks = [partial(_api_key, keys[d], record, now) for d, record in key_records.items()]
    checks += [partial(_refresh_token, refresh[token], grant, now) for token, grant in refresh_grants.items()]
    found = dict.fromkeys((r.token for r in reported), False)
    found.update(_run(checks))
    return found


def _run(checks: Sequence[Callable[[], tuple[str, bool]]]) -> list[tuple[str, bool]]:
    if len(checks) <= 1:
        return [check() for check in checks]
    with ThreadPoolExecutor(max_workers=min(WORKERS, len(checks))) as pool:
        # Each check runs in a copy of this request's context, so its log lines keep the request id.
        futures = [pool.submit(contextvars.copy_context().run, check) for check in checks]
        return [future.result() for future in futures]


def _api_key(reported: Reported, record: dict[str, Any], now: int) -> tuple[str, bool]:
    if records.status(record, now) == records.ACTIVE:
        digest, ttl = record["digest"], min(now, record.get("expires_at") or now) + RETENTION_SECONDS
        if key_store.revoke_leaked(digest, now, ACTOR, reported.url, reported.source, ttl):
            _record(reported, record["workspace_id"], "api_key", record["id"],
                    f"{record['label']} ({record['hint']})", hint=record["hint"])
            return reported.token, True
        record = key_store.get(digest) or record  # revoked meanwhile: by whom, and why?
    return reported.token, record.get("revoked_reason") == LEAKED


def _refresh_token(reported: Reported, grant: dict[str, Any], now: int) -> tuple[str, bool]:
    if grants.live(grant, now):
        if grants.revoke(grant["id"], LEAKED, actor=ACTOR):
            _record(reported, grant["workspace_id"], "refresh_token", grant["id"],
                    str(grant.get("client_name") or grant["client_id"]),
                    user_id=grant["user_id"], client_id=grant["client_id"])
            return reported.token, True
        grant = grant_store.get(grant["id"]) or grant
    return reported.token, grant.get("revoked_reason") == LEAKED


def _record(reported: Reported, workspace_id: str, credential_type: str, object_id: str, name: str,
            user_id: str | None = None, **details: Any) -> None:
    audit.record("credential.leaked", workspace_id, actor=ACTOR, user_id=user_id, object_id=object_id,
                 credential_type=credential_type, url=reported.url, source=reported.source, **details)
    notify_workspace(Leak(workspace_id, credential_type, object_id, name, reported.url, reported.source))
