"""The relying party: its id is the issuer's host (WebAuthn L3 §5.1.4.1, §13.4.9).

Browsers refuse WebAuthn on an IP-address origin, so for a loopback-IP issuer (the
local default `http://127.0.0.1:$PORT`) the RP id is `localhost` and the origin
accepted is `http://localhost:$PORT`.
"""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

from ..settings import get_settings

NAME = "TaskForge"


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def rp_id() -> str:
    host = urlsplit(get_settings().issuer).hostname or ""
    return "localhost" if _is_ip(host) else host


def origin() -> str:
    """The one origin where the browser may use our passkeys (the issuer's, or its localhost twin)."""
    parts = urlsplit(get_settings().issuer)
    host = parts.hostname or ""
    if not _is_ip(host):
        return f"{parts.scheme}://{parts.netloc}"
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme}://localhost{port}"


def origins() -> list[str]:
    """Origins accepted in clientDataJSON (WebAuthn L3 §7.1 step 9, §7.2 step 13)."""
    return [origin()]
