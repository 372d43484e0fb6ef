"""Read-only questions the web app asks of the store. Nothing here writes.

Every function takes the workspace first and filters every query by it, so a row of
another workspace is never found: a missing or foreign id is ``NotFound`` all the same
(the web app turns that into a 404 that does not reveal whether the row exists).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    Max,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
)

from topofmind import engine
from topofmind.crm import snapshot
from topofmind.crm.errors import NotFound
from topofmind.crm.models import (
    FollowUp,
    Interaction,
    InteractionParticipant,
    Opportunity,
    OpportunityParticipant,
    Organization,
    Person,
    PersonRole,
    Plan,
    StageChange,
    Workspace,
    WorkspaceSettings,
)
from topofmind.engine.ghosted import WAITING_STAGES
from topofmind.engine.types import (
    EXPECTS_ANSWER,
    NOT_ANSWERS,
    OPEN_STAGES,
    Channel,
    Direction,
    InteractionSnap,
    Kind,
    OpportunitySnap,
    Policy,
    Role,
    Snapshot,
    Stage,
    State,
)
from topofmind.playbooks import PlaybookError, load_policy

PER_PAGE = 50
# The board shows these columns, left to right; the rest of the stages are "closed".
BOARD_STAGES: tuple[Stage, ...] = (
    Stage.PROSPECT,
    Stage.APPLIED,
    Stage.SCREENING,
    Stage.INTERVIEWING,
    Stage.OFFER,
    Stage.ACCEPTED,
    Stage.REJECTED,
    Stage.WITHDRAWN,
    Stage.ON_HOLD,
)
LIVE_STATES = (State.PENDING.value, State.SNOOZED.value)
_ASK_KINDS = [k.value for k in EXPECTS_ANSWER]
_NOT_ANSWER_KINDS = [k.value for k in NOT_ANSWERS] + [Kind.CONNECTION.value]


# --- the workspace --------------------------------------------------------------------


def workspace_for(user: AbstractBaseUser | AnonymousUser) -> Workspace | None:
    """The workspace a signed-in user works in: the one they own, else their first membership.

    Its settings and plan come along in the same query (every page needs the time zone).
    """
    if not user.is_authenticated:
        return None
    rows = Workspace.objects.select_related("settings", "plan").order_by("pk")
    owned = rows.filter(owner_id=user.pk).first()
    if owned is not None:
        return owned
    return rows.filter(memberships__user_id=user.pk).first()


def _loaded_settings(workspace: Workspace) -> WorkspaceSettings:
    try:
        return workspace.settings
    except WorkspaceSettings.DoesNotExist:
        return WorkspaceSettings(workspace=workspace)


def _loaded_plan(workspace: Workspace) -> Plan | None:
    try:
        return workspace.plan
    except Plan.DoesNotExist:
        return None


def timezone_of(workspace: Workspace) -> str:
    return _loaded_settings(workspace).timezone or "UTC"


def user_name_of(workspace: Workspace) -> str:
    """The name that signs the drafts ("" until the user gives it)."""
    return _loaded_settings(workspace).user_name


def policy_of(workspace: Workspace) -> Policy:
    """The workspace's playbook numbers (its overrides on top; a bad override falls back)."""
    ws_settings = snapshot.settings_of(workspace)
    try:
        return snapshot.policy_of(ws_settings)
    except PlaybookError:
        return load_policy(ws_settings.playbook or "jobseeker")


# --- people ---------------------------------------------------------------------------


@dataclass(frozen=True)
class PeopleFilter:
    search: str = ""
    role: str = ""
    organization_id: int | None = None
    losing_touch: bool = False
    waiting: bool = False

    @property
    def active(self) -> bool:
        return bool(self.search or self.role or self.organization_id or self.losing_touch or self.waiting)


def _touches_of_person() -> QuerySet[Interaction]:
    return Interaction.objects.filter(participants__person=OuterRef("pk"))


def annotated_people(workspace: Workspace) -> QuerySet[Person]:
    """People with ``last_touch``, ``last_ask``, ``last_answer`` and ``in_open_opportunity``."""
    touches = _touches_of_person().exclude(kind=Kind.CONNECTION.value)
    asks = _touches_of_person().filter(direction=Direction.OUT.value, kind__in=_ASK_KINDS)
    answers = (
        _touches_of_person()
        .filter(direction__in=[Direction.IN.value, Direction.BOTH.value])
        .exclude(kind__in=_NOT_ANSWER_KINDS)
    )
    open_parts = OpportunityParticipant.objects.filter(
        person=OuterRef("pk"), opportunity__stage__in=[s.value for s in OPEN_STAGES]
    )
    return (
        Person.objects.filter(workspace=workspace)
        .annotate(
            last_touch=Subquery(touches.order_by("-at").values("at")[:1]),
            last_ask=Subquery(asks.order_by("-at").values("at")[:1]),
            last_answer=Subquery(answers.order_by("-at").values("at")[:1]),
            in_open_opportunity=Exists(open_parts),
        )
        .annotate(waiting=ExpressionWrapper(_waiting_q(), output_field=BooleanField()))
    )


