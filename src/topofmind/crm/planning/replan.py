"""Keeping FollowUp rows in step with the engine's plan.

``replan`` runs after every write, inside the writer's transaction. It re-plans only the
people the write concerns - the people of a touch, an edited person, everyone an opening
or an employer concerns - from a snapshot of their corner of the workspace
(``topofmind.crm.planning.loader``), and upserts their FollowUp rows by key. Settings and
anything else that touches everyone re-plan the whole workspace, a slice of people at a time.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import connection

from topofmind import engine
from topofmind.crm.models import (
    FollowUp,
    Interaction,
    OpportunityParticipant,
    Person,
    Workspace,
    WorkspaceSettings,
)
from topofmind.crm.planning.loader import OPPS_AT, PEOPLE_AT, load_corner
from topofmind.crm.planning.snapshot import (
    COLUMNS,
    context_of,
    decode_stored_values,
    policy_of,
    row_values,
    settings_and_plan,
)
from topofmind.crm.sql import SLICE, fetch, fetch_in, marks, sliced
from topofmind.engine.types import (
    LIVE_STATES,
    OPEN_STAGES,
    PRECEDENCE,
    PlanSnap,
    Policy,
    Purpose,
    Role,
    Stage,
    State,
    Suggestion,
)

# Columns the planner owns (every stored suggestion column but the key, which names the row);
# the user's state and draft edits are never overwritten.
PLANNED_COLUMNS = [name for name in COLUMNS if name != "key"] + ["engine_fields"]
# How many people a whole-workspace re-plan takes at a time (bounds its memory).
SLICE_OF_PEOPLE = 2000


@dataclass(frozen=True)
class ReplanResult:
    created: int = 0
    updated: int = 0
    revived: int = 0
    cancelled: int = 0

    def __add__(self, other: ReplanResult) -> ReplanResult:
        return ReplanResult(
            created=self.created + other.created,
            updated=self.updated + other.updated,
            revived=self.revived + other.revived,
            cancelled=self.cancelled + other.cancelled,
        )


def replan(
    *,
    workspace: Workspace,
    now: datetime,
    person_ids: Iterable[int] | None = None,
    opportunity_ids: Iterable[int] = (),
    organization_ids: Iterable[int] = (),
    employer_ids: Iterable[int] = (),
) -> ReplanResult:
    """Bring the FollowUp rows of the people a write concerns in line with ``engine.plan``.

    What the write concerns (ids as they were *before* it, plus as they are after):

    * ``person_ids``: people whose own details or touches changed;
    * ``opportunity_ids``: openings whose details, parts or touches changed - everyone taking
      part in them or touched about them re-plans, and so do the employer-wide items there;
    * ``organization_ids``: employers whose details changed - everyone there re-plans;
    * ``employer_ids``: employers whose employer-wide items (R13 referral asks) may have
      changed, e.g. a person moved away from there.

    Nothing given means everything (settings, the plan): the whole workspace re-plans.
    New keys become pending rows; pending and snoozed rows take the planned fields; a
    cancelled row whose key is planned again is pending again (a deleted touch restored, a
    person who may be contacted again); live rows of the re-planned people whose key is no
    longer planned are cancelled. Done and skipped rows are the user's word and stay.
    """
    ws_settings, plan = settings_and_plan(workspace)
    policy = policy_of(ws_settings)
    everything = person_ids is None and not opportunity_ids and not organization_ids and not employer_ids
    people = (
        None
        if everything
        else _concerned(
            workspace.pk,
            policy,
            people=set(person_ids or ()),
            opportunities=set(opportunity_ids),
            organizations=set(organization_ids),
            employers=set(employer_ids),
        )
    )
    result = ReplanResult()
    if people is None:
        for part, planned, first in plan_everyone(workspace=workspace):
            # the first slice owns every prospect row: planned again, or cancelled
            result += _store(workspace, now, planned, people=part, prospects=first, whole=True)
        return result
    prospects = policy.enabled("R15")
    lock_people(workspace.pk, people)
    planned = plan_people(workspace=workspace, ws_settings=ws_settings, plan=plan, people=people, prospects=prospects)
    return _store(workspace, now, planned, people=people, prospects=prospects)


def plan_people(
    *,
    workspace: Workspace,
    ws_settings: WorkspaceSettings,
    plan: PlanSnap | None,
    people: Collection[int],
    prospects: bool,
) -> list[Suggestion]:
    """``engine.plan``'s suggestions for ``people`` (and every R15 prospect, if asked)."""
    corner = load_corner(
        workspace_id=workspace.pk,
        people=people,
        context=context_of(ws_settings),
        policy=policy_of(ws_settings),
        plan=plan,
        prospects=prospects,
    )
    return corner.planned_for(engine.plan(corner.snapshot))


