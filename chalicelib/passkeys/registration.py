"""Adding a passkey (WebAuthn L3 §7.1): creation options, then the browser's answer.

Attestation `none` (we trust no vendor list, so asking for more would only cost
privacy); a resident (discoverable) credential with user verification, so the same
passkey signs in without a password. The user handle is the user id: random, no PII.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from .. import clock, logs, tokens
from ..caller import Caller
from ..errors import Conflict
from ..store import passkeys as store
from . import challenges, credential, manage, relying_party
from .errors import PasskeyRejected

if TYPE_CHECKING:
    from webauthn.helpers.structs import PublicKeyCredentialDescriptor

MAX_PASSKEYS = 20


def descriptor(record: dict[str, Any]) -> PublicKeyCredentialDescriptor:
    from webauthn.helpers.structs import AuthenticatorTransport, PublicKeyCredentialDescriptor

    known = {t.value for t in AuthenticatorTransport}
    transports = [AuthenticatorTransport(t) for t in record.get("transports") or [] if t in known]
    return PublicKeyCredentialDescriptor(id=bytes.fromhex(record["credential_id"]),
                                         transports=transports or None)


def _room_for_one_more(user_id: str) -> list[dict[str, Any]]:
    """The user's passkeys, or 409 when there are already MAX_PASSKEYS."""
    existing = store.list_for(user_id)
    if len(existing) >= MAX_PASSKEYS:
        raise Conflict("too_many_passkeys", f"An account can hold {MAX_PASSKEYS} passkeys. "
                                            "Remove one you no longer use first.")
    return existing


def options(user: dict[str, Any], binding: str) -> dict[str, Any]:
    """Creation options for this signed-in user; the challenge is bound to `binding`."""
    from webauthn import generate_registration_options, options_to_json
    from webauthn.helpers.structs import (
        AttestationConveyancePreference,
        AuthenticatorSelectionCriteria,
        ResidentKeyRequirement,
        UserVerificationRequirement,
    )

    existing = _room_for_one_more(user["user_id"])
    challenge = challenges.issue(binding, challenges.REGISTER, user["user_id"])
    created = generate_registration_options(
        rp_id=relying_party.rp_id(), rp_name=relying_party.NAME,
        user_name=user["email"], user_id=user["user_id"].encode("utf-8"),
        challenge=challenge, timeout=challenges.TIMEOUT_MS,
        attestation=AttestationConveyancePreference.NONE,
        authenticator_selection=AuthenticatorSelectionCriteria(
            resident_key=ResidentKeyRequirement.REQUIRED,
            user_verification=UserVerificationRequirement.REQUIRED),
        exclude_credentials=[descriptor(r) for r in existing])
    result: dict[str, Any] = json.loads(options_to_json(created))
    return result


def add(user: dict[str, Any], binding: str, body: dict[str, Any], caller: Caller) -> dict[str, Any]:
    """Verify the browser's answer to our options and store the new passkey."""
    from webauthn import verify_registration_response

    parsed = credential.registration(body)
    name = manage.clean_name(body.get("name"), required=False)
    challenge = challenges.take(binding, challenges.REGISTER, user["user_id"])
    existing = _room_for_one_more(user["user_id"])
    try:
        verified = verify_registration_response(
            credential=parsed, expected_challenge=challenge,
            expected_rp_id=relying_party.rp_id(), expected_origin=relying_party.origins(),
            require_user_verification=True)
    except Exception as exc:  # noqa: BLE001 - every library refusal is the caller's 400
        logs.log("passkey_registration_refused", user_id=user["user_id"], reason=type(exc).__name__)
        raise PasskeyRejected() from None
    now = clock.now()
    record = {"id": tokens.new_id("pky_"), "user_id": user["user_id"],
              "name": name or f"Passkey {len(existing) + 1}",
              "credential_id": verified.credential_id.hex(),
              "public_key": verified.credential_public_key.hex(),
              "sign_count": verified.sign_count, "aaguid": verified.aaguid,
              "transports": [t.value for t in parsed.response.transports or []][:10],
              "backed_up": verified.credential_backed_up,
              "created_at": now, "created_ns": clock.now_ns(), "last_used_at": None}
    if not store.add(record, verified.credential_id):
        raise Conflict("passkey_exists", "This passkey is already registered.")
    manage.announce("passkey.added", user, record, caller)
    return manage.public(record)
