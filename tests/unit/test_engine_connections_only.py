"""People whose only touch is a LinkedIn connection: which of them the rulebook can plan for.

An import brings thousands of them; the store skips re-planning those the engine says get
nothing (``engine.plans_nothing_on_a_connection``). These tests hold that promise against
``plan()`` itself, in the workspaces where a connection alone matters most: a target employer
with a prospect opening (R13, R15), an accepted offer (R9), on both playbooks.
"""

from __future__ import annotations

import itertools

import pytest
from engine_helpers import Workspace

from topofmind.engine import plans_nothing_on_a_connection
from topofmind.engine.types import Kind, Purpose, Role, Stage

ROLE_SETS = [frozenset(), *(frozenset([r]) for r in Role), frozenset([Role.CANDIDATE, Role.HIRING_MANAGER])]


def planned_people(ws: Workspace) -> set[int | None]:
    # R15's prospects name a contact but are the employer's, re-planned apart from people
    return {s.person_id for s in ws.plan() if s.purpose is not Purpose.PROSPECT_OUTREACH}


def workspace(playbook: str, *, accepted: bool, target: bool) -> tuple[Workspace, dict[frozenset[Role], list[int]]]:
    ws = Workspace(playbook=playbook)
    acme = ws.org("Acme", target=target, created="2026-02-02 10:00")
    globex = ws.org("Globex", created="2026-02-02 10:00")
    ws.opp("Staff Engineer", org=acme, stage=Stage.PROSPECT, created="2026-02-02")
    dana = ws.person("Dana Lee", org=globex, roles=[Role.HIRING_MANAGER])
    if accepted:
        offer = ws.opp("Platform Lead", org=globex, stage=Stage.INTERVIEWING, people={dana: [Role.HIRING_MANAGER]})
        ws.log(Kind.INTERVIEW, dana, at="2026-02-10 10:00", opp=offer)
        ws.move(offer, Stage.ACCEPTED, "2026-03-02 10:00")
    who: dict[frozenset[Role], list[int]] = {}
    for n, (roles, org) in enumerate(itertools.product(ROLE_SETS, (acme, globex, None))):
        p = ws.person(f"Person {n}", org=org, roles=roles, created="2026-02-03 09:00")
        ws.log(Kind.CONNECTION, p, at="2026-02-03 09:00", channel=None)
        who.setdefault(roles, []).append(p.id)
    return ws, who


@pytest.mark.parametrize("playbook", ["jobseeker", "recruiter"])
@pytest.mark.parametrize("accepted", [False, True])
@pytest.mark.parametrize("target", [False, True])
def test_a_connection_alone_plans_nothing_unless_a_rule_reads_the_role(
    playbook: str, accepted: bool, target: bool
) -> None:
    ws, who = workspace(playbook, accepted=accepted, target=target)
    planned = planned_people(ws)
    for roles, ids in who.items():
        if plans_nothing_on_a_connection(roles):
            assert not planned & set(ids), (roles, [s for s in ws.plan() if s.person_id in ids])


def test_the_roles_it_keeps_are_the_ones_that_get_something() -> None:
    # not a promise that holds by saying nothing: R13 asks referrers and peers, R9 thanks
    # recruiters and referrers who helped
    got: set[Role] = set()
    for accepted, target in itertools.product((False, True), repeat=2):
        ws, who = workspace("jobseeker", accepted=accepted, target=target)
        planned = planned_people(ws)
        got |= {r for roles, ids in who.items() if planned & set(ids) for r in roles}
    assert got == {Role.REFERRER, Role.PEER, Role.RECRUITER}
    assert not plans_nothing_on_a_connection([Role.PEER])
    assert plans_nothing_on_a_connection([Role.HIRING_MANAGER, Role.CANDIDATE])
