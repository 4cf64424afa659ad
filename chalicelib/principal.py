"""Who is calling the Bearer API: the authorizer's decision, carried as strings.

API Gateway stringifies every authorizer context value on REST APIs, so the
context is strings only (scopes space-separated) and parsed back here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Principal:
    principal_type: str  # "api_key" | "user"
    workspace_id: str
    scopes: tuple[str, ...]
    credential_id: str
    user_id: str | None = None
    client_id: str | None = None
    rate_limit_per_minute: int | None = None
    touch_due: bool = False  # an API key whose last use the /v1 middleware should record

    def context(self) -> dict[str, str]:
        ctx = {"principal_type": self.principal_type, "workspace_id": self.workspace_id,
               "scopes": " ".join(self.scopes), "credential_id": self.credential_id}
        if self.user_id:
            ctx["user_id"] = self.user_id
        if self.client_id:
            ctx["client_id"] = self.client_id
        if self.rate_limit_per_minute:
            ctx["rate_limit_per_minute"] = str(self.rate_limit_per_minute)
        if self.touch_due:
            ctx["touch_due"] = "1"
        return ctx

    @classmethod
    def from_context(cls, ctx: Mapping[str, Any]) -> Principal:
        limit = str(ctx.get("rate_limit_per_minute") or "")
        return cls(
            principal_type=str(ctx["principal_type"]),
            workspace_id=str(ctx["workspace_id"]),
            scopes=tuple(str(ctx.get("scopes") or "").split()),
            credential_id=str(ctx["credential_id"]),
            user_id=str(ctx["user_id"]) if ctx.get("user_id") else None,
            client_id=str(ctx["client_id"]) if ctx.get("client_id") else None,
            rate_limit_per_minute=int(limit) if limit.isdigit() else None,
            touch_due=ctx.get("touch_due") == "1",
        )

    @property
    def rate_subject(self) -> str:
        """What a rate limit counts: the API key, or the OAuth grant behind an access token."""
        return f"{self.principal_type}:{self.credential_id}"

    def public(self) -> dict[str, Any]:
        """The `/v1/me` answer."""
        body: dict[str, Any] = {"principal_type": self.principal_type,
                                "workspace_id": self.workspace_id, "scopes": list(self.scopes),
                                "credential_id": self.credential_id}
        if self.user_id:
            body["user_id"] = self.user_id
        if self.client_id:
            body["client_id"] = self.client_id
        return body
