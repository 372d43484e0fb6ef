"""Undo: Done, Snooze, Skip and Mark sent can be taken back for ten minutes (issue 11, point 2),
on Today (with htmx and without), in the CLI (`topofmind undo`) and in the API."""

from __future__ import annotations

from datetime import timedelta

import time_machine
from api_fixtures import Api
from django.test import Client
from django.urls import reverse
from test_web_fixtures import WEB_NOW, Search, text_of
from typer.testing import CliRunner

from topofmind.cli import app
from topofmind.crm import services
from topofmind.crm.models import FollowUp, Interaction
from topofmind.engine.types import Kind, Purpose

HTMX = {"HTTP_HX_REQUEST": "true"}

pytest_plugins = ["test_web_fixtures", "api_fixtures"]


def thank_you(search: Search, person_name: str) -> FollowUp:
    return FollowUp.objects.get(workspace=search.workspace, purpose=Purpose.THANK_YOU.value, person__name=person_name)


def thank_yous_logged(search: Search) -> int:
    return Interaction.objects.filter(workspace=search.workspace, kind=Kind.THANK_YOU.value).count()


def test_a_mis_tapped_done_is_undone_from_the_note_that_replaces_the_item(as_alice: Client, search: Search) -> None:
    row = thank_you(search, "Sam Park")
    note = as_alice.post(reverse("web:followup_done", args=[row.pk]), **HTMX)
    assert "Undo" in text_of(note)
    assert thank_yous_logged(search) == 1
    back = as_alice.post(reverse("web:followup_undo", args=[row.pk]), **HTMX)
    assert back.status_code == 200
    assert f'id="draft-{row.pk}"' in text_of(back)  # the item itself is back, draft and all
    assert "<html" not in back.content.decode()
    row.refresh_from_db()
    assert row.state == "pending"
    assert thank_yous_logged(search) == 0  # the touch Done logged is gone
    assert f'id="draft-{row.pk}"' in text_of(as_alice.get("/"))


def test_undo_works_without_javascript_from_todays_notice(as_alice: Client, search: Search) -> None:
    row = thank_you(search, "Sam Park")
    today = as_alice.post(reverse("web:followup_skip", args=[row.pk]), follow=True)
    page = text_of(today)
    assert "Skip: thank-you for Sam Park." in page
    assert "You can undo it until" in page
    assert reverse("web:followup_undo", args=[row.pk]) in page
    back = as_alice.post(reverse("web:followup_undo", args=[row.pk]), follow=True)
    assert "Undone: skip of thank-you for Sam Park." in text_of(back)
    assert f'id="draft-{row.pk}"' in text_of(back)
    assert "You can undo it until" not in text_of(back)  # nothing left to undo


def test_undoing_mark_sent_removes_the_touch_it_logged_and_the_item_returns(as_alice: Client, search: Search) -> None:
    row = thank_you(search, "Dana Lee")
    as_alice.post(
        reverse("web:followup_sent", args=[row.pk]), {"subject": "Thank you", "body": "Thanks, Dana!"}, **HTMX
    )
    assert Interaction.objects.filter(workspace=search.workspace, notes="Thanks, Dana!").exists()
    as_alice.post(reverse("web:followup_undo", args=[row.pk]), **HTMX)
    assert not Interaction.objects.filter(workspace=search.workspace, notes="Thanks, Dana!").exists()
    row.refresh_from_db()
    assert (row.state, row.draft_body) == ("pending", "Thanks, Dana!")  # the wording stays for the real send


def test_an_undone_snooze_brings_the_item_back_now(
    as_alice: Client, search: Search, clock: time_machine.Coordinates
) -> None:
    row = thank_you(search, "Sam Park")
    as_alice.post(reverse("web:followup_snooze", args=[row.pk]), {"days": "3"}, **HTMX)
    assert f'id="draft-{row.pk}"' not in text_of(as_alice.get("/"))
    as_alice.post(reverse("web:followup_undo", args=[row.pk]), **HTMX)
    row.refresh_from_db()
    assert (row.state, row.snoozed_until) == ("pending", None)
    assert f'id="draft-{row.pk}"' in text_of(as_alice.get("/"))


