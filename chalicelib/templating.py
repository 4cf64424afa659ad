"""Server-rendered pages: Jinja2 with autoescaping, loaded lazily.

Jinja2 is imported on first render only, so it never costs the authorizer's
cold start.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

TEMPLATES = Path(__file__).with_name("templates")
STATIC = Path(__file__).with_name("static")


@lru_cache(maxsize=1)
def _environment() -> Any:
    import jinja2

    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )


def render(template: str, **context: Any) -> str:
    return str(_environment().get_template(template).render(**context))


def static_file(name: str) -> str | None:
    """The text of a file under static/, or None for anything else (no path traversal)."""
    if name not in _static_names():  # only names that exist: no OS call on hostile input
        return None
    path = (STATIC / name).resolve()
    if path.parent != STATIC.resolve() or not path.is_file():
        return None
    return path.read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def _email_environment() -> Any:
    """Emails: HTML parts autoescaped, plain-text parts (`.txt`) not."""
    import jinja2

    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES / "email")),
        autoescape=jinja2.select_autoescape(enabled_extensions=("html",), default=False),
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )


def render_email(name: str, **context: Any) -> tuple[str, str]:
    """The plain-text and HTML bodies of email `name` (email/<name>.txt and .html)."""
    environment = _email_environment()
    text = environment.get_template(f"{name}.txt").render(**context)
    html = environment.get_template(f"{name}.html").render(**context)
    return str(text), str(html)


@lru_cache(maxsize=1)
def _static_names() -> frozenset[str]:
    return frozenset(path.name for path in STATIC.iterdir() if path.is_file())
