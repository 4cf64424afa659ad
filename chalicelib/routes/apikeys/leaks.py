"""GitHub secret scanning partner alerts: our keys found in public revoke themselves.
No session and no bearer: GitHub's signature over the raw body authenticates the report."""

from __future__ import annotations

from chalice.app import Response

from ...responses import json_response
from . import bp


@bp.route("/secret-scanning/github", methods=["POST"], content_types=["application/json"])
def github_alert() -> Response:
    from ...leaks import alerts  # cryptography (signature checks): off the API handler's cold start

    request = bp.current_request
    body = request.raw_body or b""
    # The signature covers the exact bytes sent; never re-encode a parsed body.
    raw = body if isinstance(body, bytes) else body.encode("utf-8", "surrogateescape")
    return json_response(alerts.handle(raw, request.headers.get("github-public-key-identifier"),
                                       request.headers.get("github-public-key-signature")))
