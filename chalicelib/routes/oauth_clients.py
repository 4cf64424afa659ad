"""OAuth client registration for the signed-in owner (browser session + CSRF)."""

from __future__ import annotations

from chalice.app import Response

from ..oauth import clients
from ..responses import json_response, no_content
from .base import Area, parse_body
from .browser import signed_in

bp = Area(__name__)


@bp.route("/account/oauth-clients", methods=["GET"])
def list_clients() -> Response:
    session = signed_in(bp.current_request)
    return json_response({"oauth_clients": clients.list_for(session.workspace_id)})


@bp.route("/account/oauth-clients", methods=["POST"],
          content_types=["application/json", "application/x-www-form-urlencoded"])
def create_client() -> Response:
    request = bp.current_request
    body = parse_body(request)
    session = signed_in(request, body)
    created = clients.register(session.workspace_id, session.user_id, body, user_id=session.user_id)
    return json_response(created, 201)


@bp.route("/account/oauth-clients/{client_id}", methods=["DELETE"])
def delete_client(client_id: str) -> Response:
    session = signed_in(bp.current_request)
    clients.delete(session.workspace_id, client_id, session.user_id, user_id=session.user_id)
    return no_content()