def plan_everyone(
    *, workspace: Workspace, size: int = SLICE_OF_PEOPLE
) -> Iterator[tuple[set[int], list[Suggestion], bool]]:
    """The whole workspace's plan, a slice of people at a time: (people, suggestions, first?).

    The first slice also carries every R15 prospect (when the playbook has R15).
    """
    ws_settings, plan = settings_and_plan(workspace)
    prospects = policy_of(ws_settings).enabled("R15")
    ids = list(Person.objects.filter(workspace=workspace).order_by("id").values_list("id", flat=True))
    for start in range(0, max(len(ids), 1), size):
        part = set(ids[start : start + size])
        first = start == 0
        planned = plan_people(
            workspace=workspace, ws_settings=ws_settings, plan=plan, people=part, prospects=prospects and first
        )
        yield part, planned, first


_OPP_CLOSURE = """
SELECT 0, person_id FROM crm_opportunityparticipant WHERE opportunity_id IN ({ids})
UNION ALL SELECT 0, q.person_id FROM crm_interaction i JOIN crm_interactionparticipant q ON q.interaction_id = i.id
    WHERE i.opportunity_id IN ({ids})
UNION ALL SELECT 1, organization_id FROM crm_opportunity WHERE id IN ({ids})
"""
_WAS_ACCEPTED = """
SELECT id FROM crm_opportunity WHERE id IN ({ids}) AND stage = %s
UNION ALL SELECT opportunity_id FROM crm_stagechange WHERE opportunity_id IN ({ids}) AND (from_stage = %s OR to_stage = %s)
"""
_ASKERS = """
SELECT p.id FROM crm_person p JOIN crm_personrole r ON r.person_id = p.id
    WHERE p.workspace_id = %s AND p.organization_id IN ({ids}) AND r.role IN (%s, %s)
UNION SELECT p.id FROM crm_person p JOIN crm_opportunityparticipant r ON r.person_id = p.id
    WHERE p.workspace_id = %s AND p.organization_id IN ({ids}) AND r.role IN (%s, %s)
"""


def _concerned(
    workspace_id: int,
    policy: Policy,
    *,
    people: set[int],
    opportunities: set[int],
    organizations: set[int],
    employers: set[int],
) -> set[int] | None:
    """Everyone whose plan a write may have changed; None when that is everyone."""
    ws = workspace_id
    if organizations:
        people |= {row[0] for row in fetch_in(PEOPLE_AT, organizations, before=[ws])}
        opportunities |= {row[0] for row in fetch_in(OPPS_AT, organizations, before=[ws])}
        employers |= organizations
    if opportunities:
        if policy.accepted_ends_search:
            accepted = Stage.ACCEPTED.value
            for part in sliced(opportunities):
                sql = _WAS_ACCEPTED.format(ids=marks(part))
                if fetch(sql, [*part, accepted, *part, accepted, accepted]):
                    return None  # an accepted offer ends (or no longer ends) the whole search (R9)
        for part in sliced(opportunities):
            for kind, value in fetch(_OPP_CLOSURE.format(ids=marks(part)), [*part, *part, *part]):
                if value is not None:
                    (people if kind == 0 else employers).add(value)
    if policy.enabled("R13"):
        # R13 looks at the whole employer: who applied there, which openings are prospects
        employers |= {row[2] for row in fetch_in(_ORG_OF, people, before=[ws]) if row[2] is not None}
        askers = [Role.REFERRER.value, Role.PEER.value]
        for part in sliced(employers):
            sql = _ASKERS.format(ids=marks(part))
            people |= {row[0] for row in fetch(sql, [ws, *part, *askers, ws, *part, *askers])}
    return people


