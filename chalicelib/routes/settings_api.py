"""Settings → API (HTML): the key list and Generate New Key form, and the
revoke and roll confirmations. A new key is rendered into the answer of the
POST that made it: it is shown once and never stored anywhere it could be shown again."""

from __future__ import annotations

from typing import Any

from chalice.app import Response

from ..accounts.sessions import Session
from ..apikeys import manage
from ..dashboard import api_keys, reveal
from ..errors import ServiceError
from ..responses import html_response, redirect
from ..templating import render
from . import forms
from .base import Area, client_ip, user_agent

bp = Area(__name__)
PATH = api_keys.PATH


def _caller(session: Session) -> manage.Caller:
    request = bp.current_request
    return api_keys.caller(session, client_ip(request), user_agent(request))


def page(session: Session, status: int = 200, error: ServiceError | None = None,
         **context: Any) -> Response:
    headers = dict(error.headers) if error else {}
    body = render("settings_api.html", user=session, error=error.description if error else None,
                  **api_keys.page(session.workspace_id, **context))
    return html_response(body, status, headers)


def _form_error(session: Session, error: ServiceError, form: dict[str, Any]) -> Response:
    """Generate New Key failed: the page again, the form filled in as it was sent."""
    return page(session, error.status, error, form=form)


def _action_error(session: Session, error: ServiceError, form: dict[str, Any]) -> Response:
    return page(session, error.status, error)


@bp.route(PATH, methods=["GET"], html=True)
def settings_api() -> Response:
    request = bp.current_request
    return forms.page(request, PATH, lambda s: page(s, notice=forms.query(request, "notice"),
                                                    created=reveal.take(s, forms.query(request, "shown"))))


@bp.route(PATH + "/keys", methods=["POST"], html=True, content_types=forms.FORM)
def generate() -> Response:
    def action(session: Session, form: dict[str, Any]) -> Response:
        created = api_keys.generate(_caller(session), form)
        return redirect(f"{PATH}?shown={reveal.stash(session, created)}")  # a reload makes nothing

    return forms.post(bp.current_request, PATH, action, _form_error)


def _confirm(template: str, key_id: str, **context: Any) -> Response:
    path = f"{PATH}/keys/{key_id}/{template}"
    return forms.page(bp.current_request, path, lambda session: html_response(render(
        f"settings_api/{template}.html", user=session,
        key=api_keys.find(session.workspace_id, key_id), **context)))


@bp.route(PATH + "/keys/{key_id}/revoke", methods=["GET"], html=True)
def confirm_revoke(key_id: str) -> Response:
    return _confirm("revoke", key_id)


@bp.route(PATH + "/keys/{key_id}/revoke", methods=["POST"], html=True, content_types=forms.FORM)
def revoke(key_id: str) -> Response:
    def action(session: Session, form: dict[str, Any]) -> Response:
        manage.revoke(_caller(session), key_id)
        return redirect(f"{PATH}?notice=key_revoked")

    return forms.post(bp.current_request, PATH, action, _action_error)


@bp.route(PATH + "/keys/{key_id}/roll", methods=["GET"], html=True)
def confirm_roll(key_id: str) -> Response:
    return _confirm("roll", key_id, choices=api_keys.roll_choices())


@bp.route(PATH + "/keys/{key_id}/roll", methods=["POST"], html=True, content_types=forms.FORM)
def roll(key_id: str) -> Response:
    def action(session: Session, form: dict[str, Any]) -> Response:
        created = api_keys.roll(_caller(session), key_id, form)
        return redirect(f"{PATH}?shown={reveal.stash(session, created)}")

    return forms.post(bp.current_request, PATH, action, _action_error)
