"""Settings → Applications: OAuth clients of the workspace, the registration form, and a
new client's secret shown once."""

from __future__ import annotations

from typing import Any

from .. import clock
from ..accounts.sessions import Session
from ..errors import InvalidRequest, NotFound
from ..oauth import clients
from ..settings import get_settings
from . import api_keys, timefmt

PATH = "/settings/applications"
FIELDS = ("name", "redirect_uris", "type", "scopes")
TYPES = (
    {"value": clients.CONFIDENTIAL, "title": "Confidential",
     "description": "A server-side app that can keep a secret. It gets a client secret and "
                    "authenticates with it at the token endpoint."},
    {"value": clients.PUBLIC, "title": "Public",
     "description": "A single-page, mobile or desktop app that cannot keep a secret. No secret; "
                    "it must use PKCE (S256)."},
)
NOTICES = {"app_deleted": "Application deleted. Its access and refresh tokens no longer work.",
           "secret_deleted": "Client secret deleted. It no longer works."}


def refill(form: dict[str, Any]) -> dict[str, Any]:
    """The registration form's values after an error, so nothing has to be typed twice."""
    values = {"name": "", "redirect_uris": "", "type": clients.CONFIDENTIAL, "scopes": "read"}
    values.update({k: form[k] for k in values if isinstance(form.get(k), str)})
    return {**values, "scopes": values["scopes"].split()}


def register(session: Session, form: dict[str, Any]) -> dict[str, Any]:
    """Register a client from the form; the answer (with any secret) is shown once."""
    if not str(form.get("name") or "").strip():
        raise InvalidRequest("Give the application a name: people see it when it asks for access.")
    if not str(form.get("redirect_uris") or "").strip():
        raise InvalidRequest("Enter at least one redirect URI, one per line.")
    if not form.get("type"):
        raise InvalidRequest("Choose the application type: Confidential or Public.")
    if not str(form.get("scopes") or "").strip():
        raise InvalidRequest("Choose at least one permission the application may ask for.")
    body = {name: form[name] for name in FIELDS if name in form}
    return clients.register(session.workspace_id, session.user_id, body, user_id=session.user_id)


def row(client: dict[str, Any], now: int) -> dict[str, Any]:
    secrets = [{**s, "created": timefmt.stamp(s["created_at"], now),
                "last_used": timefmt.stamp(s["last_used_at"], now) if s.get("last_used_at") else None}
               for s in client.get("secrets") or []]
    return {**client, "created": timefmt.stamp(client["created_at"], now),
            "type_title": client["type"].capitalize(), "secret_rows": secrets,
            "last_token": timefmt.stamp(client["last_token_at"], now) if client.get("last_token_at")
            else None}


def find(workspace_id: str, client_id: str) -> dict[str, Any]:
    """One client of this workspace for the delete confirmation; anything else is 404."""
    for client in clients.list_for(workspace_id):
        if client["client_id"] == client_id:
            return row(client, clock.now())
    raise NotFound("There is no application with this client ID in your workspace.")


def page(workspace_id: str, *, form: dict[str, Any] | None = None,
         created: dict[str, Any] | None = None, notice: str | None = None,
         new_secret: dict[str, Any] | None = None) -> dict[str, Any]:
    now, issuer = clock.now(), get_settings().issuer
    return {
        "apps": [row(c, now) for c in reversed(clients.list_for(workspace_id))],
        "form": refill(form or {}), "types": TYPES, "scope_choices": api_keys.scope_choices(),
        "created": created, "notice": NOTICES.get(notice or ""), "new_secret": new_secret,
        "endpoints": {"authorize": f"{issuer}/oauth/authorize", "token": f"{issuer}/oauth/token",
                      "metadata": f"{issuer}/.well-known/oauth-authorization-server"},
    }
