"""`make reset-second-factor EMAIL=… OPERATOR=… TICKET=…`: turn a user's 2FA off after a lost device.

Only after the identity proofing in docs/RUNBOOK.md ("Lost second factor"). Runs against
whatever endpoint botocore is pointed at (AWS credentials and region from the
environment, the table and sender from TASKFORGE_* variables, e.g. through
scripts/stack_env.py); `--local` (LOCAL=1) targets the `make run` stack's moto server.

Turns 2FA off and deletes the backup codes, ends every browser session, records the
audit event `twofactor.reset_by_operator` (operator, ticket) and emails the account a
notice. The user signs in with the password alone and should enrol again at once.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from scripts.local_target import use_local_stack  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--email", required=True, help="the account's sign-in email")
    parser.add_argument("--operator", required=True, help="who runs this (recorded in the audit log)")
    parser.add_argument("--ticket", required=True, help="the support ticket with the identity proofing")
    parser.add_argument("--yes", action="store_true", help="do it (otherwise only say what would happen)")
    parser.add_argument("--local", action="store_true",
                        help="target the local stack's moto server (127.0.0.1:$MOTO_PORT)")
    args = parser.parse_args()
    if args.local:
        use_local_stack()
    if not args.yes:
        print(f"Would turn two-factor authentication off for {args.email} (ticket {args.ticket}), "
              "end its browser sessions and email it a notice. Run again with --yes (YES=1).")
        return
    from chalicelib.accounts import second_factor_reset as operator_reset
    from chalicelib.errors import ServiceError

    try:
        done = operator_reset.reset(args.email, args.operator, args.ticket)
    except ServiceError as exc:
        raise SystemExit(f"reset-second-factor: {exc.description}") from None
    state = "was on, now off" if done["was_enabled"] else "was already off"
    print(f"{args.email} ({done['user_id']}): two-factor authentication {state}; "
          f"{done['sessions_ended']} browser session(s) ended; audit event twofactor.reset_by_operator.")


if __name__ == "__main__":
    main()
