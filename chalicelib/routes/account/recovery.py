"""Accounts and email (JSON): verification, password change and reset, email change,
account deletion, and the local outbox. Forms from the pages are answered in
`settings.py`."""

from __future__ import annotations

from typing import Any

from chalice.app import Request, Response

from ...accounts import deletion, email_change, password_change, sessions, verification
from ...caller import Caller
from ...mailer import outbox
from ...responses import json_response, no_content
from ...validation import required_text, text
from ..base import client_ip, is_form, parse_json, user_agent
from ..browser import signed_in
from ..forms import query
from . import bp
from . import settings as account_pages

JSON = ["application/json"]
BODIES = ["application/json", "application/x-www-form-urlencoded"]
ACCEPTED = {"status": "accepted",
            "message": "If an account uses this address, we have emailed it a link. It is valid "
                       "for 30 minutes."}


def caller(request: Request) -> Caller:
    return Caller(client_ip(request), user_agent(request))


def _signed_in_json(request: Request) -> tuple[sessions.Session, dict[str, Any]]:
    body = parse_json(request)
    return signed_in(request, body), body


@bp.route("/_local/outbox", methods=["GET"])
def local_outbox() -> Response:
    found = outbox.messages(query(bp.current_request, "to"))
    return json_response({"messages": [{k: m[k] for k in ("to", "subject", "text", "sent_at")}
                                       for m in found]}, 200, {"Cache-Control": "no-store"})


@bp.route("/verify-email", methods=["POST"], content_types=BODIES)
def verify_email() -> Response:
    if is_form(bp.current_request):
        return account_pages.verify_form(bp.current_request)
    # No session or CSRF token: the emailed token is the authorization, and using it
    # creates no session (a forged request could only verify the forger's own address).
    request = bp.current_request
    verification.verify(parse_json(request).get("token"), caller(request))
    return no_content()


@bp.route("/account/email-verification", methods=["POST"], content_types=JSON)
def resend_verification() -> Response:
    request = bp.current_request
    session, _ = _signed_in_json(request)
    verification.resend(session.user_id, caller(request))
    return json_response({"status": "accepted"}, 202)


@bp.route("/account/password", methods=["POST"], content_types=JSON)
def change_password() -> Response:
    request = bp.current_request
    session, body = _signed_in_json(request)
    password_change.change(session, required_text(body, "current_password", max_len=1024),
                           required_text(body, "new_password", max_len=1024), caller(request))
    return no_content()


@bp.route("/password-reset", methods=["POST"], content_types=BODIES)
def request_reset() -> Response:
    if is_form(bp.current_request):
        return account_pages.reset_form(bp.current_request)
    request = bp.current_request
    email = required_text(parse_json(request), "email", max_len=10_000)
    password_change.request_reset(email, caller(request))
    return json_response(ACCEPTED, 202)


@bp.route("/password-reset/confirm", methods=["POST"], content_types=BODIES)
def confirm_reset() -> Response:
    if is_form(bp.current_request):
        return account_pages.reset_confirm_form(bp.current_request)
    request = bp.current_request
    body = parse_json(request)
    password_change.confirm_reset(body.get("token"), required_text(body, "new_password", max_len=1024),
                                  caller(request))
    return no_content()


@bp.route("/account/email", methods=["POST"], content_types=JSON)
def change_email() -> Response:
    request = bp.current_request
    session, body = _signed_in_json(request)
    email_change.request(session, required_text(body, "new_email", max_len=254),
                         required_text(body, "password", max_len=1024), caller(request))
    return json_response({"status": "accepted"}, 202)


@bp.route("/account/email/confirm", methods=["POST"], content_types=JSON)
def confirm_email() -> Response:
    request = bp.current_request
    session, body = _signed_in_json(request)
    email_change.confirm(session, body.get("token"), caller(request))
    return no_content()


@bp.route("/account", methods=["DELETE"], content_types=JSON)
def delete_account() -> Response:
    request = bp.current_request
    session, body = _signed_in_json(request)
    deletion.delete(session, required_text(body, "password", max_len=1024),
                    text(body, "code", max_len=64, required=False), caller(request))
    return no_content({"Set-Cookie": sessions.clear_cookie()})
