"""GET /health: one GetItem (the only DynamoDB access the Lambda role needs for it)."""

from __future__ import annotations

from typing import Any

import botocore.session

from chalicelib.settings import get_settings
from tests.conftest import body_of


def test_health_answers_ok_while_the_table_answers(client: Any) -> None:
    response = client.http.get("/health")
    assert response.status_code == 200
    assert body_of(response) == {"status": "ok"}


def test_health_is_unavailable_without_the_table(client: Any) -> None:
    dynamodb = botocore.session.get_session().create_client("dynamodb", region_name="us-east-1")
    dynamodb.delete_table(TableName=get_settings().table_name)
    response = client.http.get("/health")
    assert response.status_code == 503
    assert body_of(response) == {"status": "unavailable"}
    assert response.headers["Retry-After"] == "5"
