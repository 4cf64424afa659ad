"""What anyone may fetch: health, the OpenAPI document, OAuth/OIDC discovery (RFC 8414) and
the JWKS (RFC 7517), the stylesheet and script, and the site's front door."""

from __future__ import annotations

from chalice.app import Response

from .. import apidoc
from .. import health as service_health
from ..dashboard import error_page
from ..errors import NotFound
from ..oauth import metadata
from ..responses import html_response, json_response, redirect
from ..settings import get_settings
from ..templating import static_file
from .base import Area
from .browser import optional_session

bp = Area(__name__)

# Short enough that a rotation reaches caches quickly; verifiers re-fetch on an unknown kid anyway.
CACHE = {"Cache-Control": "public, max-age=300"}


@bp.route("/health", methods=["GET"])
def health() -> Response:
    """200 once the store answers, 503 otherwise."""
    if not service_health.store_answers():
        return json_response({"status": "unavailable"}, 503, {"Retry-After": "5"})
    return json_response({"status": "ok"})


@bp.route("/openapi.json", methods=["GET"])
def openapi_document() -> Response:
    return json_response(apidoc.document(get_settings().issuer), 200, CACHE)


@bp.route("/.well-known/oauth-authorization-server", methods=["GET"])
def authorization_server() -> Response:
    return json_response(metadata.document(), 200, CACHE)


@bp.route("/.well-known/openid-configuration", methods=["GET"])
def openid_configuration() -> Response:
    from ..oauth import oidc  # PyJWT: off the API handler's cold start

    return json_response(oidc.discovery(), 200, CACHE)  # OpenID Connect Discovery 1.0 §4


@bp.route("/.well-known/jwks.json", methods=["GET"])
def jwks() -> Response:
    from ..oauth import signing_keys  # cryptography: off the API handler's cold start

    return json_response(signing_keys.current().jwks, 200, CACHE)


@bp.route("/", methods=["GET"], html=True)
def home() -> Response:
    return redirect("/settings/api" if optional_session(bp.current_request) else "/login")


@bp.route("/static/{name}", methods=["GET"], html=True)
def static(name: str) -> Response:
    text = static_file(name)
    if text is None or not name.endswith((".css", ".js")):
        return html_response(error_page.render_page(404, "not_found", "No such file."), 404)
    kind = "text/css" if name.endswith(".css") else "text/javascript"
    return Response(body=text, status_code=200,
                    headers={"Content-Type": f"{kind}; charset=utf-8",
                             "Cache-Control": "public, max-age=3600"})


@bp.route("/settings", methods=["GET"], html=True)
def settings_home() -> Response:
    """`/settings` itself: the first settings page (sign-in, if needed, happens there)."""
    return redirect("/settings/api")


@bp.route("/settings/{name}", methods=["GET"], html=True)
def unknown_settings_page(name: str) -> Response:
    """A mistyped settings address gets a friendly 404 page (the known pages match first)."""
    raise NotFound("There is no settings page at this address.")


@bp.route("/settings/{name}/{rest}", methods=["GET"], html=True)
def unknown_settings_subpage(name: str, rest: str) -> Response:
    """One level deeper than any settings page: the same friendly 404 page as /settings/{name}."""
    raise NotFound("There is no settings page at this address.")
