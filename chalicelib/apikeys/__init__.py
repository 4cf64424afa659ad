"""API keys: format and checksum, issue / list / revoke, and the authorizer's verify.

`verify` is on the authorizer's path: it and `keyformat` import only the light
modules (tokens, principal, store); `manage` (audit, validation) is not imported
by the authorizer.
"""
