"""Undo on Today, merge and delete, in a real Chromium at 390 px and 1440 px (issue 11).

A mis-tap on a phone is not final: Done and Skip leave a note with Undo; without the script the
same Undo waits atop Today. Merging two records of Dana shows what moves first; deleting Sam
shows what goes first. Screenshots everyday-*.png land in the screenshot folder
(tests/browser/conftest.py).
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect
from tests.browser.helpers import PASSWORD, Shoot, sign_in

from topofmind.crm import services
from topofmind.engine.types import Kind, Role, Stage

pytestmark = pytest.mark.browser


@pytest.fixture
def desk(transactional_db: None) -> str:
    """Dana and Sam interviewed us two hours ago; D. Lee is Dana again, from an old import."""
    now = timezone.now()
    services.ensure_owner(username="everyday", password=PASSWORD, now=now)
    workspace = services.get_or_create_default_workspace(now=now)
    acme = services.add_organization(workspace=workspace, name="Acme", target=True, now=now)
    dana = services.add_person(
        workspace=workspace, name="Dana Lee", organization_id=acme.pk, roles=[Role.HIRING_MANAGER],
        emails=["dana@acme.example"], now=now,
    )  # fmt: skip
    sam = services.add_person(
        workspace=workspace, name="Sam Park", organization_id=acme.pk, roles=[Role.INTERVIEWER],
        emails=["sam@acme.example"], now=now,
    )  # fmt: skip
    opening = services.add_opportunity(
        workspace=workspace, title="Backend Engineer", organization_id=acme.pk, stage=Stage.APPLIED, now=now
    )
    services.log_interaction(
        workspace=workspace, kind=Kind.INTERVIEW, person_ids=[dana.pk, sam.pk], opportunity_id=opening.pk,
        at=now - timedelta(hours=2), points="the pipeline rewrite", now=now,
    )  # fmt: skip
    twin = services.add_person(
        workspace=workspace, name="D. Lee", emails=["dana.lee@mail.example"], phones=["+1 555 0100"], now=now
    )
    services.log_interaction(
        workspace=workspace, kind=Kind.REPLY, person_ids=[twin.pk], at=now - timedelta(days=20), now=now
    )
    return "everyday"


def test_done_and_skip_can_be_undone_from_the_note_or_from_today(page: Page, desk: str, shoot: Shoot) -> None:
    sign_in(page, desk)
    sam = page.locator("li.item", has_text="Sam Park")
    expect(sam.get_by_role("button", name="Done")).to_be_visible()
    sam.get_by_role("button", name="Done").click()
    note = page.locator("li.gone", has_text="Done: thank-you for Sam Park")
    expect(note).to_be_visible()
    expect(note.get_by_role("button", name="Undo")).to_be_visible()
    shoot(page, "everyday-undo-note")
    note.get_by_role("button", name="Undo").click()
    expect(page.locator("li.item", has_text="Sam Park").get_by_label("Subject")).to_be_visible()

    # on a phone: Skip, then come back to Today, and Undo is there atop the page
    page.set_viewport_size({"width": 390, "height": 844})
    page.locator("li.item", has_text="Sam Park").get_by_role("button", name="Skip").click()
    expect(page.locator("li.gone", has_text="Skipped: thank-you for Sam Park")).to_be_visible()
    page.goto("/")
    notice = page.locator(".undo-notice")
    expect(notice).to_contain_text("Skip: thank-you for Sam Park.")
    shoot(page, "everyday-undo-notice")
    notice.get_by_role("button", name="Undo").click()
    expect(page.get_by_text("Undone: skip of thank-you for Sam Park.")).to_be_visible()
    expect(page.locator("li.item", has_text="Sam Park")).to_be_visible()
    expect(page.locator(".undo-notice")).to_have_count(0)


def test_merge_shows_what_moves_and_delete_shows_what_goes(page: Page, desk: str, shoot: Shoot) -> None:
    sign_in(page, desk)
    page.goto("/people/")
    page.get_by_role("link", name="Dana Lee").click()
    page.get_by_role("link", name="Merge with…").click()
    page.get_by_label("The other record (name or #id)").fill("D. Lee")
    page.get_by_role("button", name="Show what moves").click()
    moves = page.locator("section", has=page.get_by_role("heading", name=re.compile("Merging D. Lee")))
    for line in ("1 touch", "1 e-mail address", "1 phone number"):
        expect(moves.get_by_role("listitem").filter(has_text=re.compile(f"^{line}$"))).to_be_visible()
    shoot(page, "everyday-merge-preview")
    page.get_by_role("button", name="Merge into Dana Lee").click()
    expect(page.get_by_text("Merged into Dana Lee; the agenda is re-planned.")).to_be_visible()
    expect(page.get_by_role("link", name="dana.lee@mail.example")).to_be_visible()
    expect(page.get_by_role("link", name="+1 555 0100")).to_be_visible()
    shoot(page, "everyday-merged-person")

    page.goto("/people/")
    page.get_by_role("link", name="Sam Park").click()
    page.get_by_role("link", name="Delete…").click()
    expect(page.get_by_role("heading", name="Delete Sam Park?")).to_be_visible()
    expect(page.get_by_text("1 touch with other people stays (without them)")).to_be_visible()
    shoot(page, "everyday-delete-confirm")
    page.get_by_role("button", name="Delete person").click()
    expect(page.get_by_text("Deleted Sam Park; the agenda is re-planned.")).to_be_visible()
    expect(page.locator("main").get_by_role("link", name="Sam Park")).to_have_count(0)
