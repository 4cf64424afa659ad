"""A person with a browser over HTTP: signs up, registers apps, signs in when asked, allows."""

from __future__ import annotations

import uuid
from typing import Any

import requests

from tests.e2e import steps
from tests.e2e.conftest import Stack
from tests.html import hidden_inputs

PASSWORD = "correct horse battery staple"
REDIRECT = "http://127.0.0.1:9/callback"  # never contacted: the test reads the redirect itself


class Person:
    def __init__(self, stack: Stack):
        self.stack = stack
        self.email = f"interop-{uuid.uuid4().hex[:10]}@example.com"
        setup = requests.Session()
        assert setup.post(f"{stack.url}/signup", json={"email": self.email, "password": PASSWORD,
                                                       "workspace": "Interop"}).status_code == 201
        steps.verify_email(stack.url, self.email)  # registering apps needs a verified address
        login = setup.post(f"{stack.url}/login", json={"email": self.email, "password": PASSWORD})
        self.setup, self.csrf = setup, login.json()["csrf_token"]
        self.browser = requests.Session()

    def register(self, **body: Any) -> dict[str, Any]:
        answer = self.setup.post(f"{self.stack.url}/account/oauth-clients",
                                 headers={"X-CSRF-Token": self.csrf}, json={"name": "Interop app", **body})
        assert answer.status_code == 201, answer.text
        created: dict[str, Any] = answer.json()
        return created

    def authorize(self, url: str) -> str:
        """Follow the authorization URL: sign in if asked, press Allow; the redirect location."""
        answer = steps.through_sign_in(self.browser, self.stack.url,
                                       self.browser.get(url, allow_redirects=False), self.email, PASSWORD)
        if answer.status_code == 303:
            return str(answer.headers["Location"])  # consent remembered
        assert answer.status_code == 200 and ">Allow</button>" in answer.text, answer.text
        decision = self.browser.post(f"{self.stack.url}/oauth/authorize", allow_redirects=False,
                                     data={**hidden_inputs(answer.text), "decision": "allow"})
        assert decision.status_code == 303, decision.text
        return str(decision.headers["Location"])
