"""private_key_jwt client authentication (RFC 7523 §2.2 and §3, RFC 7521 §4.2, OIDC Core §9).

The client registers public keys (`jwks`) and, at the token, revocation and
introspection endpoints, sends `client_assertion_type=urn:ietf:params:oauth:
client-assertion-type:jwt-bearer` and a `client_assertion` JWT it signed:

- `alg` ES256 or RS256 (never `none` or an HMAC), with a registered `kid`
  (a single registered key may be used without one) of the matching key type;
- `iss` = `sub` = the client_id (§3 items 1-2); `aud` our issuer or one of our
  endpoint URLs (§3 item 3); `exp` in the future and at most 5 minutes ahead
  (§3 item 4, bounding how long we must remember the `jti`); `jti` used once (§3 item 7).

Every failure is `invalid_client` (RFC 6749 §5.2, RFC 7521 §4.2.1).
"""

from __future__ import annotations

from typing import Any

from .. import clock, tokens
from ..errors import InvalidRequest
from ..settings import get_settings
from ..store import assertion_jtis
from . import clients, params
from .client_metadata import PRIVATE_KEY_JWT
from .client_tokens import AUTHENTICATED_WITH, KEY_PREFIX
from .errors import InvalidClient

JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
ALGORITHMS = {"ES256": "EC", "RS256": "RSA"}
MAX_LIFETIME = 300
LEEWAY = 30
MAX_ASSERTION_CHARS = 8192
MAX_KEYS = 5
PUBLIC_MEMBERS = ("kty", "kid", "use", "alg", "crv", "x", "y", "n", "e")
PRIVATE_MEMBERS = ("d", "p", "q", "dp", "dq", "qi", "k", "oth")


def present(form: params.Params) -> bool:
    return bool(form.get("client_assertion_type") or form.get("client_assertion"))


def validate_jwks(value: Any) -> dict[str, Any]:
    """The registered key set: 1-5 public EC P-256 or RSA (≥2048 bits) signing keys, each with a kid."""
    keys = value.get("keys") if isinstance(value, dict) else None
    if not isinstance(keys, list) or not 1 <= len(keys) <= MAX_KEYS:
        raise InvalidRequest(f"'jwks' must be {{\"keys\": [...]}} with 1 to {MAX_KEYS} public keys.")
    cleaned = [_public_key(jwk) for jwk in keys]
    kids = [k["kid"] for k in cleaned]
    if len(set(kids)) != len(kids):
        raise InvalidRequest("Each key in 'jwks' needs its own kid.")
    return {"keys": cleaned}


def _public_key(jwk: Any) -> dict[str, Any]:
    if not isinstance(jwk, dict) or not all(isinstance(jwk[m], str) for m in PUBLIC_MEMBERS if m in jwk):
        raise InvalidRequest("Each key in 'jwks' must be a JWK object (RFC 7517) with string members.")
    if any(name in jwk for name in PRIVATE_MEMBERS):
        raise InvalidRequest("'jwks' must hold public keys only: never send a private key.")
    kid = jwk.get("kid")
    if not kid or len(kid) > 100 or not kid.isprintable():
        raise InvalidRequest("Each key in 'jwks' needs a kid (1 to 100 printable characters).")
    if jwk.get("use", "sig") != "sig" or jwk.get("alg", "") not in ("", *ALGORITHMS):
        raise InvalidRequest("Keys in 'jwks' are for signatures (use sig) with ES256 or RS256.")
    if jwk.get("kty") == "EC" and jwk.get("crv") != "P-256":
        raise InvalidRequest("EC keys in 'jwks' must use the P-256 curve (ES256).")
    if jwk.get("kty") not in ALGORITHMS.values():
        raise InvalidRequest("Keys in 'jwks' must be EC (P-256) or RSA.")
    key = _load(jwk)
    if key is None:
        raise InvalidRequest("A key in 'jwks' is not a valid public key.")
    if jwk["kty"] == "RSA" and getattr(key, "key_size", 0) < 2048:
        raise InvalidRequest("RSA keys in 'jwks' must have at least 2048 bits.")
    return {name: jwk[name] for name in PUBLIC_MEMBERS if name in jwk}


def _load(jwk: dict[str, Any]) -> Any:
    import jwt  # PyJWT (and cryptography) on first use: off the API handler's cold start

    algorithm = next(a for a, kty in ALGORITHMS.items() if kty == jwk["kty"])
    try:
        return jwt.PyJWK({**jwk, "alg": algorithm}).key
    except (jwt.PyJWKError, jwt.InvalidKeyError, ValueError, TypeError, KeyError):
        return None


def _audiences() -> list[str]:
    issuer = get_settings().issuer
    # §3 item 3: the token endpoint URL may be used; OIDC Core §9 and RFC 7523 allow the
    # issuer; revocation and introspection accept their own URLs too.
    return [issuer, f"{issuer}/oauth/token", f"{issuer}/oauth/revoke", f"{issuer}/oauth/introspect"]


