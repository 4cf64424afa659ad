"""Settings → Applications (HTML): register an OAuth client (its secret rendered once, into
the answer of the POST that made it), list them, delete one after a confirmation page."""

from __future__ import annotations

from typing import Any

from chalice.app import Response

from ...accounts import verification
from ...accounts.sessions import Session
from ...dashboard import applications
from ...errors import ServiceError
from ...oauth import clients
from ...responses import html_response, redirect
from ...templating import render
from ..forms import FORM, SessionCall, query, render_page, signed_in_call
from ..forms import page as signed_in_page
from . import bp

PATH = applications.PATH


def page(session: Session, status: int | None = None, error: ServiceError | None = None,
         **context: Any) -> Response:
    return render_page("settings_applications.html", session, error, status,
                       **applications.page(session.workspace_id, **context))


@bp.route(PATH, methods=["GET"], html=True)
def settings_applications() -> Response:
    request = bp.current_request
    return signed_in_page(request, PATH, lambda s: page(s, notice=query(request, "notice")))


@bp.route(PATH, methods=["POST"], html=True, content_types=FORM)
def register() -> Response:
    def action(call: SessionCall) -> Response:
        verification.require_verified(call.session.user_id)
        return page(call.session, 201, created=applications.register(call.session, call.body))

    def failed(call: SessionCall, error: ServiceError) -> Response:
        return page(call.session, error=error, form=call.body)

    return signed_in_call(bp.current_request, action, back=PATH, on_error=failed,
                          repeatable=("scopes",))


@bp.route(PATH + "/{client_id}/delete", methods=["GET"], html=True)
def confirm_delete(client_id: str) -> Response:
    return signed_in_page(bp.current_request, f"{PATH}/{client_id}/delete", lambda session: html_response(
        render("settings_applications/delete.html", user=session,
               app=applications.find(session.workspace_id, client_id))))


@bp.route(PATH + "/{client_id}/delete", methods=["POST"], html=True, content_types=FORM)
def delete(client_id: str) -> Response:
    def action(call: SessionCall) -> Response:
        session = call.session
        clients.delete(session.workspace_id, client_id, session.user_id, user_id=session.user_id)
        return redirect(f"{PATH}?notice=app_deleted")

    def failed(call: SessionCall, error: ServiceError) -> Response:
        return page(call.session, error=error)

    return signed_in_call(bp.current_request, action, back=PATH, on_error=failed)