def test_after_ten_minutes_undo_says_it_is_too_late_and_changes_nothing(
    as_alice: Client, search: Search, clock: time_machine.Coordinates
) -> None:
    row = thank_you(search, "Sam Park")
    as_alice.post(reverse("web:followup_done", args=[row.pk]), **HTMX)
    clock.shift(timedelta(minutes=9))
    assert "You can undo it until" in text_of(as_alice.get("/"))
    clock.shift(timedelta(minutes=2))
    assert "You can undo it until" not in text_of(as_alice.get("/"))
    answer = as_alice.post(reverse("web:followup_undo", args=[row.pk]), **HTMX)
    assert "too late to undo" in text_of(answer)
    assert "undo works for 10" in text_of(answer)
    row.refresh_from_db()
    assert row.state == "done"
    assert thank_yous_logged(search) == 1


def test_bob_cannot_undo_what_alice_did_at_the_same_desk(as_alice: Client, as_bob: Client, search: Search) -> None:
    row = thank_you(search, "Sam Park")
    as_alice.post(reverse("web:followup_done", args=[row.pk]), **HTMX)
    assert "You can undo it until" not in text_of(as_bob.get("/"))
    answer = as_bob.post(reverse("web:followup_undo", args=[row.pk]), **HTMX)
    assert "nothing to undo" in text_of(answer)
    row.refresh_from_db()
    assert row.state == "done"


# -- the CLI -----------------------------------------------------------------------------------

runner = CliRunner()


def test_topofmind_undo_takes_back_the_last_action_and_says_so_when_there_is_none(
    search: Search, clock: time_machine.Coordinates
) -> None:
    sam, dana = thank_you(search, "Sam Park"), thank_you(search, "Dana Lee")
    assert runner.invoke(app, ["done", str(sam.pk)]).exit_code == 0
    assert runner.invoke(app, ["skip", str(dana.pk)]).exit_code == 0
    first = runner.invoke(app, ["undo"])
    assert first.exit_code == 0, first.stderr
    assert first.stdout.strip() == (
        f"Undone: follow-up #{dana.pk} is no longer skipped; it is back on your agenda."
    )
    second = runner.invoke(app, ["undo"])
    assert f"follow-up #{sam.pk} is no longer done, and the touch it logged is removed" in second.stdout
    assert thank_yous_logged(search) == 0
    none_left = runner.invoke(app, ["undo"])
    assert none_left.exit_code == 2
    assert none_left.stderr.splitlines() == [
        "error: nothing to undo: no done, snooze, skip or mark sent of yours in the last 10 minutes "
        "(hint: see what is open with: topofmind today)"
    ]


def test_topofmind_undo_after_ten_minutes_is_one_clear_line(search: Search, clock: time_machine.Coordinates) -> None:
    sam = thank_you(search, "Sam Park")
    assert runner.invoke(app, ["done", str(sam.pk)]).exit_code == 0
    clock.shift(timedelta(minutes=12))
    late = runner.invoke(app, ["undo"])
    assert late.exit_code == 2
    assert len(late.stderr.splitlines()) == 1
    assert late.stderr.startswith(f"error: too late to undo: your last action (done, follow-up {sam.pk}) was 12 minutes ago")
    assert thank_yous_logged(search) == 1


def test_the_service_keeps_the_state_before_a_snooze_of_a_snoozed_item(search: Search) -> None:
    row = thank_you(search, "Sam Park")
    first_until = WEB_NOW + timedelta(days=1)
    services.snooze(workspace=search.workspace, followup_id=row.pk, until=first_until, now=WEB_NOW, user_id=None)
    services.snooze(
        workspace=search.workspace, followup_id=row.pk, until=WEB_NOW + timedelta(days=5), now=WEB_NOW, user_id=None
    )
    services.undo(workspace=search.workspace, user_id=None, now=WEB_NOW)
    row.refresh_from_db()
    assert (row.state, row.snoozed_until) == ("snoozed", first_until)


# -- the API -----------------------------------------------------------------------------------


def test_the_api_undoes_the_tokens_users_last_action(search: Search, alice_api: Api) -> None:
    api = alice_api
    sam = thank_you(search, "Sam Park")
    assert api.post(f"/api/followups/{sam.pk}/done").json()["state"] == "done"
    assert thank_yous_logged(search) == 1
    back = api.post(f"/api/followups/{sam.pk}/undo")
    assert back.status_code == 200
    assert back.json()["state"] == "pending"
    assert thank_yous_logged(search) == 0
    api.post(f"/api/followups/{sam.pk}/skip")
    assert api.post("/api/undo").json()["id"] == sam.pk
    nothing = api.post("/api/undo")
    assert nothing.status_code == 409
    assert nothing.json()["detail"].startswith("nothing to undo")
