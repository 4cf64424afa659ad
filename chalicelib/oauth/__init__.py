"""The OAuth 2.0 authorization server: one module per concern.

- `clients`, `redirect_uris`, `client_auth`: registration and authentication (RFC 6749 §2)
- `authorize`, `pkce`, `scope`, `codes`: the authorization endpoint (RFC 6749 §4.1, RFC 7636, RFC 9207)
- `token`, `refresh`, `grants`: the token endpoint and the grant behind every token (RFC 6749 §5, §6)
- `signing_keys`, `access_tokens`: ES256 JWT access tokens and the JWKS (RFC 9068, RFC 7517)
- `revocation`, `introspection`, `metadata`: RFC 7009, RFC 7662, RFC 8414
- `errors`: one exception per RFC error code
"""
