"""/account/2fa/*: enrol, confirm, disable, new backup codes. JSON, or forms from the Security page."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from chalice.app import Response

from ...accounts import users
from ...caller import Caller
from ...errors import ServiceError
from ...responses import json_response, no_content, redirect
from ...twofactor import codes, enrolment
from ..forms import JSON_OR_FORM, SessionCall, signed_in_call
from . import bp
from .page import PATH, page

TwoFactorAction = Callable[[SessionCall, dict[str, Any], Caller], Response]


def _run(action: TwoFactorAction) -> Response:
    """Signed in, CSRF checked, the user's record at hand; a form's errors come back on the page."""
    def call_with_user(call: SessionCall) -> Response:
        return action(call, users.profile(call.session.user_id), Caller(call.ip, call.user_agent))

    def on_error(call: SessionCall, error: ServiceError) -> Response:
        return page(call.session, error=error)

    return signed_in_call(bp.current_request, call_with_user, back=PATH, on_error=on_error)


def _start(call: SessionCall, user: dict[str, Any], caller: Caller) -> Response:
    started = enrolment.start(user)
    if call.form:
        return redirect(PATH)  # the page shows the pending enrolment's QR code
    return json_response({"secret": started.secret, "otpauth_uri": started.otpauth_uri,
                          "qr_svg": started.qr_svg})


def _confirm(call: SessionCall, user: dict[str, Any], caller: Caller) -> Response:
    code = codes.parse(call.body.get("code"), allow_backup=False)
    backup = enrolment.confirm(user, code, caller)
    if call.form:
        return page(call.session, backup_codes=backup, notice="Two-factor authentication is on.")
    return json_response({"backup_codes": backup})


def _disable(call: SessionCall, user: dict[str, Any], caller: Caller) -> Response:
    enrolment.disable(user, codes.parse(call.body.get("code")), caller)
    if call.form:
        return page(call.session, notice="Two-factor authentication is off.")
    return no_content()


def _regenerate(call: SessionCall, user: dict[str, Any], caller: Caller) -> Response:
    backup = enrolment.regenerate(user, codes.parse(call.body.get("code")), caller)
    if call.form:
        return page(call.session, backup_codes=backup,
                    notice="New backup codes made. The old ones no longer work.")
    return json_response({"backup_codes": backup})


@bp.route("/account/2fa/totp", methods=["POST"], content_types=JSON_OR_FORM)
def start() -> Response:
    return _run(_start)


@bp.route("/account/2fa/totp/confirm", methods=["POST"], content_types=JSON_OR_FORM)
def confirm() -> Response:
    return _run(_confirm)


@bp.route("/account/2fa/disable", methods=["POST"], content_types=JSON_OR_FORM)
def disable() -> Response:
    return _run(_disable)


@bp.route("/account/2fa/backup-codes", methods=["POST"], content_types=JSON_OR_FORM)
def regenerate() -> Response:
    return _run(_regenerate)
