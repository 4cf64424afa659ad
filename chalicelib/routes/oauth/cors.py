"""CORS at `/oauth/token` and `/oauth/revoke` for public clients (see oauth/cors.py): the
preflights here, and `add_headers` for the POST answers (success and error alike)."""

from __future__ import annotations

from chalice.app import Request, Response

from ...errors import InvalidRequest
from ...oauth import cors
from ..base import is_form, parse_form
from . import bp


def _preflight() -> Response:
    headers = bp.current_request.headers
    allowed = cors.preflight(headers.get("origin"), headers.get("access-control-request-method"))
    return Response(body="", status_code=204, headers=dict(allowed.items()))


@bp.route("/oauth/token", methods=["OPTIONS"])
def token_preflight() -> Response:
    return _preflight()


@bp.route("/oauth/revoke", methods=["OPTIONS"])
def revoke_preflight() -> Response:
    return _preflight()


def add_headers(request: Request, response: Response) -> Response:
    """Name the request's origin on the answer when its public client registered that origin."""
    origin = request.headers.get("origin")
    if origin is None or not is_form(request):
        return response
    try:
        form = parse_form(request)
    except InvalidRequest:
        return response
    response.headers.update(cors.response_headers(origin, form))
    return response
