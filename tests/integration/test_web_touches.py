"""Log a touch from anywhere (three fields), the full form, and fixing or deleting a touch."""

from __future__ import annotations

from datetime import UTC, datetime

from django.test import Client
from django.urls import reverse
from test_web_fixtures import WEB_NOW, Search, text_of

from topofmind.crm.models import FollowUp, Interaction, OpportunityParticipant, Person
from topofmind.engine.types import Kind, Purpose

pytest_plugins = ["test_web_fixtures"]


def test_every_page_carries_the_three_field_log_form(as_alice: Client, search: Search) -> None:
    for url in ("/", "/people/", f"/people/{search.dana.pk}/", "/board/", "/review/"):
        page = text_of(as_alice.get(url))
        assert 'action="/log/quick/"' in page, url
        for label in ('for="ql-people">Who', 'for="ql-kind">What happened', 'for="ql-at">When'):
            assert label in page, url


def test_the_quick_form_logs_a_touch_now_with_three_fields(as_alice: Client, search: Search) -> None:
    response = as_alice.post(
        reverse("web:quick_log"), {"people": "Dana Lee", "kind": "reply", "at": "", "next": "/people/"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/people/"
    touch = Interaction.objects.filter(workspace=search.workspace, kind=Kind.REPLY.value).get()
    assert touch.at == WEB_NOW
    assert touch.direction == "in"


def test_the_quick_form_takes_several_names_and_key_points(as_alice: Client, search: Search) -> None:
    as_alice.post(
        reverse("web:quick_log"),
        {"people": "Dana Lee, Sam Park", "kind": "interview", "at": "2030-03-05T11:30", "points": "team topology"},
    )
    touch = Interaction.objects.filter(workspace=search.workspace, points="team topology").get()
    assert sorted(touch.participants.values_list("person__name", flat=True)) == ["Dana Lee", "Sam Park"]
    assert touch.at == datetime(2030, 3, 5, 11, 30, tzinfo=UTC)  # the user's zone is UTC here


def test_an_unknown_name_opens_the_full_form_with_close_matches(as_alice: Client, search: Search) -> None:
    response = as_alice.post(reverse("web:quick_log"), {"people": "Dana Leigh", "kind": "reply"})
    assert response.status_code == 400
    page = text_of(response)
    assert "Nothing was saved" in page
    assert "did you mean “Dana Lee”" in page
    assert 'value="Dana Leigh"' in page
    assert not Interaction.objects.filter(kind=Kind.REPLY.value).exists()


def test_the_full_form_adds_new_people_to_the_opening_when_asked(as_alice: Client, search: Search) -> None:
    response = as_alice.post(
        reverse("web:log"),
        {
            "kind": "interview",
            "people": "Dana Lee, Ava Stone",
            "create_missing": "on",
            "at": "2030-03-05T09:00",
            "opportunity": str(search.opening.pk),
            "points": "system design",
            "channel": "video",
        },
    )
    assert response.status_code == 302
    ava = Person.objects.get(workspace=search.workspace, name="Ava Stone")
    assert ava.organization_id == search.acme.pk
    assert OpportunityParticipant.objects.filter(opportunity=search.opening, person=ava, role="interviewer").exists()
    assert FollowUp.objects.filter(person=ava, purpose=Purpose.THANK_YOU.value, state="pending").exists()


def test_the_full_form_names_the_field_that_is_wrong(as_alice: Client, search: Search) -> None:
    response = as_alice.post(reverse("web:log"), {"kind": "reply", "people": "", "at": "not a date"})
    assert response.status_code == 400
    page = text_of(response)
    assert 'aria-invalid="true"' in page
    assert "This field is required." in page
    assert "Enter a valid date/time." in page


def test_the_full_form_is_prefilled_from_the_address(as_alice: Client, search: Search) -> None:
    page = text_of(as_alice.get(f"/log/?people=Dana+Lee&opportunity={search.opening.pk}"))
    assert 'value="Dana Lee"' in page
    assert f'<option value="{search.opening.pk}" selected>' in page


def test_a_touch_can_be_edited_and_the_agenda_replans(as_alice: Client, search: Search) -> None:
    touch = Interaction.objects.get(workspace=search.workspace, kind=Kind.INTERVIEW.value)
    form = text_of(as_alice.get(reverse("web:touch_edit", args=[touch.pk])))
    assert 'value="Dana Lee, Sam Park"' in form or 'value="Sam Park, Dana Lee"' in form
    response = as_alice.post(
        reverse("web:touch_edit", args=[touch.pk]),
        {"kind": "interview", "people": "Dana Lee", "at": "2030-03-05T10:00", "points": "only Dana was there"},
    )
    assert response.status_code == 302
    touch.refresh_from_db()
    assert touch.points == "only Dana was there"
    sam_thanks = FollowUp.objects.get(person=search.sam, purpose=Purpose.THANK_YOU.value)
    assert sam_thanks.state == "cancelled"


def test_a_touch_can_be_deleted_and_its_follow_ups_go(as_alice: Client, search: Search) -> None:
    touch = Interaction.objects.get(workspace=search.workspace, kind=Kind.INTERVIEW.value)
    response = as_alice.post(reverse("web:touch_delete", args=[touch.pk]), follow=True)
    assert "Deleted the touch" in text_of(response)
    assert not Interaction.objects.filter(pk=touch.pk).exists()
    assert not FollowUp.objects.filter(workspace=search.workspace, purpose="thank_you", state="pending").exists()


def test_the_touch_list_shows_everything_logged(as_alice: Client, search: Search) -> None:
    page = text_of(as_alice.get(reverse("web:touches")))
    assert "Interview (we spoke)" in page
    assert "the data pipeline rewrite" in page


def test_name_suggestions_complete_the_last_name_typed(as_alice: Client, search: Search) -> None:
    page = text_of(as_alice.get(reverse("web:person_options"), {"people": "Dana Lee, sa"}))
    assert '<option value="Dana Lee, Sam Park">' in page
    assert "Dana Lee</option>" not in page
