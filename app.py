"""TaskForge Auth: wiring only. Blueprints per area, the authorizer, the middleware."""

import os

from chalice.app import Chalice

from chalicelib import logs
from chalicelib.routes import (
    account,
    api,
    apikeys,
    applications,
    gate,
    middleware,
    oauth,
    security,
    wellknown,
)
from chalicelib.settings import get_settings

app = Chalice(app_name="taskforge-auth")
app.log.setLevel(get_settings().log_level)
logs.configure(get_settings().log_level)

if not os.environ.get("AWS_LAMBDA_FUNCTION_NAME"):
    # Off Lambda only: `chalice local` / chalice.test.Client answer refusals as API Gateway does.
    from chalicelib import localgateway

    localgateway.install()

app.register_blueprint(gate.bp)  # the /v1 authorizer and the standalone gateway authorizer
app.register_blueprint(wellknown.bp)  # health, OpenAPI, discovery, JWKS, static files
app.register_blueprint(account.bp)  # sign-up, sign-in (+ 2FA step), sign-out, /account
app.register_blueprint(security.bp)  # Settings → Security: 2FA, sessions, audit log
app.register_blueprint(apikeys.bp)  # API keys: JSON and Settings → API
app.register_blueprint(applications.bp)  # OAuth clients: JSON and Settings → Applications
app.register_blueprint(oauth.bp)  # /oauth/*: authorize, token, revoke, introspect
app.register_blueprint(api.bp)  # the TaskForge API: /v1/me, /v1/tasks


@app.middleware("http")
def http(event, get_response):  # type: ignore[no-untyped-def]
    return middleware.handle(event, get_response)
