"""From a snapshot to candidates (plan) and from candidates to the agenda of a moment (select)."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

from .calendar import BusinessCalendar
from .rules import PersonWorld, call_slot, candidates_for
from .types import (
    DEADLINE_PURPOSES,
    DROPPED_STATES,
    EXEMPT_PURPOSES,
    OPEN_STAGES,
    PRECEDENCE,
    Channel,
    Context,
    InteractionSnap,
    Kind,
    OpportunitySnap,
    PersonSnap,
    PlanSnap,
    Policy,
    Purpose,
    Role,
    Snapshot,
    Stage,
    State,
    Suggestion,
    UserAction,
)

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)

# The order of the day: thank-yous; replies and other owed answers; asks that are due;
# keeping warm; then new prospects.
BUCKET: dict[Purpose, int] = {
    Purpose.THANK_YOU: 0,
    Purpose.REPLY: 1,
    Purpose.INTAKE_FOLLOW_UP: 2,
    Purpose.FEEDBACK_REQUEST: 2,
    Purpose.STATUS_INQUIRY: 3,
    Purpose.NUDGE: 3,
    Purpose.CHECK_IN: 3,
    Purpose.REFERRAL_ASK: 3,
    Purpose.VALUE_SHARE: 4,
    Purpose.ACHIEVEMENT_UPDATE: 4,
    Purpose.RECRUITER_UPDATE: 4,
    Purpose.CANDIDATE_UPDATE: 4,
    Purpose.KEEP_WARM: 4,
    Purpose.LINKEDIN_CONNECT: 4,
    Purpose.PROSPECT_OUTREACH: 5,
}


def plan(snapshot: Snapshot) -> list[Suggestion]:
    """Every live candidate follow-up in the snapshot, independent of the moment asked."""
    cal = BusinessCalendar(snapshot.context.timezone, snapshot.context.holidays)
    actions = {a.key: a for a in snapshot.actions}
    orgs = {o.id: o for o in snapshot.organizations}
    touches = sorted(snapshot.interactions, key=lambda i: (i.at, i.id))
    opportunities = sorted(_effective_stages(snapshot.opportunities, touches, snapshot.policy), key=lambda o: o.id)
    opps = {o.id: o for o in opportunities}
    history: dict[int, list[InteractionSnap]] = defaultdict(list)
    opp_history: dict[int, list[InteractionSnap]] = defaultdict(list)
    applied_orgs: set[int] = set()
    person_org = {p.id: p.organization_id for p in snapshot.people}
    for i in touches:
        for pid in i.person_ids:
            history[pid].append(i)
        if i.opportunity_id is not None:
            opp_history[i.opportunity_id].append(i)
        if i.kind is Kind.APPLICATION:
            if i.opportunity_id is not None and i.opportunity_id in opps:
                applied_orgs.add(opps[i.opportunity_id].organization_id)
            for pid in i.person_ids:
                org_id = person_org.get(pid)
                if org_id is not None:
                    applied_orgs.add(org_id)
    for o in opportunities:
        if o.stage not in (Stage.PROSPECT,):
            applied_orgs.add(o.organization_id)
    by_person: dict[int, list[OpportunitySnap]] = defaultdict(list)
    for o in opportunities:
        for pid, _ in o.participants:
            by_person[pid].append(o)
    accepted = _accepted(opportunities, opp_history) if snapshot.policy.accepted_ends_search else None
    unreachable = frozenset(p.id for p in snapshot.people if p.do_not_contact)
    shared: dict[int, set[int]] = defaultdict(set)
    for person_id, achievement_id in snapshot.achievements_shared:
        shared[person_id].add(achievement_id)
    out: list[Suggestion] = []
    for person in snapshot.people:
        world = PersonWorld(
            person=person,
            history=history.get(person.id, []),
            organization=orgs.get(person.organization_id) if person.organization_id is not None else None,
            opportunities=opps,
            my_opportunities=sorted(by_person.get(person.id, []), key=lambda o: o.id),
            opportunity_history=opp_history,
            org_has_application=person.organization_id in applied_orgs,
            accepted=accepted,
            connected=person.id in snapshot.linkedin_connected,
            actions=actions,
            policy=snapshot.policy,
            cal=cal,
            unreachable=unreachable,
            achievements=snapshot.achievements,
            achievements_shared=frozenset(shared.get(person.id, ())),
        )
        out.extend(candidates_for(world))
    if snapshot.policy.enabled("R15") and accepted is None:
        out.extend(prospects(snapshot, cal, history, actions))
    return out


def _effective_stages(
    opportunities: Iterable[OpportunitySnap], touches: Sequence[InteractionSnap], policy: Policy
) -> list[OpportunitySnap]:
    """R9: an open opening with a rejection logged on it since its last stage change is rejected."""
    out = list(opportunities)
    if not policy.rejection_closes_opening:
        return out
    rejected_at: dict[int, datetime] = {}
    for i in touches:
        if i.kind is Kind.REJECTION and i.opportunity_id is not None:
            rejected_at[i.opportunity_id] = i.at
    for n, o in enumerate(out):
        at = rejected_at.get(o.id)
        if at is None or o.stage not in OPEN_STAGES:
            continue
        if o.stage_changed_at is None or at >= o.stage_changed_at:
            out[n] = replace(o, stage=Stage.REJECTED, stage_changed_at=at)
    return out


def _accepted(
    opportunities: Iterable[OpportunitySnap], opp_history: dict[int, list[InteractionSnap]]
) -> OpportunitySnap | None:
    """R9: the accepted offer that ends the search (the latest one), with the moment it happened.

    An opening marked accepted without a stage-change time takes the moment of its last touch.
    """
    done = [o for o in opportunities if o.stage is Stage.ACCEPTED]
    if not done:
        return None
    acc = max(done, key=lambda o: (o.stage_changed_at is not None, o.stage_changed_at or EPOCH, o.id))
    if acc.stage_changed_at is None and opp_history.get(acc.id):
        acc = replace(acc, stage_changed_at=opp_history[acc.id][-1].at)
    return acc


def prospects(
    snapshot: Snapshot,
    cal: BusinessCalendar,
    history: dict[int, list[InteractionSnap]],
    actions: dict[str, UserAction],
) -> list[Suggestion]:
    """R15: a target employer not yet contacted is a prospect; select() meters them by the quota."""
    people_at: dict[int, list[PersonSnap]] = defaultdict(list)
    for p in snapshot.people:
        if p.organization_id is not None:
            people_at[p.organization_id].append(p)
    moved = {o.organization_id for o in snapshot.opportunities if o.stage is not Stage.PROSPECT}
    start = snapshot.plan.start if snapshot.plan and snapshot.plan.start else None
    # The quota is per day: prospects done on a day use it up (select subtracts them that day).
    done_on: dict[date, int] = defaultdict(int)
    for a in actions.values():
        if a.key.startswith("R15:prospect_outreach:") and a.state is State.DONE:
            done_on[cal.local_day(a.at)] += 1
    used = ""
    if done_on:
        last_day = max(done_on)
        used = f"{last_day.isoformat()}:{done_on[last_day]}"
    out: list[Suggestion] = []
    for org in snapshot.organizations:
        if not org.target or org.id in moved:
            continue
        staff = people_at.get(org.id, [])
        if any(i.kind is not Kind.CONNECTION for p in staff for i in history.get(p.id, [])):
            continue  # already in touch with someone there
        contact = _prospect_contact(staff)
        created = cal.local_day(org.created_at) if org.created_at else date(1970, 1, 5)
        day = cal.roll_forward(max(created, start) if start else created)
        key = f"R15:prospect_outreach:org{org.id}"
        action = actions.get(key)
        if action is not None and action.state in DROPPED_STATES:
            continue
        actionable_from = cal.start_of(day)
        if action is not None and action.state is State.SNOOZED and action.until is not None:
            day = max(day, cal.local_day(action.until))
            actionable_from = max(actionable_from, action.until)
        channel = Channel.EMAIL
        by_person = False
        if contact is not None:
            if contact.prefers is not None:
                channel, by_person = contact.prefers, True
            elif not contact.emails and contact.linkedin_url:
                channel = Channel.LINKEDIN
        who = f" — {contact.name} is your way in" if contact else ""
        due = cal.at(day, snapshot.policy.business_hours_start)
        extra = {"quota_used": used} if used else {}
        if contact is not None and contact.phones:
            begin, end, text = call_slot(actionable_from, day, contact.timezone, cal, snapshot.policy)
            extra |= {"call_window": text, "call_at": max(begin, actionable_from).isoformat()}
            if channel is Channel.PHONE:
                due = max(begin, actionable_from) if not begin <= due < end else due
        out.append(
            Suggestion(
                key=key,
                purpose=Purpose.PROSPECT_OUTREACH,
                rule="R15",
                person_id=contact.id if contact else None,
                person_name=contact.name if contact else None,
                organization_id=org.id,
                organization_name=org.name,
                opportunity_id=None,
                opportunity_title=None,
                channel=channel,
                due=due,
                due_day=day,
                actionable_from=actionable_from,
                priority=PRECEDENCE[Purpose.PROSPECT_OUTREACH] * 10 + org.priority,
                why=f"{org.name} is on your target list and you have not reached out yet{who}",
                call_window=extra.get("call_window", "") if channel is Channel.PHONE else "",
                phone_known=bool(contact and contact.phones),
                channel_chosen_by_person=by_person,
                org_priority=org.priority,
                extra=extra,
            )
        )
    return out


def _prospect_contact(staff: Sequence[PersonSnap]) -> PersonSnap | None:
    reachable = [p for p in staff if not p.do_not_contact]
    for role in (Role.HIRING_MANAGER, Role.RECRUITER, Role.REFERRER, Role.PEER):
        for p in sorted(reachable, key=lambda p: (p.name, p.id)):
            if role in p.roles:
                return p
    return min(reachable, key=lambda p: (p.name, p.id)) if reachable else None


def quota_today(day: date, plan_: PlanSnap | None, cal: BusinessCalendar) -> int:
    """R15: targets spread over the plan's business days; a missed day does not pile up."""
    if not cal.is_business_day(day):
        return 0
    if plan_ is None or plan_.start is None:
        return 1  # no plan yet: one new employer a business day
    if day < plan_.start or day >= plan_.start + timedelta(weeks=plan_.weeks):
        return 0
    rate = plan_.targets / max(1, plan_.weeks * 5)
    n = cal.business_days_between(plan_.start, day)
    return math.floor((n + 1) * rate + 1e-9) - math.floor(n * rate + 1e-9)


