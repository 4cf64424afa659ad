"""The workspace's notice that one of its credentials was found in public and revoked.

The contract emails it ("a leaked credential revoked" is one of the security notices) to the
workspace's owner. A failed email is logged and audited by the mailer; the revocation stands and
the audit event `credential.leaked` remains the workspace's record.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..mailer import notices


@dataclass(frozen=True)
class Leak:
    """What the notice says: which credential, found where; never the credential itself."""

    workspace_id: str
    credential_type: str  # "api_key" or "refresh_token"
    object_id: str        # the key id, or the grant id of a refresh token
    name: str             # the key's label and hint, or the OAuth application's name
    url: str
    source: str


def notify_workspace(leak: Leak) -> None:
    """Tell the workspace's admins what was revoked and where it was found."""
    notices.notify_workspace(leak.workspace_id, "credential_leaked", credential=leak.name,
                             found_at=leak.url, source=leak.source)
