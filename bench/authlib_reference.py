"""A reference token endpoint built on Authlib, for `bench.token_endpoint` to race against.

Authlib's framework-agnostic `AuthorizationServer` with the authorization_code grant and
PKCE (`CodeChallenge(required=True)`), ES256 JWT access tokens (RFC 9068,
`JWTBearerTokenGenerator`) and rotating refresh tokens (`RefreshTokenGrant` with
`INCLUDE_NEW_REFRESH_TOKEN`), public clients (`none`). Its storage is the same DynamoDB
table on the same endpoint, written the way Authlib's docs suggest (codes and tokens by
value's SHA-256, one item each), through its own botocore client with the store's config:

- code exchange: GetItem client, GetItem code, PutItem tokens, DeleteItem code
  (conditional: single use);
- refresh: GetItem client, GetItem token, PutItem new tokens, UpdateItem old token
  (conditional: single use).

What Authlib leaves to the application and this reference does not do: reuse detection
(a reused refresh token ending the grant), grants to revoke as a whole.
"""

from __future__ import annotations

import hashlib
import time
from functools import cached_property
from typing import Any

import botocore.session
from authlib.common.security import generate_token
from authlib.jose import JsonWebKey
from authlib.oauth2.rfc6749 import AuthorizationServer, ClientMixin, OAuth2Request, TokenMixin, grants
from authlib.oauth2.rfc6749.errors import InvalidGrantError
from authlib.oauth2.rfc6749.requests import BasicOAuth2Payload
from authlib.oauth2.rfc7636 import CodeChallenge
from authlib.oauth2.rfc9068 import JWTBearerTokenGenerator
from botocore.config import Config
from botocore.exceptions import ClientError

TOKEN_URL = "https://auth.example.com/oauth/token"


class Store:
    """The reference's DynamoDB access: one client, plain items (`AL…#` keys in the shared table)."""

    def __init__(self, table: str, region: str = "us-east-1") -> None:
        self.table = table
        config = Config(connect_timeout=2, read_timeout=3, retries={"max_attempts": 2, "mode": "standard"})
        self.client = botocore.session.get_session().create_client("dynamodb", region_name=region,
                                                                   config=config)

    def key(self, pk: str) -> dict[str, Any]:
        return {"pk": {"S": pk}, "sk": {"S": "AL"}}

    def get(self, pk: str) -> dict[str, Any] | None:
        item = self.client.get_item(TableName=self.table, Key=self.key(pk), ConsistentRead=True).get("Item")
        return {k: next(iter(v.values())) for k, v in item.items()} if item else None

    def put(self, pk: str, fields: dict[str, str]) -> None:
        item = {**self.key(pk), **{k: {"S": str(v)} for k, v in fields.items()}}
        self.client.put_item(TableName=self.table, Item=item)

    def consume(self, pk: str, delete: bool) -> bool:
        """Single use: delete (codes) or mark revoked (refresh tokens) under a condition."""
        try:
            if delete:
                self.client.delete_item(TableName=self.table, Key=self.key(pk),
                                        ConditionExpression="attribute_exists(pk)")
            else:
                self.client.update_item(TableName=self.table, Key=self.key(pk),
                                        UpdateExpression="SET revoked = :yes",
                                        ConditionExpression="attribute_exists(pk) AND "
                                                            "attribute_not_exists(revoked)",
                                        ExpressionAttributeValues={":yes": {"S": "1"}})
        except ClientError as exc:
            if exc.response["Error"]["Code"] == "ConditionalCheckFailedException":
                return False
            raise
        return True