def stale_before(now: datetime, policy: Policy) -> datetime:
    """A thank-you or reply whose deadline passed before this moment is no longer suggested."""
    return now.astimezone(UTC) - timedelta(days=policy.overdue_deadline_days)


def is_actionable(s: Suggestion, *, now: datetime, today: date, stale: datetime) -> bool:
    """Whether ``s`` is on the agenda at ``now`` (``today`` its local day, ``stale`` from ``stale_before``).

    Deadline items (thank-yous, replies, intake follow-ups) count from the moment their cause
    was logged until they go stale; every other item from the start of its due day.
    """
    if s.purpose in DEADLINE_PURPOSES:
        return s.actionable_from <= now and s.due >= stale
    return s.due_day <= today and s.actionable_from <= now


def r6_rank(s: Suggestion) -> tuple[int, datetime, str]:
    """R6's precedence between items for one person: the lowest rank wins (purpose, then due, then key)."""
    return (PRECEDENCE[s.purpose], s.due, s.key)


def wins_over(s: Suggestion, other: Suggestion) -> bool:
    """R6: ``s`` is the one item shown for its person rather than ``other``."""
    return r6_rank(s) < r6_rank(other)


def _order(s: Suggestion) -> tuple[int, datetime, int, int, str, str]:
    return (BUCKET[s.purpose], s.due, PRECEDENCE[s.purpose], s.org_priority, s.person_name or "", s.key)


