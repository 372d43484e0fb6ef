"""People, organizations, openings, the board, the weekly review and settings."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.apps import apps
from django.test import Client
from django.urls import reverse
from test_web_fixtures import WEB_NOW, Search, text_of

from topofmind.crm import queries, services
from topofmind.crm.models import Opportunity, Organization, Person, Plan, StageChange, WorkspaceSettings
from topofmind.engine.types import Kind, Role, Stage
from topofmind.web.views.settings import NUMBER_KEYS

HTMX = {"HTTP_HX_REQUEST": "true"}

pytest_plugins = ["test_web_fixtures"]


# -- people ------------------------------------------------------------------------------


def test_people_are_listed_and_searched(as_alice: Client, search: Search) -> None:
    page = text_of(as_alice.get("/people/"))
    assert "Dana Lee" in page
    assert "Sam Park" in page
    page = text_of(as_alice.get("/people/", {"q": "sam"}))
    assert "Sam Park" in page
    assert "Dana Lee" not in page
    page = text_of(as_alice.get("/people/", {"q": "dana@acme"}))
    assert "Dana Lee" in page


def test_people_filter_by_role_and_organization(as_alice: Client, search: Search) -> None:
    other = services.add_organization(workspace=search.workspace, name="Globex", now=WEB_NOW)
    services.add_person(workspace=search.workspace, name="Ola Berg", organization_id=other.pk, now=WEB_NOW)
    page = text_of(as_alice.get("/people/", {"role": "hiring_manager"}))
    assert "Dana Lee" in page
    assert "Sam Park" not in page
    page = text_of(as_alice.get("/people/", {"org": str(other.pk)}))
    assert "Ola Berg" in page
    assert "Dana Lee" not in page


def test_waiting_for_a_reply_lists_people_whose_ask_is_unanswered(as_alice: Client, search: Search) -> None:
    ola = services.add_person(workspace=search.workspace, name="Ola Berg", now=WEB_NOW)
    services.log_interaction(
        workspace=search.workspace,
        kind=Kind.APPLICATION,
        person_ids=[ola.pk],
        at=WEB_NOW - timedelta(days=3),
        now=WEB_NOW,
    )
    page = text_of(as_alice.get("/people/", {"waiting": "1"}))
    assert "Ola Berg" in page
    assert "Dana Lee" not in page  # the interview was a conversation: nothing is owed
    services.log_interaction(
        workspace=search.workspace, kind=Kind.REPLY, person_ids=[ola.pk], at=WEB_NOW - timedelta(hours=1), now=WEB_NOW
    )
    assert "Ola Berg" not in text_of(as_alice.get("/people/", {"waiting": "1"}))


def test_losing_touch_lists_people_past_their_cadence(as_alice: Client, search: Search) -> None:
    old = services.add_person(workspace=search.workspace, name="Old Friend", now=WEB_NOW - timedelta(days=90))
    services.log_interaction(
        workspace=search.workspace,
        kind=Kind.CALL,
        person_ids=[old.pk],
        at=WEB_NOW - timedelta(days=45),
        now=WEB_NOW - timedelta(days=45),
    )
    recent = services.add_person(workspace=search.workspace, name="Recent Friend", now=WEB_NOW)
    services.log_interaction(
        workspace=search.workspace, kind=Kind.CALL, person_ids=[recent.pk], at=WEB_NOW - timedelta(days=3), now=WEB_NOW
    )
    page = text_of(as_alice.get("/people/", {"losing": "1"}))
    assert "Old Friend" in page  # 45 days > the network's 30
    assert "Recent Friend" not in page
    assert "Dana Lee" not in page  # touched today
    services.edit_person(workspace=search.workspace, person_id=old.pk, cadence_days=60, now=WEB_NOW)
    assert "Old Friend" not in text_of(as_alice.get("/people/", {"losing": "1"}))


def test_a_person_can_be_added_with_a_new_organization(as_alice: Client, search: Search) -> None:
    response = as_alice.post(
        reverse("web:person_new"),
        {
            "name": "Ivy Chen",
            "organization": "Initech",
            "roles": ["recruiter"],
            "emails": "ivy@initech.test",
            "prefers": "linkedin",
        },
    )
    assert response.status_code == 302
    ivy = Person.objects.get(workspace=search.workspace, name="Ivy Chen")
    assert ivy.organization is not None
    assert ivy.organization.name == "Initech"
    assert list(ivy.roles.values_list("role", flat=True)) == ["recruiter"]
    assert "Also added the organization Initech" in text_of(as_alice.get(response["Location"]))


def test_a_bad_email_is_named_and_nothing_is_saved(as_alice: Client, search: Search) -> None:
    response = as_alice.post(
        reverse("web:person_new"), {"name": "Ivy Chen", "organization": "Initech", "emails": "not-an-address"}
    )
    assert response.status_code == 400
    assert "is not an e-mail address" in text_of(response)
    assert not Person.objects.filter(name="Ivy Chen").exists()
    assert not Organization.objects.filter(name="Initech").exists()  # all or nothing


def test_the_person_page_shows_details_timeline_and_pending_follow_ups(as_alice: Client, search: Search) -> None:
    page = text_of(as_alice.get(f"/people/{search.dana.pk}/"))
    assert "dana@acme.test" in page
    assert "Hiring manager" in page
    assert "Interview (we spoke)" in page  # the timeline
    assert "the data pipeline rewrite" in page
    assert "Pending follow-ups" in page
    assert "Thank-you" in page
    assert "Backend Engineer" in page


def test_a_person_can_be_edited(as_alice: Client, search: Search) -> None:
    form = text_of(as_alice.get(f"/people/{search.sam.pk}/edit/"))
    assert 'value="Sam Park"' in form
    response = as_alice.post(
        f"/people/{search.sam.pk}/edit/",
        {"name": "Sam Park", "organization": "Acme", "title": "Staff Engineer", "roles": ["interviewer", "peer"]},
    )
    assert response.status_code == 302
    search.sam.refresh_from_db()
    assert search.sam.title == "Staff Engineer"
    assert sorted(search.sam.roles.values_list("role", flat=True)) == ["interviewer", "peer"]


def test_stop_contact_cancels_their_follow_ups_and_resume_brings_them_back(as_alice: Client, search: Search) -> None:
    response = as_alice.post(f"/people/{search.sam.pk}/stop/", {"reason": "asked me not to"}, follow=True)
    page = text_of(response)
    assert "do not contact" in page
    assert "asked me not to" in page
    assert 'id="draft-' not in text_of(as_alice.get("/")).split("Sam Park")[0][-10:]
    today = text_of(as_alice.get("/"))
    assert "Sam Park" not in today
    as_alice.post(f"/people/{search.sam.pk}/resume/")
    search.sam.refresh_from_db()
    assert not search.sam.do_not_contact
    assert "Sam Park" in text_of(as_alice.get("/"))


# -- organizations -----------------------------------------------------------------------


def test_an_employer_can_be_added_and_its_page_shows_people_openings_and_mutual_connections(
    as_alice: Client, search: Search
) -> None:
    response = as_alice.post(
        reverse("web:organization_new"), {"name": "Globex", "website": "globex.test", "priority": "2", "target": "on"}
    )
    assert response.status_code == 302
    globex = Organization.objects.get(workspace=search.workspace, name="Globex")
    assert globex.website == "https://globex.test"
    assert globex.target
    services.add_person(
        workspace=search.workspace,
        name="Mia Friend",
        organization_id=search.acme.pk,
        roles=[Role.REFERRER],
        now=WEB_NOW,
    )
    page = text_of(as_alice.get(f"/organizations/{search.acme.pk}/"))
    assert "Mutual connections" in page
    mutual = page.split("Mutual connections")[1].split("People here")[0]
    assert "Mia Friend" in mutual
    assert "Dana Lee" not in mutual
    assert "Backend Engineer" in page
    assert "Sam Park" in page


def test_a_duplicate_employer_is_refused_in_words(as_alice: Client, search: Search) -> None:
    response = as_alice.post(reverse("web:organization_new"), {"name": "acme", "priority": "3"})
    assert response.status_code == 400
    assert "already an organization called" in text_of(response)


def test_organization_notes_can_be_edited(as_alice: Client, search: Search) -> None:
    as_alice.post(f"/organizations/{search.acme.pk}/edit/", {"name": "Acme", "priority": "1", "notes": "Met at PyCon"})
    assert "Met at PyCon" in text_of(as_alice.get(f"/organizations/{search.acme.pk}/"))
    assert "Acme" in text_of(as_alice.get("/organizations/", {"q": "ac"}))


# -- openings ----------------------------------------------------------------------------


def test_an_opening_can_be_added(as_alice: Client, search: Search) -> None:
    response = as_alice.post(
        reverse("web:opportunity_new"),
        {
            "title": "Data Engineer",
            "organization": str(search.acme.pk),
            "stage": "prospect",
            "decision_date": "2030-03-20",
        },
    )
    assert response.status_code == 302
    opp = Opportunity.objects.get(workspace=search.workspace, title="Data Engineer")
    assert opp.decision_date is not None
    assert opp.decision_date.isoformat() == "2030-03-20"


def test_the_opening_page_shows_parts_stage_history_timeline_and_next_steps(as_alice: Client, search: Search) -> None:
    page = text_of(as_alice.get(f"/openings/{search.opening.pk}/"))
    assert "Interviewer" in page
    assert "Dana Lee" in page
    assert "Sam Park" in page
    assert "Stage history" in page
    assert "Interviewing" in page
    assert "Next steps" in page
    assert "Thank-you" in page
    assert "the data pipeline rewrite" in page


def test_a_participant_can_be_added_with_their_part(as_alice: Client, search: Search) -> None:
    as_alice.post(f"/openings/{search.opening.pk}/people/", {"person": "Rae Hunt", "role": "recruiter"})
    rae = Person.objects.get(workspace=search.workspace, name="Rae Hunt")
    assert rae.organization_id == search.acme.pk
    assert search.opening.participants.filter(person=rae, role="recruiter").exists()


def test_the_stage_moves_and_is_recorded(as_alice: Client, search: Search) -> None:
    response = as_alice.post(f"/openings/{search.opening.pk}/stage/", {"stage": "offer"})
    assert response.status_code == 302
    search.opening.refresh_from_db()
    assert search.opening.stage == "offer"
    assert StageChange.objects.filter(opportunity=search.opening, to_stage="offer").exists()


# -- the board ---------------------------------------------------------------------------


def test_the_board_shows_openings_in_their_stage_columns_with_a_keyboard_control(
    as_alice: Client, search: Search
) -> None:
    page = text_of(as_alice.get("/board/"))
    column = page.split('data-stage="interviewing"')[1].split('data-stage="offer"')[0]
    assert "Backend Engineer" in column
    assert f'<label class="visually-hidden" for="stage-{search.opening.pk}">' in page
    assert 'draggable="true"' in page


def test_moving_a_card_with_htmx_returns_the_board_with_the_card_moved(as_alice: Client, search: Search) -> None:
    response = as_alice.post(f"/openings/{search.opening.pk}/stage/", {"stage": "rejected"}, **HTMX)
    page = text_of(response)
    assert "Moved Backend Engineer (Acme) to rejected" in page
    column = page.split('data-stage="rejected"')[1].split('data-stage="withdrawn"')[0]
    assert "Backend Engineer" in column
    assert "<html" not in page


def test_a_silent_opening_is_flagged_ghosted_on_the_board(as_alice: Client, search: Search) -> None:
    org = services.add_organization(workspace=search.workspace, name="Quiet Co", now=WEB_NOW)
    hm = services.add_person(workspace=search.workspace, name="Una Quiet", organization_id=org.pk, now=WEB_NOW)
    opp = services.add_opportunity(
        workspace=search.workspace, title="Silent Role", organization_id=org.pk, now=WEB_NOW - timedelta(days=80)
    )
    long_ago = datetime(2029, 12, 3, 9, 0, tzinfo=UTC)
    services.log_interaction(
        workspace=search.workspace,
        kind=Kind.APPLICATION,
        person_ids=[hm.pk],
        opportunity_id=opp.pk,
        at=long_ago,
        now=long_ago,
    )
    page = text_of(as_alice.get("/board/"))
    card = page.split(f'id="card-{opp.pk}"')[1].split("</li>")[0]
    assert "ghosted?" in card
    assert "ghosted?" not in page.split(f'id="card-{search.opening.pk}"')[1].split("</li>")[0]
    assert "Ghosted?" in text_of(as_alice.get(f"/openings/{opp.pk}/"))
    opp.refresh_from_db()
    assert opp.stage == Stage.APPLIED.value  # a flag, never closed automatically


# -- review and settings -----------------------------------------------------------------


def test_the_weekly_review_shows_its_numbers_and_svg_charts(as_alice: Client, search: Search) -> None:
    services.set_plan(workspace=search.workspace, targets=50, weeks=10, now=WEB_NOW - timedelta(days=1))
    page = text_of(as_alice.get("/review/"))
    assert page.count("<svg") >= 4
    assert 'role="img"' in page
    assert "touches done this week" in page
    assert "reply rate" in page
    assert "Stage funnel" in page
    assert "in a row with a touch" in page
    assert "new employers reached" in page


def test_settings_change_the_time_zone_country_cap_and_plan(as_alice: Client, search: Search) -> None:
    page = text_of(as_alice.get("/settings/"))
    assert "Your time zone" in page
    assert "Holidays of" in page
    assert "Most suggestions a day" in page
    response = as_alice.post(
        "/settings/",
        {
            "form": "general",
            "g-name": "Alice A.",
            "g-timezone": "Europe/Berlin",
            "g-country": "DE",
            "g-playbook": "jobseeker",
            "g-daily_cap": "8",
        },
    )
    assert response.status_code == 302
    ws = WorkspaceSettings.objects.get(workspace=search.workspace)
    assert (ws.timezone, ws.country, ws.daily_cap, ws.user_name) == ("Europe/Berlin", "DE", 8, "Alice A.")
    as_alice.post("/settings/", {"form": "plan", "p-targets": "50", "p-weeks": "10", "p-calls_per_day": "1"})
    plan = Plan.objects.get(workspace=search.workspace)
    assert (plan.targets, plan.weeks) == (50, 10)


def test_playbook_numbers_can_be_changed(as_alice: Client, search: Search) -> None:
    page = text_of(as_alice.get("/settings/"))
    assert "First nudge after (days)" in page
    assert "Playbook: 7." in page
    policy = queries.policy_of(search.workspace)
    data = {"form": "numbers"}
    for key in NUMBER_KEYS:  # the form as the page shows it: every number at its current value
        value = getattr(policy, key)
        if isinstance(value, bool):
            if value:
                data[f"n-{key}"] = "on"
        else:
            data[f"n-{key}"] = str(value)
    data["n-nudge1_days"] = "5"
    response = as_alice.post("/settings/", data)
    assert response.status_code == 302
    assert WorkspaceSettings.objects.get(workspace=search.workspace).overrides == {"nudge1_days": 5}


def test_a_bad_setting_is_named_and_nothing_changes(as_alice: Client, search: Search) -> None:
    response = as_alice.post("/settings/", {"form": "general", "g-timezone": "Mars/Olympus", "g-playbook": "jobseeker"})
    assert response.status_code == 400
    assert "Select a valid choice" in text_of(response)
    assert WorkspaceSettings.objects.get(workspace=search.workspace).timezone == "UTC"


# -- every page, and the promise that reading writes nothing -----------------------------


def _row_counts() -> dict[str, int]:
    return {m.__name__: m.objects.count() for m in apps.get_app_config("crm").get_models()}


def test_no_get_writes_anything(as_alice: Client, search: Search) -> None:
    from topofmind.crm.models import FollowUp, Interaction

    touch = Interaction.objects.filter(workspace=search.workspace).first()
    assert touch is not None
    before = _row_counts()
    stamps = list(FollowUp.objects.order_by("pk").values_list("pk", "updated_at", "state"))
    urls = [
        "/", "/people/", "/people/?losing=1&waiting=1", f"/people/{search.dana.pk}/", f"/people/{search.dana.pk}/edit/",
        "/people/new/", "/organizations/", f"/organizations/{search.acme.pk}/", f"/organizations/{search.acme.pk}/edit/",
        "/organizations/new/", "/openings/", f"/openings/{search.opening.pk}/", f"/openings/{search.opening.pk}/edit/",
        "/openings/new/", "/board/", "/review/", "/settings/", "/touches/", f"/touches/{touch.pk}/edit/", "/log/",
        "/people/options/?people=da",
    ]  # fmt: skip
    for url in urls:
        assert as_alice.get(url).status_code == 200, url
    assert _row_counts() == before
    assert list(FollowUp.objects.order_by("pk").values_list("pk", "updated_at", "state")) == stamps


@pytest.mark.parametrize("url", ["/people/999999/", "/organizations/999999/", "/openings/999999/", "/no/such/page/"])
def test_a_missing_page_says_so_in_words(as_alice: Client, url: str) -> None:
    response = as_alice.get(url)
    assert response.status_code == 404
    page = text_of(response)
    assert "Not found" in page
    assert "Traceback" not in page


def test_every_field_has_a_label(as_alice: Client, search: Search) -> None:
    import re

    for url in ["/log/", "/people/new/", "/organizations/new/", "/openings/new/", "/settings/", "/people/", "/board/"]:
        page = as_alice.get(url).content.decode()
        labelled = set(re.findall(r'<label[^>]*for="([^"]+)"', page))
        for tag in re.findall(r"<(?:input|select|textarea)\b[^>]*>", page):
            if re.search(r'type="(hidden|submit|button)"', tag):
                continue
            found = re.search(r'\bid="([^"]+)"', tag)
            assert found, f"{url}: {tag}"
            assert found.group(1) in labelled, f"{url}: {tag}"
