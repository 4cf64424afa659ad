"""One email: plain text plus HTML from Jinja2 templates, as a MIME message for SES.

Every message says what happened and what to do if it was not you. The only
secret a message may carry is its one link (an absolute URL under the issuer).
"""

from __future__ import annotations

import logging
import sys
from email import policy
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import Any

from .. import logs
from ..settings import get_settings
from ..store import mail
from ..templating import render_email


def link(path: str, token: str) -> str:
    """An absolute link under the issuer carrying one token."""
    return f"{get_settings().issuer}{path}?token={token}"


def mime(to: str, subject: str, text: str, html: str) -> bytes:
    settings = get_settings()
    message = EmailMessage()
    message["From"] = f"TaskForge <{settings.mail_from}>"
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = formatdate(usegmt=True)
    message["Message-ID"] = make_msgid(domain=settings.mail_from.split("@", 1)[1])
    message.set_content(text)
    message.add_alternative(html, subtype="html")
    return message.as_bytes(policy=policy.SMTP)


def send(to: str, template: str, subject: str, *, url: str | None = None, **context: Any) -> None:
    """Render and send one email; raises MailUnavailable when SES does not take it."""
    settings = get_settings()
    text, html = render_email(template, subject=subject, url=url, issuer=settings.issuer,
                              to=to, **context)
    mail.send_raw(settings.mail_from, to, mime(to, subject, text, html))
    logs.log("email_sent", template=template)
    if url and settings.local_outbox:
        # `make run` only: the console shows each link so a developer can follow it.
        print(f"email to {to}: {subject}: {url}", file=sys.stderr, flush=True)


def failed(template: str) -> None:
    logs.log("email_send_failed", logging.ERROR, template=template)
