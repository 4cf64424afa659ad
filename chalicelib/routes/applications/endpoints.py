"""OAuth client registration as JSON: `/account/oauth-clients` for the signed-in owner
(session + CSRF) and `/v1/oauth-clients` for an admin-scoped bearer credential."""

from __future__ import annotations

from chalice.app import Response

from ...accounts import verification
from ...apikeys.bounds import NOT_FOR_OAUTH
from ...errors import Forbidden
from ...oauth import clients
from ...principal import Principal
from ...responses import json_response, no_content
from ..base import parse_json
from ..browser import signed_in
from ..forms import JSON_OR_FORM, SessionCall, signed_in_call
from ..gate import bearer, require
from . import bp


@bp.route("/account/oauth-clients", methods=["GET"])
def list_clients() -> Response:
    session = signed_in(bp.current_request)
    return json_response({"oauth_clients": clients.list_for(session.workspace_id)})


@bp.route("/account/oauth-clients", methods=["POST"], content_types=JSON_OR_FORM)
def create_client() -> Response:
    def create(call: SessionCall) -> Response:
        session = call.session
        verification.require_verified(session.user_id)
        created = clients.register(session.workspace_id, session.user_id, call.body,
                                   user_id=session.user_id)
        return json_response(created, 201)

    return signed_in_call(bp.current_request, create, back=None)


@bp.route("/account/oauth-clients/{client_id}", methods=["DELETE"])
def delete_client(client_id: str) -> Response:
    session = signed_in(bp.current_request)
    clients.delete(session.workspace_id, client_id, session.user_id, user_id=session.user_id)
    return no_content()


def _actor(principal: Principal) -> str:
    return principal.user_id or principal.credential_id


@bp.route("/v1/oauth-clients", methods=["GET"], authorizer=bearer)
def v1_list_clients() -> Response:
    return json_response({"oauth_clients": clients.list_for(require("admin").workspace_id)})


@bp.route("/v1/oauth-clients", methods=["POST"], authorizer=bearer,
          content_types=[*JSON_OR_FORM, "text/plain"])
def v1_create_client() -> Response:
    principal = require("admin")
    if principal.principal_type != "api_key":
        raise Forbidden(NOT_FOR_OAUTH)  # an app's token must not register apps (issue 14)
    body = parse_json(bp.current_request)
    created = clients.register(principal.workspace_id, _actor(principal), body, user_id=principal.user_id)
    return json_response(created, 201)


@bp.route("/v1/oauth-clients/{client_id}", methods=["DELETE"], authorizer=bearer)
def v1_delete_client(client_id: str) -> Response:
    principal = require("admin")
    clients.delete(principal.workspace_id, client_id, _actor(principal), user_id=principal.user_id)
    return no_content()
