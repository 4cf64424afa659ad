"""The `credential` field: the JSON object `PublicKeyCredential.toJSON()` produces.

Parsing is the library's (`parse_*_credential_json`, base64url included); any failure
there, or a field of the wrong shape or size, is a 400 naming the problem.

`webauthn` (with cbor2, pyOpenSSL, pyasn1) costs about 0.15 s of imports, so every module
here imports it on first use: it never lands on the authorizer's or a page's cold start.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..errors import InvalidRequest

if TYPE_CHECKING:
    from webauthn.helpers.structs import AuthenticationCredential, RegistrationCredential

# WebAuthn L3 §5.8.3: a credential id is at most 1023 bytes (1364 base64url characters).
MAX_ID_CHARS = 1364
MAX_FIELD_CHARS = 16_384


def _checked(body: dict[str, Any]) -> dict[str, Any]:
    value = body.get("credential")
    if value is None:
        raise InvalidRequest("'credential' is required: the object your browser returned.")
    if not isinstance(value, dict):
        raise InvalidRequest("'credential' must be a JSON object (PublicKeyCredential.toJSON()).")
    for name in ("id", "rawId"):
        field = value.get(name)
        if not isinstance(field, str) or not 1 <= len(field) <= MAX_ID_CHARS:
            raise InvalidRequest(f"'credential.{name}' must be a base64url string of at most "
                                 f"{MAX_ID_CHARS} characters.")
    response = value.get("response")
    if not isinstance(response, dict):
        raise InvalidRequest("'credential.response' must be an object.")
    for name, field in response.items():
        if isinstance(field, str) and (len(field) > MAX_FIELD_CHARS or "\x00" in field):
            raise InvalidRequest(f"'credential.response.{name[:40]}' is too long or malformed.")
    return value


def registration(body: dict[str, Any]) -> RegistrationCredential:
    from webauthn.helpers import parse_registration_credential_json

    try:
        return parse_registration_credential_json(_checked(body))
    except InvalidRequest:
        raise
    except Exception:  # noqa: BLE001 - the library raises several types for malformed input
        raise InvalidRequest("'credential' is not a valid passkey registration response.") from None


def authentication(body: dict[str, Any]) -> AuthenticationCredential:
    from webauthn.helpers import parse_authentication_credential_json

    try:
        return parse_authentication_credential_json(_checked(body))
    except InvalidRequest:
        raise
    except Exception:  # noqa: BLE001 - the library raises several types for malformed input
        raise InvalidRequest("'credential' is not a valid passkey sign-in response.") from None
