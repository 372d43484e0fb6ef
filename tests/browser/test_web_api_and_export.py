"""Settings › API and calendar and the Export page in a real Chromium: make a token (shown once),
revoke it, download a CSV. Screenshots at 390 px and 1440 px land in the screenshot folder
(tests/browser/conftest.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from tests.browser.helpers import Shoot, sign_in

from topofmind.crm.models import AccessToken

pytestmark = pytest.mark.browser


def test_make_a_token_see_it_once_revoke_it_and_export(page: Page, newcomer: str, shoot: Shoot) -> None:
    sign_in(page, newcomer)
    page.goto("/settings/")
    page.get_by_role("link", name="API tokens and calendar feed").click()
    page.get_by_label("Label").fill("phone shortcut")
    page.get_by_role("button", name="Make an API token").click()
    secret = page.locator("code.secret").inner_text()
    assert secret.startswith("tom_")
    expect(page.get_by_text("Copy it now")).to_be_visible()
    shoot(page, "access")
    page.set_viewport_size({"width": 390, "height": 844})  # the rest on a phone, the download on a desk
    page.goto("/settings/access/")
    expect(page.locator("code.secret")).to_have_count(0)
    page.get_by_role("button", name="Revoke").click()
    expect(page.get_by_text("Revoked.")).to_be_visible()
    assert AccessToken.objects.get().revoked_at is not None

    page.goto("/export/")
    shoot(page, "export", widths=[390, 1440])
    page.set_viewport_size({"width": 1440, "height": 900})
    with page.expect_download() as info:
        page.locator("#main").get_by_role("link", name="People").click()
    assert info.value.suggested_filename == "topofmind-people.csv"
    assert "id,name" in Path(info.value.path()).read_text(encoding="utf-8-sig")
