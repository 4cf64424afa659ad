"""Helpers for the dashboard's HTML tests: fetch a page, read it like a browser, post its forms."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlencode

from tests.conftest import Browser
from tests.html import csrf_field

FORM = "application/x-www-form-urlencoded"


@dataclass
class Page:
    status: int
    headers: dict[str, str]
    html: str
    labels: set[str] = field(default_factory=set)
    inputs: dict[str, str] = field(default_factory=dict)  # id -> name, visible inputs only
    buttons: list[str] = field(default_factory=list)
    unlabelled: list[str] = field(default_factory=list)
    inline: list[str] = field(default_factory=list)
    current_nav: list[str] = field(default_factory=list)

    @property
    def csrf(self) -> str:
        return csrf_field(self.html)

    @property
    def text(self) -> str:
        return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", self.html))


class _Reader(HTMLParser):
    """Collects labels, inputs, buttons, the current nav link, and anything CSP would block."""

    def __init__(self, page: Page) -> None:
        super().__init__()
        self.page = page
        self.in_button: list[str] | None = None
        self.in_current = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "label" and a.get("for"):
            self.page.labels.add(str(a["for"]))
        if tag in ("input", "select", "textarea") and a.get("type") != "hidden":
            if a.get("id"):
                self.page.inputs[str(a["id"])] = str(a.get("name"))
            else:
                self.page.unlabelled.append(str(a.get("name")))
        if tag == "button":
            self.in_button = []
        if tag == "a" and a.get("aria-current") == "page":
            self.in_current = True
        if tag == "style" or (tag == "script" and "src" not in a) or "style" in a:
            self.page.inline.append(tag)
        if any(name.startswith("on") for name in a):
            self.page.inline.append(f"{tag} event handler")

    def handle_endtag(self, tag: str) -> None:
        if tag == "button" and self.in_button is not None:
            self.page.buttons.append(" ".join("".join(self.in_button).split()))
            self.in_button = None
        if tag == "a":
            self.in_current = False

    def handle_data(self, data: str) -> None:
        if self.in_button is not None:
            self.in_button.append(data)
        if self.in_current:
            self.page.current_nav.append(data.strip())


def read(response: Any) -> Page:
    page = Page(response.status_code, dict(response.headers), response.body.decode())
    _Reader(page).feed(page.html)
    return page


def well_formed(page: Page) -> Page:
    """What every dashboard page promises: labels on every input, nothing CSP would block."""
    assert "text/html" in page.headers["Content-Type"]
    assert not page.unlabelled, page.unlabelled
    assert set(page.inputs) <= page.labels, "every input has a label"
    assert not page.inline, "no inline scripts or styles (CSP default-src 'self')"
    assert page.headers["Cache-Control"] == "no-store"
    return page


def get(browser: Browser, path: str) -> Page:
    return read(browser.get(path))


def submit(browser: Browser, path: str, fields: dict[str, str] | list[tuple[str, str]],
           raw: bytes | None = None, content_type: str = FORM) -> Page:
    """A plain HTML form post: fields in the body, no X-CSRF-Token header (as a browser sends)."""
    kept, browser.csrf = browser.csrf, None
    try:
        body = raw if raw is not None else urlencode(fields).encode()
        return read(browser.post(path, raw=body, headers={"Content-Type": content_type}))
    finally:
        browser.csrf = kept
