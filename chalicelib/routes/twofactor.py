"""/account/2fa/*: enrol, confirm, disable, new backup codes. JSON, or forms from the Security page."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from chalice.app import Request, Response

from ..accounts import sessions, users
from ..errors import InvalidCsrfToken, ServiceError, SessionRequired
from ..responses import error_response, json_response, no_content, redirect
from ..twofactor import codes, enrolment
from ..twofactor.caller import Caller
from . import security
from .base import Area, client_ip, is_form, parse_body, user_agent
from .browser import signed_in

bp = Area(__name__)
BODIES = ["application/json", "application/x-www-form-urlencoded"]


@dataclass(frozen=True)
class Call:
    body: dict[str, Any]
    session: sessions.Session
    user: dict[str, Any]
    caller: Caller
    form: bool


def _run(action: Callable[[Call], Response]) -> Response:
    """Parse, check session and CSRF, run; a form's errors come back on the Security page."""
    request: Request = bp.current_request
    form, session = is_form(request), None
    try:
        body = parse_body(request)
        session = signed_in(request, body)
        user = users.profile(session.user_id)
        caller = Caller(client_ip(request), user_agent(request))
        return action(Call(body, session, user, caller, form))
    except ServiceError as exc:
        if not form:
            raise
        if isinstance(exc, SessionRequired):
            return redirect(f"/login?next={security.PATH}")
        if session is None or isinstance(exc, InvalidCsrfToken):
            return error_response(exc, html=True)
        return security.page(session, error=exc)


def _start(call: Call) -> Response:
    started = enrolment.start(call.user)
    if call.form:
        return redirect(security.PATH)  # the page shows the pending enrolment's QR code
    return json_response({"secret": started.secret, "otpauth_uri": started.otpauth_uri,
                          "qr_svg": started.qr_svg})


def _confirm(call: Call) -> Response:
    code = codes.parse(call.body.get("code"), allow_backup=False)
    backup = enrolment.confirm(call.user, code, call.caller)
    if call.form:
        return security.page(call.session, backup_codes=backup,
                             notice="Two-factor authentication is on.")
    return json_response({"backup_codes": backup})


def _disable(call: Call) -> Response:
    enrolment.disable(call.user, codes.parse(call.body.get("code")), call.caller)
    if call.form:
        return security.page(call.session, notice="Two-factor authentication is off.")
    return no_content()


def _regenerate(call: Call) -> Response:
    backup = enrolment.regenerate(call.user, codes.parse(call.body.get("code")), call.caller)
    if call.form:
        return security.page(call.session, backup_codes=backup,
                             notice="New backup codes made. The old ones no longer work.")
    return json_response({"backup_codes": backup})


@bp.route("/account/2fa/totp", methods=["POST"], content_types=BODIES)
def start() -> Response:
    return _run(_start)


@bp.route("/account/2fa/totp/confirm", methods=["POST"], content_types=BODIES)
def confirm() -> Response:
    return _run(_confirm)


@bp.route("/account/2fa/disable", methods=["POST"], content_types=BODIES)
def disable() -> Response:
    return _run(_disable)


@bp.route("/account/2fa/backup-codes", methods=["POST"], content_types=BODIES)
def regenerate() -> Response:
    return _run(_regenerate)
