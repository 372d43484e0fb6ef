"""A touch that cannot get the database, in a real Chromium: the words, the form kept.

The lock is injected where a real one strikes (the re-plan inside the touch's transaction);
everything else - retries, service, view, page - is the real thing. Screenshots of the page at
390 px and 1440 px land in artifacts/screenshots/.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.db import OperationalError
from django.utils import timezone
from playwright.sync_api import Page, expect

from topofmind.crm import services
from topofmind.crm.services import touches

from .test_web_first_five_minutes import PASSWORD, SHOTS, browser, page, sign_in  # noqa: F401 - fixtures

pytestmark = pytest.mark.browser


@pytest.fixture
def dana(transactional_db: None) -> str:
    now = timezone.now()
    services.ensure_owner(username="busy", password=PASSWORD, now=now)
    workspace = services.get_or_create_default_workspace(now=now)
    services.add_person(workspace=workspace, name="Dana Lee", emails=["dana@acme.example"], now=now)
    return "busy"


def test_a_locked_database_says_so_and_keeps_what_was_typed(
    page: Page,  # noqa: F811 - the fixture imported above
    dana: str,
    monkeypatch: pytest.MonkeyPatch,
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
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "busy-1440.png"), full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=str(SHOTS / "busy-390.png"), full_page=True)

    monkeypatch.undo()  # the lock is gone: the same form, sent again, is saved
    form.get_by_role("button", name="Log it").click()
    expect(page.get_by_text(re.compile(r"Logged: .* with Dana Lee\."))).to_be_visible()
