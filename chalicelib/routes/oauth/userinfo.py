"""OpenID Connect UserInfo (`/oauth/userinfo`); Discovery is in routes/wellknown.py."""

from __future__ import annotations

from chalice.app import Response

from ... import authorizer
from ...oauth import oidc
from ...responses import json_response
from . import bp

NO_STORE = {"Cache-Control": "no-store"}


def _userinfo() -> Response:
    # OIDC Core §5.3.1: the access token as a Bearer credential (RFC 6750 §2.1); errors per §5.3.3.
    principal = authorizer.authorize(bp.current_request.headers.get("authorization"))
    return json_response(oidc.userinfo(principal), 200, NO_STORE)


@bp.route("/oauth/userinfo", methods=["GET"])
def userinfo() -> Response:
    return _userinfo()


@bp.route("/oauth/userinfo", methods=["POST"], content_types=["application/x-www-form-urlencoded",
                                                              "application/json", "text/plain"])
def userinfo_post() -> Response:
    return _userinfo()
