"""Passkeys: WebAuthn Level 3 credentials, verified with Duo's `webauthn` library.

relying_party  the RP id and the origins accepted, from the issuer
errors         what a refused ceremony answers
credential     the browser's PublicKeyCredential JSON, parsed by the library or a clear 400
challenges     one-time challenges bound to a session or a pending sign-in
registration   creation options and adding a passkey (Settings → Security)
assertion      checking a sign-in assertion: owner, signature, user verification, counter
manage         list, rename, remove, and the added/removed notices
"""
