"""OAuth client secret rotation: `/account/oauth-clients/{id}/secrets` (session + CSRF) and
`/v1/oauth-clients/{id}/secrets` (admin bearer); Settings → Applications' rotate and delete forms."""

from __future__ import annotations

from chalice.app import Response

from ...errors import ServiceError
from ...oauth import client_secrets
from ...responses import json_response, no_content, redirect
from ..browser import signed_in
from ..forms import FORM, JSON_OR_FORM, SessionCall, signed_in_call
from ..gate import bearer, require
from . import bp
from .pages import PATH, page


@bp.route("/account/oauth-clients/{client_id}/secrets", methods=["POST"], content_types=JSON_OR_FORM)
def add_secret(client_id: str) -> Response:
    def add(call: SessionCall) -> Response:
        session = call.session
        return json_response(client_secrets.add(session.workspace_id, client_id, session.user_id,
                                                user_id=session.user_id), 201)

    return signed_in_call(bp.current_request, add, back=None)


@bp.route("/account/oauth-clients/{client_id}/secrets/{secret_id}", methods=["DELETE"])
def delete_secret(client_id: str, secret_id: str) -> Response:
    session = signed_in(bp.current_request)
    client_secrets.delete(session.workspace_id, client_id, secret_id, session.user_id,
                          user_id=session.user_id)
    return no_content()


@bp.route("/v1/oauth-clients/{client_id}/secrets", methods=["POST"], authorizer=bearer,
          content_types=[*JSON_OR_FORM, "text/plain"])
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


def _failed(call: SessionCall, error: ServiceError) -> Response:
    return page(call.session, error=error)


@bp.route(PATH + "/{client_id}/secrets", methods=["POST"], html=True, content_types=FORM)
def rotate_page(client_id: str) -> Response:
    """Settings → Applications → Add a new secret: the page shows it once."""
    def action(call: SessionCall) -> Response:
        session = call.session
        added = client_secrets.add(session.workspace_id, client_id, session.user_id, user_id=session.user_id)
        return page(session, 201, new_secret={**added, "client_id": client_id})

    return signed_in_call(bp.current_request, action, back=PATH, on_error=_failed)


@bp.route(PATH + "/{client_id}/secrets/{secret_id}/delete", methods=["POST"], html=True,
          content_types=FORM)
def delete_page(client_id: str, secret_id: str) -> Response:
    def action(call: SessionCall) -> Response:
        session = call.session
        client_secrets.delete(session.workspace_id, client_id, secret_id, session.user_id,
                              user_id=session.user_id)
        return redirect(f"{PATH}?notice=secret_deleted")

    return signed_in_call(bp.current_request, action, back=PATH, on_error=_failed)
