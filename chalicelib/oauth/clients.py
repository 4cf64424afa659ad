"""OAuth client registration: create, list, delete (RFC 6749 §2).

`client_id` is public and random; a confidential client's secret (`tfs_…`) is
shown once, in the creation answer, and stored only as a SHA-256 digest
(client_secrets: rotation, constant-time checks).
Deleting a client revokes every grant it holds, so its access tokens stop
working on the very next request and its refresh tokens at once.
"""

from __future__ import annotations

from typing import Any

from .. import audit, clock, scopes, tokens
from ..errors import InvalidRequest, NotFound
from ..store import oauth_clients as client_store
from ..validation import required_text
from . import client_assertion, client_metadata, client_secrets, cors, grants, redirect_uris
from .client_metadata import GRANT_TYPES as GRANT_TYPES
from .client_metadata import words as _words

CONFIDENTIAL, PUBLIC = "confidential", "public"
DEFAULT_SCOPES = ["read"]
PUBLIC_FIELDS = ("client_id", "name", "type", "redirect_uris", "scopes", "grant_types",
                 "token_endpoint_auth_method", "created_at", "last_token_at")
OPTIONAL_FIELDS = ("jwks",)


def _fields(body: dict[str, Any]) -> dict[str, Any]:
    name = required_text(body, "name", max_len=100).strip()
    if not name:
        raise InvalidRequest("'name' must not be blank.")
    kind = body.get("type")
    if kind not in (CONFIDENTIAL, PUBLIC):
        raise InvalidRequest("'type' must be \"confidential\" or \"public\".")
    grant_types = client_metadata.grant_types(body, kind == CONFIDENTIAL)
    uris = _words(body, "redirect_uris", redirect_uris.MAX_URIS + 1)
    code_flow = client_metadata.AUTHORIZATION_CODE in grant_types
    if uris is None and code_flow:
        raise InvalidRequest("'redirect_uris' is required.")
    requested_scopes = _words(body, "scopes", 3)
    registered = redirect_uris.validate_all(uris) if uris is not None and (uris or code_flow) else []
    method = client_metadata.auth_method(body, kind == CONFIDENTIAL)
    if (method == client_metadata.PRIVATE_KEY_JWT) != (body.get("jwks") is not None):
        raise InvalidRequest("'jwks' is required with private_key_jwt, and only with it.")
    keys = {"jwks": client_assertion.validate_jwks(body["jwks"])} if body.get("jwks") is not None else {}
    return {"name": name, "type": kind, "redirect_uris": registered,
            "scopes": scopes.validate(requested_scopes if requested_scopes is not None else DEFAULT_SCOPES),
            "grant_types": grant_types,
            "token_endpoint_auth_method": method, **keys}


def register(workspace_id: str, actor: str, body: dict[str, Any],
             user_id: str | None = None) -> dict[str, Any]:
    """Create a client; the answer holds `client_secret` for confidential clients (only here)."""
    record = {"client_id": tokens.new_id("cli_"), "workspace_id": workspace_id, "created_by": actor,
              "created_at": clock.now(), **_fields(body)}
    secret = None
    if client_metadata.uses_secret(record):
        secret, secret_id, entry = client_secrets.new_entry(record["created_at"])
        record["secrets"] = {secret_id: entry}
    # The origin index first: if the store fails between the two writes, what is left is an
    # origin a preflight may use (harmless: answers still need the client), never a client
    # whose origins are missing.
    cors.registered(record)
    client_store.put(record)
    audit.record("oauth.client_created", workspace_id, actor=actor, user_id=user_id,
                 object_id=record["client_id"], name=record["name"], type=record["type"])
    answer = {**public(record)}
    if secret:
        answer["client_secret"] = secret
    return answer


def public(record: dict[str, Any]) -> dict[str, Any]:
    answer = {name: record.get(name) for name in PUBLIC_FIELDS}
    answer["token_endpoint_auth_method"] = record.get("token_endpoint_auth_method") or (
        client_metadata.BASIC if record["type"] == CONFIDENTIAL else client_metadata.NONE)
    answer.update({name: record[name] for name in OPTIONAL_FIELDS if name in record})
    if "secrets" in record or "secret_hash" in record:
        answer["secrets"] = client_secrets.views(record)
    return answer


def list_for(workspace_id: str) -> list[dict[str, Any]]:
    records = client_store.for_workspace(workspace_id)
    return [public(r) for r in sorted(records, key=lambda r: r["created_at"]) if not r.get("deleted_at")]


def delete(workspace_id: str, client_id: str, actor: str, user_id: str | None = None) -> None:
    """Delete a client of this workspace and revoke its grants; another workspace's id is a 404."""
    if not client_id.startswith("cli_") or len(client_id) > 40:
        raise NotFound("No such OAuth client.")
    record = client_store.mark_deleted(client_id, workspace_id, clock.now())
    if record is None:
        raise NotFound("No such OAuth client.")
    cors.deleted(record)
    revoked = grants.revoke_all_of_client(client_id)
    audit.record("oauth.client_deleted", workspace_id, actor=actor, user_id=user_id,
                 object_id=client_id, grants_revoked=str(revoked))


def get_active(client_id: str | None) -> dict[str, Any] | None:
    """A live (not deleted) client, or None; never a store read for an implausible id."""
    if not client_id or not client_id.startswith("cli_") or len(client_id) > 40:
        return None
    record = client_store.get(client_id)
    return record if record and not record.get("deleted_at") else None
