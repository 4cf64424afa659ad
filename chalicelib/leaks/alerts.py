"""POST /secret-scanning/github: one signed report in, one label per reported token out.

Order matters: not configured (404) before anything; the size cap before the signature (so
unsigned junk costs no hashing); the signature (401) before the body is parsed or any token
is looked up; the whole report checked (400) before the first revocation.

A store failure midway answers 503 with what was revoked so far staying revoked; GitHub
sends the report again and, each token being idempotent, the retry finishes the job.
"""

from __future__ import annotations

from .. import clock, logs
from . import credentials, keys, report, signature

TRUE_POSITIVE, FALSE_POSITIVE = "true_positive", "false_positive"


def handle(body: bytes, key_id: str | None, signed: str | None) -> list[dict[str, str]]:
    """GitHub's token-verification answer: `[{token_raw, token_type, label}]`, in report order."""
    keys.require_configured()
    report.check_size(body)
    signature.verify(body, key_id, signed)
    entries = report.parse(body)
    first: dict[str, report.Reported] = {}
    for entry in entries:  # the same token twice: one look-up, the same label
        first.setdefault(entry.token, entry)
    found = credentials.check_all(list(first.values()), clock.now())
    logs.log("secret_scanning_alert", reported=len(entries), distinct=len(found),
             true_positives=sum(found.values()))
    return [{"token_raw": entry.token, "token_type": entry.type,
             "label": TRUE_POSITIVE if found[entry.token] else FALSE_POSITIVE} for entry in entries]
