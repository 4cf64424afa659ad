"""What the consent page says about who is asking and who is answering (issue 14, trust defects).

Any workspace can register an app under any name ("TaskForge Official"), so the page names the
workspace that registered it and marks apps from another workspace as not verified by
TaskForge; and it names the signed-in account, so nobody approves for the wrong one.
"""

from __future__ import annotations

from typing import Any

from ..accounts import users
from ..accounts.sessions import Session
from ..store import users as user_store


def context(client: dict[str, Any], session: Session) -> dict[str, Any]:
    email = session.record.get("email") or users.profile(session.user_id).get("email")
    own = client.get("workspace_id") == session.workspace_id
    registered_by = user_store.workspace_name(str(client.get("workspace_id")))
    account_workspace = (session.record.get("workspace_name")
                         or user_store.workspace_name(session.workspace_id))
    return {"account_email": email, "account_workspace": account_workspace,
            "client_workspace": registered_by or "an unknown workspace", "client_is_own": own}
