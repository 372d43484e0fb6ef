"""A touch that cannot get the database, in a real Chromium: the words, the form kept.

The lock is injected where a real one strikes (the re-plan inside the touch's transaction);
everything else - retries, service, view, page - is the real thing. Screenshots of the page at
390 px and 1440 px land in the screenshot folder (tests/browser/conftest.py).
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.db import OperationalError
from django.utils import timezone
from playwright.sync_api import Page, expect
from tests.browser.helpers import PASSWORD, Shoot, sign_in

from topofmind.crm import services
from topofmind.crm.services import touches

pytestmark = pytest.mark.browser


@pytest.fixture
def dana(transactional_db: None) -> str:
    now = timezone.now()
    services.ensure_owner(username="busy", password=PASSWORD, now=now)
    workspace = services.get_or_create_default_workspace(now=now)
    services.add_person(workspace=workspace, name="Dana Lee", emails=["dana@acme.example"], now=now)
    return "busy"


def test_a_locked_database_says_so_and_keeps_what_was_typed(
    page: Page, dana: str, shoot: Shoot, monkeypatch: pytest.MonkeyPatch
) -> None:
    sign_in(page, dana)

    def locked(**kwargs: Any) -> Any:
        raise OperationalError("database is locked")

    monkeypatch.setattr(touches, "replan", locked)
    page.goto("/log/")
    form = page.locator("main form")
    form.get_by_label("What happened").select_option("reply")
    form.get_by_label("With").fill("Dana Lee")
    form.get_by_role("button", name="Log it").click()

    expect(page.get_by_text("topofmind is busy, your touch was not saved: try again")).to_be_visible()
    expect(form.get_by_label("With")).to_have_value("Dana Lee")
    expect(form.get_by_label("What happened")).to_have_value("reply")
    shoot(page, "busy")

    monkeypatch.undo()  # the lock is gone: the same form, sent again, is saved
    form.get_by_role("button", name="Log it").click()
    expect(page.get_by_text(re.compile(r"Logged: .* with Dana Lee\."))).to_be_visible()
