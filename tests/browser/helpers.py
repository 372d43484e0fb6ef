"""What the browser tests share besides fixtures: signing in as their users do (their fixtures
make the accounts with PASSWORD), and the types of the conftest's ``open_page`` and ``shoot``."""

from __future__ import annotations

import re
from collections.abc import Callable

from playwright.sync_api import Page, expect

PASSWORD = "first-five-minutes"

OpenPage = Callable[..., Page]  # open_page(width=1440, **context_options) -> Page
Shoot = Callable[..., None]  # shoot(page, name, widths=(1440, 390))


def sign_in(page: Page, username: str, *, through_welcome: bool = True) -> None:
    """Sign in from the front door. A first visit asks who signs the drafts (test_web_accounts.py):
    ``through_welcome`` answers with the capitalized username and waits for Today."""
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/signin/"))
    page.get_by_label("User name").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    if not through_welcome:
        return
    if "/welcome/" in page.url:
        page.get_by_label("Your name").fill(username.capitalize())
        page.get_by_role("button", name="Start").click()
    expect(page.get_by_role("heading", name=re.compile("Today"))).to_be_visible()
