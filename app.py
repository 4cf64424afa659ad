"""TaskForge Auth: wiring only. Blueprints per area, the authorizer, the middleware."""

import os

from chalice.app import Chalice

from chalicelib import logs
from chalicelib.routes import (
    account,
    activity,
    api,
    apidoc,
    apikeys,
    client_secrets,
    gate,
    health,
    middleware,
    oauth,
    oauth_clients,
    oauth_cors,
    oidc,
    pages,
    security,
    security_sessions,
    settings_api,
    settings_applications,
    signin,
    twofactor,
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

app.register_blueprint(health.bp)
app.register_blueprint(pages.bp)
app.register_blueprint(account.bp)
app.register_blueprint(signin.bp)
app.register_blueprint(twofactor.bp)
app.register_blueprint(security.bp)
app.register_blueprint(security_sessions.bp)
app.register_blueprint(settings_api.bp)
app.register_blueprint(settings_applications.bp)
app.register_blueprint(activity.bp)
app.register_blueprint(gate.bp)
app.register_blueprint(api.bp)
app.register_blueprint(apikeys.bp)
app.register_blueprint(oauth.bp)
app.register_blueprint(oauth_clients.bp)
app.register_blueprint(client_secrets.bp)
app.register_blueprint(oauth_cors.bp)
app.register_blueprint(oidc.bp)
app.register_blueprint(wellknown.bp)
app.register_blueprint(apidoc.bp)


@app.middleware("http")
def http(event, get_response):  # type: ignore[no-untyped-def]
    return middleware.handle(event, get_response)
