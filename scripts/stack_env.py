"""Run a command with the TASKFORGE_* settings of a deployed stack, read from its outputs.

    python scripts/stack_env.py --stack taskforge-auth-prod -- python -m chalicelib.bootstrap
    python scripts/stack_env.py --stack taskforge-auth-prod -- make rotate-signing-key
    eval "$(python scripts/stack_env.py --stack taskforge-auth-prod)"   # prints export lines

`make deploy` uses it to run `bootstrap()` against the new stack: the table already
exists, so bootstrap only fills the (initially empty) key secrets. Uses the caller's
AWS credentials and region (AWS_PROFILE / AWS_REGION), not the Lambda role.
"""

from __future__ import annotations

import argparse
import os
import shlex
import subprocess
import sys
from typing import Any

import botocore.session

OUTPUT_VARIABLES = {"TableName": "TASKFORGE_TABLE",
                    "SigningKeySecretArn": "TASKFORGE_SIGNING_KEY_SECRET",
                    "TotpKeySecretArn": "TASKFORGE_TOTP_KEY_SECRET"}
PARAMETER_VARIABLES = {"Issuer": "TASKFORGE_ISSUER", "AllowSignup": "TASKFORGE_ALLOW_SIGNUP"}


def stack_environment(cloudformation: Any, stack: str) -> dict[str, str]:
    """TASKFORGE_* variables as the stack's functions see them."""
    (described,) = cloudformation.describe_stacks(StackName=stack)["Stacks"]
    outputs = {o["OutputKey"]: o["OutputValue"] for o in described.get("Outputs", [])}
    parameters = {p["ParameterKey"]: p.get("ParameterValue", "") for p in described.get("Parameters", [])}
    missing = sorted(set(OUTPUT_VARIABLES) - set(outputs))
    if missing:
        raise SystemExit(f"stack {stack} has no outputs {missing}: was it deployed by `make deploy`?")
    env = {name: outputs[key] for key, name in OUTPUT_VARIABLES.items()}
    env.update({name: parameters[key] for key, name in PARAMETER_VARIABLES.items() if parameters.get(key)})
    return env


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stack", required=True)
    parser.add_argument("--region", default=None)
    parser.add_argument("command", nargs=argparse.REMAINDER)
    args = parser.parse_args(argv)
    client = botocore.session.get_session().create_client("cloudformation", region_name=args.region)
    env = stack_environment(client, args.stack)
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        print("\n".join(f"export {name}={shlex.quote(value)}" for name, value in sorted(env.items())))
        return 0
    return subprocess.run(command, env={**os.environ, **env}, check=False).returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
