"""Finding people by name, and reading what a user typed."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime

import pytest

from topofmind.crm.errors import Ambiguous, Invalid, NotFound
from topofmind.crm.models import Opportunity, Organization, Person, Workspace
from topofmind.crm.queries.lookup import find_opportunity, find_organization, find_person
from topofmind.crm.validation import parse_choice, parse_date, parse_datetime, parse_timezone
from topofmind.engine.types import Channel, Kind, Role, Stage


def test_a_name_matches_whatever_the_case(alice: Workspace, make_person: Callable[..., Person]) -> None:
    dana = make_person("Dana Lee")
    assert find_person(workspace=alice, name="  dana LEE ") == dana


def test_a_misspelt_name_suggests_the_close_ones(alice: Workspace, make_person: Callable[..., Person]) -> None:
    make_person("Dana Lee")
    make_person("Sam Ito", emails=())
    with pytest.raises(NotFound) as caught:
        find_person(workspace=alice, name="Dana Le")
    assert caught.value.matches == ["Dana Lee"]
    assert caught.value.one_line() == 'error: no person called "Dana Le" (hint: did you mean "Dana Lee"?)'


def test_an_unknown_name_with_nothing_close_says_how_to_add_it(alice: Workspace) -> None:
    with pytest.raises(NotFound) as caught:
        find_organization(workspace=alice, name="Initech")
    assert caught.value.hint == 'add it with: topofmind org add "Initech"'


def test_an_ambiguous_name_lists_the_candidates_with_their_ids(
    alice: Workspace, make_org: Callable[..., Organization], make_person: Callable[..., Person]
) -> None:
    first = make_person("Alex Kim", org=make_org("Acme"))
    second = make_person("Alex Kim", org=make_org("Globex"))
    with pytest.raises(Ambiguous) as caught:
        find_person(workspace=alice, name="alex kim")
    assert caught.value.candidates == [f"#{first.pk} Alex Kim (Acme)", f"#{second.pk} Alex Kim (Globex)"]
    assert f'"#{first.pk}"' in caught.value.hint
    assert find_person(workspace=alice, name=f"#{second.pk}") == second


def test_an_ambiguous_title_names_the_employers(
    alice: Workspace, make_org: Callable[..., Organization], make_opp: Callable[..., Opportunity]
) -> None:
    make_opp("Data Engineer", org=make_org("Acme"))
    make_opp("Data Engineer", org=make_org("Globex"))
    with pytest.raises(Ambiguous, match=r"Data Engineer at Acme, #[0-9]+ Data Engineer at Globex"):
        find_opportunity(workspace=alice, title="Data Engineer")


def test_names_beyond_ascii_match_whatever_the_case(alice: Workspace, make_person: Callable[..., Person]) -> None:
    zoe = make_person("Zoë Ångström")
    assert find_person(workspace=alice, name="ZOË ÅNGSTRÖM") == zoe


def test_charlie_cannot_find_alices_people_by_name_or_id(
    alice: Workspace, charlie: Workspace, make_person: Callable[..., Person]
) -> None:
    dana = make_person("Dana Lee")
    with pytest.raises(NotFound) as caught:
        find_person(workspace=charlie, name="Dana Lee")
    assert caught.value.matches == []  # not even as a suggestion
    with pytest.raises(NotFound):
        find_person(workspace=charlie, name=f"#{dana.pk}")


@pytest.mark.parametrize("text", ["hiring-manager", "hiring_manager", "Hiring Manager", " HIRING  manager "])
def test_a_role_may_be_written_with_dashes_underscores_or_spaces(text: str) -> None:
    assert parse_choice(Role, text, field="--role") is Role.HIRING_MANAGER


@pytest.mark.parametrize(
    ("kind", "text", "value"),
    [
        (Channel, "in person", Channel.IN_PERSON),
        (Channel, "e-mail", Channel.EMAIL),
        (Stage, "on hold", Stage.ON_HOLD),
        (Kind, "thank-you", Kind.THANK_YOU),
        (Kind, "Intake Call", Kind.INTAKE_CALL),
    ],
)
def test_everyday_spellings_are_understood(kind: type, text: str, value: object) -> None:
    assert parse_choice(kind, text, field="x") is value


def test_an_unknown_choice_names_the_field_and_lists_the_choices() -> None:
    with pytest.raises(Invalid) as caught:
        parse_choice(Channel, "pigeon", field="--channel")
    assert caught.value.message == '--channel: "pigeon" is not a channel I know'
    assert "email, phone, voicemail, linkedin, text, video, in_person" in caught.value.hint


def test_a_moment_without_an_offset_is_in_the_users_zone() -> None:
    moment = parse_datetime("2030-03-05T10:00", field="--at", tz="America/New_York")
    assert moment == datetime(2030, 3, 5, 15, 0, tzinfo=UTC)


def test_a_moment_with_an_offset_keeps_it() -> None:
    assert parse_datetime("2030-03-05 10:00+01:00", field="--at", tz="America/New_York") == datetime(
        2030, 3, 5, 9, 0, tzinfo=UTC
    )


def test_a_date_alone_is_the_start_of_that_day_in_the_users_zone() -> None:
    assert parse_datetime("2030-03-05", field="--at", tz="Europe/Berlin") == datetime(2030, 3, 4, 23, 0, tzinfo=UTC)


def test_relative_days_count_from_now_in_the_users_zone() -> None:
    now = datetime(2030, 3, 4, 23, 30, tzinfo=UTC)  # already Tuesday in Berlin
    assert parse_datetime("yesterday 14:30", field="--at", tz="Europe/Berlin", now=now) == datetime(
        2030, 3, 4, 13, 30, tzinfo=UTC
    )
    assert parse_datetime("now", field="--at", tz="Europe/Berlin", now=now) == now


@pytest.mark.parametrize("text", ["2030-02-30", "next tuesday", "05/03/2030", ""])
def test_a_bad_moment_names_the_field(text: str) -> None:
    with pytest.raises(Invalid) as caught:
        parse_datetime(text, field="--until", tz="UTC")
    assert caught.value.field == "--until"
    assert "YYYY-MM-DD" in caught.value.hint


def test_a_bad_date_names_the_field() -> None:
    assert parse_date("2030-03-05", field="--start") == date(2030, 3, 5)
    with pytest.raises(Invalid, match="--start"):
        parse_date("March 5th", field="--start")


@pytest.mark.parametrize("text", ["Mars/Olympus", "", "../etc/passwd", "utc+2"])
def test_an_unknown_time_zone_is_refused(text: str) -> None:
    with pytest.raises(Invalid, match="time zone"):
        parse_timezone(text)