def select(
    candidates: Iterable[Suggestion],
    *,
    now: datetime,
    context: Context,
    policy: Policy,
    plan: PlanSnap | None = None,
) -> list[Suggestion]:
    """The agenda for ``now``: what is actionable on its local day, in the order of the day."""
    cal = BusinessCalendar(context.timezone, context.holidays)
    today = cal.local_day(now)
    stale = stale_before(now, policy)
    loose: list[Suggestion] = []
    best: dict[int, Suggestion] = {}
    prospects_: list[Suggestion] = []
    for s in candidates:
        if not is_actionable(s, now=now, today=today, stale=stale):
            continue
        if s.purpose is Purpose.PROSPECT_OUTREACH:
            prospects_.append(s)
        elif s.person_id is None:  # pragma: no cover - every other purpose names a person
            loose.append(s)
        else:
            # R6: when several rules want the same person, one wins (thank-yous and replies
            # included: the one message we send them covers the rest)
            current = best.get(s.person_id)
            if current is None or wins_over(s, current):
                best[s.person_id] = s
    owed = [s for s in [*best.values(), *loose] if s.purpose in EXEMPT_PURPOSES]
    wanted = [s for s in [*best.values(), *loose] if s.purpose not in EXEMPT_PURPOSES]
    busy = set(best) | {s.person_id for s in owed if s.person_id is not None}
    # the quota counts business days (holidays: the calendar may have to ask for a year's
    # dates); without a prospect to choose it decides nothing, so it is not asked
    quota = max(0, quota_today(today, plan, cal) - _used_today(prospects_, today)) if prospects_ else 0
    prospects_.sort(key=lambda s: (s.org_priority, s.organization_name or "", s.key))
    chosen_prospects = [s for s in prospects_ if s.person_id is None or s.person_id not in busy][:quota]
    others = sorted([*wanted, *chosen_prospects], key=_order)
    room = max(0, policy.daily_cap - len(owed))
    day = sorted(owed, key=_order) + others[:room]
    day = _daily_calls(day, plan.calls_per_day if plan else 1)
    return sorted(day, key=_order)


