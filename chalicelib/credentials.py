"""What a credential is: our token prefixes, their checksummed format, and shape dispatch.

The one owner of `tfk_` (API keys), `tfr_` (refresh tokens) and `tfs_` (OAuth client
secrets). Each is prefix + 32 base62 characters (~190 bits) + 6 base62 characters of
zlib.crc32(prefix + random), 42 in all (the rule itself lives in `tokens`). The
checksum refuses a mistyped or truncated token without a store read, and lets secret
scanners (and our own log redaction, `SECRETISH`) recognise ours.

`kind` says what a presented bearer credential is meant to be, by shape alone: the
authorizer, introspection (RFC 7662) and revocation (RFC 7009) all dispatch on it.
Kept import-light (no PyJWT, no store): it is on the authorizer's cold path.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from . import tokens

API_KEY, REFRESH_TOKEN, ACCESS_TOKEN = "api_key", "refresh_token", "access_token"
# Far above any credential we issue (42-character tokens, JWTs of ~1 KB), far below API
# Gateway's 10 KB header limit: longer values are refused before any parsing.
MAX_CHARS = 4096


@dataclass(frozen=True)
class TokenFormat:
    """One checksummed token type: its prefix, and how it is made, checked and stored."""

    prefix: str

    @property
    def length(self) -> int:
        return len(self.prefix) + tokens.RANDOM_CHARS + tokens.CHECKSUM_CHARS

    def new(self) -> str:
        return tokens.new_token(self.prefix)

    def claims(self, credential: str) -> bool:
        """Shape dispatch only: does this credential present itself as one of ours of this type?"""
        return credential.startswith(self.prefix)

    def well_formed(self, credential: str) -> bool:
        """Length, alphabet and checksum: RFC 6750 §3.1 invalid_token without a store read."""
        return tokens.well_formed(credential, self.prefix)

    def digest(self, credential: str) -> str:
        """How the token is stored and looked up: SHA-256, never the token itself."""
        return tokens.digest(credential)


@dataclass(frozen=True)
class RefreshTokenFormat(TokenFormat):
    """A refresh token's 32 characters are its grant's token family (16) and 16 random.

    The family is drawn once per grant and repeated in each of its tokens; the grant's id
    is a one-way function of it (`oauth.grants.id_for_family`), so a token leads to its
    grant without a lookup item, and only a holder of one of the grant's tokens (or of
    the code that created it) can name that grant: a token made up around a known grant
    id (access tokens carry it as `sid`) leads nowhere. Family and random part are 190
    bits together, like every other credential (RFC 6749 §10.10). Tokens issued before
    families existed have the same shape; their record names their grant.
    """

    FAMILY_CHARS = 16

    def issue(self, family: str) -> str:
        return tokens.new_token(self.prefix, family + tokens.random_base62(tokens.RANDOM_CHARS - len(family)))

    def family(self, credential: str) -> str:
        """The family part of a well-formed token."""
        return credential[len(self.prefix):len(self.prefix) + self.FAMILY_CHARS]


API_KEYS = TokenFormat("tfk_")
REFRESH_TOKENS = RefreshTokenFormat("tfr_")
CLIENT_SECRETS = TokenFormat("tfs_")
FORMATS = (API_KEYS, REFRESH_TOKENS, CLIENT_SECRETS)

# Free text that may hold one of our secrets: any of our prefixes, or what looks like a JWT.
SECRETISH = re.compile("(" + "|".join(re.escape(f.prefix) for f in FORMATS) + r")[0-9A-Za-z]+"
                       r"|eyJ[0-9A-Za-z_\-]+\.[0-9A-Za-z_\-.]+")


def kind(credential: str) -> str | None:
    """API_KEY, REFRESH_TOKEN or ACCESS_TOKEN (a JWT: three dot-separated parts), else None.

    Shape only, no checksum or signature: the caller's verifier decides validity.
    """
    if API_KEYS.claims(credential):
        return API_KEY
    if REFRESH_TOKENS.claims(credential):
        return REFRESH_TOKEN
    if credential.count(".") == 2:
        return ACCESS_TOKEN
    return None
