"""Every form a view reads is checked first: input the form refuses changes nothing and says why."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse
from test_web_fixtures import Search, text_of

from topofmind.crm.models import FollowUp, Interaction, Person
from topofmind.engine.types import Kind, Purpose

HTMX = {"HTTP_HX_REQUEST": "true"}
TOO_LONG_SUBJECT = "Thank you " * 31  # 310 characters; the subject holds 300

pytest_plugins = ["test_web_fixtures"]


def thank_you(search: Search, person_name: str) -> FollowUp:
    return FollowUp.objects.get(workspace=search.workspace, purpose=Purpose.THANK_YOU.value, person__name=person_name)


def test_a_stop_reason_too_long_to_keep_stops_nothing_and_says_so(as_alice: Client, search: Search) -> None:
    response = as_alice.post(reverse("web:person_stop", args=[search.sam.pk]), {"reason": "x" * 501}, follow=True)
    assert "Not stopped: Why (for your records): Ensure this value has at most 500 characters" in text_of(response)
    assert not Person.objects.get(pk=search.sam.pk).do_not_contact


def test_a_draft_with_a_subject_too_long_is_not_saved_and_says_so(as_alice: Client, search: Search) -> None:
    row = thank_you(search, "Dana Lee")
    response = as_alice.post(
        reverse("web:followup_draft", args=[row.pk]), {"subject": TOO_LONG_SUBJECT, "body": "Dear Dana"}, **HTMX
    )
    assert "Draft not saved: Subject: Ensure this value has at most 300 characters" in text_of(response)
    row.refresh_from_db()
    assert row.draft_body == ""


def test_a_draft_with_a_subject_too_long_is_not_saved_without_htmx_either(as_alice: Client, search: Search) -> None:
    row = thank_you(search, "Dana Lee")
    response = as_alice.post(
        reverse("web:followup_draft", args=[row.pk]), {"subject": TOO_LONG_SUBJECT, "body": "Dear Dana"}, follow=True
    )
    assert "Draft not saved: Subject:" in text_of(response)
    row.refresh_from_db()
    assert row.draft_body == ""


def test_mark_sent_with_a_subject_too_long_logs_nothing_and_says_so(as_alice: Client, search: Search) -> None:
    row = thank_you(search, "Dana Lee")
    response = as_alice.post(
        reverse("web:followup_sent", args=[row.pk]), {"subject": TOO_LONG_SUBJECT, "body": "Dear Dana"}, **HTMX
    )
    assert "Not sent: Subject: Ensure this value has at most 300 characters" in text_of(response)
    row.refresh_from_db()
    assert row.state == "pending"
    assert not Interaction.objects.filter(workspace=search.workspace, kind=Kind.THANK_YOU.value).exists()
