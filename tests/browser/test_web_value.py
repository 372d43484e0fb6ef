"""R10 on Today in a real Chromium: the item a nudge carries, the picker, the note when nothing
fits, and the draft checker as the user edits. Screenshots value-* at 390 px and 1440 px in the
screenshot folder (tests/browser/conftest.py)."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.core.cache import cache
from django.utils import timezone
from playwright.sync_api import Page, expect
from tests.browser.helpers import PASSWORD, Shoot, sign_in

from topofmind.crm import services
from topofmind.crm.models import ValueItem, Workspace
from topofmind.engine.types import Kind, Role, Stage

pytestmark = pytest.mark.browser


@pytest.fixture
def desk(transactional_db: None, settings: Any) -> str:
    cache.clear()
    now = timezone.now()
    applied = now - timedelta(days=8)
    owner = services.ensure_owner(username="alice", password=PASSWORD, now=applied)
    ws = Workspace.objects.get(pk=owner.workspace.pk)
    acme = services.add_organization(workspace=ws, name="Acme", now=applied)
    globex = services.add_organization(workspace=ws, name="Globex", now=applied)
    for name, org in (("Priya Shah", acme), ("Ken Ito", globex)):
        person = services.add_person(
            workspace=ws,
            name=name,
            organization_id=org.pk,
            roles=[Role.HIRING_MANAGER],
            emails=[f"{name.split()[0].lower()}@example.com"],
            interests="streaming" if org == acme else "",
            now=applied,
        )
        job = services.add_opportunity(
            workspace=ws, title="Data Engineer", organization_id=org.pk, stage=Stage.PROSPECT, now=applied
        )
        services.log_interaction(
            workspace=ws, kind=Kind.APPLICATION, person_ids=[person.pk], opportunity_id=job.pk, at=applied, now=applied
        )
    ValueItem.objects.create(
        workspace=ws, kind="news", title="Acme opens a Berlin office", url="https://acme.example/news/berlin",
        organization=acme, happened_on=(now - timedelta(days=2)).date(), created_at=now,
    )  # fmt: skip
    ValueItem.objects.create(
        workspace=ws, kind="article", title="Streaming joins at scale", url="https://blog.example/joins",
        tags="streaming", created_at=now,
    )  # fmt: skip
    return "alice"


def test_a_nudge_carries_news_the_user_can_swap_and_the_checker_speaks_up(page: Page, desk: str, shoot: Shoot) -> None:
    sign_in(page, desk)
    priya = page.locator("li.item", has_text="Priya Shah")
    expect(priya.locator(".carries")).to_contain_text("Acme opens a Berlin office")
    expect(priya.locator("textarea[name=body]")).to_have_value(re.compile("https://acme.example/news/berlin"))
    ken = page.locator("li.item", has_text="Ken Ito")
    expect(ken.get_by_role("note")).to_have_text("Nothing new to share with Ken: add an article or an achievement.")
    shoot(page, "value-today")

    priya.get_by_label("Carry instead").select_option(label="Article · Streaming joins at scale")
    priya.get_by_role("button", name="Use").click()
    priya = page.locator("li.item", has_text="Priya Shah")
    expect(priya.locator(".carries")).to_contain_text("(your choice)")
    expect(priya.locator("textarea[name=body]")).to_have_value(re.compile("https://blog.example/joins"))

    draft = priya.locator("textarea[name=body]")
    draft.fill("Hi Priya,\n\nJust checking in. Do you have any openings for me?\n\nAlice")
    checks = priya.locator(".draft-checks")
    expect(checks).to_contain_text("Before you send:")
    expect(checks).to_contain_text("Just checking in.")
    expect(checks).to_contain_text("Asks outright for a job")
    page.get_by_role("heading", name=re.compile("Today")).click()  # the draft loses focus
    shoot(page, "value-checker")
    draft.fill("Hi Priya,\n\nA short note about the Data Engineer role.\n\nAlice")
    expect(checks).not_to_contain_text("Before you send")
