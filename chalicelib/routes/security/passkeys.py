"""Passkeys on Settings → Security: JSON for the page's script and API callers
(`/account/passkeys*`: add with options then the browser's answer, list, rename, remove),
and the page's own forms (`/settings/security/passkeys/{id}/rename|remove`, no JavaScript)."""

from __future__ import annotations

from chalice.app import Response

from ...accounts import users
from ...caller import Caller
from ...dashboard import passkeys as context
from ...errors import ServiceError
from ...passkeys import manage, registration
from ...responses import json_response, no_content, redirect
from ..base import client_ip, parse_json, user_agent
from ..browser import signed_in
from ..forms import FORM, SessionCall, signed_in_call
from . import bp
from .page import PATH, page

JSON = ["application/json"]
FORM_PATH = PATH + "/passkeys"


@bp.route("/account/passkeys/options", methods=["POST"], content_types=JSON)
def registration_options() -> Response:
    request = bp.current_request
    session = signed_in(request, parse_json(request))
    user = users.profile(session.user_id)
    return json_response(registration.options(user, session.digest))


@bp.route("/account/passkeys", methods=["POST"], content_types=JSON)
def add() -> Response:
    request = bp.current_request
    body = parse_json(request)
    session = signed_in(request, body)
    user = users.profile(session.user_id)
    caller = Caller(client_ip(request), user_agent(request))
    return json_response(registration.add(user, session.digest, body, caller), 201)


@bp.route("/account/passkeys", methods=["GET"])
def list_passkeys() -> Response:
    session = signed_in(bp.current_request)
    return json_response({"passkeys": manage.list_passkeys(session.user_id)})


@bp.route("/account/passkeys/{passkey_id}", methods=["PATCH"], content_types=JSON)
def rename(passkey_id: str) -> Response:
    request = bp.current_request
    body = parse_json(request)
    session = signed_in(request, body)
    return json_response(manage.rename(session.user_id, passkey_id, body.get("name")))


@bp.route("/account/passkeys/{passkey_id}", methods=["DELETE"])
def remove(passkey_id: str) -> Response:
    request = bp.current_request
    session = signed_in(request)
    manage.remove(users.profile(session.user_id), passkey_id, Caller(client_ip(request), user_agent(request)))
    return no_content()


def _error(call: SessionCall, error: ServiceError) -> Response:
    return page(call.session, error=error)


def _done(notice: str) -> Response:
    return redirect(f"{PATH}?notice={notice}#passkeys")


@bp.route(FORM_PATH + "/{passkey_id}/rename", methods=["POST"], html=True, content_types=FORM)
def rename_form(passkey_id: str) -> Response:
    def action(call: SessionCall) -> Response:
        manage.rename(call.session.user_id, passkey_id, call.body.get("name"))
        return _done("passkey_renamed")

    return signed_in_call(bp.current_request, action, back=PATH, on_error=_error)


@bp.route(FORM_PATH + "/{passkey_id}/remove", methods=["POST"], html=True, content_types=FORM)
def remove_form(passkey_id: str) -> Response:
    def action(call: SessionCall) -> Response:
        user = users.profile(call.session.user_id)
        if call.body.get("confirm") != "yes" and context.needs_confirmation(user, passkey_id):
            return page(call.session, confirm_passkey=passkey_id)
        manage.remove(user, passkey_id, Caller(call.ip, call.user_agent))
        return _done("passkey_removed")

    return signed_in_call(bp.current_request, action, back=PATH, on_error=_error)
