"""Settings → API (HTML): the key list and Generate New Key form, and the
revoke and roll confirmations. A new key is rendered into the answer of the
POST that made it: it is shown once and never stored anywhere it could be shown again."""

from __future__ import annotations

from typing import Any

from chalice.app import Response

from ...accounts import verification
from ...accounts.sessions import Session
from ...apikeys import manage
from ...dashboard import api_keys, reveal
from ...errors import ServiceError
from ...responses import html_response, redirect
from ...templating import render
from ..forms import FORM, SessionCall, query, render_page, signed_in_call
from ..forms import page as signed_in_page
from . import bp

PATH = api_keys.PATH


def _caller(call: SessionCall) -> manage.Caller:
    return api_keys.caller(call.session, call.ip, call.user_agent)


def page(session: Session, status: int | None = None, error: ServiceError | None = None,
         **context: Any) -> Response:
    return render_page("settings_api.html", session, error, status,
                       **api_keys.page(session.workspace_id, **context))


def _form_error(call: SessionCall, error: ServiceError) -> Response:
    """Generate New Key failed: the page again, the form filled in as it was sent."""
    return page(call.session, error=error, form=call.body)


def _action_error(call: SessionCall, error: ServiceError) -> Response:
    return page(call.session, error=error)


@bp.route(PATH, methods=["GET"], html=True)
def settings_api() -> Response:
    request = bp.current_request
    return signed_in_page(request, PATH, lambda s: page(
        s, notice=query(request, "notice"), replace=query(request, "replace"),
        cursor=query(request, "cursor"), created=reveal.take(s, query(request, "shown"))))


@bp.route(PATH + "/keys", methods=["POST"], html=True, content_types=FORM)
def generate() -> Response:
    def action(call: SessionCall) -> Response:
        verification.require_verified(call.session.user_id)
        created = api_keys.generate(_caller(call), call.body)
        return redirect(f"{PATH}?shown={reveal.stash(call.session, created)}")  # a reload makes nothing

    return signed_in_call(bp.current_request, action, back=PATH, on_error=_form_error)


def _confirm(template: str, key_id: str, **context: Any) -> Response:
    path = f"{PATH}/keys/{key_id}/{template}"
    return signed_in_page(bp.current_request, path, lambda session: html_response(render(
        f"settings_api/{template}.html", user=session,
        key=api_keys.find(session.workspace_id, key_id), **context)))


@bp.route(PATH + "/keys/{key_id}/revoke", methods=["GET"], html=True)
def confirm_revoke(key_id: str) -> Response:
    return _confirm("revoke", key_id)


@bp.route(PATH + "/keys/{key_id}/revoke", methods=["POST"], html=True, content_types=FORM)
def revoke(key_id: str) -> Response:
    def action(call: SessionCall) -> Response:
        manage.revoke(_caller(call), key_id)
        return redirect(f"{PATH}?notice=key_revoked")

    return signed_in_call(bp.current_request, action, back=PATH, on_error=_action_error)


@bp.route(PATH + "/keys/{key_id}/roll", methods=["GET"], html=True)
def confirm_roll(key_id: str) -> Response:
    return _confirm("roll", key_id, choices=api_keys.roll_choices())


@bp.route(PATH + "/keys/{key_id}/roll", methods=["POST"], html=True, content_types=FORM)
def roll(key_id: str) -> Response:
    def action(call: SessionCall) -> Response:
        created = api_keys.roll(_caller(call), key_id, call.body)
        return redirect(f"{PATH}?shown={reveal.stash(call.session, created)}")

    return signed_in_call(bp.current_request, action, back=PATH, on_error=_action_error)
