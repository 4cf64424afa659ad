"""GET /openapi.json: the OpenAPI 3.1 document of every route."""

from __future__ import annotations

from chalice.app import Response

from .. import apidoc
from ..responses import json_response
from ..settings import get_settings
from .base import Area

bp = Area(__name__)


@bp.route("/openapi.json", methods=["GET"])
def openapi_document() -> Response:
    return json_response(apidoc.document(get_settings().issuer), 200,
                         {"Cache-Control": "public, max-age=300"})
