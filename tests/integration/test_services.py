"""The services on a real database: what a user notices after each write."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from topofmind.crm import queries, services
from topofmind.crm.errors import Conflict, Invalid, NotFound
from topofmind.crm.models import (
    FollowUp,
    Interaction,
    Opportunity,
    OpportunityParticipant,
    Organization,
    Person,
    StageChange,
    Workspace,
)
from topofmind.engine.types import Channel, Direction, Kind, Purpose, Role, Stage

TUESDAY_10AM = datetime.fromisoformat("2030-03-05T10:00:00+00:00")


def agenda_of(workspace: Workspace, at: datetime) -> list[tuple[str, str | None]]:
    return [
        (item.suggestion.purpose.value, item.suggestion.person_name)
        for item in queries.agenda(workspace=workspace, at=at)
    ]


def thank_you_row(person: Person) -> FollowUp:
    return FollowUp.objects.get(person=person, purpose=Purpose.THANK_YOU.value)


@pytest.fixture
def interviewed(
    alice: Workspace, make_org: Callable[..., Organization], make_person: Callable[..., Person], now: datetime
) -> Person:
    """Dana Lee of Acme interviewed Alice on Tuesday at 10:00 (UTC)."""
    dana = make_person("Dana Lee", org=make_org("Acme"), roles=(Role.HIRING_MANAGER,))
    services.log_interaction(
        workspace=alice,
        kind=Kind.INTERVIEW,
        person_ids=[dana.pk],
        at=TUESDAY_10AM,
        points="the data pipeline rewrite",
        now=now,
    )
    return dana


# -- organizations and people -------------------------------------------------------------


def test_an_organization_name_is_taken_once_whatever_the_case(
    alice: Workspace, make_org: Callable[..., Organization]
) -> None:
    make_org("Acme")
    with pytest.raises(Conflict, match='already an organization called "ACME"'):
        make_org("ACME")
    assert Organization.objects.filter(workspace=alice).count() == 1


def test_two_workspaces_may_each_have_an_acme(
    alice: Workspace, bob: Workspace, make_org: Callable[..., Organization]
) -> None:
    make_org("Acme")
    make_org("Acme", workspace=bob)
    assert Organization.objects.filter(name="Acme").count() == 2


def test_a_priority_outside_1_to_5_is_refused(make_org: Callable[..., Organization]) -> None:
    with pytest.raises(Invalid, match="priority"):
        make_org("Acme", priority=9)


def test_a_bad_email_address_writes_nothing(alice: Workspace, make_person: Callable[..., Person]) -> None:
    with pytest.raises(Invalid) as caught:
        make_person("Dana Lee", emails=("dana.at.acme",))
    assert caught.value.field == "email"
    assert not Person.objects.filter(workspace=alice).exists()


def test_phone_numbers_are_kept_as_given(make_person: Callable[..., Person]) -> None:
    dana = make_person("Dana Lee", phones=("+1 (555) 010-0199 ext. 7",))
    assert list(dana.phones.values_list("number", flat=True)) == ["+1 (555) 010-0199 ext. 7"]


def test_the_same_name_at_the_same_employer_is_one_person(
    make_org: Callable[..., Organization], make_person: Callable[..., Person]
) -> None:
    acme = make_org("Acme")
    make_person("Dana Lee", org=acme)
    with pytest.raises(Conflict, match="already in your contacts"):
        make_person("dana lee", org=acme)
    make_person("Dana Lee", org=make_org("Globex"))  # a namesake elsewhere is fine


def test_a_persons_time_zone_must_exist(make_person: Callable[..., Person]) -> None:
    with pytest.raises(Invalid, match="time zone"):
        make_person("Dana Lee", timezone="Mars/Olympus_Mons")


def test_editing_roles_and_emails_replaces_them(
    alice: Workspace, make_person: Callable[..., Person], now: datetime
) -> None:
    dana = make_person("Dana Lee", roles=(Role.RECRUITER,), emails=("old@acme.test",))
    services.edit_person(
        workspace=alice,
        person_id=dana.pk,
        roles=[Role.HIRING_MANAGER, Role.INTERVIEWER],
        emails=["dana@acme.test"],
        now=now,
    )
    assert sorted(dana.roles.values_list("role", flat=True)) == ["hiring_manager", "interviewer"]
    assert list(dana.emails.values_list("address", flat=True)) == ["dana@acme.test"]


# -- opportunities ------------------------------------------------------------------------


def test_an_opportunity_remembers_its_stage_history(
    alice: Workspace, make_org: Callable[..., Organization], make_opp: Callable[..., Opportunity], now: datetime
) -> None:
    opp = make_opp("Backend Engineer", org=make_org("Acme"), stage=Stage.APPLIED)
    later = now + timedelta(days=3)
    services.edit_opportunity(
        workspace=alice, opportunity_id=opp.pk, stage=Stage.INTERVIEWING, stage_at=later, now=later
    )
    history = [(c.from_stage, c.to_stage, c.at) for c in StageChange.objects.filter(opportunity=opp)]
    assert history == [("", "applied", now), ("applied", "interviewing", later)]
    opp.refresh_from_db()
    assert (opp.stage, opp.stage_changed_at) == ("interviewing", later)


def test_opportunity_participants_keep_their_parts(
    alice: Workspace,
    make_org: Callable[..., Organization],
    make_person: Callable[..., Person],
    make_opp: Callable[..., Opportunity],
) -> None:
    acme = make_org("Acme")
    dana = make_person("Dana Lee", org=acme)
    opp = make_opp(org=acme, participants=[(dana.pk, Role.HIRING_MANAGER), (dana.pk, Role.INTERVIEWER)])
    parts = set(OpportunityParticipant.objects.filter(opportunity=opp).values_list("person_id", "role"))
    assert parts == {(dana.pk, "hiring_manager"), (dana.pk, "interviewer")}


# -- logging touches ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "direction"),
    [(Kind.APPLICATION, Direction.OUT), (Kind.INTERVIEW, Direction.BOTH), (Kind.REPLY, Direction.IN)],
)
def test_a_touch_takes_the_direction_of_its_kind(
    alice: Workspace, make_person: Callable[..., Person], now: datetime, kind: Kind, direction: Direction
) -> None:
    dana = make_person()
    touch = services.log_interaction(workspace=alice, kind=kind, person_ids=[dana.pk], at=now, now=now)
    assert touch.direction == direction.value


def test_a_touch_needs_someone(alice: Workspace, now: datetime) -> None:
    with pytest.raises(Invalid, match="at least one person"):
        services.log_interaction(workspace=alice, kind=Kind.CALL, person_ids=[], at=now, now=now)


def test_logging_an_interview_makes_the_people_its_interviewers(
    alice: Workspace,
    make_org: Callable[..., Organization],
    make_person: Callable[..., Person],
    make_opp: Callable[..., Opportunity],
    now: datetime,
) -> None:
    acme = make_org("Acme")
    dana = make_person("Dana Lee", org=acme, roles=(Role.HIRING_MANAGER,))
    sam = make_person("Sam Ito", org=acme, emails=("sam@acme.test",))
    opp = make_opp(org=acme, stage=Stage.APPLIED)
    services.log_interaction(
        workspace=alice, kind=Kind.INTERVIEW, person_ids=[dana.pk, sam.pk], opportunity_id=opp.pk, at=now, now=now
    )
    parts = set(OpportunityParticipant.objects.filter(opportunity=opp).values_list("person__name", "role"))
    assert parts == {("Dana Lee", "hiring_manager"), ("Dana Lee", "interviewer"), ("Sam Ito", "interviewer")}
    opp.refresh_from_db()
    assert opp.stage == "interviewing"


def test_a_person_without_a_known_part_still_takes_part(
    alice: Workspace,
    make_org: Callable[..., Organization],
    make_person: Callable[..., Person],
    make_opp: Callable[..., Opportunity],
    now: datetime,
) -> None:
    acme = make_org("Acme")
    dana = make_person("Dana Lee", org=acme)
    opp = make_opp(org=acme)
    services.log_interaction(
        workspace=alice, kind=Kind.APPLICATION, person_ids=[dana.pk], opportunity_id=opp.pk, at=now, now=now
    )
    assert list(OpportunityParticipant.objects.filter(opportunity=opp).values_list("person_id", "role")) == [
        (dana.pk, "")
    ]
    opp.refresh_from_db()
    assert opp.stage == "applied"


@pytest.mark.parametrize(
    ("start", "kind", "end"),
    [
        (Stage.INTERVIEWING, Kind.REJECTION, Stage.REJECTED),
        (Stage.INTERVIEWING, Kind.OFFER, Stage.OFFER),
        (Stage.PROSPECT, Kind.APPLICATION, Stage.APPLIED),
        (Stage.INTERVIEWING, Kind.APPLICATION, Stage.INTERVIEWING),  # never backwards
        (Stage.WITHDRAWN, Kind.INTERVIEW, Stage.WITHDRAWN),  # a dropped opportunity stays dropped
    ],
)
def test_logging_with_an_opportunity_moves_it_along(
    alice: Workspace,
    make_org: Callable[..., Organization],
    make_person: Callable[..., Person],
    make_opp: Callable[..., Opportunity],
    now: datetime,
    start: Stage,
    kind: Kind,
    end: Stage,
) -> None:
    acme = make_org("Acme")
    dana = make_person("Dana Lee", org=acme)
    opp = make_opp(org=acme, stage=start)
    at = now + timedelta(days=1)
    services.log_interaction(workspace=alice, kind=kind, person_ids=[dana.pk], opportunity_id=opp.pk, at=at, now=at)
    opp.refresh_from_db()
    assert opp.stage == end.value
    if end != start:
        assert StageChange.objects.filter(opportunity=opp).last().at == at  # type: ignore[union-attr]


def test_a_person_of_another_workspace_cannot_be_logged_and_nothing_is_written(
    alice: Workspace, charlie: Workspace, make_person: Callable[..., Person], now: datetime
) -> None:
    alices_contact = make_person("Dana Lee")
    with pytest.raises(NotFound):
        services.log_interaction(workspace=charlie, kind=Kind.CALL, person_ids=[alices_contact.pk], at=now, now=now)
    assert not Interaction.objects.exists()


# -- the follow-ups that writes leave behind ----------------------------------------------


def test_an_interview_leaves_a_thank_you_owed(interviewed: Person, alice: Workspace) -> None:
    row = thank_you_row(interviewed)
    assert (row.state, row.rule, row.channel) == ("pending", "R1", "email")
    assert row.due == TUESDAY_10AM + timedelta(hours=24)
    assert ("thank_you", "Dana Lee") in agenda_of(alice, TUESDAY_10AM + timedelta(hours=2))


def test_done_logs_the_touch_it_stands_for(interviewed: Person, alice: Workspace, now: datetime) -> None:
    row = thank_you_row(interviewed)
    sent = TUESDAY_10AM + timedelta(hours=5)
    touch = services.done(workspace=alice, followup_id=row.pk, at=sent, now=sent)
    assert (touch.kind, touch.direction, touch.channel, touch.at) == ("thank_you", "out", "email", sent)
    assert list(touch.participants.values_list("person_id", flat=True)) == [interviewed.pk]
    row.refresh_from_db()
    assert (row.state, row.state_at) == ("done", sent)
    assert ("thank_you", "Dana Lee") not in agenda_of(alice, sent + timedelta(hours=1))


def test_done_twice_is_refused(interviewed: Person, alice: Workspace, now: datetime) -> None:
    row = thank_you_row(interviewed)
    services.done(workspace=alice, followup_id=row.pk, at=TUESDAY_10AM, now=TUESDAY_10AM)
    with pytest.raises(Conflict, match="is done"):
        services.done(workspace=alice, followup_id=row.pk, at=TUESDAY_10AM, now=TUESDAY_10AM)
    assert Interaction.objects.filter(kind="thank_you").count() == 1


def test_a_snoozed_follow_up_comes_back_when_the_snooze_ends(interviewed: Person, alice: Workspace) -> None:
    row = thank_you_row(interviewed)
    until = TUESDAY_10AM + timedelta(hours=6)
    services.snooze(workspace=alice, followup_id=row.pk, until=until, now=TUESDAY_10AM)
    assert ("thank_you", "Dana Lee") not in agenda_of(alice, until - timedelta(minutes=1))
    assert ("thank_you", "Dana Lee") in agenda_of(alice, until)


def test_a_skipped_follow_up_stays_skipped_after_later_writes(
    interviewed: Person, alice: Workspace, now: datetime
) -> None:
    row = thank_you_row(interviewed)
    services.skip(workspace=alice, followup_id=row.pk, now=TUESDAY_10AM)
    services.edit_person(workspace=alice, person_id=interviewed.pk, title="Head of Data", now=TUESDAY_10AM)
    row.refresh_from_db()
    assert row.state == "skipped"
    assert ("thank_you", "Dana Lee") not in agenda_of(alice, TUESDAY_10AM + timedelta(hours=1))


def test_stop_cancels_everything_for_them_and_resume_brings_it_back(interviewed: Person, alice: Workspace) -> None:
    services.stop_contact(
        workspace=alice, person_id=interviewed.pk, reason="asked me not to", at=TUESDAY_10AM, now=TUESDAY_10AM
    )
    assert not FollowUp.objects.filter(person=interviewed, state="pending").exists()
    assert agenda_of(alice, TUESDAY_10AM + timedelta(hours=1)) == []
    services.resume_contact(workspace=alice, person_id=interviewed.pk, now=TUESDAY_10AM)
    assert thank_you_row(interviewed).state == "pending"


def test_moving_a_touch_moves_its_follow_ups(interviewed: Person, alice: Workspace) -> None:
    touch = Interaction.objects.get(kind="interview")
    wednesday = TUESDAY_10AM + timedelta(days=1)
    services.edit_interaction(workspace=alice, interaction_id=touch.pk, at=wednesday, now=wednesday)
    assert thank_you_row(interviewed).due == wednesday + timedelta(hours=24)


def test_deleting_a_touch_cancels_what_it_caused(interviewed: Person, alice: Workspace) -> None:
    touch = Interaction.objects.get(kind="interview")
    services.delete_interaction(workspace=alice, interaction_id=touch.pk, now=TUESDAY_10AM)
    assert thank_you_row(interviewed).state == "cancelled"
    assert ("thank_you", "Dana Lee") not in agenda_of(alice, TUESDAY_10AM + timedelta(hours=1))


def test_the_agenda_writes_nothing(interviewed: Person, alice: Workspace) -> None:
    with CaptureQueriesContext(connection) as captured:
        queries.agenda(workspace=alice, at=TUESDAY_10AM + timedelta(hours=1))
    writes = [q["sql"] for q in captured if q["sql"].split()[0].upper() in ("INSERT", "UPDATE", "DELETE")]
    assert writes == []


def test_the_same_moment_gives_the_same_agenda_whatever_was_asked_before(interviewed: Person, alice: Workspace) -> None:
    moment = TUESDAY_10AM + timedelta(hours=3)
    first = agenda_of(alice, moment)
    for days in (-30, 5, 40, 0):
        queries.agenda(workspace=alice, at=moment + timedelta(days=days))
    assert agenda_of(alice, moment) == first


def test_charlie_sees_nothing_of_alices_search(interviewed: Person, charlie: Workspace) -> None:
    assert agenda_of(charlie, TUESDAY_10AM + timedelta(hours=1)) == []
    assert queries.list_people(workspace=charlie) == []
    assert queries.list_interactions(workspace=charlie) == []
    with pytest.raises(NotFound):
        services.done(workspace=charlie, followup_id=thank_you_row(interviewed).pk, at=TUESDAY_10AM, now=TUESDAY_10AM)


# -- settings and the plan ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "value", "field"),
    [
        ("timezone", "Mars/Olympus_Mons", "timezone"),
        ("country", "XX", "country"),
        ("playbook", "boss", "playbook"),
        ("daily_cap", "0", "daily_cap"),
        ("daily_cap", "lots", "daily_cap"),
        ("nudge1_days", "soon", "nudge1_days"),
        ("colour", "blue", "key"),
    ],
)
def test_a_bad_setting_is_refused_naming_it(alice: Workspace, now: datetime, key: str, value: str, field: str) -> None:
    with pytest.raises(Invalid) as caught:
        services.set_config(workspace=alice, key=key, value=value, now=now)
    assert caught.value.field == field
    assert queries.config_values(workspace=alice)["timezone"] == "UTC"


def test_settings_are_stored_and_default_puts_one_back(alice: Workspace, now: datetime) -> None:
    for key, value in [
        ("timezone", "Europe/Berlin"),
        ("country", "de"),
        ("playbook", "Recruiter"),
        ("daily-cap", "5"),
        ("nudge1_days", "5"),
        ("name", "Alice Moreau"),
    ]:
        services.set_config(workspace=alice, key=key, value=value, now=now)
    assert queries.config_values(workspace=alice) == {
        "timezone": "Europe/Berlin",
        "country": "DE",
        "playbook": "recruiter",
        "daily_cap": 5,
        "name": "Alice Moreau",
        "overrides": {"nudge1_days": 5},
    }
    services.set_config(workspace=alice, key="daily_cap", value="default", now=now)
    assert queries.config_values(workspace=alice)["daily_cap"] is None


def test_the_plan_starts_on_the_users_today(alice: Workspace) -> None:
    services.set_config(
        workspace=alice, key="timezone", value="Pacific/Auckland", now=datetime.fromisoformat("2030-03-04T00:00Z")
    )
    evening_utc = datetime.fromisoformat("2030-03-04T20:00:00+00:00")  # already Tuesday in Auckland
    plan = services.set_plan(workspace=alice, targets=50, weeks=10, now=evening_utc)
    assert (plan.targets, plan.weeks, plan.calls_per_day, plan.start) == (50, 10, 1, date(2030, 3, 5))


def test_a_plan_of_zero_weeks_is_refused(alice: Workspace, now: datetime) -> None:
    with pytest.raises(Invalid, match="weeks"):
        services.set_plan(workspace=alice, targets=50, weeks=0, now=now)


def test_the_default_workspace_is_made_once(db: None, now: datetime) -> None:
    first = services.get_or_create_default_workspace(now=now)
    assert services.get_or_create_default_workspace(now=now + timedelta(days=1)) == first
    assert Workspace.objects.count() == 1


def test_channel_preference_is_kept(make_person: Callable[..., Person]) -> None:
    dana = make_person("Dana Lee", prefers=Channel.LINKEDIN)
    assert dana.prefers == "linkedin"
