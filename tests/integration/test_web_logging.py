"""Logging stays short and right (issue 11, point 3): the quick form guesses the opening, and a
touch dated more than a year back or in the future asks for confirmation first."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.test import Client
from django.urls import reverse
from test_web_fixtures import WEB_NOW, Search, text_of

from topofmind.crm import services
from topofmind.crm.errors import Unconfirmed
from topofmind.crm.models import Interaction
from topofmind.engine.types import Kind, Stage

pytest_plugins = ["test_web_fixtures"]


def quick(client: Client, **data: str) -> object:
    return client.post(reverse("web:quick_log"), {"kind": "call", "at": "", "opportunity": "auto", **data})


def test_the_quick_form_guesses_the_one_open_opening_they_are_in(as_alice: Client, search: Search) -> None:
    response = as_alice.get(reverse("web:opening_options"), {"people": "Dana Lee"})
    assert (
        f'<option value="{search.opening.pk}" selected>Backend Engineer — Acme (guessed)</option>'
        in (response.content.decode())
    )
    quick(as_alice, people="Dana Lee")
    touch = Interaction.objects.filter(workspace=search.workspace, kind="call").get()
    assert touch.opportunity_id == search.opening.pk
    assert "Logged: phone call (we spoke) with Dana Lee, about Backend Engineer (Acme)." in text_of(as_alice.get("/"))


def test_no_guess_with_two_open_openings_and_the_guess_can_be_changed(as_alice: Client, search: Search) -> None:
    second = services.add_opportunity(
        workspace=search.workspace, title="Data Lead", organization_id=search.acme.pk, stage=Stage.APPLIED, now=WEB_NOW
    )
    services.add_participant(
        workspace=search.workspace, opportunity_id=second.pk, name="Dana Lee", role=None, now=WEB_NOW
    )
    options = as_alice.get(reverse("web:opening_options"), {"people": "Dana Lee"}).content.decode()
    assert '<option value="" selected>No opening</option>' in options
    assert "Backend Engineer — Acme" in options and "Data Lead — Acme" in options
    quick(as_alice, people="Dana Lee")
    assert Interaction.objects.get(workspace=search.workspace, kind="call").opportunity_id is None
    quick(as_alice, people="Dana Lee", kind="message", opportunity=str(second.pk))
    assert Interaction.objects.get(workspace=search.workspace, kind="message").opportunity_id == second.pk


def test_a_closed_opening_is_not_guessed(as_alice: Client, search: Search) -> None:
    services.edit_opportunity(
        workspace=search.workspace, opportunity_id=search.opening.pk, stage=Stage.REJECTED, now=WEB_NOW
    )
    quick(as_alice, people="Dana Lee")
    assert Interaction.objects.get(workspace=search.workspace, kind="call").opportunity_id is None


@pytest.mark.parametrize(
    ("at", "why"),
    [
        ("2031-03-05T10:00", "Wed 5 Mar 2031 is in the future, and a touch is something that already happened."),
        ("2029-02-01T10:00", "Thu 1 Feb 2029 is more than a year ago."),
    ],
)
def test_an_unusual_date_asks_for_confirmation_then_logs(as_alice: Client, search: Search, at: str, why: str) -> None:
    response = as_alice.post(reverse("web:quick_log"), {"people": "Dana Lee", "kind": "call", "at": at})
    assert response.status_code == 400
    page = text_of(response)
    assert why in page
    assert "Yes, this date is right: log it anyway" in page
    assert not Interaction.objects.filter(workspace=search.workspace, kind="call").exists()
    response = as_alice.post(
        reverse("web:log"), {"people": "Dana Lee", "kind": "call", "at": at, "confirm_date": "on", "opportunity": ""}
    )
    assert response.status_code == 302
    assert Interaction.objects.filter(workspace=search.workspace, kind="call").count() == 1


def test_the_full_form_asks_too_and_correcting_an_old_touch_does_not(as_alice: Client, search: Search) -> None:
    response = as_alice.post(reverse("web:log"), {"people": "Dana Lee", "kind": "call", "at": "2020-01-01T10:00"})
    assert response.status_code == 400
    assert "Wed 1 Jan 2020 is more than a year ago." in text_of(response)
    old = services.log_interaction(
        workspace=search.workspace,
        kind=Kind.CALL,
        person_ids=[search.dana.pk],
        at=datetime(2020, 1, 1, 10, tzinfo=UTC),
        now=WEB_NOW,
    )
    response = as_alice.post(
        reverse("web:touch_edit", args=[old.pk]),
        {"people": "Dana Lee", "kind": "call", "at": "2020-01-01T10:00", "summary": "fixed", "opportunity": ""},
    )
    assert response.status_code == 302
    old.refresh_from_db()
    assert old.summary == "fixed"


def test_the_service_checks_once_for_every_door(search: Search) -> None:
    with pytest.raises(Unconfirmed) as refused:
        services.log_touch(
            workspace=search.workspace,
            names=["Dana Lee"],
            kind=Kind.CALL,
            at=datetime(2032, 1, 1, tzinfo=UTC),
            now=WEB_NOW,
            date_confirmed=False,
        )
    assert refused.value.field == "at"
    assert "Thu 1 Jan 2032 is in the future" in refused.value.message


def test_the_key_points_box_is_for_conversations_only(as_alice: Client, search: Search) -> None:
    html = as_alice.get("/people/").content.decode()
    assert 'data-points-kinds="call intake_call interview"' in html
    assert '<div class="field" data-points hidden>' in html
