"""The mailbox sync in a real Chromium: Settings › Mail › Review, confirm or dismiss in one click.

Alice's mailbox on the loopback dovecot holds an ATS rejection for an opening she follows and
an answer from a stranger to mail she sent; the sync has read it. Screenshots of the review page
at 390 px and 1440 px land in the screenshot folder (tests/browser/conftest.py).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache
from playwright.sync_api import Page, expect
from tests.browser.helpers import PASSWORD, Shoot, sign_in
from tests.mail import corpus
from tests.mailservers.servers import DovecotServer, ImapUser, dovecot, imap_user, mail_certificates

from topofmind.crm import services
from topofmind.crm.models import Opportunity, Person, Workspace
from topofmind.engine.types import Role, Stage

pytestmark = pytest.mark.browser
__all__ = ["dovecot", "imap_user", "mail_certificates"]


@pytest.fixture
def alice_mailbox(
    transactional_db: None, settings: Any, tmp_path: Path, dovecot: DovecotServer, imap_user: ImapUser
) -> str:
    settings.QUEUE_URL = f"sqlite:///{tmp_path / 'queue.db'}"
    cache.clear()
    now = datetime.now(UTC)
    owner = services.ensure_owner(username="alice", password=PASSWORD, now=now)
    workspace = Workspace.objects.get(pk=owner.workspace.pk)
    assert workspace.owner_id is not None
    user_id = workspace.owner_id
    services.setup_mail_account(
        user_id=user_id,
        imap_host=dovecot.host,
        imap_port=dovecot.plain_port,
        imap_security="none",
        smtp_host="127.0.0.1",
        smtp_port=2525,
        smtp_security="none",
        username=imap_user.username,
        password=imap_user.password,
        addresses=[imap_user.username],
        from_name="Alice Martin",
        now=now,
    )
    globex = services.add_organization(workspace=workspace, name="Globex", now=now)
    opening = services.add_opportunity(
        workspace=workspace, organization_id=globex.pk, title="Platform Engineer", stage=Stage.APPLIED, now=now
    )
    services.add_participant(
        workspace=workspace, opportunity_id=opening.pk, name="Sam Lee", role=Role.RECRUITER, now=now
    )
    me = imap_user.username
    sent = now - timedelta(days=1)
    dovecot.append(
        imap_user,
        corpus.sent_by_me(me, sent, to="hello@initech.test", subject="Introduction", message_id="intro-1@seeker.test"),
        folder="Sent",
        when=sent.timestamp(),
    )
    for raw in (
        corpus.stranger_answer(me, now - timedelta(hours=2), to_id="intro-1@seeker.test"),
        corpus.ats_rejection(me, now - timedelta(hours=1)),
    ):
        dovecot.append(imap_user, raw, when=(now - timedelta(hours=1)).timestamp())
    report = services.sync_mailbox(user_id=user_id, now=now)
    assert (report.unmatched, report.ats) == (1, 1)
    return "alice"


def test_review_an_ats_rejection_and_a_stranger_in_one_click_each(page: Page, alice_mailbox: str, shoot: Shoot) -> None:
    sign_in(page, alice_mailbox)
    page.goto("/settings/mail/")
    section = page.locator("#mail-sync")
    expect(section.get_by_text(re.compile(r"Last read .*: 3 messages"))).to_be_visible()
    shoot(page, "mail-sync-settings")
    section.get_by_role("link", name="Mail to review").click()

    items = page.locator("#mail-review-list > li")
    expect(items).to_have_count(2)
    rejection = items.filter(has_text="Lever: rejection")
    expect(
        rejection.get_by_text(re.compile("move “Platform Engineer” to rejected; a gracious reply is owed"))
    ).to_be_visible()
    stranger = items.filter(has_text="unknown sender")
    expect(stranger.get_by_text("Priya Natarajan answered your mail.", exact=False)).to_be_visible()
    shoot(page, "mail-review")

    rejection.get_by_role("button", name="Confirm").click()
    expect(page.get_by_text("Done: the change is made")).to_be_visible()
    expect(items).to_have_count(1)
    assert Opportunity.objects.get(title="Platform Engineer").stage == Stage.REJECTED.value

    stranger.get_by_role("button", name="Add as a person").click()
    expect(page.locator("#mail-review-empty")).to_be_visible()
    assert Person.objects.filter(name="Priya Natarajan", emails__address="priya@initech.test").exists()

    page.get_by_role("button", name="Sync now").click()
    expect(page.get_by_text(re.compile("Reading your mailbox now"))).to_be_visible()
    shoot(page, "mail-review-done")

    page.goto("/")
    expect(page.locator("li.item[data-purpose=reply]").first).to_be_visible()
