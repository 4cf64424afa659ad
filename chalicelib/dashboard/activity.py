"""Settings → Security → Activity: the workspace's audit events as sentences a person reads.

Labels, not ids: an API key by its label and hint, an application by its name, a person as
"you" or by their email. The names of a page cost one Query for the workspace's keys, one
for its applications, and one GetItem per other person named. The JSON API
(`/account/audit-events`) is unchanged: this only reads the same events.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from .. import clock
from ..accounts.sessions import Session
from ..errors import InvalidRequest
from ..store import apikeys as key_store
from ..store import audit as audit_store
from ..store import oauth_clients as client_store
from ..store import users as user_store
from . import timefmt, useragent

PATH = "/settings/security/activity"
PAGE_SIZE = 25
BATCH = 100  # events read per store page while filtering
MAX_SCANNED = 500  # at most this many events read for one filtered page; "Older" continues
# (query value, title, event type prefixes)
FILTERS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("", "All activity", ()),
    ("signin", "Sign-ups and sign-ins", ("account.", "signin.")),
    ("api_keys", "API keys", ("api_key.", "credential.")),
    ("applications", "Applications", ("oauth.",)),
    ("twofactor", "Two-factor authentication", ("twofactor.",)),
    ("sessions", "Sessions", ("session.",)),
    ("account", "Email, password and account", ("email.", "password.", "account.deleted")),
    ("passkeys", "Passkeys", ("passkey.",)),
)
REASONS = {"user_revoked": "by you", "client_revoked": "by the application", "refresh_reuse":
           "because a refresh token was used twice", "code_replay": "because an authorization code was "
           "used twice", "client_deleted": "because the application was deleted"}


@dataclass
class Names:
    """Labels for the ids of one page, looked up once each."""

    session: Session
    _keys: dict[str, dict[str, Any]] | None = None
    _clients: dict[str, dict[str, Any]] | None = None
    _emails: dict[str, str | None] = field(default_factory=dict)

    def person(self, user_id: str | None, capital: bool = False) -> str:
        if not user_id or user_id == self.session.user_id:
            return "You" if capital else "you"
        if user_id not in self._emails:
            user = user_store.get(user_id)
            self._emails[user_id] = user.get("email") if user else None
        return self._emails[user_id] or "a former member"

    def key(self, key_id: str | None) -> str:
        if self._keys is None:
            self._keys = {k["id"]: k for k in key_store.for_workspace(self.session.workspace_id)}
        record = self._keys.get(key_id or "")
        if record is None:
            return "an API key that no longer exists"
        return f'API key "{record.get("label")}" ({record.get("hint")})'

    def client(self, client_id: str | None) -> str:
        if self._clients is None:
            self._clients = {c["client_id"]: c for c in client_store.for_workspace(self.session.workspace_id)}
        record = self._clients.get(client_id or "") or (client_store.get(client_id) if client_id else None)
        name = record.get("name") if record else None
        return f'application "{name}"' if name else "an application that no longer exists"

    def actor(self, actor: str | None) -> str:
        """Who did it, for "… by <actor>": a person, an API key or an application."""
        if actor and actor.startswith("key_"):
            return self.key(actor)
        if actor and actor.startswith("cli_"):
            return self.client(actor)
        return self.person(actor)


Phrase = Callable[[dict[str, Any], Names], str]


def _who(event: dict[str, Any], names: Names, capital: bool = False) -> str:
    return names.person(event.get("user_id"), capital)


def _whose(event: dict[str, Any], names: Names) -> str:
    """`your` or `ada@example.com's`."""
    who = _who(event, names)
    return "your" if who == "you" else f"{who}'s"


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _details(event: dict[str, Any]) -> dict[str, str]:
    details = event.get("details")
    return {k: str(v) for k, v in details.items()} if isinstance(details, dict) else {}


def _scopes(event: dict[str, Any]) -> str:
    granted = (_details(event).get("scopes") or _details(event).get("scope") or "").split()
    return f" with {' + '.join(granted)} access" if granted else ""


SENTENCES: dict[str, Phrase] = {
    "account.created": lambda e, n: f"{_who(e, n, True)} signed up, creating the workspace "
                                    f'"{_details(e).get("workspace", "")}"',
    "signin.succeeded": lambda e, n: f"{_who(e, n, True)} signed in",
    "signin.failed": lambda e, n: f"Failed sign-in (wrong password) to {_whose(e, n)} account",
    "signin.locked": lambda e, n: f"Sign-in to {_whose(e, n)} account locked for 15 "
                                  "minutes after repeated wrong passwords",
    "api_key.created": lambda e, n: f"{n.key(e.get('object_id'))} created by {n.actor(e.get('actor'))}"
                                    f"{_scopes(e)}",
    "api_key.revoked": lambda e, n: f"{n.key(e.get('object_id'))} revoked by {n.actor(e.get('actor'))}",
    "api_key.rolled": lambda e, n: f"{n.key(e.get('object_id'))} rolled by {n.actor(e.get('actor'))}: "
                                   f"replaced by {n.key(_details(e).get('new_key_id'))}",
    "credential.leaked": lambda e, n: f"{n.key(e.get('object_id'))} found in public"
                                      f"{' at ' + _details(e)['url'] if _details(e).get('url') else ''}"
                                      " and revoked",
    "oauth.client_created": lambda e, n: f"{_cap(n.client(e.get('object_id')))} registered by "
                                         f"{n.actor(e.get('actor'))}",
    "oauth.client_deleted": lambda e, n: f"{_cap(n.client(e.get('object_id')))} deleted by "
                                         f"{n.actor(e.get('actor'))}",
    "oauth.client_locked": lambda e, n: f"{_cap(n.client(e.get('object_id')))} locked after "
                                        "repeated wrong client secrets",
    "oauth.grant_created": lambda e, n: f"{_who(e, n, True)} allowed "
                                        f"{n.client(_details(e).get('client_id'))}{_scopes(e)}",
    "oauth.grant_revoked": lambda e, n: f"Access of {n.client(_details(e).get('client_id'))} ended "
                                        f"{REASONS.get(_details(e).get('reason', ''), '')}".rstrip(),
    "oauth.access_token_revoked": lambda e, n: f"An access token of {n.client(e.get('actor'))} revoked "
                                               "by the application",
    "oauth.refresh_reuse_detected": lambda e, n: f"A refresh token of {n.client(e.get('actor'))} was used "
                                                 "twice: its access was ended",
    "oauth.code_replay_detected": lambda e, n: f"An authorization code of {n.client(e.get('actor'))} was "
                                               "used twice: what it issued was revoked",
    "session.revoked": lambda e, n: f"A browser session signed out by {_who(e, n)}",
    "session.revoked_others": lambda e, n: f"Every other browser session ({_details(e).get('count', '0')}) "
                                           f"signed out by {_who(e, n)}",
    "twofactor.enabled": lambda e, n: f"Two-factor authentication turned on by {_who(e, n)}",
    "twofactor.disabled": lambda e, n: f"Two-factor authentication turned off by {_who(e, n)}",
    "twofactor.backup_codes_regenerated": lambda e, n: f"New backup codes made by {_who(e, n)}"
                                                       " (the old ones stopped working)",
    "twofactor.backup_code_used": lambda e, n: f"A backup code used to sign in by {_who(e, n)}",
    "twofactor.locked": lambda e, n: "Second factor locked for 15 minutes after repeated wrong codes "
                                     f"({_whose(e, n)} account)",
    "twofactor.reset_by_operator": lambda e, n: f"Two-factor authentication of {_whose(e, n)} account "
                                                "reset by TaskForge support",
    "email.verification_sent": lambda e, n: f"A verification link emailed to {_who(e, n)}",
    "email.verified": lambda e, n: f"Email address of {_whose(e, n)} account verified",
    "email.change_requested": lambda e, n: f"A change of email address requested by {_who(e, n)}",
    "email.changed": lambda e, n: f"Sign-in email address of {_whose(e, n)} account changed",
    "email.send_failed": lambda e, n: f"An email to {_who(e, n)} could not be sent",
    "password.changed": lambda e, n: f"Password changed by {_who(e, n)}",
    "password.reset_requested": lambda e, n: f"A password reset link requested for {_whose(e, n)} account",
    "password.reset": lambda e, n: f"Password of {_whose(e, n)} account reset with an emailed link",
    "account.deleted": lambda e, n: f"The account of {_who(e, n)} deleted",
    "passkey.added": lambda e, n: f'Passkey "{_details(e).get("name", "")}" added by {_who(e, n)}',
    "passkey.removed": lambda e, n: f'Passkey "{_details(e).get("name", "")}" removed by {_who(e, n)}',
    "passkey.counter_regressed": lambda e, n: "A passkey sign-in refused: the passkey's counter went "
                                              f"backwards (it may have been cloned; {_whose(e, n)} account)",
}


def sentence(event: dict[str, Any], names: Names) -> str:
    """`API key "CI deploy" (tfk_Akme…5v2R) revoked by you from 203.0.113.9`."""
    phrase = SENTENCES.get(str(event.get("type")))
    text = phrase(event, names) if phrase else f"{event.get('type')} by {names.actor(event.get('actor'))}"
    ip = event.get("ip")
    if ip and ip != "unknown":
        text += f" from {ip}"
    return text


def row(event: dict[str, Any], names: Names, now: int) -> dict[str, Any]:
    agent = event.get("user_agent")
    return {"id": event.get("id"), "type": event.get("type"), "sentence": sentence(event, names),
            "time": timefmt.stamp(int(event.get("time") or 0), now),
            "device": useragent.describe(agent) if agent else None, "user_agent": agent}


def _prefixes(type_filter: str | None) -> tuple[str, ...]:
    for value, _title, prefixes in FILTERS:
        if value == (type_filter or ""):
            return prefixes
    raise InvalidRequest("Unknown activity filter: choose one from the list.")


def collect(workspace_id: str, prefixes: tuple[str, ...], cursor: str | None,
            size: int = PAGE_SIZE) -> tuple[list[dict[str, Any]], str | None]:
    """Up to `size` events of these types, newest first, and the cursor of the next page."""
    found: list[dict[str, Any]] = []
    scanned = 0
    while True:
        try:
            items, store_cursor = audit_store.page(workspace_id, BATCH if prefixes else size, cursor)
        except ValueError:
            raise InvalidRequest("This page link is not valid any more: start from the newest activity.") \
                from None
        for item in items:
            if not prefixes or str(item.get("type", "")).startswith(prefixes):
                found.append(item)
                if len(found) == size:
                    more = item is not items[-1] or store_cursor is not None
                    return found, audit_store.cursor_after(item) if more else None
        scanned += len(items)
        if store_cursor is None or scanned >= MAX_SCANNED:
            return found, store_cursor
        cursor = store_cursor


def page(session: Session, type_filter: str | None, cursor: str | None) -> dict[str, Any]:
    if cursor is not None and (not cursor or len(cursor) > 2000):
        raise InvalidRequest("This page link is not valid any more: start from the newest activity.")
    prefixes = _prefixes(type_filter)
    events, next_cursor = collect(session.workspace_id, prefixes, cursor)
    names, now = Names(session), clock.now()
    selected = type_filter or ""
    base = {"type": selected} if selected else {}
    return {
        "events": [row(e, names, now) for e in events],
        "filters": [{"value": v, "title": t, "selected": v == selected} for v, t, _p in FILTERS],
        "filter_title": next(t for v, t, _p in FILTERS if v == selected),
        "older_url": f"{PATH}?{urlencode({**base, 'cursor': next_cursor})}" if next_cursor else None,
        "newest_url": f"{PATH}?{urlencode(base)}".rstrip("?") if cursor else None,
    }