_AUDIENCE = """
SELECT p.person_id FROM crm_opportunityparticipant p JOIN crm_opportunity o ON o.id = p.opportunity_id
    WHERE o.workspace_id = %s AND o.stage IN ({stages}) AND p.role IN (%s, %s)
UNION SELECT p.person_id FROM crm_opportunityparticipant p JOIN crm_opportunity o ON o.id = p.opportunity_id
    JOIN crm_personrole r ON r.person_id = p.person_id
    WHERE o.workspace_id = %s AND o.stage IN ({stages}) AND r.role IN (%s, %s)
"""


def achievement_audience(workspace_id: int) -> set[int]:
    """R12: who hears about a new achievement - the hiring managers and recruiters of open
    openings. A service that adds, dates or removes an achievement re-plans them:
    ``replan(workspace=..., now=..., person_ids=achievement_audience(workspace.pk))``."""
    stages = [s.value for s in OPEN_STAGES]
    roles = [Role.HIRING_MANAGER.value, Role.RECRUITER.value]
    sql = _AUDIENCE.format(stages=marks(stages))
    return {row[0] for row in fetch(sql, [workspace_id, *stages, *roles, workspace_id, *stages, *roles])}


_ORG_OF = "SELECT id, workspace_id, organization_id FROM crm_person WHERE workspace_id = %s AND id IN ({ids})"


def opportunities_around(person_ids: Iterable[int]) -> set[int]:
    """Openings whose plans read these people: the ones they take part in or were touched about.

    A person who stops (or resumes) contact changes who is asked about those openings (R9).
    """
    ids = set(person_ids)
    found = set(OpportunityParticipant.objects.filter(person_id__in=ids).values_list("opportunity_id", flat=True))
    found |= set(
        Interaction.objects.filter(participants__person_id__in=ids, opportunity__isnull=False).values_list(
            "opportunity_id", flat=True
        )
    )
    return found


def _store(
    workspace: Workspace,
    now: datetime,
    planned_list: list[Suggestion],
    *,
    people: Collection[int],
    prospects: bool,
    whole: bool = False,
) -> ReplanResult:
    planned = {s.key: s for s in planned_list}
    rows = _stored_rows(workspace.pk, people=people, keys=list(planned), prospects=prospects, whole=whole)
    created: list[FollowUp] = []
    changed: list[tuple[int, dict[str, Any]]] = []
    revived = cancelled = 0
    live = [s.value for s in LIVE_STATES]
    for key, suggestion in planned.items():
        values = row_values(suggestion)
        row = rows.get(key)
        if row is None:
            created.append(
                FollowUp(
                    workspace=workspace,
                    state=State.PENDING.value,
                    state_at=now,
                    created_at=now,
                    updated_at=now,
                    **values,
                )
            )
            continue
        update: dict[str, Any] = {}
        if row["state"] == State.CANCELLED.value:
            update.update(state=State.PENDING.value, state_at=now, snoozed_until=None)
            revived += 1
        elif row["state"] not in live:
            continue  # done / skipped: the engine should not plan it; the user's word stands
        for name in PLANNED_COLUMNS:
            if row[name] != values[name]:
                update[name] = values[name]
        if update:
            update["updated_at"] = now
            changed.append((row["id"], update))
    for key, row in rows.items():
        if key in planned or row["state"] not in live:
            continue
        in_scope = prospects if row["purpose"] == Purpose.PROSPECT_OUTREACH.value else row["person_id"] in people
        if in_scope:
            changed.append((row["id"], {"state": State.CANCELLED.value, "state_at": now, "updated_at": now}))
            cancelled += 1
    # New rows get their ids in the order of the day, so the ids a user reads are in order too.
    created.sort(key=lambda r: (r.due_day, PRECEDENCE[Purpose(r.purpose)], planned[r.key].person_name or "", r.key))
    _insert(created)
    _update(changed)
    return ReplanResult(
        created=len(created), updated=len(changed) - revived - cancelled, revived=revived, cancelled=cancelled
    )


