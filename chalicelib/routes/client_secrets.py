"""OAuth client secret rotation: `/account/oauth-clients/{id}/secrets` (session + CSRF) and
`/v1/oauth-clients/{id}/secrets` (admin bearer); Settings → Applications' rotate and delete forms."""

from __future__ import annotations

from typing import Any

from chalice.app import Response

from ..accounts.sessions import Session
from ..dashboard import applications
from ..errors import ServiceError
from ..oauth import client_secrets
from ..responses import json_response, no_content, redirect
from . import forms
from .base import Area
from .browser import signed_in
from .gate import bearer, require
from .settings_applications import page

bp = Area(__name__)
PATH = applications.PATH


@bp.route("/account/oauth-clients/{client_id}/secrets", methods=["POST"],
          content_types=["application/json", "application/x-www-form-urlencoded"])
def add_secret(client_id: str) -> Response:
    session = signed_in(bp.current_request)
    return json_response(client_secrets.add(session.workspace_id, client_id, session.user_id,
                                            user_id=session.user_id), 201)


@bp.route("/account/oauth-clients/{client_id}/secrets/{secret_id}", methods=["DELETE"])
def delete_secret(client_id: str, secret_id: str) -> Response:
    session = signed_in(bp.current_request)
    client_secrets.delete(session.workspace_id, client_id, secret_id, session.user_id,
                          user_id=session.user_id)
    return no_content()


@bp.route("/v1/oauth-clients/{client_id}/secrets", methods=["POST"], authorizer=bearer,
          content_types=["application/json", "application/x-www-form-urlencoded", "text/plain"])
def v1_add_secret(client_id: str) -> Response:
    principal = require("admin")
    actor = principal.user_id or principal.credential_id
    return json_response(client_secrets.add(principal.workspace_id, client_id, actor,
                                            user_id=principal.user_id), 201)


@bp.route("/v1/oauth-clients/{client_id}/secrets/{secret_id}", methods=["DELETE"], authorizer=bearer)
def v1_delete_secret(client_id: str, secret_id: str) -> Response:
    principal = require("admin")
    actor = principal.user_id or principal.credential_id
    client_secrets.delete(principal.workspace_id, client_id, secret_id, actor, user_id=principal.user_id)
    return no_content()


def _failed(session: Session, error: ServiceError, form: dict[str, Any]) -> Response:
    return page(session, error.status, error)


@bp.route(PATH + "/{client_id}/secrets", methods=["POST"], html=True, content_types=forms.FORM)
def rotate_page(client_id: str) -> Response:
    """Settings → Applications → Add a new secret: the page shows it once."""
    def action(session: Session, form: dict[str, Any]) -> Response:
        added = client_secrets.add(session.workspace_id, client_id, session.user_id, user_id=session.user_id)
        return page(session, 201, new_secret={**added, "client_id": client_id})

    return forms.post(bp.current_request, PATH, action, _failed)


@bp.route(PATH + "/{client_id}/secrets/{secret_id}/delete", methods=["POST"], html=True,
          content_types=forms.FORM)
def delete_page(client_id: str, secret_id: str) -> Response:
    def action(session: Session, form: dict[str, Any]) -> Response:
        client_secrets.delete(session.workspace_id, client_id, secret_id, session.user_id,
                              user_id=session.user_id)
        return redirect(f"{PATH}?notice=secret_deleted")

    return forms.post(bp.current_request, PATH, action, _failed)
