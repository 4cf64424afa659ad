"""Lost 2FA device: the operator's reset (scripts/reset_second_factor.py, docs/RUNBOOK.md)."""

from __future__ import annotations

import subprocess
import sys

from chalicelib.accounts import second_factor_reset as operator_reset
from chalicelib.store import db
from tests import mailbox
from tests.conftest import ROOT_DIR, Browser, body_of
from tests.twofactor.conftest import Enrolled


def test_operator_reset_turns_2fa_off_ends_sessions_audits_and_tells_the_user(
        client, enrolled: Enrolled) -> None:
    account = enrolled.account
    done = operator_reset.reset(account.email.upper(), "alice", "SUP-1234")
    assert done["was_enabled"] is True and done["sessions_ended"] == 1
    assert enrolled.browser.get("/account").status_code == 401
    answer = Browser(client).login(account.email)
    assert answer.status_code == 200 and body_of(answer)["mfa_required"] is False
    events, _ = db.query(f"AUDIT#{account.workspace_id}")
    [event] = [e for e in events if e["type"] == "twofactor.reset_by_operator"]
    assert event["actor"] == "operator:alice" and event["details"]["ticket"] == "SUP-1234"
    notice = mailbox.messages(account.email)[0]
    assert notice["subject"] == "Two-factor authentication is off" and "SUP-1234" in notice["text"]


def test_the_script_only_describes_without_yes() -> None:
    done = subprocess.run([sys.executable, str(ROOT_DIR / "scripts" / "reset_second_factor.py"),
                           "--email", "ada@example.com", "--operator", "alice", "--ticket", "SUP-1"],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and "Run again with --yes" in done.stdout
