"""The OAuth 2.0 endpoints: authorize (consent page), token, revoke, introspect."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode, urlsplit

from chalice.app import Request, Response

from ...dashboard import consent
from ...oauth import authorize, brute_force, introspection, revocation, token
from ...oauth.errors import FatalAuthorizeError, InvalidRequest, RedirectableError
from ...responses import error_response, html_response, json_response, redirect
from ...templating import render
from ..base import client_ip, is_form, parse_form, user_agent
from ..browser import optional_session, signed_in
from . import bp, cors

NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}  # RFC 6749 §5.1
CONSENT_HEADERS = {"Content-Security-Policy": "default-src 'self'; style-src 'self'; frame-ancestors 'none'; "
                                              "base-uri 'none'; object-src 'none'",
                   "X-Frame-Options": "DENY", **NO_STORE}  # RFC 9700 §4.7: no framing of consent
MAX_NEXT_CHARS = 2048  # what /login keeps in `next`


def _query(request: Request) -> dict[str, list[str]]:
    query = request.query_params
    return {name: query.getlist(name) for name in query} if query else {}


def _consent_page(request: authorize.AuthorizationRequest, session: Any) -> Response:
    page = render("consent.html", user=session, csrf_token=session.csrf_token,
                  client_name=request.client["name"], scopes=request.scope_descriptions(),
                  fields=request.hidden_fields(), redirect_host=urlsplit(request.redirect_uri).netloc,
                  **consent.context(request.client, session))
    return html_response(page, 200, CONSENT_HEADERS)


@bp.route("/oauth/authorize", methods=["GET"], html=True)
def authorize_page() -> Response:
    query = _query(bp.current_request)
    ip = client_ip(bp.current_request)
    brute_force.authorize_lock().check(ip)
    try:
        auth_request = authorize.validate(query)
        next_url = "/oauth/authorize?" + urlencode(query, doseq=True)
        if len(next_url) > MAX_NEXT_CHARS:
            raise RedirectableError(InvalidRequest("The authorization request is too long."),
                                    auth_request.redirect_uri, auth_request.state)
    except RedirectableError as exc:
        return redirect(authorize.error_location(exc))
    except FatalAuthorizeError:
        brute_force.authorize_failed(ip)  # counted, then shown as the error page
        raise
    session = optional_session(bp.current_request)
    auth_time = session.record.get("created_at") if session else None
    silent = authorize.without_page(auth_request, session.user_id if session else None,
                                    session.workspace_id if session else "", auth_time,
                                    ip, user_agent(bp.current_request))
    if silent is not None:
        return redirect(silent)  # remembered consent, or prompt=none's error
    if session is None:
        return redirect("/login?" + urlencode({"next": next_url}))
    return _consent_page(auth_request, session)


@bp.route("/oauth/authorize", methods=["POST"], html=True,
          content_types=["application/x-www-form-urlencoded"])
def authorize_decision() -> Response:
    request = bp.current_request
    form = parse_form(request)
    csrf = form.get("csrf_token") or []
    session = signed_in(request, {"csrf_token": csrf[0] if len(csrf) == 1 else None})
    try:
        location = authorize.decide(form, session.user_id, session.workspace_id,
                                    session.record.get("created_at"), client_ip(request), user_agent(request))
    except RedirectableError as exc:
        location = authorize.error_location(exc)
    return redirect(location)


def _oauth_post(handler: Callable[[dict[str, list[str]], str | None], Any]) -> Any:
    """Parse the form body (RFC 6749 §3.2: x-www-form-urlencoded only) and run `handler`."""
    request = bp.current_request
    if not is_form(request):
        raise InvalidRequest("Send the parameters as application/x-www-form-urlencoded.")
    return handler(parse_form(request), request.headers.get("authorization"))


@bp.route("/oauth/token", methods=["POST"], content_types=["*/*"])
def token_endpoint() -> Response:
    request = bp.current_request
    try:
        body = _oauth_post(token.handle)
    except Exception as exc:  # noqa: BLE001 - mapped in one place, with no-store added
        failure = error_response(exc)
        failure.headers.update(NO_STORE)
        return cors.add_headers(request, failure)
    return cors.add_headers(request, json_response(body, 200, NO_STORE))


@bp.route("/oauth/revoke", methods=["POST"], content_types=["*/*"])
def revoke_endpoint() -> Response:
    try:
        _oauth_post(revocation.revoke)
    except Exception as exc:  # noqa: BLE001 - mapped in one place, CORS headers added
        return cors.add_headers(bp.current_request, error_response(exc))
    answer = Response(body="", status_code=200, headers=dict(NO_STORE))  # RFC 7009 §2.2
    return cors.add_headers(bp.current_request, answer)


@bp.route("/oauth/introspect", methods=["POST"], content_types=["*/*"])
def introspect_endpoint() -> Response:
    return json_response(_oauth_post(introspection.introspect), 200, NO_STORE)  # RFC 7662 §2.2
