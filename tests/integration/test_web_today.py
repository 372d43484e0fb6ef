"""Today: the agenda with reasons and drafts; done / snooze / skip / mark sent in one click."""

from __future__ import annotations

from datetime import timedelta

import time_machine
from django.test import Client
from django.urls import reverse
from test_web_fixtures import WEB_NOW, Search, text_of

from topofmind.crm import services
from topofmind.crm.models import FollowUp, Interaction
from topofmind.engine.types import Kind, Purpose

HTMX = {"HTTP_HX_REQUEST": "true"}

pytest_plugins = ["test_web_fixtures"]


def thank_you(search: Search, person_name: str) -> FollowUp:
    return FollowUp.objects.get(workspace=search.workspace, purpose=Purpose.THANK_YOU.value, person__name=person_name)


def test_signed_out_visitors_are_sent_to_sign_in(client: Client) -> None:
    response = client.get("/", HTTP_HOST="127.0.0.1")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("web:login"))


def test_an_empty_workspace_says_what_to_do_first(as_alice: Client) -> None:
    page = text_of(as_alice.get("/"))
    assert "Start here" in page
    assert "Add an employer" in page
    assert "Add a person" in page
    assert "Log your last touch" in page


def test_both_interviewers_get_a_thank_you_with_its_reason_and_draft(as_alice: Client, search: Search) -> None:
    response = as_alice.get("/")
    assert response.status_code == 200
    page = text_of(response)
    assert page.count("Thank-you</span>") == 2
    assert "Dana Lee" in page
    assert "Sam Park" in page
    assert "R1" in page
    assert "the data pipeline rewrite" in page  # the draft recaps the key points
    dana = thank_you(search, "Dana Lee")
    assert f'id="body-{dana.pk}"' in page
    assert "Mark sent" in page
    assert "Copy" in page


def test_the_order_of_the_day_puts_thank_yous_first(as_alice: Client, search: Search) -> None:
    earlier = WEB_NOW - timedelta(hours=1)
    kim = services.add_person(workspace=search.workspace, name="Kim Ode", now=earlier)
    services.log_interaction(workspace=search.workspace, kind=Kind.REPLY, person_ids=[kim.pk], at=earlier, now=earlier)
    page = text_of(as_alice.get("/"))
    assert "Kim Ode" in page
    assert page.rindex("Thank-you</span>") < page.index("Reply owed")


def test_done_with_htmx_replaces_the_item_with_a_note_and_logs_the_touch(as_alice: Client, search: Search) -> None:
    row = thank_you(search, "Sam Park")
    response = as_alice.post(reverse("web:followup_done", args=[row.pk]), **HTMX)
    assert response.status_code == 200
    assert "Done" in text_of(response)
    assert "Sam Park" in text_of(response)
    assert "<html" not in response.content.decode()  # a fragment, not a page
    row.refresh_from_db()
    assert row.state == "done"
    assert Interaction.objects.filter(workspace=search.workspace, kind=Kind.THANK_YOU.value).count() == 1
    assert f'id="item-{row.pk}"' not in text_of(as_alice.get("/")).replace(f'id="item-{row.pk}" role', "")


def test_done_without_htmx_goes_back_to_today_with_a_message(as_alice: Client, search: Search) -> None:
    row = thank_you(search, "Sam Park")
    response = as_alice.post(reverse("web:followup_done", args=[row.pk]), follow=True)
    assert "is logged as a touch" in text_of(response)
    assert f'id="draft-{row.pk}"' not in text_of(response)


def test_skip_removes_the_item_for_good(as_alice: Client, search: Search, clock: time_machine.Coordinates) -> None:
    row = thank_you(search, "Sam Park")
    as_alice.post(reverse("web:followup_skip", args=[row.pk]), **HTMX)
    row.refresh_from_db()
    assert row.state == "skipped"
    clock.shift(timedelta(hours=3))
    assert f'id="draft-{row.pk}"' not in text_of(as_alice.get("/"))


