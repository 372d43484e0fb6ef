"""Today shows what each follow-up carries (R10), lets the user pick another item or none, and
checks the draft as it is written."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from django.test import Client
from test_web_fixtures import text_of

from topofmind.crm import services
from topofmind.crm.models import FollowUp, ValueItem, Workspace
from topofmind.engine.types import Kind, Purpose, Role, Stage

HTMX = {"HTTP_HX_REQUEST": "true"}
APPLIED = datetime(2030, 2, 25, 10, 0, tzinfo=UTC)  # the nudge is due on Mon 4 Mar; the clock says Tue 5 Mar

pytest_plugins = ["test_web_fixtures"]


@pytest.fixture
def nudge(alice: Workspace, as_alice: Client) -> FollowUp:
    acme = services.add_organization(workspace=alice, name="Acme", now=APPLIED)
    priya = services.add_person(
        workspace=alice,
        name="Priya Shah",
        organization_id=acme.pk,
        roles=[Role.HIRING_MANAGER],
        emails=["priya@acme.test"],
        interests="streaming",
        now=APPLIED,
    )
    job = services.add_opportunity(
        workspace=alice, title="Data Engineer", organization_id=acme.pk, stage=Stage.PROSPECT, now=APPLIED
    )
    services.log_interaction(
        workspace=alice, kind=Kind.APPLICATION, person_ids=[priya.pk], opportunity_id=job.pk, at=APPLIED, now=APPLIED
    )
    ValueItem.objects.create(
        workspace=alice,
        kind="news",
        title="Acme opens a Berlin office",
        url="https://acme.test/news/2",
        organization=acme,
        happened_on=date(2030, 3, 1),
        created_at=APPLIED,
    )
    ValueItem.objects.create(
        workspace=alice,
        kind="article",
        title="Streaming joins at scale",
        url="https://blog.test/joins",
        tags="streaming",
        created_at=APPLIED,
    )
    return FollowUp.objects.get(workspace=alice, purpose=Purpose.NUDGE.value)


def test_today_shows_what_the_nudge_carries_and_the_other_items(as_alice: Client, nudge: FollowUp) -> None:
    page = text_of(as_alice.get("/"))
    assert 'Carries: <span class="badge">News</span>' in page
    assert "https://acme.test/news/2" in page  # in the draft and as the link
    assert f'id="value-choice-{nudge.pk}"' in page
    assert "Article · Streaming joins at scale" in page
    assert "Nothing this time" in page


def test_picking_another_item_redraws_the_item_with_it(as_alice: Client, nudge: FollowUp) -> None:
    article = ValueItem.objects.get(kind="article")
    url = f"/followups/{nudge.pk}/value/"
    html = text_of(as_alice.post(url, {"choice": f"item:{article.pk}"}, **HTMX))
    assert 'Carries (your choice): <span class="badge">Article</span>' in html
    assert "https://blog.test/joins" in html
    html = text_of(as_alice.post(url, {"choice": "none"}, **HTMX))
    assert "Carries nothing this time (your choice)." in html
    response = as_alice.post(url, {"choice": "item:999999"})
    assert response.status_code == 302  # a bad pick: one message, nothing changed
    assert FollowUp.objects.get(pk=nudge.pk).value_choice == "none"


def test_the_checker_points_at_sentences_as_the_user_writes(as_alice: Client, nudge: FollowUp) -> None:
    body = "Hi Priya,\n\nJust checking in. Do you have any openings for me?\n\nSam"
    html = text_of(as_alice.post(f"/followups/{nudge.pk}/check/", {"subject": "Hi", "body": body}, **HTMX))
    assert "Before you send:" in html
    assert "An empty phrase that gives no reason to write" in html and "<q>Just checking in.</q>" in html
    assert "Asks outright for a job" in html and "<q>Do you have any openings for me?</q>" in html
    assert FollowUp.objects.get(pk=nudge.pk).draft_body == ""  # checking saves nothing
    clean = text_of(as_alice.post(f"/followups/{nudge.pk}/check/", {"subject": "Hi", "body": "Hi Priya."}, **HTMX))
    assert "Before you send" not in clean
