"""Settings › API and calendar and the Export page in a real Chromium: make a token (shown once),
revoke it, download a CSV. Screenshots at 390 px and 1440 px land in artifacts/screenshots/."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

sys.path.insert(0, str(Path(__file__).parent))  # the first-five-minutes module's fixtures and helpers
from test_web_first_five_minutes import SHOTS, browser, newcomer, sign_in  # noqa: F401 - fixtures

from topofmind.crm.models import AccessToken

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = pytest.mark.browser


@pytest.fixture
def page(browser: Browser, live_server: object) -> Iterator[Page]:  # noqa: F811
    context = browser.new_context(
        viewport={"width": 1440, "height": 900}, base_url=str(live_server), accept_downloads=True
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def test_make_a_token_see_it_once_revoke_it_and_export(page: Page, newcomer: str) -> None:  # noqa: F811
    sign_in(page, newcomer)
    page.goto("/settings/")
    page.get_by_role("link", name="API tokens and calendar feed").click()
    page.get_by_label("Label").fill("phone shortcut")
    page.get_by_role("button", name="Make an API token").click()
    secret = page.locator("code.secret").inner_text()
    assert secret.startswith("tom_")
    expect(page.get_by_text("Copy it now")).to_be_visible()
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "access-1440.png"), full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=str(SHOTS / "access-390.png"), full_page=True)
    page.goto("/settings/access/")
    expect(page.locator("code.secret")).to_have_count(0)
    page.get_by_role("button", name="Revoke").click()
    expect(page.get_by_text("Revoked.")).to_be_visible()
    assert AccessToken.objects.get().revoked_at is not None

    page.goto("/export/")
    page.screenshot(path=str(SHOTS / "export-390.png"), full_page=True)
    page.set_viewport_size({"width": 1440, "height": 900})
    page.screenshot(path=str(SHOTS / "export-1440.png"), full_page=True)
    with page.expect_download() as info:
        page.locator("#main").get_by_role("link", name="People").click()
    assert info.value.suggested_filename == "topofmind-people.csv"
    assert "id,name" in Path(info.value.path()).read_text(encoding="utf-8-sig")
