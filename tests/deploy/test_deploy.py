"""After `make deploy`: the stack's outputs become the settings, and bootstrap completes
the deployment (the template made the table and empty secrets) without recreating anything.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from typing import Any

import botocore.session
import pytest
from moto import mock_aws

from chalicelib.store import admin, secrets
from scripts import stack_env
from tests.conftest import reset_caches

STACK = "taskforge-auth-prod"
SIGNING = "arn:aws:secretsmanager:us-east-1:123456789012:secret:taskforge-auth-prod/signing-keys-AbCdEf"
TOTP = "arn:aws:secretsmanager:us-east-1:123456789012:secret:taskforge-auth-prod/totp-key-AbCdEf"


def client(service: str) -> Any:
    return botocore.session.get_session().create_client(service, region_name="us-east-1")


@pytest.fixture
def cloud() -> Iterator[None]:
    reset_caches()
    with mock_aws():
        yield
    reset_caches()


def deploy_stack(outputs: dict[str, Any]) -> None:
    """A stand-in for the packaged stack: moto runs neither SAM nor AWS::SecretsManager::Secret."""
    definition = json.loads(admin.TABLE_DEFINITION.read_text())
    table = {key: definition[key] for key in ("AttributeDefinitions", "KeySchema", "BillingMode")}
    template = {
        "Parameters": {"Issuer": {"Type": "String"}, "AllowSignup": {"Type": "String", "Default": "false"}},
        "Resources": {"AuthTable": {"Type": "AWS::DynamoDB::Table",
                                    "Properties": {"TableName": STACK, **table}}},
        "Outputs": {name: {"Value": value} for name, value in outputs.items()},
    }
    client("cloudformation").create_stack(
        StackName=STACK, TemplateBody=json.dumps(template),
        Parameters=[{"ParameterKey": "Issuer", "ParameterValue": "https://auth.example.com"}])


def test_the_stack_outputs_are_the_functions_settings(cloud: None) -> None:
    deploy_stack({"TableName": {"Ref": "AuthTable"}, "SigningKeySecretArn": SIGNING,
                  "TotpKeySecretArn": TOTP})
    assert stack_env.stack_environment(client("cloudformation"), STACK) == {
        "TASKFORGE_TABLE": STACK, "TASKFORGE_SIGNING_KEY_SECRET": SIGNING,
        "TASKFORGE_TOTP_KEY_SECRET": TOTP, "TASKFORGE_ISSUER": "https://auth.example.com",
        "TASKFORGE_ALLOW_SIGNUP": "false"}


def test_a_stack_not_made_by_make_deploy_is_refused(cloud: None) -> None:
    deploy_stack({"TableName": {"Ref": "AuthTable"}})
    with pytest.raises(SystemExit, match="SigningKeySecretArn"):
        stack_env.stack_environment(client("cloudformation"), STACK)


def test_the_command_runs_with_the_stack_settings(cloud: None, capsys: pytest.CaptureFixture[str]) -> None:
    deploy_stack({"TableName": {"Ref": "AuthTable"}, "SigningKeySecretArn": SIGNING,
                  "TotpKeySecretArn": TOTP})
    check = f"import os, sys; sys.exit(os.environ['TASKFORGE_TABLE'] != {STACK!r})"
    assert stack_env.main(["--stack", STACK, "--region", "us-east-1", "--", sys.executable, "-c", check]) == 0
    assert stack_env.main(["--stack", STACK, "--region", "us-east-1"]) == 0
    assert f"export TASKFORGE_TABLE={STACK}" in capsys.readouterr().out.splitlines()


def test_bootstrap_on_a_deployed_stack_finds_the_table_among_many(
        cloud: None, monkeypatch: pytest.MonkeyPatch) -> None:
    dynamodb = client("dynamodb")
    # More than one ListTables page (100 names), with ours on the second.
    for n in range(105):
        dynamodb.create_table(TableName=f"aaa-{n:03d}", BillingMode="PAY_PER_REQUEST",
                              AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
                              KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}])
    deploy_stack({"TableName": {"Ref": "AuthTable"}})
    assert STACK not in dynamodb.list_tables()["TableNames"]
    monkeypatch.setenv("TASKFORGE_TABLE", STACK)
    reset_caches()
    assert admin.ensure_table() is False
    admin.ping()


def test_a_secret_created_empty_reads_as_missing_and_is_filled_in_place(cloud: None) -> None:
    # What the template creates: a secret with no value. bootstrap sees "missing" and writes
    # the first version by ARN, with PutSecretValue only (the Lambda role has no CreateSecret).
    manager = client("secretsmanager")
    arn = manager.create_secret(Name=f"{STACK}/signing-keys")["ARN"]
    assert secrets.read(arn) is None
    secrets.write(arn, '{"keys": []}')
    assert secrets.read(arn) == '{"keys": []}'
    assert [s["ARN"] for s in manager.list_secrets()["SecretList"]] == [arn]
