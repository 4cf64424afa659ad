"""Show a new key once, after a redirect (POST-redirect-GET on Settings → API).

Rendering the key into the POST's answer meant a reload re-sent the form and silently made
a second key. Now the POST stores what to show, sealed with AES-256-GCM (the TOTP keyring;
the browser session id is the associated data), for at most REVEAL_SECONDS, and redirects to
`/settings/api?shown=<id>`; that GET takes the record (a conditional delete) and shows the
key. Reloading it shows the page without the key and creates nothing.
"""

from __future__ import annotations

import json
from typing import Any

from .. import clock, tokens
from ..accounts.sessions import Session
from ..store import reveals
from ..twofactor import crypto

REVEAL_SECONDS = 300
ID_CHARS = 43  # tokens.opaque(): 256 bits, URL-safe


def stash(session: Session, shown: dict[str, Any]) -> str:
    """Keep `shown` (the new-key box) for one GET by this session; returns its id."""
    reveal_id = tokens.opaque()
    sealed = crypto.encrypt(json.dumps(shown), session.id)
    reveals.put(reveal_id, session.id, sealed, clock.now() + REVEAL_SECONDS)
    return reveal_id


def take(session: Session, reveal_id: str | None) -> dict[str, Any] | None:
    """The new-key box once, for the session that made it; None afterwards or for anyone else."""
    if not reveal_id or len(reveal_id) != ID_CHARS or not reveal_id.isascii():
        return None
    sealed = reveals.take(reveal_id, session.id, clock.now())
    if sealed is None:
        return None
    shown: dict[str, Any] = json.loads(crypto.decrypt(sealed, session.id))
    return shown
