"""Settings → Applications (HTML): register an OAuth client (its secret rendered once, into
the answer of the POST that made it), list them, delete one after a confirmation page."""

from __future__ import annotations

from typing import Any

from chalice.app import Response

from ..accounts import verification
from ..accounts.sessions import Session
from ..dashboard import applications
from ..errors import ServiceError
from ..oauth import clients
from ..responses import html_response, redirect
from ..templating import render
from . import forms
from .base import Area

bp = Area(__name__)
PATH = applications.PATH


def page(session: Session, status: int = 200, error: ServiceError | None = None,
         **context: Any) -> Response:
    body = render("settings_applications.html", user=session,
                  error=error.description if error else None,
                  **applications.page(session.workspace_id, **context))
    return html_response(body, status, dict(error.headers) if error else {})


@bp.route(PATH, methods=["GET"], html=True)
def settings_applications() -> Response:
    request = bp.current_request
    return forms.page(request, PATH, lambda s: page(s, notice=forms.query(request, "notice")))


@bp.route(PATH, methods=["POST"], html=True, content_types=forms.FORM)
def register() -> Response:
    def action(session: Session, form: dict[str, Any]) -> Response:
        verification.require_verified(session.user_id)
        return page(session, 201, created=applications.register(session, form))

    def failed(session: Session, error: ServiceError, form: dict[str, Any]) -> Response:
        return page(session, error.status, error, form=form)

    return forms.post(bp.current_request, PATH, action, failed, repeatable=("scopes",))


@bp.route(PATH + "/{client_id}/delete", methods=["GET"], html=True)
def confirm_delete(client_id: str) -> Response:
    return forms.page(bp.current_request, f"{PATH}/{client_id}/delete", lambda session: html_response(
        render("settings_applications/delete.html", user=session,
               app=applications.find(session.workspace_id, client_id))))


@bp.route(PATH + "/{client_id}/delete", methods=["POST"], html=True, content_types=forms.FORM)
def delete(client_id: str) -> Response:
    def action(session: Session, form: dict[str, Any]) -> Response:
        clients.delete(session.workspace_id, client_id, session.user_id, user_id=session.user_id)
        return redirect(f"{PATH}?notice=app_deleted")

    def failed(session: Session, error: ServiceError, form: dict[str, Any]) -> Response:
        return page(session, error.status, error)

    return forms.post(bp.current_request, PATH, action, failed)
