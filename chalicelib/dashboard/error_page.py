"""Friendly error pages: a plain title and what to do next, for each status a page can meet."""

from __future__ import annotations

from typing import Any

_TITLES = {
    400: ("That didn't work", "Check what you entered and try again."),
    401: ("Please sign in", "Your session has ended or you are not signed in yet."),
    403: ("Not allowed", "You do not have permission to do this."),
    404: ("Page not found", "The address may be mistyped, or the page was removed."),
    405: ("That didn't work", "This page cannot be used that way."),
    429: ("Too many attempts", "Wait a little, then try again."),
    503: ("Temporarily unavailable", "TaskForge could not reach its data store. Try again shortly."),
}
_CSRF_ADVICE = ("This happens when a page stayed open while you signed out or signed in again "
                "elsewhere. Go back to the page, reload it, and send the form again.")


def context(status: int, error: str, description: str) -> dict[str, Any]:
    title, advice = _TITLES.get(status, ("Something went wrong", "Try again in a moment."))
    if error == "invalid_csrf_token":
        advice = _CSRF_ADVICE
    return {"title": title, "advice": advice, "status": status, "error": error,
            "description": description, "sign_in": status == 401}


def render_page(status: int, error: str, description: str) -> str:
    """The whole error page: the renderer HTML routes hand to `responses.error_response`."""
    from ..templating import render

    return render("error.html", user=None, **context(status, error, description))
