"""Two-factor authentication: TOTP (RFC 6238), backup codes, the sign-in challenge.

totp        RFC 6238 codes and the otpauth:// key URI
codes       what a person typed, normalised or refused with a clear 400
crypto      TOTP secrets encrypted at rest (AES-GCM, key in Secrets Manager)
qr          the enrolment QR code as sanitised inline SVG (segno, loaded lazily)
backup_codes  ten single-use recovery codes, Argon2id at rest
lockout     five wrong codes lock the second factor for 15 minutes
verify      checking a code against a user: replay guard, spending, lockout
enrolment   start, confirm, disable, regenerate
challenge   the pending sign-in between password and second factor
"""
