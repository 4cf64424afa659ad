"""The authorization endpoint (RFC 6749 §4.1.1-4.1.2): validate, ask the user, redirect back.

Validation runs in two stages, as oauthlib does:
1. client and redirect URI (fatal: `FatalAuthorizeError`, shown as a page, never a
   redirect, since an unverified URI could send the user anywhere; §4.1.2.1);
2. everything else (`RedirectableError`: back to the now-trusted redirect URI
   with `error`, `state` and `iss`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode, urlsplit

from ..settings import get_settings
from . import clients, codes, consent, params, pkce, scope
from .errors import (
    AccessDenied,
    FatalAuthorizeError,
    InvalidRequest,
    OAuthError,
    RedirectableError,
    UnsupportedResponseType,
)

MAX_STATE_CHARS = 1024


@dataclass(frozen=True)
class AuthorizationRequest:
    client: dict[str, Any]
    redirect_uri: str
    redirect_uri_given: bool
    scopes: list[str]
    state: str | None
    code_challenge: str | None
    prompt: frozenset[str] = frozenset()  # OIDC Core §3.1.2.1 (consent.parse_prompt)
    nonce: str | None = None  # OIDC Core §3.1.2.1: echoed in the id_token

    def hidden_fields(self) -> dict[str, str]:
        """The request as the consent form carries it back (validated again on POST)."""
        fields = {"response_type": "code", "client_id": self.client["client_id"],
                  "scope": scope.to_string(self.scopes)}
        if self.redirect_uri_given:
            fields["redirect_uri"] = self.redirect_uri
        if self.state is not None:
            fields["state"] = self.state
        if self.code_challenge is not None:
            fields.update(code_challenge=self.code_challenge, code_challenge_method=pkce.S256)
        if self.nonce is not None:
            fields["nonce"] = self.nonce
        return fields

    def scope_descriptions(self) -> list[tuple[str, str]]:
        return [(s, scope.description(s)) for s in self.scopes]


def _single(query: params.Params, name: str) -> str | None:
    values = query.get(name) or []
    if len(values) > 1:
        # RFC 6749 §3.1: a repeated client_id or redirect_uri leaves no URI we could trust.
        raise FatalAuthorizeError(f"The {name} parameter was sent more than once.")
    return values[0] if values and values[0] else None


def _trusted_target(query: params.Params) -> tuple[dict[str, Any], str, bool]:
    """The client and the redirect URI to use, or FatalAuthorizeError (RFC 6749 §4.1.2.1)."""
    client = clients.get_active(_single(query, "client_id"))
    if client is None:
        raise FatalAuthorizeError("This application is unknown or was deleted (client_id).", "invalid_client")
    uri = _single(query, "redirect_uri")
    if uri is None:
        # RFC 6749 §3.1.2.3: optional only when exactly one URI is registered.
        if len(client["redirect_uris"]) != 1:
            raise FatalAuthorizeError("redirect_uri is required: this application registered several.")
        return client, client["redirect_uris"][0], False
    # RFC 9700 §4.1.3 / RFC 6749 §3.1.2.3: exact string comparison with a registered URI.
    if uri not in client["redirect_uris"]:
        raise FatalAuthorizeError("redirect_uri is not registered for this application.")
    return client, uri, True


def _state(query: params.Params) -> str | None:
    values = query.get("state") or []
    if len(values) == 1 and len(values[0]) <= MAX_STATE_CHARS:
        return values[0] or None
    return None


def _checked(query: params.Params, client: dict[str, Any]) -> tuple[list[str], str | None]:
    params.refuse_repeats(query)  # RFC 6749 §3.1
    if len(query.get("state", [""])[0]) > MAX_STATE_CHARS:
        raise InvalidRequest(f"state must be at most {MAX_STATE_CHARS} characters.")
    response_type = params.get(query, "response_type")
    if response_type is None:
        raise InvalidRequest("response_type is required.")
    if response_type != "code":
        raise UnsupportedResponseType()  # RFC 6749 §4.1.2.1; RFC 9700 §2.1.2: no implicit grant
    # OIDC Core §3.1.2.1: openid (and email) may be asked of any client of the code flow.
    allowed = [*client["scopes"], *scope.IDENTITY]
    granted = scope.parse(params.get(query, "scope"), allowed, client["scopes"])
    challenge = pkce.check_challenge(params.get(query, "code_challenge", 200),
                                     params.get(query, "code_challenge_method", 20),
                                     required=client["type"] == clients.PUBLIC)
    return granted, challenge


def validate(query: params.Params) -> AuthorizationRequest:
    """A complete, valid request; FatalAuthorizeError or RedirectableError otherwise."""
    client, redirect_uri, given = _trusted_target(query)
    state = _state(query)
    try:
        granted, challenge = _checked(query, client)
        prompt, nonce = consent.parse_prompt(query), params.get(query, "nonce", MAX_STATE_CHARS)
    except OAuthError as exc:
        raise RedirectableError(exc, redirect_uri, state) from None
    return AuthorizationRequest(client, redirect_uri, given, granted, state, challenge, prompt, nonce)


def redirect_location(redirect_uri: str, values: dict[str, str], state: str | None) -> str:
    """The redirect URI with our parameters added, keeping its own query (RFC 6749 §3.1.2)."""
    values = {**values, "state": state} if state is not None else dict(values)  # §4.1.2: as received
    values["iss"] = get_settings().issuer  # RFC 9207 §2: mix-up defence
    separator = "" if redirect_uri.endswith("?") else ("&" if urlsplit(redirect_uri).query else "?")
    return redirect_uri + separator + urlencode(values)


def error_location(error: RedirectableError) -> str:
    values = {"error": error.error.error, "error_description": error.error.description}
    return redirect_location(error.redirect_uri, values, error.state)


def approve(request: AuthorizationRequest, user_id: str, workspace_id: str,
            auth_time: int | None = None, ip: str | None = None, user_agent: str | None = None) -> str:
    """Issue a code bound to this request and user; the redirect that delivers it. `ip` and
    `user_agent` are the browser's that allowed it (the grant shows them in session listings)."""
    # RFC 6749 §4.1.3: a redirect_uri the request gave must come back identical; None when it
    # gave none (the client's one registered URI was used).
    given = request.redirect_uri if request.redirect_uri_given else None
    code = codes.issue(request.client, {"redirect_uri": given,
                                        "code_challenge": request.code_challenge, "scopes": request.scopes,
                                        "user_id": user_id, "workspace_id": workspace_id,
                                        "nonce": request.nonce, "auth_time": auth_time,
                                        "ip": ip, "user_agent": user_agent})
    return redirect_location(request.redirect_uri, {"code": code}, request.state)


