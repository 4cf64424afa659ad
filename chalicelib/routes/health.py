"""GET /health: 200 once the store answers, 503 otherwise."""

from __future__ import annotations

from chalice.app import Response

from ..errors import StoreUnavailable
from ..responses import json_response
from ..store import admin
from .base import Area

bp = Area(__name__)


@bp.route("/health", methods=["GET"])
def health() -> Response:
    try:
        admin.ping()
    except StoreUnavailable:
        return json_response({"status": "unavailable"}, 503, {"Retry-After": "5"})
    return json_response({"status": "ok"})
