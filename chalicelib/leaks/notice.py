"""The workspace's notice that one of its credentials was found in public and revoked.

The contract emails it ("a leaked credential revoked" is one of the security notices). This
is the one call site: the security-notice mailer plugs in here. Until it does, the audit
event `credential.leaked` is the workspace's record, and this logs that a notice is due.
"""

from __future__ import annotations

from dataclasses import dataclass

from .. import logs


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
    logs.log("credential_leak_notice_due", workspace_id=leak.workspace_id,
             credential_type=leak.credential_type, object_id=leak.object_id)