def _waiting_q() -> Q:
    return Q(last_ask__isnull=False) & (Q(last_answer__isnull=True) | Q(last_answer__lt=F("last_ask")))


def _losing_touch_q(workspace: Workspace, policy: Policy, now: datetime) -> Q:
    """Last touch longer ago than the person's cadence (R5): the clock any touch restarts.

    Needs the ``is_recruiter`` annotation (see ``people``); mirrors engine.rules.keep_warm:
    people in an open opening every keep_warm_open_days, recruiters every
    recruiter_update_days, everyone else at their own cadence or the network's.
    """

    def older(days: int) -> Q:
        return Q(last_touch__lt=now - timedelta(days=days))

    own_cadences = (
        Person.objects.filter(workspace=workspace, cadence_days__isnull=False)
        .order_by()
        .values_list("cadence_days", flat=True)
        .distinct()
    )
    per_cadence = Q(pk__in=[])
    for days in own_cadences:
        if days is not None:
            per_cadence |= Q(cadence_days=days) & older(days)
    rest = Q(in_open_opportunity=False)
    q = Q(in_open_opportunity=True) & older(policy.keep_warm_open_days)
    q |= rest & Q(is_recruiter=True) & older(policy.recruiter_update_days)
    q |= rest & Q(is_recruiter=False, cadence_days__isnull=False) & per_cadence
    q |= rest & Q(is_recruiter=False, cadence_days__isnull=True) & older(policy.keep_warm_network_days)
    return Q(last_touch__isnull=False, do_not_contact=False) & q


def people(
    workspace: Workspace, *, now: datetime, filters: PeopleFilter, page: int = 1, per_page: int = PER_PAGE
) -> Page[Person]:
    """One page of people, by name, each annotated (see ``annotated_people``) with roles and org."""
    qs = annotated_people(workspace).select_related("organization").prefetch_related("roles")
    if filters.search:
        term = filters.search.strip()
        qs = qs.filter(
            Q(name__icontains=term)
            | Q(title__icontains=term)
            | Q(organization__name__icontains=term)
            | Q(emails__address__icontains=term)
        ).distinct()
    if filters.role:
        qs = qs.filter(roles__role=filters.role)
    if filters.organization_id:
        qs = qs.filter(organization_id=filters.organization_id)
    if filters.waiting:
        qs = qs.filter(_waiting_q())
    if filters.losing_touch:
        recruiter = Exists(PersonRole.objects.filter(person=OuterRef("pk"), role=Role.RECRUITER.value))
        qs = qs.annotate(is_recruiter=recruiter).filter(_losing_touch_q(workspace, policy_of(workspace), now))
    qs = qs.order_by("name", "pk")
    return Paginator(qs, per_page).get_page(page)


def person_suggestions(workspace: Workspace, text: str, *, limit: int = 8) -> list[Person]:
    """Names for the "who" box: those starting with the text first, then those containing it."""
    term = text.strip()
    if not term:
        return []
    base = Person.objects.filter(workspace=workspace).select_related("organization")
    first = list(base.filter(name__istartswith=term).order_by("name")[:limit])
    if len(first) < limit:
        seen = [p.pk for p in first]
        first += list(base.filter(name__icontains=term).exclude(pk__in=seen).order_by("name")[: limit - len(first)])
    return first


def get_person(workspace: Workspace, person_id: int) -> Person:
    try:
        return (
            annotated_people(workspace)
            .select_related("organization")
            .prefetch_related("roles", "emails", "phones")
            .get(pk=person_id)
        )
    except Person.DoesNotExist:
        raise NotFound(f"no person with id {person_id}") from None


@dataclass
class Part:
    """One opening a person is part of, and their parts in it ("" = not known yet)."""

    opportunity: Opportunity
    roles: list[str]


def _parts_by_opening(workspace: Workspace, person: Person) -> list[Part]:
    out: dict[int, Part] = {}
    for row in (
        OpportunityParticipant.objects.filter(person=person, opportunity__workspace=workspace)
        .select_related("opportunity", "opportunity__organization")
        .order_by("opportunity__title", "opportunity_id", "role")
    ):
        entry = out.setdefault(row.opportunity_id, Part(opportunity=row.opportunity, roles=[]))
        if row.role:
            entry.roles.append(row.role)
    return list(out.values())


