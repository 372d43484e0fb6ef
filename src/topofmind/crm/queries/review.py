"""The weekly review: touches done against the plan (R15), reply rate, stage funnel, streak.

Read-only, and a function of (workspace, now): the week is the user's local Monday to Sunday
that contains ``now``. A "touch done" is a message we sent or a conversation (an interview,
a call); answers and imports are not effort.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from topofmind.crm.models import (
    FollowUp,
    Interaction,
    InteractionParticipant,
    Opportunity,
    Organization,
    StageChange,
    Workspace,
)
from topofmind.crm.planning import snapshot
from topofmind.engine.agenda import quota_today
from topofmind.engine.calendar import BusinessCalendar
from topofmind.engine.types import EXPECTS_ANSWER, NOT_ANSWERS, Direction, Kind, Stage, State

FUNNEL: tuple[Stage, ...] = (
    Stage.PROSPECT,
    Stage.APPLIED,
    Stage.SCREENING,
    Stage.INTERVIEWING,
    Stage.OFFER,
    Stage.ACCEPTED,
)
TREND_WEEKS = 8
REPLY_WINDOW_WEEKS = 4
_EFFORT_DIRECTIONS = (Direction.OUT.value, Direction.BOTH.value)
_NOT_EFFORT = (Kind.CONNECTION.value,)


@dataclass(frozen=True)
class DayCount:
    day: date
    touches: int
    business_day: bool


@dataclass(frozen=True)
class WeekCount:
    week_start: date
    touches: int
    asks: int
    answered: int


@dataclass(frozen=True)
class FunnelStep:
    stage: str
    reached: int


@dataclass
class WeeklyReview:
    week_start: date
    week_end: date
    days: list[DayCount]
    touches_this_week: int
    new_employers_contacted: int
    new_employers_planned: int
    followups_done: int
    followups_due: int
    asks: int  # messages that expected an answer, sent in the reply window
    answered: int  # of those, how many got an answer (so far)
    reply_window_weeks: int
    funnel: list[FunnelStep]
    streak: int  # business days in a row with at least one touch done
    trend: list[WeekCount] = field(default_factory=list)
    has_plan: bool = False

    @property
    def reply_rate(self) -> float | None:
        return self.answered / self.asks if self.asks else None


def weekly_review(*, workspace: Workspace, now: datetime) -> WeeklyReview:
    ws_settings = snapshot.settings_of(workspace)
    context = snapshot.context_of(ws_settings)  # the zone and holidays the agenda counts by
    cal = BusinessCalendar(context.timezone, context.holidays)
    today = cal.local_day(now)
    week_start = today - timedelta(days=today.weekday())
    week_end = week_start + timedelta(days=6)
    trend_start = week_start - timedelta(weeks=TREND_WEEKS - 1)
    since = cal.start_of(trend_start)
    until = cal.start_of(week_end + timedelta(days=1))

    touches = list(
        Interaction.objects.filter(workspace=workspace, at__gte=since, at__lt=until, at__lte=now)
        .order_by("at", "pk")
        .values_list("pk", "at", "kind", "direction")
    )
    effort_days: dict[date, int] = defaultdict(int)
    ask_ids: list[int] = []
    ask_at: dict[int, datetime] = {}
    for pk, at, kind, direction in touches:
        if direction in _EFFORT_DIRECTIONS and kind not in _NOT_EFFORT:
            effort_days[cal.local_day(at)] += 1
        if direction == Direction.OUT.value and Kind(kind) in EXPECTS_ANSWER:
            ask_ids.append(pk)
            ask_at[pk] = at
    answered_ids = _answered(workspace, ask_ids, ask_at, now=now)

    days = [
        DayCount(day=d, touches=effort_days.get(d, 0), business_day=cal.is_business_day(d))
        for d in (week_start + timedelta(days=i) for i in range(7))
    ]
    trend = []
    for w in range(TREND_WEEKS):
        start = trend_start + timedelta(weeks=w)
        end = start + timedelta(days=7)
        week_asks = [pk for pk in ask_ids if start <= cal.local_day(ask_at[pk]) < end]
        trend.append(
            WeekCount(
                week_start=start,
                touches=sum(n for d, n in effort_days.items() if start <= d < end),
                asks=len(week_asks),
                answered=sum(1 for pk in week_asks if pk in answered_ids),
            )
        )
    window_start = week_start - timedelta(weeks=REPLY_WINDOW_WEEKS - 1)
    window_asks = [pk for pk in ask_ids if cal.local_day(ask_at[pk]) >= window_start]

    plan = snapshot.plan_of(workspace)
    planned = sum(quota_today(d.day, plan, cal) for d in days)
    week_from, week_to = cal.start_of(week_start), min(until, now)
    return WeeklyReview(
        week_start=week_start,
        week_end=week_end,
        days=days,
        touches_this_week=sum(d.touches for d in days),
        new_employers_contacted=_new_employers(workspace, week_from, week_to),
        new_employers_planned=planned,
        followups_done=FollowUp.objects.filter(
            workspace=workspace, state=State.DONE.value, state_at__gte=week_from, state_at__lt=until
        ).count(),
        followups_due=FollowUp.objects.filter(
            workspace=workspace,
            due_day__gte=week_start,
            due_day__lte=min(week_end, today),
            state__in=[State.DONE.value, State.PENDING.value, State.SNOOZED.value, State.SKIPPED.value],
        ).count(),
        asks=len(window_asks),
        answered=sum(1 for pk in window_asks if pk in answered_ids),
        reply_window_weeks=REPLY_WINDOW_WEEKS,
        funnel=stage_funnel(workspace),
        streak=streak(workspace, cal=cal, now=now),
        trend=trend,
        has_plan=plan is not None,
    )


def _answered(workspace: Workspace, ask_ids: list[int], ask_at: dict[int, datetime], *, now: datetime) -> set[int]:
    """Asks that someone they went to answered afterwards (they wrote, or we spoke)."""
    if not ask_ids:
        return set()
    recipients: dict[int, list[int]] = defaultdict(list)
    for interaction_id, person_id in InteractionParticipant.objects.filter(interaction_id__in=ask_ids).values_list(
        "interaction_id", "person_id"
    ):
        recipients[interaction_id].append(person_id)
    people = {pid for pids in recipients.values() for pid in pids}
    earliest = min(ask_at.values())
    answers: dict[int, list[datetime]] = defaultdict(list)
    for person_id, at in (
        InteractionParticipant.objects.filter(
            person_id__in=people,
            interaction__workspace=workspace,
            interaction__at__gt=earliest,
            interaction__at__lte=now,
            interaction__direction__in=[Direction.IN.value, Direction.BOTH.value],
        )
        .exclude(interaction__kind__in=[k.value for k in NOT_ANSWERS] + [Kind.CONNECTION.value])
        .order_by("interaction__at")
        .values_list("person_id", "interaction__at")
    ):
        answers[person_id].append(at)
    out = set()
    for pk in ask_ids:
        at = ask_at[pk]
        for person_id in recipients.get(pk, []):
            times = answers.get(person_id, [])
            if bisect_right(times, at) < len(times):
                out.add(pk)
                break
    return out


def _new_employers(workspace: Workspace, start: datetime, end: datetime) -> int:
    """Organizations whose first touch of ours (with someone there, or on one of its openings)
    falls in [start, end): new employers reached (R15)."""
    firsts: dict[int, datetime] = {}
    rows = Interaction.objects.filter(workspace=workspace, direction__in=_EFFORT_DIRECTIONS, at__lt=end).exclude(
        kind__in=_NOT_EFFORT
    )
    for org_id, at in rows.filter(participants__person__organization__isnull=False).values_list(
        "participants__person__organization_id", "at"
    ):
        if org_id not in firsts or at < firsts[org_id]:
            firsts[org_id] = at
    for org_id, at in rows.filter(opportunity__isnull=False).values_list("opportunity__organization_id", "at"):
        if org_id not in firsts or at < firsts[org_id]:
            firsts[org_id] = at
    valid = set(Organization.objects.filter(workspace=workspace, pk__in=list(firsts)).values_list("pk", flat=True))
    return sum(1 for org_id, at in firsts.items() if org_id in valid and at >= start)


def stage_funnel(workspace: Workspace) -> list[FunnelStep]:
    """How many openings ever reached each stage (a later stage implies the earlier ones)."""
    order = {s.value: i for i, s in enumerate(FUNNEL)}
    best: dict[int, int] = {}
    for pk, stage in Opportunity.objects.filter(workspace=workspace).values_list("pk", "stage"):
        best[pk] = order.get(stage, 0)
    for opp_id, stage in StageChange.objects.filter(opportunity__workspace=workspace).values_list(
        "opportunity_id", "to_stage"
    ):
        if stage in order:
            best[opp_id] = max(best.get(opp_id, 0), order[stage])
    return [
        FunnelStep(stage=s.value, reached=sum(1 for level in best.values() if level >= i)) for i, s in enumerate(FUNNEL)
    ]


def streak(workspace: Workspace, *, cal: BusinessCalendar, now: datetime, limit_days: int = 366) -> int:
    """Business days in a row, up to today, with at least one touch done; a today without one
    yet does not break it (the day is not over), and weekends and holidays are passed over."""
    today = cal.local_day(now)
    since = cal.start_of(today - timedelta(days=limit_days))
    active = {
        cal.local_day(at)
        for at in Interaction.objects.filter(
            workspace=workspace, at__gte=since, at__lte=now, direction__in=_EFFORT_DIRECTIONS
        )
        .exclude(kind__in=_NOT_EFFORT)
        .values_list("at", flat=True)
    }
    count = 0
    day = today
    if day not in active:
        day -= timedelta(days=1)
    for _ in range(limit_days):
        if cal.is_business_day(day):
            if day not in active:
                break
            count += 1
        day -= timedelta(days=1)
    return count
