"""The local stack's DynamoDB (scripts/moto_serial.py) keeps DynamoDB's guarantees that our
single-use tokens rely on, where plain moto does not."""

from __future__ import annotations

import uuid
from typing import Any

import botocore.session
import pytest
from botocore.exceptions import ClientError

from tests.e2e.conftest import Stack


def dynamodb(stack: Stack) -> Any:
    return botocore.session.get_session().create_client(
        "dynamodb", region_name="us-east-1", endpoint_url=stack.moto_url,
        aws_access_key_id="local", aws_secret_access_key="local")


def redeem(pk: str, token: str | None = None) -> dict[str, Any]:
    request: dict[str, Any] = {"TransactItems": [{"Update": {
        "TableName": "taskforge-auth", "Key": {"pk": {"S": pk}, "sk": {"S": "CODE"}},
        "UpdateExpression": "SET used_at = :now", "ExpressionAttributeValues": {":now": {"N": "1"}},
        "ConditionExpression": "attribute_exists(pk) AND attribute_not_exists(used_at)"}}]}
    if token:
        request["ClientRequestToken"] = token
    return request


def test_a_retried_transaction_with_its_token_is_not_applied_twice(stack: Stack) -> None:
    """What botocore does after a read timeout: the same request, same ClientRequestToken."""
    client, pk = dynamodb(stack), f"CODE#local-{uuid.uuid4().hex}"
    client.put_item(TableName="taskforge-auth", Item={"pk": {"S": pk}, "sk": {"S": "CODE"}})
    token = str(uuid.uuid4())
    client.transact_write_items(**redeem(pk, token))
    client.transact_write_items(**redeem(pk, token))  # DynamoDB: idempotent, succeeds again
    with pytest.raises(ClientError) as second_redemption:
        client.transact_write_items(**redeem(pk, str(uuid.uuid4())))
    assert second_redemption.value.response["Error"]["Code"] == "TransactionCanceledException"
