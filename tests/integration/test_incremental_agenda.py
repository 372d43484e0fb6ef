"""The stored plan read through indexes gives the agenda a replay of every history gives.

A synthetic workspace (the benchmark's generator: a thousand people, ten thousand touches,
a long overdue tail) is planned once; then at several moments and daily caps the agenda the
services read from FollowUp rows (``planning.agenda``, which reads only as many rows as the
day needs) must be the agenda ``engine.agenda`` computes from the whole snapshot.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from agenda_helpers import shown
from bench.generate import BENCH_NOW, build_workspace

from topofmind import engine
from topofmind.crm import planning, services
from topofmind.crm.models import FollowUp, Workspace
from topofmind.crm.planning.snapshot import build_snapshot, row_values
from topofmind.engine.types import LIVE_STATES

pytestmark = pytest.mark.django_db


def assert_same_agenda(workspace: Workspace, at: datetime) -> int:
    expected = engine.agenda(build_snapshot(workspace=workspace), at)
    got = [item.suggestion for item in planning.agenda(workspace=workspace, at=at)]
    assert [shown(s) for s in got] == [shown(s) for s in expected]
    return len(got)


@pytest.fixture(params=["recruiter", "jobseeker"])
def synthetic(request: pytest.FixtureRequest) -> Workspace:
    built = build_workspace(people=1000, touches=8000, seed=3, playbook=request.param, migrate=False)
    return Workspace.objects.get(pk=built.workspace_id)


def test_the_stored_plan_of_a_generated_workspace_is_the_engines_plan(synthetic: Workspace) -> None:
    planned = {s.key: row_values(s) for s in engine.plan(build_snapshot(workspace=synthetic))}
    stored = {
        row["key"]: row
        for row in FollowUp.objects.filter(workspace=synthetic, state__in=[s.value for s in LIVE_STATES]).values()
    }
    assert stored.keys() == planned.keys()
    for key, values in planned.items():
        assert {name: stored[key][name] for name in values if name != "key"} == {
            name: value for name, value in values.items() if name != "key"
        }, key


def test_the_agenda_read_from_stored_rows_is_the_agenda_from_scratch(synthetic: Workspace) -> None:
    # caps below, near and far above the owed items: the reader stops its streams early,
    # late, or reads them dry (and then the prospects)
    moments = (
        BENCH_NOW,
        BENCH_NOW - timedelta(days=3, hours=5),
        BENCH_NOW + timedelta(hours=9),
        BENCH_NOW + timedelta(days=4),  # a Sunday
        BENCH_NOW + timedelta(days=30),
        # back from a long break: every stream is full of overdue rows, every deadline stale
        BENCH_NOW + timedelta(days=183),
        BENCH_NOW + timedelta(days=640),
    )
    sizes = []
    for cap in ("default", "1", "12", "20", "60", "400"):
        if cap != "default":
            services.set_config(workspace=synthetic, key="daily_cap", value=cap, now=BENCH_NOW)
        sizes += [assert_same_agenda(synthetic, at) for at in moments]
    assert max(sizes) > 60


def test_todays_drafts_are_the_drafts_of_the_whole_person(synthetic: Workspace) -> None:
    # the agenda composes its drafts from the addressee's name and employer alone; with
    # everything known about them (roles, addresses, phones) the words are the same
    from topofmind.crm.planning.loader import PeopleLoader
    from topofmind.crm.planning.reader import compose_draft
    from topofmind.crm.planning.snapshot import policy_of, settings_and_plan

    items = planning.agenda(workspace=synthetic, at=BENCH_NOW + timedelta(days=2))
    loader = PeopleLoader(synthetic.pk)
    loader.add_people({i.suggestion.person_id for i in items if i.suggestion.person_id is not None})
    whole = {p.id: p for p in loader.person_snaps()}
    ws_settings, _ = settings_and_plan(synthetic)
    policy = policy_of(ws_settings)
    assert len(items) > 10
    for item in items:
        if item.draft_edited:
            continue
        person = whole.get(item.suggestion.person_id) if item.suggestion.person_id is not None else None
        assert item.draft == compose_draft(item.suggestion, person=person, ws_settings=ws_settings, policy=policy)
