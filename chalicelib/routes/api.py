"""The TaskForge API: `/v1/me` and `/v1/tasks`, behind the gate's authorizer.

The workspace always comes from the authorizer's principal, never from the
request, so a caller only ever sees its own workspace's tasks.
"""

from __future__ import annotations

from chalice.app import Response

from .. import tasks
from ..responses import json_response, no_content
from .base import Area, parse_json
from .gate import bearer, require

bp = Area(__name__)
# A JSON API, but `curl -d '{...}'` sends form or text types: read the body as JSON
# whatever it says, and answer 400 invalid_request (not a 415) when it is not JSON.
BODY_TYPES = ["application/json", "application/x-www-form-urlencoded", "text/plain"]


@bp.route("/v1/me", methods=["GET"], authorizer=bearer)
def me() -> Response:
    return json_response(require("read").public())


@bp.route("/v1/tasks", methods=["GET"], authorizer=bearer)
def list_tasks() -> Response:
    principal = require("read")
    query = bp.current_request.query_params
    limit, cursor = (query.get("limit"), query.get("cursor")) if query else (None, None)
    return json_response(tasks.page(principal.workspace_id, limit, cursor))


@bp.route("/v1/tasks", methods=["POST"], authorizer=bearer, content_types=BODY_TYPES)
def create_task() -> Response:
    principal = require("write")
    return json_response(tasks.create(principal.workspace_id, parse_json(bp.current_request)), 201)


@bp.route("/v1/tasks/{task_id}", methods=["GET"], authorizer=bearer)
def get_task(task_id: str) -> Response:
    return json_response(tasks.get(require("read").workspace_id, task_id))


@bp.route("/v1/tasks/{task_id}", methods=["PATCH"], authorizer=bearer, content_types=BODY_TYPES)
def update_task(task_id: str) -> Response:
    principal = require("write")
    return json_response(tasks.update(principal.workspace_id, task_id,
                                      parse_json(bp.current_request)))


@bp.route("/v1/tasks/{task_id}", methods=["DELETE"], authorizer=bearer)
def delete_task(task_id: str) -> Response:
    tasks.delete(require("write").workspace_id, task_id)
    return no_content()
