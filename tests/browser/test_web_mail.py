"""Mail in a real Chromium: Settings › Mail in words, and Send beside Mark sent on Today.

Screenshots of both pages at 390 px and 1440 px land in the screenshot folder (tests/browser/conftest.py).
"""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache
from django.utils import timezone
from playwright.sync_api import Page, expect
from tests.browser.helpers import PASSWORD, Shoot, sign_in

from topofmind.crm import services
from topofmind.crm.models import Workspace
from topofmind.engine.types import Kind

pytestmark = pytest.mark.browser


@pytest.fixture
def alice_desk(transactional_db: None, settings: Any, tmp_path: Path) -> str:
    settings.QUEUE_URL = f"sqlite:///{tmp_path / 'queue.db'}"
    cache.clear()
    now = timezone.now()
    owner = services.ensure_owner(username="alice", password=PASSWORD, now=now)
    workspace = Workspace.objects.get(pk=owner.workspace.pk)
    services.add_person(workspace=workspace, name="Dana Reyes", emails=["dana@acme.example"], now=now)
    services.log_touch(
        workspace=workspace, names=["Dana Reyes"], kind=Kind.INTERVIEW, at=now - timedelta(hours=1), now=now
    )
    return "alice"


def test_set_up_mail_then_send_a_thank_you_from_today(page: Page, alice_desk: str, shoot: Shoot) -> None:
    sign_in(page, alice_desk)
    item = page.locator("li.item[data-purpose=thank_you]")
    expect(item.get_by_role("button", name="Mark sent")).to_be_visible()
    expect(item.get_by_role("button", name="Send", exact=True)).to_have_count(0)

    page.goto("/settings/")
    page.get_by_role("link", name="Mail").click()
    expect(page.get_by_text("No mail account is set up")).to_be_visible()
    page.get_by_label("IMAP server").fill("imap.fastmail.com")
    page.get_by_label("SMTP server").fill("smtp fastmail")
    page.get_by_label("Username").fill("alice@fastmail.example")
    page.get_by_label("Password").fill("app-pass-123")
    page.get_by_label("Send from").fill("alice@fastmail.example")
    page.get_by_role("button", name="Save").click()
    expect(
        page.locator(".field.has-error").get_by_text(re.compile("The SMTP server 'smtp fastmail' is not a server name"))
    ).to_be_visible()
    expect(page.get_by_label("Password")).to_have_value("")  # never shown back
    page.get_by_label("SMTP server").fill("smtp.fastmail.com")
    page.get_by_label("Password").fill("app-pass-123")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Mail account saved.")).to_be_visible()
    expect(page.get_by_text(re.compile("not tested yet"))).to_be_visible()
    shoot(page, "mail-settings")

    page.goto("/")
    item = page.locator("li.item[data-purpose=thank_you]")
    send = item.get_by_role("button", name="Send", exact=True)
    expect(send).to_be_visible()
    shoot(page, "today-with-send")
    send.click()
    expect(page.get_by_text(re.compile("Sending to dana@acme.example"))).to_be_visible()
    page.goto("/settings/mail/")
    expect(page.get_by_text(re.compile("Waiting in the queue to go to dana@acme.example"))).to_be_visible()
