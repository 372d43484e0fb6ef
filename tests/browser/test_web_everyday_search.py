"""Issue 11 points 3-7 in a real Chromium, at 1440 px and 390 px: search from the header,
reach out from Today (mail app link, count that follows the clicks), the quick form's opening
guess, key points and date check, honest pages (navigation on a phone, folded notes,
Settings), and the Import page. Screenshots land in the screenshot folder (tests/browser/conftest.py).
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
from topofmind.crm.models import Interaction, Person, Workspace
from topofmind.engine.types import Kind, Role, Stage

pytestmark = pytest.mark.browser
FIXTURES = Path(__file__).parents[1] / "fixtures" / "imports"


@pytest.fixture
def alice_desk(transactional_db: None, settings: Any, tmp_path: Path) -> str:
    settings.TOPOFMIND_UPLOADS_DIR = tmp_path / "uploads"
    cache.clear()
    now = timezone.now()
    owner = services.ensure_owner(username="alice", password=PASSWORD, now=now)
    workspace = Workspace.objects.get(pk=owner.workspace.pk)
    acme = services.add_organization(workspace=workspace, name="Acme Robotics", industry="Warehouse robots", now=now)
    services.add_person(
        workspace=workspace,
        name="Dana Reyes",
        organization_id=acme.pk,
        roles=[Role.HIRING_MANAGER],
        emails=["dana+jobs@acme.example"],
        phones=["+1 555 010 2000"],
        notes="Met at the robotics meetup. " + "She leads the platform team and cares about on-call health. " * 8,
        now=now,
    )
    services.add_person(
        workspace=workspace, name="Sam Okafor", organization_id=acme.pk, emails=["sam@acme.example"], now=now
    )
    opening = services.add_opportunity(
        workspace=workspace, title="Platform Engineer", organization_id=acme.pk, stage=Stage.APPLIED, now=now
    )
    services.log_touch(
        workspace=workspace,
        names=["Dana Reyes", "Sam Okafor"],
        kind=Kind.INTERVIEW,
        opportunity_id=opening.pk,
        at=now - timedelta(hours=2),
        points="the Kubernetes migration & on-call rota",
        now=now,
    )
    return "alice"


def test_search_from_the_header_of_any_page(page: Page, alice_desk: str, shoot: Shoot) -> None:
    sign_in(page, alice_desk)
    page.goto("/people/")
    page.get_by_label("Search everything").fill("kubernetes")
    page.get_by_label("Search everything").press("Enter")
    expect(page.get_by_role("heading", name=re.compile("Search"))).to_be_visible()
    touches = page.locator("section", has=page.get_by_role("heading", name="Touches"))
    expect(touches).to_contain_text("Interview (we spoke)")
    expect(touches).to_contain_text("the Kubernetes migration")
    page.get_by_label("Search everything").fill("robot")
    page.get_by_label("Search everything").press("Enter")
    expect(page.locator("main").get_by_role("link", name="Acme Robotics")).to_be_visible()
    expect(page.locator("main").get_by_role("link", name="Dana Reyes")).to_be_visible()  # "robotics meetup"
    shoot(page, "search")
    page.set_viewport_size({"width": 390, "height": 844})
    expect(page.get_by_label("Search everything")).to_be_visible()
    page.locator("main").get_by_role("link", name="Acme Robotics").click()
    expect(page.get_by_role("heading", name=re.compile("Acme Robotics"))).to_be_visible()


def test_reach_out_from_today_and_the_count_follows(page: Page, alice_desk: str, shoot: Shoot) -> None:
    sign_in(page, alice_desk)
    dana = page.locator("li.item", has_text="Dana Reyes")
    expect(dana.locator(".reach")).to_contain_text("dana+jobs@acme.example")
    expect(dana.locator(".reach")).to_contain_text("+1 555 010 2000")
    expect(dana.locator('.reach a[href="tel:+15550102000"]')).to_have_count(1)
    link = dana.get_by_role("link", name="Open in mail app")
    href = link.get_attribute("href") or ""
    assert href.startswith("mailto:dana%2Bjobs@acme.example?subject=")
    assert "%26%20on-call" in href and "%0D%0A" in href  # "&" and line breaks encoded
    expect(page.locator("#today-count")).to_have_text("2 things to do, most urgent first.")
    shoot(page, "today-reach")
    # the link carries the draft as edited, not as saved
    dana.get_by_role("textbox", name=re.compile("^Draft")).fill("Dear Dana,\nThanks & see you soon")
    page.evaluate(
        "document.addEventListener('click', e => { if (e.target.closest('a[data-mailto]')) e.preventDefault(); })"
    )
    link.click()
    assert (link.get_attribute("href") or "").endswith("body=Dear%20Dana%2C%0D%0AThanks%20%26%20see%20you%20soon")
    # one click: the item leaves and the count follows, without a reload
    page.locator("li.item", has_text="Sam Okafor").get_by_role("button", name="Skip").click()
    expect(page.locator("#today-count")).to_have_text("1 thing to do, most urgent first.")
    dana.get_by_role("button", name="Mark sent").click()
    expect(page.locator("#today-count")).to_have_text("Nothing left to do right now.")


def test_the_quick_form_guesses_the_opening_and_checks_the_date(page: Page, alice_desk: str, shoot: Shoot) -> None:
    sign_in(page, alice_desk)
    page.locator("#quicklog > summary").click()
    quick = page.locator("#quicklog")
    points = quick.get_by_label("Key points discussed")
    quick.get_by_label("What happened").select_option("message")
    expect(points).to_be_hidden()  # a message has no key points
    quick.get_by_label("What happened").select_option("call")
    expect(points).to_be_visible()
    quick.get_by_label("Who").fill("Dana Reyes")
    quick.get_by_label("Who").blur()
    expect(quick.get_by_label("About the opening").locator("option:checked")).to_have_text(
        "Platform Engineer — Acme Robotics (guessed)"
    )
    shoot(page, "quicklog", widths=[1440])
    quick.get_by_label("When").fill("2031-01-15T10:00")
    quick.get_by_role("button", name="Log it").click()
    main = page.locator("main")
    expect(
        main.locator("#id_at_error").get_by_text(re.compile("is in the future, and a touch is something that already"))
    ).to_be_visible()
    shoot(page, "log-confirm-date")
    main.get_by_label("Yes, this date is right: log it anyway").check()
    main.get_by_role("button", name="Log it").click()
    expect(
        page.get_by_text(re.compile("Logged: phone call .* with Dana Reyes, about Platform Engineer"))
    ).to_be_visible()
    assert Interaction.objects.filter(kind="call").get().opportunity is not None


def test_honest_pages_on_a_phone_and_a_desk(page: Page, alice_desk: str, shoot: Shoot) -> None:
    sign_in(page, alice_desk)
    every_section_shows = (
        "(() => { const u = document.querySelector('.top nav ul'); return u.scrollWidth <= u.clientWidth; })()"
    )
    assert page.evaluate(every_section_shows), "the navigation scrolls at 1440 px"
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate(every_section_shows), "the navigation scrolls at 390 px"
    nav = page.get_by_role("navigation", name="Main")
    for name in ("Today", "People", "Organizations", "Openings", "Board", "Touches", "Review", "Settings", "Team"):
        link = nav.get_by_role("link", name=name, exact=True)
        expect(link).to_be_in_viewport()
    shoot(page, "nav")
    dana = Person.objects.get(name="Dana Reyes")
    page.goto(f"/people/{dana.pk}/")
    notes = page.locator(".fold").first
    expect(notes.get_by_text("Show more")).to_be_visible()
    assert notes.locator("details.more").evaluate("d => d.open") is False  # the rest waits, folded
    shoot(page, "person-notes")
    notes.get_by_text("Show more").click()
    expect(notes.get_by_text("Show more")).to_be_hidden()
    assert notes.locator("details.more").evaluate("d => d.open") is True
    page.goto("/settings/")
    numbers = page.locator("#numbers")
    expect(numbers.get_by_label("First nudge after (days)")).to_be_visible()
    expect(numbers.get_by_label("Candidate update every (days)")).to_be_hidden()
    expect(numbers.get_by_role("button", name="Save numbers")).to_have_count(1)
    shoot(page, "settings-numbers")
    numbers.get_by_text("The other playbook's numbers").click()
    expect(numbers.get_by_label("Candidate update every (days)")).to_be_visible()


def test_import_with_a_preview_then_confirm_and_the_backup_download(page: Page, alice_desk: str, shoot: Shoot) -> None:
    sign_in(page, alice_desk)
    page.goto("/settings/")
    page.get_by_role("link", name="Import", exact=True).click()
    page.get_by_label("Google Contacts (CSV)").check()
    page.get_by_label("File").set_input_files(str(FIXTURES / "google" / "google_new.csv"))
    shoot(page, "import")
    page.get_by_role("button", name="Preview").click()
    expect(page.get_by_role("heading", name="Import preview")).to_be_visible()
    expect(page.locator(".problems")).to_contain_text("Line 4 (invalid)")
    shoot(page, "import-preview")
    before = Person.objects.count()
    page.get_by_role("button", name="Import", exact=True).click()
    expect(page.get_by_text(re.compile(r"Imported google_new\.csv: 2 new"))).to_be_visible()
    assert Person.objects.count() == before + 2
    page.goto("/export/")
    with page.expect_download() as info:
        page.get_by_role("link", name="Download a backup (JSON)").click()
    assert info.value.suggested_filename.startswith("topofmind-backup-")
    assert "Dana Reyes" in Path(info.value.path()).read_text(encoding="utf-8")
    shoot(page, "export-backup")
