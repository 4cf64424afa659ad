"""Checking a passkey assertion (WebAuthn L3 §7.2) for sign-in or as a second factor.

The library checks type, challenge, origin, RP id hash, flags and signature. Here:
whose credential it is (§7.2 steps 5-6: the guard item names the owner, and a
user handle, when sent, must be that owner), and the signature counter (step 22):
a count that does not grow while either side is non-zero means a cloned
authenticator, so the sign-in is refused and audited.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from .. import audit, clock, logs
from ..caller import Caller
from ..store import passkeys as store
from ..store import users as user_store
from . import challenges, credential, relying_party
from .errors import PasskeySignInFailed
from .registration import descriptor

if TYPE_CHECKING:
    from webauthn.helpers.structs import AuthenticationCredential


def options(binding: str, purpose: str, user_id: str | None = None) -> dict[str, Any]:
    """Request options. Passwordless: any discoverable credential, user verification required.
    Second factor: the user's own passkeys, user verification preferred (the password was
    the first factor)."""
    from webauthn import generate_authentication_options, options_to_json
    from webauthn.helpers.structs import UserVerificationRequirement

    challenge = challenges.issue(binding, purpose, user_id)
    allowed = [descriptor(r) for r in store.list_for(user_id)] if user_id else None
    uv = UserVerificationRequirement.PREFERRED if user_id else UserVerificationRequirement.REQUIRED
    created = generate_authentication_options(
        rp_id=relying_party.rp_id(), challenge=challenge, timeout=challenges.TIMEOUT_MS,
        allow_credentials=allowed, user_verification=uv)
    result: dict[str, Any] = json.loads(options_to_json(created))
    return result


def _owner(parsed: AuthenticationCredential,
           expected_user: str | None) -> tuple[dict[str, Any], dict[str, Any]]:
    guard = store.owner(parsed.raw_id)
    if guard is None:
        raise PasskeySignInFailed()  # unknown credential id
    user_id = guard["user_id"]
    handle = parsed.response.user_handle
    if handle is not None and handle != user_id.encode("utf-8"):
        raise PasskeySignInFailed()
    if expected_user is not None and user_id != expected_user:
        raise PasskeySignInFailed()  # another account's passkey at this account's second step
    record = store.get(user_id, guard["passkey_id"])
    user = user_store.get(user_id)
    if record is None or user is None:
        raise PasskeySignInFailed()
    return user, record


def verify(body: dict[str, Any], binding: str | None, purpose: str, caller: Caller,
           expected_user: str | None = None) -> dict[str, Any]:
    """The user this assertion proves; the challenge is spent whatever the outcome."""
    from webauthn import verify_authentication_response

    parsed = credential.authentication(body)
    challenge = challenges.take(binding, purpose, expected_user)
    user, record = _owner(parsed, expected_user)
    try:
        verified = verify_authentication_response(
            credential=parsed, expected_challenge=challenge, expected_rp_id=relying_party.rp_id(),
            expected_origin=relying_party.origins(),
            credential_public_key=bytes.fromhex(record["public_key"]),
            credential_current_sign_count=0,  # checked below, so a regression can be audited
            require_user_verification=purpose == challenges.SIGN_IN)
    except Exception as exc:  # noqa: BLE001 - every library refusal is the same 401
        logs.log("passkey_assertion_refused", user_id=user["user_id"], reason=type(exc).__name__)
        raise PasskeySignInFailed() from None
    old, new = int(record.get("sign_count") or 0), verified.new_sign_count
    if (old or new) and new <= old:
        audit.record("passkey.counter_regressed", user["workspace_id"], user_id=user["user_id"],
                     object_id=record["id"], ip=caller.ip, user_agent=caller.user_agent,
                     stored=str(old), received=str(new))
        raise PasskeySignInFailed("That passkey reported a signature count that went backwards, "
                                  "which a copied authenticator would do. It was not accepted.")
    if not store.record_use(user["user_id"], record["id"], old, new, clock.now()):
        raise PasskeySignInFailed()
    return user