@dataclass
class PersonPage:
    person: Person
    timeline: list[Interaction]
    followups: list[FollowUp]
    parts: list[Part]
    waiting: bool
    losing_touch: bool
    cadence_days: int


def cadence_of(person: Person, policy: Policy, *, in_open: bool, roles: Iterable[str]) -> int:
    if in_open:
        return policy.keep_warm_open_days
    if Role.RECRUITER.value in set(roles):
        return policy.recruiter_update_days
    return person.cadence_days or policy.keep_warm_network_days


def person_page(workspace: Workspace, person_id: int, *, now: datetime) -> PersonPage:
    person = get_person(workspace, person_id)
    policy = policy_of(workspace)
    roles = [r.role for r in person.roles.all()]
    in_open = bool(getattr(person, "in_open_opportunity", False))
    cadence = cadence_of(person, policy, in_open=in_open, roles=roles)
    last_touch: datetime | None = getattr(person, "last_touch", None)
    last_ask: datetime | None = getattr(person, "last_ask", None)
    last_answer: datetime | None = getattr(person, "last_answer", None)
    return PersonPage(
        person=person,
        timeline=timeline(workspace, interactions_of_person(workspace, person.pk)),
        followups=list(live_followups(workspace).filter(person=person).order_by("due", "pk")),
        parts=_parts_by_opening(workspace, person),
        waiting=last_ask is not None and (last_answer is None or last_answer < last_ask),
        losing_touch=(
            last_touch is not None and not person.do_not_contact and last_touch < now - timedelta(days=cadence)
        ),
        cadence_days=cadence,
    )


# --- touches --------------------------------------------------------------------------


def interactions_of_person(workspace: Workspace, person_id: int) -> QuerySet[Interaction]:
    return Interaction.objects.filter(workspace=workspace, participants__person_id=person_id)


def timeline(workspace: Workspace, interactions: QuerySet[Interaction], *, limit: int = 500) -> list[Interaction]:
    """Touches newest first, with their people and opening loaded."""
    return list(
        interactions.filter(workspace=workspace)
        .select_related("opportunity", "opportunity__organization")
        .prefetch_related(
            Prefetch(
                "participants",
                queryset=InteractionParticipant.objects.select_related("person").order_by("person__name"),
            )
        )
        .order_by("-at", "-pk")
        .distinct()[:limit]
    )


def get_touch(workspace: Workspace, touch_id: int) -> Interaction:
    try:
        return (
            Interaction.objects.filter(workspace=workspace)
            .select_related("opportunity")
            .prefetch_related("participants__person")
            .get(pk=touch_id)
        )
    except Interaction.DoesNotExist:
        raise NotFound(f"no touch with id {touch_id}") from None


def recent_touches(workspace: Workspace, *, limit: int = 50) -> list[Interaction]:
    return timeline(workspace, Interaction.objects.filter(workspace=workspace), limit=limit)


# --- follow-ups -----------------------------------------------------------------------


def live_followups(workspace: Workspace) -> QuerySet[FollowUp]:
    return FollowUp.objects.filter(workspace=workspace, state__in=LIVE_STATES).select_related(
        "person", "organization", "opportunity"
    )


def get_followup(workspace: Workspace, followup_id: int) -> FollowUp:
    try:
        return FollowUp.objects.select_related("person", "organization", "opportunity").get(
            workspace=workspace, pk=followup_id
        )
    except FollowUp.DoesNotExist:
        raise NotFound(f"no follow-up with id {followup_id}") from None


# --- organizations --------------------------------------------------------------------


def organizations(workspace: Workspace, *, search: str = "", page: int = 1) -> Page[Organization]:
    qs = Organization.objects.filter(workspace=workspace)
    if search.strip():
        qs = qs.filter(Q(name__icontains=search.strip()) | Q(industry__icontains=search.strip()))
    qs = qs.annotate(
        people_count=Count("people", distinct=True),
        open_count=Count(
            "opportunities",
            filter=Q(opportunities__stage__in=[s.value for s in OPEN_STAGES]),
            distinct=True,
        ),
    ).order_by("priority", "name", "pk")
    return Paginator(qs, PER_PAGE).get_page(page)  # type: ignore[return-value]


def get_organization(workspace: Workspace, organization_id: int) -> Organization:
    try:
        return Organization.objects.get(workspace=workspace, pk=organization_id)
    except Organization.DoesNotExist:
        raise NotFound(f"no organization with id {organization_id}") from None