_STORED = "SELECT id, key, state, " + ", ".join(PLANNED_COLUMNS) + " FROM crm_followup WHERE workspace_id = %s AND "


def _stored_rows(
    workspace_id: int, *, people: Collection[int], keys: list[str], prospects: bool, whole: bool
) -> dict[str, dict[str, Any]]:
    """The rows a re-plan of ``people`` may touch: theirs, the planned keys, the prospects."""
    found: list[tuple[Any, ...]] = []
    if whole and people:  # a slice of the whole workspace: ids in one range
        found += fetch(_STORED + "person_id BETWEEN %s AND %s", [workspace_id, min(people), max(people)])
    else:
        found += fetch_in(_STORED + "person_id IN ({ids})", people, before=[workspace_id])
    for start in range(0, len(keys), SLICE):
        part = sorted(keys)[start : start + SLICE]
        found += fetch(_STORED + f"key IN ({marks(part)})", [workspace_id, *part])
    if prospects:
        found += fetch(_STORED + "purpose = %s", [workspace_id, Purpose.PROSPECT_OUTREACH.value])
    names = ["id", "key", "state", *PLANNED_COLUMNS]
    rows: dict[str, dict[str, Any]] = {}
    for values in found:
        row = dict(zip(names, values, strict=True))
        if row["purpose"] == Purpose.PROSPECT_OUTREACH.value and not prospects and row["key"] not in keys:
            continue
        decode_stored_values(row)
        rows[row["key"]] = row
    return rows


_LOCK_PEOPLE = "SELECT id FROM crm_person WHERE workspace_id = %s AND id IN ({ids}) ORDER BY id FOR NO KEY UPDATE"


def lock_people(workspace_id: int, people: Collection[int]) -> None:
    """Take the people a re-plan is about, in id order, before reading their corner.

    Two writers about the same people then wait for each other instead of deadlocking on
    their follow-up rows, and the second one plans from what the first one committed (at
    READ COMMITTED every statement after the wait sees it), so no touch is left out of the
    plan. ``NO KEY UPDATE`` does not wait for the key-share locks that inserting a touch's
    participants takes. SQLite has one writer at a time already (BEGIN IMMEDIATE).
    """
    if not connection.features.has_select_for_update:
        return
    fetch_in(_LOCK_PEOPLE, people, before=[workspace_id])


# The model fields an upsert sets on a row that a concurrent writer inserted first.
_UPSERT_FIELDS = [FollowUp._meta.get_field(name).name for name in PLANNED_COLUMNS] + ["updated_at"]


def _insert(created: list[FollowUp]) -> None:
    """New follow-ups, upserted by key: a row another writer just inserted takes the plan."""
    FollowUp.objects.bulk_create(
        created,
        batch_size=500,
        update_conflicts=True,
        unique_fields=["workspace", "key"],
        update_fields=_UPSERT_FIELDS,
    )


def _update(changed: list[tuple[int, dict[str, Any]]]) -> None:
    """A few rows: one UPDATE each; many: bulk updates grouped by the columns they change.

    Always in id order, so two writers updating the same rows take their locks in one order.
    """
    changed = sorted(changed, key=lambda item: item[0])
    if len(changed) <= 8:
        for pk, update in changed:
            FollowUp.objects.filter(pk=pk).update(**update)
        return
    groups: dict[tuple[str, ...], list[FollowUp]] = defaultdict(list)
    for pk, update in changed:
        names = tuple(sorted(update))
        groups[names].append(FollowUp(pk=pk, **update))
    for names, objs in groups.items():
        FollowUp.objects.bulk_update(objs, list(names), batch_size=300)