def deny(request: AuthorizationRequest) -> str:
    return error_location(RedirectableError(AccessDenied(), request.redirect_uri, request.state))


def decide(form: params.Params, user_id: str, workspace_id: str, auth_time: int | None = None,
           ip: str | None = None, user_agent: str | None = None) -> str:
    """The consent form's answer (`decision=allow|deny`), re-validated: where to send the browser."""
    decision = params.get(form, "decision", 10)
    if decision not in ("allow", "deny"):
        raise InvalidRequest("decision must be allow or deny.")
    request = validate({k: v for k, v in form.items() if k not in ("csrf_token", "decision")})
    if decision == "deny":
        return deny(request)
    consent.remember(user_id, request.client, request.scopes)
    return approve(request, user_id, workspace_id, auth_time, ip, user_agent)


def without_page(request: AuthorizationRequest, user_id: str | None, workspace_id: str,
                 auth_time: int | None, ip: str | None = None, user_agent: str | None = None) -> str | None:
    """Where to send the browser without showing the consent page, or None to show it.

    OIDC Core §3.1.2.1: prompt=none answers login_required / consent_required instead of
    a page; remembered consent covering every requested scope skips the page unless
    prompt=consent.
    """
    silent = "none" in request.prompt
    if user_id is None:
        return _error(consent.LoginRequired(), request) if silent else None
    client_id = request.client["client_id"]
    if "consent" not in request.prompt and consent.covers(user_id, client_id, request.scopes):
        return approve(request, user_id, workspace_id, auth_time, ip, user_agent)
    return _error(consent.ConsentRequired(), request) if silent else None


def _error(error: OAuthError, request: AuthorizationRequest) -> str:
    return error_location(RedirectableError(error, request.redirect_uri, request.state))