@dataclass
class OrganizationPage:
    organization: Organization
    people: list[Person]
    openings: list[Opportunity]
    mutual_connections: list[Person]
    followups: list[FollowUp]
    timeline: list[Interaction]


MUTUAL_ROLES = (Role.REFERRER.value, Role.PEER.value)


def organization_page(workspace: Workspace, organization_id: int) -> OrganizationPage:
    org = get_organization(workspace, organization_id)
    staff = list(annotated_people(workspace).filter(organization=org).prefetch_related("roles").order_by("name", "pk"))
    mutual = [p for p in staff if any(r.role in MUTUAL_ROLES for r in p.roles.all())]
    return OrganizationPage(
        organization=org,
        people=staff,
        openings=list(Opportunity.objects.filter(workspace=workspace, organization=org).order_by("stage", "title")),
        mutual_connections=mutual,
        followups=list(
            live_followups(workspace)
            .filter(Q(organization=org) | Q(person__organization=org) | Q(opportunity__organization=org))
            .order_by("due", "pk")
        ),
        timeline=timeline(
            workspace,
            Interaction.objects.filter(Q(participants__person__organization=org) | Q(opportunity__organization=org)),
            limit=100,
        ),
    )


# --- opportunities --------------------------------------------------------------------


def opportunities(workspace: Workspace, *, search: str = "", stage: str = "", page: int = 1) -> Page[Opportunity]:
    qs = Opportunity.objects.filter(workspace=workspace).select_related("organization")
    if search.strip():
        qs = qs.filter(Q(title__icontains=search.strip()) | Q(organization__name__icontains=search.strip()))
    if stage:
        qs = qs.filter(stage=stage)
    qs = qs.annotate(last_touch=Max("interactions__at")).order_by("organization__name", "title", "pk")
    return Paginator(qs, PER_PAGE).get_page(page)  # type: ignore[return-value]


def get_opportunity(workspace: Workspace, opportunity_id: int) -> Opportunity:
    try:
        return Opportunity.objects.select_related("organization").get(workspace=workspace, pk=opportunity_id)
    except Opportunity.DoesNotExist:
        raise NotFound(f"no opening with id {opportunity_id}") from None


@dataclass
class Participant:
    person: Person
    parts: list[str]


@dataclass
class OpportunityPage:
    opportunity: Opportunity
    participants: list[Participant]
    stage_history: list[StageChange]
    timeline: list[Interaction]
    next_steps: list[FollowUp]


def opportunity_page(workspace: Workspace, opportunity_id: int) -> OpportunityPage:
    opp = get_opportunity(workspace, opportunity_id)
    by_person: dict[int, Participant] = {}
    for part in (
        OpportunityParticipant.objects.filter(opportunity=opp)
        .select_related("person", "person__organization")
        .order_by("person__name", "role")
    ):
        entry = by_person.setdefault(part.person_id, Participant(person=part.person, parts=[]))
        if part.role:
            entry.parts.append(part.role)
    return OpportunityPage(
        opportunity=opp,
        participants=list(by_person.values()),
        stage_history=list(StageChange.objects.filter(opportunity=opp).order_by("at", "pk")),
        timeline=timeline(workspace, Interaction.objects.filter(opportunity=opp), limit=200),
        next_steps=list(live_followups(workspace).filter(opportunity=opp).order_by("due", "pk")),
    )


# --- the board ------------------------------------------------------------------------


@dataclass
class Card:
    opportunity: Opportunity
    ghosted: str = ""  # why it looks ghosted (R17), "" if not
    people: list[str] = field(default_factory=list)


@dataclass
class Column:
    stage: str
    label: str
    cards: list[Card]


def board(workspace: Workspace, *, ghosted: dict[int, str] | None = None) -> list[Column]:
    """Every opening in a column by stage; ``ghosted`` are the R17 flags (from the core)."""
    flags = ghosted or {}
    opps = list(
        Opportunity.objects.filter(workspace=workspace)
        .select_related("organization")
        .annotate(last_touch=Max("interactions__at"))
        .order_by("organization__name", "title", "pk")
    )
    names: dict[int, list[str]] = defaultdict(list)
    for opp_id, name in (
        OpportunityParticipant.objects.filter(opportunity__workspace=workspace)
        .order_by("person__name")
        .values_list("opportunity_id", "person__name")
        .distinct()
    ):
        if name not in names[opp_id]:
            names[opp_id].append(name)
    columns = {s.value: Column(stage=s.value, label=stage_label(s.value), cards=[]) for s in BOARD_STAGES}
    for opp in opps:
        columns.setdefault(opp.stage, Column(stage=opp.stage, label=stage_label(opp.stage), cards=[]))
        columns[opp.stage].cards.append(
            Card(opportunity=opp, ghosted=flags.get(opp.pk, ""), people=names.get(opp.pk, []))
        )
    return list(columns.values())


