"""Accounts and workspaces at the service level: invitations, members, whose settings count."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.auth import get_user_model

from topofmind.crm import queries, services
from topofmind.crm.errors import Conflict, Invalid, NotFound
from topofmind.crm.models import Invitation, Membership, UserSettings, Workspace, WorkspaceSettings
from topofmind.crm.planning import Viewer
from topofmind.engine.types import Kind, Role

NOW = datetime(2030, 3, 5, 12, 0, tzinfo=UTC)  # a Tuesday
PASSWORD = "long enough password"


@pytest.fixture
def owner(db: None) -> int:
    return services.add_user(username="alice", password=PASSWORD)


@pytest.fixture
def desk(owner: int) -> Workspace:
    return services.create_workspace(name="Desk", owner_id=owner, now=NOW)


def test_an_invitation_is_stored_hashed_and_works_once(desk: Workspace) -> None:
    made = services.invite(workspace=desk, by_user_id=desk.owner_id, now=NOW)
    stored = Invitation.objects.get()
    assert made.token not in stored.token_hash
    services.accept_invitation(token=made.token, now=NOW, username="bob", password=PASSWORD)
    assert queries.role_in(desk, get_user_model().objects.get(username="bob").pk) == "member"
    with pytest.raises(NotFound):
        services.accept_invitation(token=made.token, now=NOW, username="eve", password=PASSWORD)
    assert not get_user_model().objects.filter(username="eve").exists()


def test_an_expired_invitation_is_refused_and_makes_no_account(desk: Workspace) -> None:
    made = services.invite(workspace=desk, by_user_id=desk.owner_id, now=NOW)
    with pytest.raises(NotFound):
        services.accept_invitation(
            token=made.token, now=NOW + timedelta(days=7, seconds=1), username="bob", password=PASSWORD
        )
    assert not get_user_model().objects.filter(username="bob").exists()


def test_a_short_password_names_the_field_and_leaves_the_link_unused(desk: Workspace) -> None:
    made = services.invite(workspace=desk, by_user_id=desk.owner_id, now=NOW)
    with pytest.raises(Invalid, match="password"):
        services.accept_invitation(token=made.token, now=NOW, username="bob", password="short")
    assert Invitation.objects.get().used_at is None


def test_the_owner_cannot_be_removed_and_a_removed_member_keeps_a_desk_of_their_own(desk: Workspace) -> None:
    bob = services.add_user(username="bob", password=PASSWORD)
    services.add_member(workspace=desk, user_id=bob, now=NOW)
    with pytest.raises(Conflict):
        services.remove_member(workspace=desk, user_id=desk.owner_id or 0, now=NOW)
    services.remove_member(workspace=desk, user_id=bob, now=NOW)
    assert not Membership.objects.filter(workspace=desk, user_id=bob).exists()
    assert [w.name for w in queries.workspaces_of(bob)] == ["My job search"]


def test_workspace_names_are_unique_per_owner_not_per_install(desk: Workspace) -> None:
    with pytest.raises(Conflict, match=r"(?i)desk"):
        services.create_workspace(name="desk", owner_id=desk.owner_id, now=NOW)
    other = services.add_user(username="ben", password=PASSWORD)
    services.create_workspace(name="Desk", owner_id=other, now=NOW)  # fine: another owner


def test_the_owners_zone_and_country_are_the_workspaces(desk: Workspace, owner: int) -> None:
    services.save_user_settings(user_id=owner, name="Alice A.", timezone="Asia/Tokyo", country="JP", now=NOW)
    ws = WorkspaceSettings.objects.get(workspace=desk)
    assert (ws.timezone, ws.country, ws.user_name) == ("Asia/Tokyo", "JP", "Alice A.")
    with pytest.raises(Invalid, match="timezone"):
        services.save_user_settings(user_id=owner, name="", timezone="Mars/Base", country="", now=NOW)
    assert UserSettings.objects.get(user_id=owner).timezone == "Asia/Tokyo"


def test_each_member_reads_the_agenda_in_their_own_day_and_signs_their_drafts(desk: Workspace) -> None:
    dana = services.add_person(workspace=desk, name="Dana Lee", roles=[Role.HIRING_MANAGER], now=NOW)
    # an application on Tuesday: the first nudge is due a week later, Tuesday 12 March
    services.log_interaction(workspace=desk, kind=Kind.APPLICATION, person_ids=[dana.pk], at=NOW, now=NOW)
    # Tuesday 12 March, 02:00 UTC: Tuesday in London, still Monday evening in Los Angeles
    moment = datetime(2030, 3, 12, 2, 0, tzinfo=UTC)
    london = Viewer(name="Bob", timezone="Europe/London", country="")
    los_angeles = Viewer(name="Lena", timezone="America/Los_Angeles", country="")
    assert not [i for i in queries.agenda(workspace=desk, at=moment, viewer=los_angeles) if i.suggestion.person_id]
    items = queries.agenda(workspace=desk, at=moment, viewer=london)
    assert [i.suggestion.purpose.value for i in items if i.suggestion.person_id] == ["nudge"]
    assert items[0].draft.body.rstrip().endswith("Bob")
