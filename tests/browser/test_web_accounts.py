"""Accounts and workspaces as people meet them, in a real Chromium.

A fresh install's first visit asks name, time zone (the browser's, filled in) and holidays,
then shows an empty search of one's own with the demo one click away (and gone in one more).
An owner invites a colleague by a one-time link; the colleague works the shared desk, while a
third user sees nothing of it and the used link is a dead end. Screenshots at 390 px and
1440 px land in the screenshot folder (tests/browser/conftest.py).
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from playwright.sync_api import expect
from tests.browser.helpers import PASSWORD, OpenPage, Shoot, sign_in

from topofmind.crm import services
from topofmind.crm.models import Organization, Person, UserSettings, Workspace
from topofmind.engine.types import Kind, Role

pytestmark = pytest.mark.browser
BERLIN = {"timezone_id": "Europe/Berlin", "locale": "en-GB"}


@pytest.mark.parametrize("width", [390, 1440])
def test_a_fresh_start_asks_then_shows_an_empty_search_with_the_demo_one_click_away(
    open_page: OpenPage, newcomer: str, shoot: Shoot, width: int
) -> None:
    page = open_page(width=width, **BERLIN)
    sign_in(page, newcomer, through_welcome=False)

    expect(page).to_have_url(re.compile(r"/welcome/$"))
    expect(page.get_by_label("Your time zone")).to_have_value("Europe/Berlin")  # from the browser
    page.get_by_label("Your name").fill("Noor Newcomer")
    page.get_by_label("Holidays of").select_option("DE")
    shoot(page, "accounts-welcome", widths=[width])
    page.get_by_role("button", name="Start").click()

    expect(page.get_by_role("heading", name="Start here")).to_be_visible()
    expect(page.get_by_role("button", name="Explore a demo search")).to_be_visible()
    shoot(page, "accounts-empty-today", widths=[width])
    mine = UserSettings.objects.get(user__username="newcomer")
    assert (mine.name, mine.timezone, mine.country) == ("Noor Newcomer", "Europe/Berlin", "DE")

    page.get_by_role("button", name="Explore a demo search").click()
    expect(page.get_by_text("Remove the demo")).to_be_visible()
    expect(page.locator("li.item").first).to_be_visible()  # the demo has things to do
    expect(page.locator("#switcher > summary")).to_contain_text("Demo search")
    expect(page.locator("li.item textarea").first).to_contain_text("Noor Newcomer")  # signed by the viewer
    shoot(page, "accounts-demo-today", widths=[width])
    own = Workspace.objects.get(owner__username="newcomer", is_demo=False)
    assert not Person.objects.filter(workspace=own).exists()  # the user's search holds no demo data

    page.get_by_role("button", name="Remove the demo").click()
    expect(page.get_by_text(re.compile("Removed “Demo search”"))).to_be_visible()
    expect(page.get_by_role("heading", name="Start here")).to_be_visible()
    assert not Workspace.objects.filter(is_demo=True).exists()


def _alices_desk() -> Workspace:
    now = timezone.now()
    alice = get_user_model().objects.create_user(username="alice", password=PASSWORD)
    UserSettings.objects.create(user=alice, name="Alice Archer", timezone="UTC")
    desk = services.create_workspace(name="Recruiting desk", owner_id=alice.pk, now=now)
    acme = services.add_organization(workspace=desk, name="Acme", now=now)
    dana = services.add_person(
        workspace=desk, name="Dana Lee", organization_id=acme.pk, roles=[Role.HIRING_MANAGER], now=now
    )
    services.log_interaction(
        workspace=desk, kind=Kind.INTERVIEW, person_ids=[dana.pk], at=now - timedelta(hours=2), now=now
    )
    charlie = get_user_model().objects.create_user(username="charlie", password=PASSWORD)
    UserSettings.objects.create(user=charlie, name="Charlie", timezone="UTC")
    services.create_workspace(name="Charlie's desk", owner_id=charlie.pk, now=now)
    return desk


def test_an_owner_invites_a_colleague_who_shares_the_desk_while_a_third_user_sees_nothing(
    open_page: OpenPage, shoot: Shoot, transactional_db: None
) -> None:
    desk = _alices_desk()
    alice = open_page(**BERLIN)
    sign_in(alice, "alice")
    expect(alice.get_by_text("Dana Lee").first).to_be_visible()
    alice.get_by_role("navigation", name="Main").get_by_role("link", name="Team").click()
    alice.get_by_role("button", name="Make an invitation link").click()
    link = alice.locator("#invite-link").inner_text().strip()
    shoot(alice, "accounts-team-invite", widths=[1440])
    path = "/" + link.split("/", 3)[3]

    bob = open_page(width=390, timezone_id="America/New_York", locale="en-GB")
    bob.goto(path)
    expect(bob.get_by_role("heading", name="Join “Recruiting desk”")).to_be_visible()
    bob.get_by_label("Choose a username").fill("bob")
    bob.get_by_label("Choose a password").fill(PASSWORD)
    bob.get_by_role("button", name="Join").click()
    expect(bob).to_have_url(re.compile(r"/welcome/$"))
    expect(bob.get_by_label("Your time zone")).to_have_value("America/New_York")
    bob.get_by_label("Your name").fill("Bob Baker")
    bob.get_by_role("button", name="Start").click()
    item = bob.locator("li.item").filter(has_text="Dana Lee")
    expect(item).to_be_visible()  # the shared desk's thank-you
    expect(item.locator("textarea")).to_contain_text("Bob Baker")  # signed by the one who acts
    shoot(bob, "accounts-bob-shared-desk", widths=[390])

    charlie = open_page(width=390, **BERLIN)
    sign_in(charlie, "charlie")  # to Today
    charlie.goto("/people/")
    expect(charlie.locator("main")).not_to_contain_text("Dana Lee")
    response = charlie.goto(path)  # the link Bob used: a dead end
    assert response is not None
    assert response.status == 404
    shoot(charlie, "accounts-charlie-dead-link", widths=[390])
    dana = Person.objects.get(workspace=desk, name="Dana Lee")
    assert charlie.goto(f"/people/{dana.pk}/").status == 404  # type: ignore[union-attr]
    assert Organization.objects.filter(workspace=desk).count() == 1