def _used_today(prospects_: Iterable[Suggestion], today: date) -> int:
    """How many of today's quota were already done (plan() stamps it on every prospect)."""
    used = 0
    for s in prospects_:
        day, _, n = s.extra.get("quota_used", "").partition(":")
        if day == today.isoformat():
            used = max(used, int(n))
    return used


def _daily_calls(items: list[Suggestion], calls: int) -> list[Suggestion]:
    """R15: one call a day (or the plan's number): new prospects first, then keep-warm notes."""
    out = list(items)
    made = sum(1 for s in out if s.channel is Channel.PHONE)
    for purpose in (Purpose.PROSPECT_OUTREACH, Purpose.KEEP_WARM):
        for n, s in enumerate(out):
            if made >= calls:
                return out
            if (
                s.purpose is purpose
                and s.phone_known
                and not s.channel_chosen_by_person
                and s.channel is not Channel.PHONE
            ):
                call_at = s.extra.get("call_at")
                out[n] = replace(
                    s,
                    due=datetime.fromisoformat(call_at) if call_at else s.due,
                    channel=Channel.PHONE,
                    why=s.why + " — today's call",
                    call_window=s.extra.get("call_window", ""),
                    extra={**s.extra, "call": "1"},
                )
                made += 1
    return out


def agenda(snapshot: Snapshot, now: datetime) -> list[Suggestion]:
    """The agenda for ``now`` computed from scratch."""
    return select(plan(snapshot), now=now, context=snapshot.context, policy=snapshot.policy, plan=snapshot.plan)