def stage_label(stage: str) -> str:
    return stage.replace("_", " ").capitalize()


# --- R17 ------------------------------------------------------------------------------


def ghosted_flags(
    workspace: Workspace, *, now: datetime, opportunity_ids: Sequence[int] | None = None
) -> dict[int, str]:
    """Opening id -> why it looks ghosted (engine.ghosted over just the openings and their touches)."""
    opps = Opportunity.objects.filter(workspace=workspace, stage__in=[s.value for s in WAITING_STAGES])
    if opportunity_ids is not None:
        opps = opps.filter(pk__in=list(opportunity_ids))
    opp_snaps = tuple(
        OpportunitySnap(id=pk, title=title, organization_id=org_id, organization_name=org_name, stage=Stage(stage))
        for pk, title, org_id, org_name, stage in opps.values_list(
            "pk", "title", "organization_id", "organization__name", "stage"
        )
    )
    if not opp_snaps:
        return {}
    touches = tuple(
        InteractionSnap(
            id=pk,
            at=at,
            kind=Kind(kind),
            direction=Direction(direction),
            channel=Channel(channel) if channel else None,
            person_ids=(),
            opportunity_id=opp_id,
        )
        for pk, at, kind, direction, channel, opp_id in Interaction.objects.filter(
            workspace=workspace, opportunity_id__in=[o.id for o in opp_snaps], at__lte=now
        )
        .order_by("at", "pk")
        .values_list("pk", "at", "kind", "direction", "channel", "opportunity_id")
    )
    ws_settings = snapshot.settings_of(workspace)
    snap = Snapshot(
        context=snapshot.context_of(ws_settings),
        policy=policy_of(workspace),
        opportunities=opp_snaps,
        interactions=touches,
    )
    return engine.ghosted(snap, now)


# --- what Today depends on --------------------------------------------------------------


def agenda_fingerprint(workspace: Workspace, *, at: datetime) -> str:
    """A short key that changes whenever the agenda at ``at`` may change. Reading only.

    The agenda reads the live follow-ups due by today, the settings and the plan. Every write
    that re-plans or acts on a follow-up stamps its rows' ``updated_at`` (a row leaving the
    live set changes their count); as time passes, an item changes the agenda when it becomes
    actionable, when its due moment passes (it shows as overdue) and when a missed deadline
    goes stale, so the key counts the rows past each of those instants at ``at``.
    """
    import hashlib

    ws_settings = _loaded_settings(workspace)
    zone = ZoneInfo(ws_settings.timezone or "UTC")
    local = at.astimezone(zone)
    try:
        stale_days = snapshot.policy_of(ws_settings).overdue_deadline_days
    except PlaybookError:
        stale_days = load_policy(ws_settings.playbook or "jobseeker").overdue_deadline_days
    moment = connection.ops.adapt_datetimefield_value(at)
    stale = connection.ops.adapt_datetimefield_value(at - timedelta(days=stale_days))
    # Plain SQL: this runs on every view of Today, and the ORM's own cost here is larger
    # than the query's (the index on workspace, state, due_day answers it).
    table = connection.ops.quote_name(FollowUp._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT COUNT(id), MAX(updated_at), MAX(id), "
            "SUM(CASE WHEN actionable_from <= %s THEN 1 ELSE 0 END), "
            "SUM(CASE WHEN due <= %s THEN 1 ELSE 0 END), "
            "SUM(CASE WHEN due < %s THEN 1 ELSE 0 END) "
            f"FROM {table} WHERE workspace_id = %s AND state IN (%s, %s) AND due_day <= %s",
            [moment, moment, stale, workspace.pk, *LIVE_STATES, local.date().isoformat()],
        )
        live = cursor.fetchone()
    row = _loaded_plan(workspace)
    plan = (row.targets, row.weeks, row.calls_per_day, row.start) if row is not None else None
    parts = (
        workspace.pk,
        ws_settings.timezone,
        ws_settings.country,
        ws_settings.playbook,
        ws_settings.daily_cap,
        sorted((ws_settings.overrides or {}).items()),
        ws_settings.user_name,
        plan,
        tuple(str(v) for v in live or ()),
        local.date().isoformat(),
    )
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:32]
