"""The storage layer: the only package that talks to DynamoDB (botocore).

One table, keys described in `infra/TABLE.md`. Each record type has its own
module here; everything above this package sees plain dicts and domain errors.
"""

import sys

# botocore.httpsession tries `urllib3.contrib.pyopenssl` first, which imports pyOpenSSL when it
# is installed (py_webauthn depends on it, so it ships in the zip) and with it cryptography's
# x509 (~70 ms of every cold start, the API-key authorizer's included). botocore takes only an
# SSLContext class from it and falls back to urllib3.util.ssl_'s on ImportError: mark the
# module absent so the fallback is used. Passkeys still import pyOpenSSL themselves, on first use.
sys.modules.setdefault("urllib3.contrib.pyopenssl", None)  # type: ignore[arg-type]