def _unverified(assertion: str) -> tuple[dict[str, Any], dict[str, Any]]:
    import jwt  # PyJWT (and cryptography) on first use: off the API handler's cold start

    if len(assertion) > MAX_ASSERTION_CHARS or assertion.count(".") != 2:
        raise InvalidClient("client_assertion is not a JWT.")
    try:
        header = jwt.get_unverified_header(assertion)
        claims = jwt.decode(assertion, options={"verify_signature": False})
    except (jwt.PyJWTError, ValueError, TypeError, RecursionError):
        raise InvalidClient("client_assertion is not a JWT.") from None
    return header, claims


def _key_for(client: dict[str, Any], header: dict[str, Any]) -> tuple[str, Any]:
    alg = header.get("alg")
    # RFC 8725 §3.1: the algorithm must be one we allow for this key, never taken on trust:
    # "none" and HS256 (a public key used as an HMAC secret) are refused here.
    if alg not in ALGORITHMS:
        raise InvalidClient("client_assertion must be signed with ES256 or RS256.")
    keys = (client.get("jwks") or {}).get("keys") or []
    kid = header.get("kid")
    if kid is None and len(keys) == 1:
        kid = keys[0]["kid"]
    jwk = next((k for k in keys if k["kid"] == kid), None)
    if jwk is None:
        raise InvalidClient("client_assertion names a key (kid) this client did not register.")
    if ALGORITHMS[alg] != jwk["kty"] or jwk.get("alg", alg) != alg:
        raise InvalidClient("client_assertion's alg does not match the registered key.")
    return str(kid), _load(jwk)


def _verify(assertion: str, client: dict[str, Any], header: dict[str, Any]) -> dict[str, Any]:
    import jwt  # PyJWT (and cryptography) on first use: off the API handler's cold start

    kid, key = _key_for(client, header)
    try:
        claims: dict[str, Any] = jwt.decode(
            assertion, key, algorithms=[header["alg"]], audience=_audiences(), issuer=client["client_id"],
            leeway=LEEWAY, options={"require": ["iss", "sub", "aud", "exp", "jti"]})
    except jwt.ExpiredSignatureError:
        raise InvalidClient("client_assertion has expired.") from None
    except jwt.InvalidAudienceError:
        raise InvalidClient("client_assertion's aud must be the token endpoint URL or the issuer.") from None
    except jwt.PyJWTError:
        raise InvalidClient("client_assertion's signature or claims are not valid.") from None
    now = clock.now()
    # §3 item 4 bounds the lifetime; ours: at most 5 minutes ahead of our clock, no skew added,
    # since that is also how long we must remember the jti.
    if not isinstance(claims["exp"], int) or claims["exp"] > now + MAX_LIFETIME:
        raise InvalidClient(f"client_assertion's exp must be at most {MAX_LIFETIME} seconds ahead.")
    jti = claims["jti"]
    if not isinstance(jti, str) or not 1 <= len(jti) <= 256:
        raise InvalidClient("client_assertion needs a jti (1 to 256 characters).")
    if not assertion_jtis.use(client["client_id"], tokens.digest(jti), claims["exp"] + LEEWAY):
        raise InvalidClient("client_assertion was already used (jti): sign a new one for each request.")
    return {**client, AUTHENTICATED_WITH: KEY_PREFIX + kid}


def authenticate(form: params.Params, authorization: str | None) -> dict[str, Any]:
    """The client proven by a private_key_jwt assertion, or InvalidClient / InvalidRequest."""
    if authorization:
        raise InvalidRequest("Use one client authentication method, not Basic and client_assertion.")
    if params.get(form, "client_secret") is not None:
        raise InvalidRequest("Use one client authentication method, not client_secret and client_assertion.")
    if params.get(form, "client_assertion_type", 200) != JWT_BEARER:
        raise InvalidClient(f"client_assertion_type must be {JWT_BEARER}.")
    header, unverified = _unverified(params.require(form, "client_assertion", MAX_ASSERTION_CHARS))
    client_id = unverified.get("sub")
    # RFC 7523 §3 items 1-2: iss and sub are both the client_id; client_id, when sent, agrees.
    if not isinstance(client_id, str) or unverified.get("iss") != client_id:
        raise InvalidClient("client_assertion's iss and sub must both be the client_id.")
    if params.get(form, "client_id", 200) not in (None, client_id):
        raise InvalidClient("client_id differs from the client_assertion's sub.")
    client = clients.get_active(client_id)
    if client is None or client.get("token_endpoint_auth_method") != PRIVATE_KEY_JWT:
        raise InvalidClient("Unknown client, or it is not registered for private_key_jwt.")
    return _verify(params.require(form, "client_assertion", MAX_ASSERTION_CHARS), client, header)
