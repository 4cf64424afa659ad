"""Settings → API: what the page shows (keys, the Generate New Key form, a new
key shown once) and the form answers it turns into `apikeys` calls.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from .. import clock, scopes
from ..accounts.sessions import Session
from ..apikeys import manage, records, rolling
from ..errors import InvalidRequest, NotFound
from ..settings import get_settings
from . import timefmt, useragent

PATH = "/settings/api"
PAGE_SIZE = 50
SCOPE_TITLES = {"read": "Read-only", "write": "Write", "admin": "Admin"}
EXPIRY_CHOICES = (("", "Never"), ("7", "After 7 days"), ("30", "After 30 days"),
                  ("90", "After 90 days"), ("365", "After 1 year"))
ROLL_CHOICES = (("now", "Immediately"), ("1h", "In 1 hour"), ("24h", "In 24 hours"), ("7d", "In 7 days"))
DEFAULT_ROLL = "24h"
OPTIONAL_FIELDS = ("expires_in_days", "rate_limit_per_minute")
STATUS_TEXT = {records.ACTIVE: "Active", records.EXPIRED: "Expired", records.REVOKED: "Revoked"}
NOTICES = {"key_revoked": "Key revoked. Requests that use it are now refused with 401 Unauthorized."}


def scope_choices() -> list[dict[str, str]]:
    """Each scope with what it allows; each one includes the ones before it."""
    choices, previous = [], None
    for name in scopes.ORDER:
        text = scopes.DESCRIPTIONS[name]
        if previous:
            text = f"Everything {SCOPE_TITLES[previous]} can do, plus: {text[0].lower()}{text[1:]}"
        choices.append({"value": name, "title": SCOPE_TITLES[name], "description": f"{text}."})
        previous = name
    return choices


def caller(session: Session, ip: str, user_agent: str) -> manage.Caller:
    return manage.Caller(session.workspace_id, session.user_id, session.user_id, ip, user_agent)


def key_request(form: dict[str, Any]) -> manage.KeyRequest:
    """The Generate New Key form: empty optional fields mean "the default"."""
    fields = {k: v for k, v in form.items() if not (k in OPTIONAL_FIELDS and v == "")}
    label = fields.get("label")
    if label is None or isinstance(label, str) and not label.strip():
        raise InvalidRequest("Give the key a label, so you can tell it apart from your other keys.")
    if not fields.get("scopes"):
        raise InvalidRequest("Choose what the key may do: Read-only, Write or Admin.")
    return manage.parse_request(fields)


def row(view: dict[str, Any], now: int) -> dict[str, Any]:
    """One key as the list shows it."""
    status = view["status"]
    replaced = status == records.ACTIVE and bool(view.get("rolled_to"))
    top = view["scopes"][-1] if view["scopes"] else None
    return {
        "id": view["id"], "label": view["label"], "hint": view["hint"], "status": status,
        "status_text": "Being replaced" if replaced else STATUS_TEXT[status],
        "access": SCOPE_TITLES.get(top or "", "None"), "scopes": view["scopes"],
        "created": timefmt.stamp(view["created_at"], now),
        "last_used": timefmt.stamp(view.get("last_used_at"), now),
        "last_used_ip": view.get("last_used_ip"),
        "last_used_agent": useragent.describe(view["last_used_user_agent"])
        if view.get("last_used_user_agent") else None,
        "last_used_user_agent": view.get("last_used_user_agent"),
        "expires": timefmt.stamp(view.get("expires_at"), now),
        "revoked": timefmt.stamp(view.get("revoked_at"), now),
        "rate_limit": view.get("rate_limit_per_minute"),
        "can_revoke": status == records.ACTIVE, "can_roll": status == records.ACTIVE and not replaced,
        "leak": leak(view),
    }


def leak(view: dict[str, Any]) -> dict[str, Any] | None:
    """Where secret scanning found a key it revoked: linked only when it is an https URL."""
    if view.get("revoked_reason") != "leaked":
        return None
    url = str(view.get("leak_url") or "")
    return {"url": url, "linkable": urlsplit(url).scheme == "https" and bool(urlsplit(url).hostname)}


def page(workspace_id: str, *, form: dict[str, Any] | None = None,
         created: dict[str, Any] | None = None, notice: str | None = None,
         replace: str | None = None, cursor: str | None = None) -> dict[str, Any]:
    """The whole page: `form` refills the form after an error; `created` is shown once;
    `replace` (a revoked key's id) fills the form in with that key's label and permissions;
    the keys come `PAGE_SIZE` at a time, `cursor` (from the "Next page" link) picking the page."""
    now, settings = clock.now(), get_settings()
    if cursor is not None and not manage.KEY_ID.match(cursor):
        cursor = None  # a mangled link shows the first page rather than an error
    listed = manage.page(workspace_id, PAGE_SIZE, cursor)
    rows = [row(view, now) for view in listed["api_keys"]]
    replaced = next((r for r in rows if r["id"] == replace), None)
    if form is None and replace is not None and replaced is None:
        found = manage.find(workspace_id, replace)
        replaced = row(records.public(found, now), now) if found else None
    if form is None and replaced is not None:
        form = {"label": replaced["label"], "scopes": (replaced["scopes"] or ["read"])[-1]}
    return {
        "active_keys": [r for r in rows if r["status"] == records.ACTIVE],
        "inactive_keys": [r for r in rows if r["status"] != records.ACTIVE],
        "scope_choices": scope_choices(), "expiry_choices": EXPIRY_CHOICES,
        "form": refill(form or {}),
        "created": created, "notice": NOTICES.get(notice or ""),
        "api_base": settings.issuer, "default_rate_limit": settings.rate_limit_per_minute,
        "next_page": f"{PATH}?cursor={listed['next_cursor']}" if listed["next_cursor"] else None,
        "first_page": PATH if cursor else None,
    }


def refill(form: dict[str, Any]) -> dict[str, str]:
    """The Generate New Key form's values after an error, so nothing has to be typed twice."""
    values = {"label": "", "scopes": "read", "expires_in_days": "", "rate_limit_per_minute": ""}
    values.update({k: form[k] for k in values if isinstance(form.get(k), str)})
    return values


def find(workspace_id: str, key_id: str) -> dict[str, Any]:
    """One key of this workspace for a confirmation page; another workspace's id is 404."""
    record = manage.find(workspace_id, key_id)
    if record is None:
        raise NotFound("There is no API key with this id in your workspace. It may have expired "
                       "and been removed.")
    return row(records.public(record, clock.now()), clock.now())


def issued(answer: dict[str, Any]) -> dict[str, Any]:
    """The box with a new key, shown once (from `manage.issue` or `rolling.roll`)."""
    now = clock.now()
    shown = {"key": answer["key"], "label": answer["label"], "hint": answer["hint"],
             "expires": timefmt.stamp(answer.get("expires_at"), now), "previous": None}
    if "previous_key_expires_at" in answer:
        old_expiry = answer["previous_key_expires_at"]
        shown["previous"] = {"stops_now": old_expiry <= now, "expires": timefmt.stamp(old_expiry, now)}
    return shown


def generate(key_caller: manage.Caller, form: dict[str, Any]) -> dict[str, Any]:
    return issued(manage.issue(key_caller, key_request(form)))


def roll(key_caller: manage.Caller, key_id: str, form: dict[str, Any]) -> dict[str, Any]:
    return issued(rolling.roll(key_caller, key_id, rolling.parse_expiry(form)))


def roll_choices(selected: str | None = None) -> list[dict[str, Any]]:
    chosen = selected if selected in rolling.OLD_KEY_EXPIRY else DEFAULT_ROLL
    return [{"value": v, "title": t, "checked": v == chosen} for v, t in ROLL_CHOICES]