def test_snooze_hides_the_item_until_tomorrow_morning(
    as_alice: Client, search: Search, clock: time_machine.Coordinates
) -> None:
    services.set_config(workspace=search.workspace, key="overdue_deadline_days", value="14", now=WEB_NOW)
    row = thank_you(search, "Sam Park")
    response = as_alice.post(reverse("web:followup_snooze", args=[row.pk]), {"days": "1"}, **HTMX)
    assert "comes back on Wednesday 6 March" in text_of(response)
    assert f'id="draft-{row.pk}"' not in text_of(as_alice.get("/"))
    clock.move_to(WEB_NOW + timedelta(days=1))
    assert f'id="draft-{row.pk}"' in text_of(as_alice.get("/"))


def test_snoozing_to_a_day_in_the_past_is_refused_in_words(as_alice: Client, search: Search) -> None:
    row = thank_you(search, "Sam Park")
    response = as_alice.post(reverse("web:followup_snooze", args=[row.pk]), {"until": "2030-03-01"}, **HTMX)
    assert "must be after today" in text_of(response)
    row.refresh_from_db()
    assert row.state == "pending"


def test_an_edited_draft_is_kept_and_shown(as_alice: Client, search: Search) -> None:
    row = thank_you(search, "Dana Lee")
    response = as_alice.post(
        reverse("web:followup_draft", args=[row.pk]),
        {"subject": "Thank you, Dana", "body": "Dear Dana, thanks for the talk about pipelines."},
        **HTMX,
    )
    assert "Draft saved" in text_of(response)
    page = text_of(as_alice.get("/"))
    assert "Dear Dana, thanks for the talk about pipelines." in page
    assert "(your wording)" in page


def test_mark_sent_logs_the_touch_with_what_was_sent_and_the_item_leaves(as_alice: Client, search: Search) -> None:
    row = thank_you(search, "Dana Lee")
    response = as_alice.post(
        reverse("web:followup_sent", args=[row.pk]),
        {"subject": "Thank you, Dana", "body": "Dear Dana, thank you."},
        **HTMX,
    )
    assert "Sent" in text_of(response)
    touch = Interaction.objects.get(workspace=search.workspace, kind=Kind.THANK_YOU.value)
    assert touch.summary == "Thank you, Dana"
    assert touch.notes == "Dear Dana, thank you."
    assert list(touch.participants.values_list("person__name", flat=True)) == ["Dana Lee"]
    page = text_of(as_alice.get("/"))
    assert f'id="draft-{row.pk}"' not in page
    assert f'id="draft-{thank_you(search, "Sam Park").pk}"' in page


def test_acting_twice_on_an_item_says_why_not_in_words(as_alice: Client, search: Search) -> None:
    row = thank_you(search, "Sam Park")
    as_alice.post(reverse("web:followup_done", args=[row.pk]), **HTMX)
    response = as_alice.post(reverse("web:followup_skip", args=[row.pk]), **HTMX)
    assert response.status_code == 200
    assert "is done and cannot be skipped" in text_of(response)


def test_times_on_today_are_in_the_users_time_zone(as_alice: Client, search: Search) -> None:
    services.set_config(workspace=search.workspace, key="timezone", value="America/New_York", now=WEB_NOW)
    page = text_of(as_alice.get("/"))
    # The thank-you is due 24 h after the 10:00 UTC interview: 05:00 in New York.
    assert "due by Wed 6 Mar 05:00" in page
    assert "America/New_York" in page
    # ...and the timeline shows the 10:00 UTC interview at 05:00 New York time
    assert "Tue 5 Mar, 05:00" in text_of(as_alice.get(f"/people/{search.dana.pk}/"))


def test_actions_refuse_get(as_alice: Client, search: Search) -> None:
    row = thank_you(search, "Sam Park")
    assert as_alice.get(reverse("web:followup_done", args=[row.pk])).status_code == 405
    row.refresh_from_db()
    assert row.state == "pending"


