"""A send whose outcome is unknown, settled in a real Chromium on Settings › Mail: "I checked: it
was sent" and "It was not sent". Screenshots at 390 px and 1440 px in the screenshot folder
(tests/browser/conftest.py).

The unknown sends are made the real way: a loopback SMTP server (aiosmtpd) takes each message and
drops the line before its "250".
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.utils import timezone
from playwright.sync_api import Page, expect
from tests.browser.helpers import PASSWORD, Shoot, sign_in
from tests.mailservers.servers import SmtpServer, mail_certificates, smtp_servers

from topofmind.crm import queries, services
from topofmind.crm.models import Interaction, OutboxMessage, Workspace
from topofmind.engine.types import Kind

pytestmark = pytest.mark.browser
__all__ = ["mail_certificates", "smtp_servers"]


@pytest.fixture
def two_unknown_sends(
    transactional_db: None, settings: Any, tmp_path: Path, smtp_servers: Callable[..., SmtpServer]
) -> dict[str, OutboxMessage]:
    settings.QUEUE_URL = f"sqlite:///{tmp_path / 'queue.db'}"
    cache.clear()
    now = timezone.now()
    owner = services.ensure_owner(username="alice", password=PASSWORD, now=now)
    workspace = Workspace.objects.get(pk=owner.workspace.pk)
    user_id = get_user_model().objects.get(username="alice").pk
    dropping = smtp_servers("none", username="alice@example.test", password="app-pass-1", drop_after_data=True)
    services.setup_mail_account(
        user_id=user_id,
        imap_host="127.0.0.1",
        imap_port=1,  # never reached: the send's outcome is unknown before a copy is filed
        imap_security="none",
        smtp_host=dropping.host,
        smtp_port=dropping.port,
        smtp_security="none",
        username="alice@example.test",
        password="app-pass-1",
        addresses=["alice@example.test"],
        now=now,
    )
    sends = {}
    for name, address in (("Dana Reyes", "dana@acme.example"), ("Lee Chen", "lee@globex.example")):
        services.add_person(workspace=workspace, name=name, emails=[address], now=now)
        services.log_touch(workspace=workspace, names=[name], kind=Kind.INTERVIEW, at=now - timedelta(hours=1), now=now)
        item = next(i for i in queries.agenda(workspace=workspace, at=now) if i.suggestion.person_name == name)
        row = services.queue_send(
            workspace=workspace,
            user_id=user_id,
            followup_id=item.followup_id,
            subject=f"Thank you, {name.split()[0]}",
            body="Thank you for your time today.",
            now=now,
        )
        sends[name] = services.deliver(outbox_id=row.pk, now=now)
        assert sends[name].state == "unknown"
    assert len(dropping.received) == 2
    return sends


def test_settle_two_unknown_sends_from_settings_mail(
    page: Page, two_unknown_sends: dict[str, OutboxMessage], shoot: Shoot
) -> None:
    dana, lee = two_unknown_sends["Dana Reyes"], two_unknown_sends["Lee Chen"]
    sign_in(page, "alice")
    page.goto("/settings/mail/")
    expect(page.get_by_role("heading", name="Perhaps sent: please check your Sent folder")).to_be_visible()
    dana_row = page.locator(f"li.unknown-send[data-send='{dana.pk}']")
    lee_row = page.locator(f"li.unknown-send[data-send='{lee.pk}']")
    expect(dana_row).to_contain_text("“Thank you, Dana” to dana@acme.example")
    expect(lee_row).to_contain_text("“Thank you, Lee” to lee@globex.example")
    shoot(page, "mail-unknown-sends")

    dana_row.get_by_role("button", name="I checked: it was sent").click()
    expect(
        page.get_by_text("Marked sent: “Thank you, Dana” to dana@acme.example is logged as a touch.")
    ).to_be_visible()
    expect(page.locator(f"li.unknown-send[data-send='{dana.pk}']")).to_have_count(0)
    touch = Interaction.objects.get(message_id=dana.message_id)
    assert touch.summary == "Thank you, Dana"

    page.locator(f"li.unknown-send[data-send='{lee.pk}']").get_by_role("button", name="It was not sent").click()
    expect(
        page.get_by_text("Marked not sent: “Thank you, Lee” to lee@globex.example is back on Today.")
    ).to_be_visible()
    expect(page.get_by_role("heading", name="Perhaps sent: please check your Sent folder")).to_have_count(0)
    shoot(page, "mail-unknown-sends-settled")

    page.goto("/")
    items = page.locator("li.item[data-purpose=thank_you]")
    expect(items.filter(has_text="Lee Chen")).to_have_count(1)  # back on Today, to send again
    expect(items.filter(has_text="Lee Chen").get_by_role("button", name="Send", exact=True)).to_be_visible()
    expect(items.filter(has_text="Dana Reyes")).to_have_count(0)  # done: the touch is logged
    assert OutboxMessage.objects.get(pk=lee.pk).state == "failed"
    assert not Interaction.objects.filter(summary="Thank you, Lee").exists()
