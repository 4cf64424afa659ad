"""Reading our pages like a browser's form would: one helper for every test that posts a form."""

from __future__ import annotations

import re
from html import unescape


def hidden_inputs(html: str) -> dict[str, str]:
    """The hidden fields a form on the page would send back (name -> value)."""
    found = re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', html)
    return {name: unescape(value) for name, value in found}


def csrf_field(html: str) -> str:
    """The page's form CSRF token."""
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, "the page has a form with a CSRF token"
    return unescape(match.group(1))
