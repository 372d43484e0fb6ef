"""Re-planning upserts FollowUp rows by key; the user's word (done, skip, snooze) holds.

The engine is replaced by a scripted planner here, so each test says exactly which
suggestions "the rulebook" wants and checks what the store makes of them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest

from topofmind.crm import planning, queries, services
from topofmind.crm.models import FollowUp, Person, Workspace
from topofmind.engine.types import Channel, Purpose, Snapshot, State, Suggestion, UserAction

MONDAY = datetime(2030, 3, 4, 9, 0, tzinfo=UTC)


class ScriptedPlanner:
    def __init__(self) -> None:
        self.suggestions: list[Suggestion] = []
        self.seen: list[Snapshot] = []

    def __call__(self, snapshot: Snapshot) -> list[Suggestion]:
        self.seen.append(snapshot)
        return list(self.suggestions)

    @property
    def last_actions(self) -> dict[str, UserAction]:
        return {a.key: a for a in self.seen[-1].actions}


@pytest.fixture
def planner(monkeypatch: pytest.MonkeyPatch) -> ScriptedPlanner:
    scripted = ScriptedPlanner()
    monkeypatch.setattr("topofmind.engine.plan", scripted)
    return scripted


@pytest.fixture
def dana(alice: Workspace, make_person: Callable[..., Person]) -> Person:
    return make_person("Dana Lee")


def nudge(person: Person, *, key: str = "R3:nudge:1", due_day: date = date(2030, 3, 11), why: str = "") -> Suggestion:
    start = datetime.combine(due_day, datetime.min.time(), tzinfo=UTC)
    return Suggestion(
        key=key,
        purpose=Purpose.NUDGE,
        rule="R3",
        person_id=person.pk,
        person_name=person.name,
        organization_id=None,
        organization_name=None,
        opportunity_id=None,
        opportunity_title=None,
        channel=Channel.EMAIL,
        due=start + timedelta(hours=9),
        due_day=due_day,
        actionable_from=start,
        priority=50,
        why=why or "no answer to your application of Mon 4 Mar",
        expects_answer=True,
        phone_known=True,
        org_priority=2,
        extra={"note": "first nudge"},
    )


def replan(workspace: Workspace, at: datetime = MONDAY) -> planning.ReplanResult:
    return planning.replan(workspace=workspace, now=at)


def test_a_new_key_becomes_a_pending_follow_up(planner: ScriptedPlanner, alice: Workspace, dana: Person) -> None:
    planner.suggestions = [nudge(dana)]
    result = replan(alice)
    row = FollowUp.objects.get(workspace=alice, key="R3:nudge:1")
    assert (row.state, row.person_id, row.purpose, row.due_day) == ("pending", dana.pk, "nudge", date(2030, 3, 11))
    assert result.created == 1


def test_a_stored_follow_up_reads_back_as_the_same_suggestion(
    planner: ScriptedPlanner, alice: Workspace, dana: Person
) -> None:
    planned = nudge(dana)
    planner.suggestions = [planned]
    replan(alice)
    items = queries.agenda(workspace=alice, at=datetime(2030, 3, 11, 12, tzinfo=UTC))
    assert [item.suggestion for item in items] == [planned]
    assert items[0].suggestion.extra == {"note": "first nudge"}
    assert (items[0].suggestion.phone_known, items[0].suggestion.org_priority) == (True, 2)


def test_a_pending_follow_up_takes_the_new_plan(planner: ScriptedPlanner, alice: Workspace, dana: Person) -> None:
    planner.suggestions = [nudge(dana)]
    replan(alice)
    planner.suggestions = [nudge(dana, due_day=date(2030, 3, 13), why="moved by a newer touch")]
    result = replan(alice, MONDAY + timedelta(hours=1))
    row = FollowUp.objects.get(key="R3:nudge:1")
    assert (row.due_day, row.why, row.state) == (date(2030, 3, 13), "moved by a newer touch", "pending")
    assert (result.created, result.updated) == (0, 1)


def test_an_unchanged_plan_touches_no_row(planner: ScriptedPlanner, alice: Workspace, dana: Person) -> None:
    planner.suggestions = [nudge(dana)]
    replan(alice)
    assert replan(alice, MONDAY + timedelta(hours=1)) == planning.ReplanResult()
    assert FollowUp.objects.get(key="R3:nudge:1").updated_at == MONDAY


def test_a_pending_follow_up_no_longer_planned_is_cancelled(
    planner: ScriptedPlanner, alice: Workspace, dana: Person
) -> None:
    planner.suggestions = [nudge(dana)]
    replan(alice)
    planner.suggestions = []
    later = MONDAY + timedelta(days=1)
    assert replan(alice, later).cancelled == 1
    row = FollowUp.objects.get(key="R3:nudge:1")
    assert (row.state, row.state_at) == ("cancelled", later)
    assert queries.agenda(workspace=alice, at=datetime(2030, 3, 12, tzinfo=UTC)) == []


def test_a_cancelled_follow_up_planned_again_is_pending_again(
    planner: ScriptedPlanner, alice: Workspace, dana: Person
) -> None:
    planner.suggestions = [nudge(dana)]
    replan(alice)
    planner.suggestions = []
    replan(alice)
    planner.suggestions = [nudge(dana)]
    assert replan(alice).revived == 1
    assert FollowUp.objects.get(key="R3:nudge:1").state == "pending"


def test_done_and_skipped_follow_ups_are_never_reopened_or_rewritten(
    planner: ScriptedPlanner, alice: Workspace, dana: Person
) -> None:
    planner.suggestions = [nudge(dana, key="a"), nudge(dana, key="b")]
    replan(alice)
    services.skip(workspace=alice, followup_id=FollowUp.objects.get(key="a").pk, now=MONDAY)
    services.done(workspace=alice, followup_id=FollowUp.objects.get(key="b").pk, at=MONDAY, now=MONDAY)
    # a planner that (wrongly) still proposes them, and one that drops them
    planner.suggestions = [nudge(dana, key="a", why="changed"), nudge(dana, key="b", why="changed")]
    replan(alice)
    planner.suggestions = []
    replan(alice)
    rows = {row.key: (row.state, row.why) for row in FollowUp.objects.filter(key__in=["a", "b"])}
    assert rows == {"a": ("skipped", nudge(dana).why), "b": ("done", nudge(dana).why)}


def test_the_engine_is_told_what_the_user_decided(planner: ScriptedPlanner, alice: Workspace, dana: Person) -> None:
    planner.suggestions = [nudge(dana, key="a"), nudge(dana, key="b"), nudge(dana, key="c")]
    replan(alice)
    until = MONDAY + timedelta(days=3)
    services.skip(workspace=alice, followup_id=FollowUp.objects.get(key="a").pk, now=MONDAY)
    services.snooze(workspace=alice, followup_id=FollowUp.objects.get(key="b").pk, until=until, now=MONDAY)
    actions = planner.last_actions
    assert actions["a"].state is State.SKIPPED
    assert (actions["b"].state, actions["b"].until) == (State.SNOOZED, until)
    assert "c" not in actions


def test_a_snoozed_follow_up_keeps_its_snooze_and_takes_the_plan(
    planner: ScriptedPlanner, alice: Workspace, dana: Person
) -> None:
    planner.suggestions = [nudge(dana)]
    replan(alice)
    row = FollowUp.objects.get(key="R3:nudge:1")
    until = datetime(2030, 3, 15, 9, tzinfo=UTC)
    # the engine moves a snoozed item to its `until`
    planner.suggestions = [replace(nudge(dana), due_day=date(2030, 3, 15), due=until, actionable_from=until)]
    services.snooze(workspace=alice, followup_id=row.pk, until=until, now=MONDAY)
    row.refresh_from_db()
    assert (row.state, row.snoozed_until, row.due_day) == ("snoozed", until, date(2030, 3, 15))
    assert queries.agenda(workspace=alice, at=datetime(2030, 3, 14, 12, tzinfo=UTC)) == []
    assert len(queries.agenda(workspace=alice, at=until)) == 1


def test_a_users_draft_survives_replanning(planner: ScriptedPlanner, alice: Workspace, dana: Person) -> None:
    planner.suggestions = [nudge(dana)]
    replan(alice)
    row = FollowUp.objects.get(key="R3:nudge:1")
    services.edit_draft(workspace=alice, followup_id=row.pk, subject="Quick question", body="Hi Dana, ...", now=MONDAY)
    planner.suggestions = [nudge(dana, why="re-planned")]
    replan(alice)
    [item] = queries.agenda(workspace=alice, at=datetime(2030, 3, 11, 12, tzinfo=UTC))
    assert (item.draft.subject, item.draft.body, item.draft_edited) == ("Quick question", "Hi Dana, ...", True)


def test_one_workspaces_plan_never_touches_anothers_rows(
    planner: ScriptedPlanner, alice: Workspace, charlie: Workspace, dana: Person
) -> None:
    planner.suggestions = [nudge(dana)]
    replan(alice)
    planner.suggestions = []
    replan(charlie)
    assert FollowUp.objects.get(key="R3:nudge:1").state == "pending"