def digest(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


class Client(ClientMixin):  # type: ignore[misc]
    def __init__(self, item: dict[str, Any]) -> None:
        self.item = item

    def get_client_id(self) -> str:
        return str(self.item["client_id"])

    def get_default_redirect_uri(self) -> str:
        return str(self.item["redirect_uri"])

    def get_allowed_scope(self, scope: str) -> str:
        allowed = set(self.item["scope"].split())
        return " ".join(s for s in (scope or "").split() if s in allowed)

    def check_redirect_uri(self, redirect_uri: str) -> bool:
        return bool(redirect_uri == self.item["redirect_uri"])

    def check_client_secret(self, client_secret: str) -> bool:
        return False  # public clients only

    def check_endpoint_auth_method(self, method: str, endpoint: str) -> bool:
        return method == "none"

    def check_grant_type(self, grant_type: str) -> bool:
        return grant_type in ("authorization_code", "refresh_token")

    def check_response_type(self, response_type: str) -> bool:
        return response_type == "code"


class User:
    def __init__(self, user_id: str) -> None:
        self.user_id = user_id

    def get_user_id(self) -> str:
        return self.user_id


class Code:
    def __init__(self, item: dict[str, Any]) -> None:
        self.item = item
        self.code_challenge = item["code_challenge"]
        self.code_challenge_method = item["code_challenge_method"]

    def get_redirect_uri(self) -> str:
        return str(self.item["redirect_uri"])

    def get_scope(self) -> str:
        return str(self.item["scope"])

    def get_nonce(self) -> None:
        return None

    def get_auth_time(self) -> None:
        return None


class Token(TokenMixin):  # type: ignore[misc]
    def __init__(self, item: dict[str, Any]) -> None:
        self.item = item

    def check_client(self, client: Client) -> bool:
        return bool(self.item["client_id"] == client.get_client_id())

    def get_scope(self) -> str:
        return str(self.item["scope"])

    def get_expires_in(self) -> int:
        return int(self.item["expires_at"]) - int(time.time())

    def is_expired(self) -> bool:
        return int(self.item["expires_at"]) <= int(time.time())

    def is_revoked(self) -> bool:
        return "revoked" in self.item


class Request(OAuth2Request):  # type: ignore[misc]
    def __init__(self, form: dict[str, str]) -> None:
        super().__init__("POST", TOKEN_URL, headers={"Content-Type": "application/x-www-form-urlencoded"})
        self._form = form
        self.payload = BasicOAuth2Payload(form)

    @cached_property
    def form(self) -> dict[str, str]:
        return self._form

    @property
    def args(self) -> dict[str, str]:
        return {}


class Server(AuthorizationServer):  # type: ignore[misc]
    def __init__(self, store: Store, private_pem: str, kid: str, issuer: str) -> None:
        super().__init__(scopes_supported=["read", "write"])
        self.store = store
        key = JsonWebKey.import_key(private_pem, {"kid": kid, "alg": "ES256", "use": "sig"})
        jwks = {"keys": [key.as_dict(is_private=True)]}

        class Generator(JWTBearerTokenGenerator):  # type: ignore[misc]
            def get_jwks(self) -> dict[str, Any]:
                return jwks

            def get_audiences(self, client: Client, user: User, scope: str) -> str:
                return "taskforge-api"

        generator = Generator(issuer, alg="ES256", refresh_token_generator=lambda **_: generate_token(48))
        self.register_token_generator("default", generator)
        self.register_grant(CodeGrant, [CodeChallenge(required=True)])
        self.register_grant(RefreshGrant)

    def query_client(self, client_id: str) -> Client | None:
        item = self.store.get(f"ALCLIENT#{client_id}")
        return Client(item) if item else None

    def save_token(self, token: dict[str, Any], request: Request) -> None:
        self.store.put(f"ALTOKEN#{digest(token['refresh_token'])}", {
            "client_id": request.client.get_client_id(), "user_id": request.user.get_user_id(),
            "scope": token.get("scope", ""), "expires_at": int(time.time()) + 30 * 86400})

    def create_oauth2_request(self, request: Request) -> Request:
        return request

    def handle_response(self, status: int, body: Any, headers: Any) -> tuple[int, Any]:
        return status, body

    def send_signal(self, name: str, *args: Any, **kwargs: Any) -> None:
        pass


class CodeGrant(grants.AuthorizationCodeGrant):  # type: ignore[misc]
    TOKEN_ENDPOINT_AUTH_METHODS = ["none"]

    def save_authorization_code(self, code: str, request: Any) -> None:
        raise NotImplementedError("codes are issued by issue_code() in this benchmark")

    def query_authorization_code(self, code: str, client: Client) -> Code | None:
        item = self.server.store.get(f"ALCODE#{digest(code)}")
        if not item or item["client_id"] != client.get_client_id() or int(item["expires_at"]) <= time.time():
            return None
        return Code(item)

    def delete_authorization_code(self, authorization_code: Code) -> None:
        if not self.server.store.consume(f"ALCODE#{authorization_code.item['digest']}", delete=True):
            raise InvalidGrantError("The code was already used.")

    def authenticate_user(self, authorization_code: Code) -> User:
        return User(authorization_code.item["user_id"])


class RefreshGrant(grants.RefreshTokenGrant):  # type: ignore[misc]
    TOKEN_ENDPOINT_AUTH_METHODS = ["none"]
    INCLUDE_NEW_REFRESH_TOKEN = True

    def authenticate_refresh_token(self, refresh_token: str) -> Token | None:
        item = self.server.store.get(f"ALTOKEN#{digest(refresh_token)}")
        token = Token({**item, "digest": digest(refresh_token)}) if item else None
        return token if token and not token.is_revoked() and not token.is_expired() else None

    def authenticate_user(self, refresh_token: Token) -> User:
        return User(refresh_token.item["user_id"])

    def revoke_old_credential(self, refresh_token: Token) -> None:
        if not self.server.store.consume(f"ALTOKEN#{refresh_token.item['digest']}", delete=False):
            raise InvalidGrantError("The refresh token was already used.")


def register_client(store: Store, client_id: str, redirect_uri: str) -> None:
    store.put(f"ALCLIENT#{client_id}", {"client_id": client_id, "redirect_uri": redirect_uri,
                                         "scope": "read write"})


def issue_code(store: Store, client_id: str, redirect_uri: str, challenge: str, user_id: str) -> str:
    """What the authorization endpoint would have stored (not timed)."""
    code = generate_token(43)
    store.put(f"ALCODE#{digest(code)}", {
        "digest": digest(code), "client_id": client_id, "redirect_uri": redirect_uri, "scope": "read write",
        "code_challenge": challenge, "code_challenge_method": "S256", "user_id": user_id,
        "expires_at": int(time.time()) + 600})
    return code


def token(server: Server, form: dict[str, str]) -> dict[str, Any]:
    status, body = server.create_token_response(Request(form))
    if status != 200:
        raise RuntimeError(f"authlib reference answered {status}: {body}")
    return dict(body)