def test_today_served_from_the_cache_follows_every_change(as_alice: Client, search: Search) -> None:
    row = thank_you(search, "Sam Park")
    assert f'id="draft-{row.pk}"' in text_of(as_alice.get("/"))  # now cached
    as_alice.post(reverse("web:followup_draft", args=[row.pk]), {"subject": "Hi", "body": "Cached? No."}, **HTMX)
    assert "Cached? No." in text_of(as_alice.get("/"))
    as_alice.post(reverse("web:followup_done", args=[row.pk]), **HTMX)
    assert f'id="draft-{row.pk}"' not in text_of(as_alice.get("/"))


def test_forms_on_a_cached_today_carry_the_readers_own_csrf_token(alice_user: object, search: Search) -> None:
    import re

    first = Client(HTTP_HOST="127.0.0.1", enforce_csrf_checks=True)
    first.force_login(alice_user)  # type: ignore[arg-type]
    first.get("/")  # fills the cache
    second = Client(HTTP_HOST="127.0.0.1", enforce_csrf_checks=True)
    second.force_login(alice_user)  # type: ignore[arg-type]
    page = second.get("/").content.decode()
    row = thank_you(search, "Sam Park")
    form = page.split(f'action="/followups/{row.pk}/done/"')[1]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form)
    assert token is not None
    response = second.post(reverse("web:followup_done", args=[row.pk]), {"csrfmiddlewaretoken": token.group(1)})
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.state == "done"


def test_an_item_appears_on_a_cached_today_the_moment_it_becomes_actionable(
    as_alice: Client, search: Search, clock: time_machine.Coordinates
) -> None:
    later = WEB_NOW + timedelta(hours=2)  # an interview logged ahead of time, at 14:00 today
    kim = services.add_person(workspace=search.workspace, name="Kim Ode", now=WEB_NOW)
    services.log_interaction(
        workspace=search.workspace, kind=Kind.INTERVIEW, person_ids=[kim.pk], at=later, now=WEB_NOW
    )
    assert "Kim Ode" not in text_of(as_alice.get("/"))  # cached without her
    clock.move_to(later + timedelta(minutes=1))
    assert "Kim Ode" in text_of(as_alice.get("/"))


def test_a_listed_item_is_written_again_when_its_zone_or_its_moment_changes() -> None:
    # Today remembers each item's HTML; what it shows must still follow the viewer's zone and
    # the clock (the same item, four views).
    from datetime import UTC, datetime

    from django.utils import timezone

    from topofmind.crm.planning import AgendaItem
    from topofmind.drafting import Draft
    from topofmind.engine.types import Channel, Suggestion
    from topofmind.web.fragments import agenda_list_html

    due = datetime(2025, 3, 4, 23, 30, tzinfo=UTC)
    item = AgendaItem(
        followup_id=41,
        suggestion=Suggestion(
            key="R2:check_in:7", purpose=Purpose.CHECK_IN, rule="R2", person_id=7, person_name="Dana Lee",
            organization_id=None, organization_name=None, opportunity_id=None, opportunity_title=None,
            channel=Channel.EMAIL, due=due, due_day=due.date(), actionable_from=due, priority=5,
            why="It has been a while.",
        ),
        state="pending",
        draft=Draft(subject="Hello", body="Hi Dana,\nHow are you?"),
        draft_edited=False,
    )  # fmt: skip

    def shown(zone: str, now: datetime) -> str:
        with timezone.override(zone), time_machine.travel(now, tick=False):
            return agenda_list_html([item], csrf_token="slot", now=now)

    before = datetime(2025, 3, 4, 12, 0, tzinfo=UTC)
    assert "Due Tue 4 Mar, 23:30" in shown("UTC", before)
    assert "Due Wed 5 Mar, 08:30" in shown("Asia/Tokyo", before)
    assert "Overdue since Tue 4 Mar, 23:30" in shown("UTC", datetime(2025, 3, 5, 9, 0, tzinfo=UTC))
    assert "Overdue since Tue 4 Mar 2025, 23:30" in shown("UTC", datetime(2026, 1, 2, 9, 0, tzinfo=UTC))
