"""`make rotate-signing-key`: a new ES256 signing key in Secrets Manager.

Runs against whatever endpoint botocore is pointed at (AWS credentials and
region from the environment, or `AWS_ENDPOINT_URL`); `--local` (LOCAL=1)
targets the `make run` stack's moto server on 127.0.0.1:$MOTO_PORT.

Rotation adds a new current key; the previous one stays in the JWKS, so tokens
it signed keep working until they expire. Running services sign with the new
key within their secrets cache time (300 s) and verify tokens signed with it at
once (an unknown kid triggers a fresh read).

`--retire-previous` (RETIRE=1) instead drops every key but the current one, so
tokens signed by the others fail from then on. Routine: run it one access-token
lifetime (default 3600 s) plus 300 s after the rotation. After a key compromise:
rotate, then retire at once (see docs/RUNBOOK.md).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from scripts.local_target import use_local_stack  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--local", action="store_true",
                        help="target the local stack's moto server (127.0.0.1:$MOTO_PORT)")
    parser.add_argument("--retire-previous", action="store_true",
                        help="drop every key but the current one instead of rotating")
    args = parser.parse_args()
    if args.local:
        use_local_stack()
    from chalicelib.errors import StoreUnavailable
    from chalicelib.oauth import signing_keys
    from chalicelib.settings import get_settings

    target = os.environ.get("AWS_ENDPOINT_URL") or f"AWS ({get_settings().region})"
    secret = get_settings().signing_key_secret
    try:
        if args.retire_previous:
            retired = signing_keys.retire_previous()
            print(f"Retired {', '.join(retired) or 'nothing'} from secret {secret} at {target}; "
                  "tokens they signed now fail.")
            return
        kid = signing_keys.rotate()
    except StoreUnavailable as exc:
        raise SystemExit(f"rotate-signing-key: Secrets Manager at {target} did not answer: {exc}") from None
    print(f"New signing key {kid} in secret {secret} at {target}.")
    print("The previous key stays in the JWKS until retired (RETIRE=1) or the next rotation; wait one "
          "access-token lifetime plus 300 s before either.")


if __name__ == "__main__":
    main()
