"""The rulebook, person by person: every live candidate follow-up for one person.

Each rule reads the person's history (their touches, oldest first) and says what it wants
and from when. Then the person-wide constraints apply, in this order:

1. R9 stop: a do-not-contact person gets nothing; items of a dropped opportunity vanish;
   after an accepted offer the search cadences wind down.
2. R3 rest: after two unanswered nudges only the check-in (and owed thank-yous/replies) live;
   if the user dropped the check-in, nothing non-owed comes before the rest is over.
3. R7 out-of-office: non-owed items wait for the return date.
4. R6 guard: a non-exempt item is never due before the last non-exempt message + the window.
5. The user's own word (done / skipped / snoozed) on the item's key.

Everything here is a pure function of the snapshot: no clock, no I/O.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta

from .calendar import BusinessCalendar, next_call_window
from .types import (
    CLOSED_STAGES,
    CONVERSATIONS,
    DEADLINE_PURPOSES,
    EXEMPT_PURPOSES,
    EXPECTS_ANSWER,
    NOT_ANSWERS,
    OPEN_STAGES,
    PRECEDENCE,
    Channel,
    Direction,
    InteractionSnap,
    Kind,
    OpportunitySnap,
    OrganizationSnap,
    PersonSnap,
    Policy,
    Purpose,
    Role,
    Stage,
    State,
    Suggestion,
    UserAction,
)

# Purposes that belong to an active search; an accepted offer winds them down (R9).
SEARCH_PURPOSES = frozenset(
    {
        Purpose.NUDGE,
        Purpose.STATUS_INQUIRY,
        Purpose.REFERRAL_ASK,
        Purpose.CHECK_IN,
        Purpose.RECRUITER_UPDATE,
        Purpose.LINKEDIN_CONNECT,
        Purpose.PROSPECT_OUTREACH,
        Purpose.VALUE_SHARE,
    }
)

# Suggestions whose draft recaps the key points logged with their cause.
RECAP_PURPOSES = frozenset({Purpose.THANK_YOU, Purpose.INTAKE_FOLLOW_UP})

KIND_LABEL: dict[Kind, str] = {
    Kind.APPLICATION: "application",
    Kind.SUBMISSION: "submission",
    Kind.NUDGE: "follow-up",
    Kind.STATUS_INQUIRY: "status inquiry",
    Kind.REFERRAL_ASK: "referral ask",
    Kind.FEEDBACK_REQUEST: "feedback request",
    Kind.INTAKE_FOLLOW_UP: "intake follow-up",
    Kind.CHECK_IN: "check-in",
}


def when(moment: datetime, cal: BusinessCalendar) -> str:
    """'Tue 3 Mar 10:00' in the user's zone."""
    local = moment.astimezone(cal.tz)
    return f"{local:%a} {local.day} {local:%b %H:%M}"


def on_day(day: date) -> str:
    return f"{day:%a} {day.day} {day:%b}"


def reply_mode(channel: Channel) -> Channel:
    """R8's "reply using the same mode": a voicemail they left is answered by phone."""
    return Channel.PHONE if channel is Channel.VOICEMAIL else channel


def is_message(i: InteractionSnap) -> bool:
    """Something we sent (a call they did not pick up included); not a conversation."""
    return i.direction is Direction.OUT and i.kind is not Kind.CONNECTION


def is_answer(i: InteractionSnap) -> bool:
    """They wrote, or we spoke: either counts as an answer (auto-replies, bounces, OOO do not)."""
    if i.direction is Direction.BOTH:
        return i.kind is not Kind.CONNECTION
    return i.direction is Direction.IN and i.kind not in NOT_ANSWERS


def counts_for_guard(i: InteractionSnap) -> bool:
    """Messages that start a guard window: everything we send but thank-yous and replies."""
    return is_message(i) and i.kind not in (Kind.THANK_YOU, Kind.REPLY)


@dataclass
class PersonWorld:
    """What the rules may look at for one person."""

    person: PersonSnap
    history: Sequence[InteractionSnap]  # this person's touches, oldest first
    organization: OrganizationSnap | None
    opportunities: Mapping[int, OpportunitySnap]  # every opportunity the history or parts name
    my_opportunities: Sequence[OpportunitySnap]  # the ones this person takes part in
    opportunity_history: Mapping[int, Sequence[InteractionSnap]]  # opp id -> its touches
    org_has_application: bool  # an application is logged at this person's organization
    accepted: OpportunitySnap | None  # an accepted offer ends the search (R9)
    connected: bool  # already connected on LinkedIn (R2)
    actions: Mapping[str, UserAction]
    policy: Policy
    cal: BusinessCalendar
    unreachable: frozenset[int] = frozenset()  # people who asked not to be contacted (R9)
    out: list[Suggestion] = field(default_factory=list)

    # -- helpers -----------------------------------------------------------------------
    def roles(self) -> frozenset[Role]:
        roles = set(self.person.roles)
        for opp in self.my_opportunities:
            roles |= opp.roles_of(self.person.id)
        return frozenset(roles)

    def in_open_opportunity(self) -> bool:
        return any(o.stage in OPEN_STAGES for o in self.my_opportunities)

    def known_channels(self) -> list[Channel]:
        known = []
        if self.person.emails:
            known.append(Channel.EMAIL)
        if self.person.phones:
            known.append(Channel.PHONE)
        if self.person.linkedin_url:
            known.append(Channel.LINKEDIN)
        return known

    def channel(self) -> tuple[Channel, bool]:
        """R8: their preference; else the mode of their last message; else e-mail."""
        if self.person.prefers is not None:
            return self.person.prefers, True
        for i in reversed(self.history):
            if i.direction is Direction.IN and i.kind not in NOT_ANSWERS and i.channel is not None:
                return reply_mode(i.channel), False
        if not self.person.emails:
            # No address on file: reach them where we can.
            if self.person.linkedin_url:
                return Channel.LINKEDIN, False
            if self.person.phones:
                return Channel.PHONE, False
        return Channel.EMAIL, False

    def nine_am(self, day: date) -> datetime:
        return self.cal.at(day, self.policy.business_hours_start)

    def add(
        self,
        *,
        key: str,
        purpose: Purpose,
        rule: str,
        why: str,
        due_day: date | None = None,
        deadline: datetime | None = None,
        cause: InteractionSnap | None = None,
        opportunity: OpportunitySnap | None = None,
        channel: Channel | None = None,
        expects_answer: bool = False,
        extra: dict[str, str] | None = None,
    ) -> None:
        chosen, by_person = self.channel()
        if channel is None:
            channel = chosen
        else:
            by_person = False
        if deadline is not None:
            actionable_from = cause.at if cause is not None else deadline
            day = self.cal.local_day(actionable_from)
            due = deadline
        else:
            assert due_day is not None
            day = due_day
            actionable_from = self.cal.start_of(day)
            due = self.nine_am(day)
        org = self.organization
        org_id = opportunity.organization_id if opportunity else (org.id if org else None)
        org_name = opportunity.organization_name if opportunity else (org.name if org else None)
        org_priority = org.priority if org else 3
        # Facts a draft can name: when the cause happened, the decision date promised.
        facts: dict[str, str] = {}
        if cause is not None:
            facts["since"] = self.cal.local_day(cause.at).isoformat()
        if opportunity is not None and opportunity.decision_date is not None:
            facts["decision_date"] = opportunity.decision_date.isoformat()
        self.out.append(
            Suggestion(
                key=key,
                purpose=purpose,
                rule=rule,
                person_id=self.person.id,
                person_name=self.person.name,
                organization_id=org_id,
                organization_name=org_name,
                opportunity_id=opportunity.id if opportunity else None,
                opportunity_title=opportunity.title if opportunity else None,
                channel=channel,
                due=due,
                due_day=day,
                actionable_from=actionable_from,
                priority=PRECEDENCE[purpose] * 10 + org_priority,
                why=why,
                cause_interaction_id=cause.id if cause else None,
                points=cause.points if cause is not None and purpose in RECAP_PURPOSES else "",
                expects_answer=expects_answer,
                phone_known=bool(self.person.phones),
                channel_chosen_by_person=by_person,
                org_priority=org_priority,
                extra={**facts, **(extra or {})},
            )
        )

    def opp(self, opportunity_id: int | None) -> OpportunitySnap | None:
        return self.opportunities.get(opportunity_id) if opportunity_id is not None else None

    def after(self, moment: datetime) -> Iterable[InteractionSnap]:
        return (i for i in self.history if i.at > moment)


# -- the rules ---------------------------------------------------------------------------


def thank_yous(w: PersonWorld) -> None:
    """R1: a thank-you to everyone in an interview, due within 24 hours, by e-mail if known."""
    for i in w.history:
        if i.kind is not Kind.INTERVIEW:
            continue
        if any(j.kind is Kind.THANK_YOU and is_message(j) for j in w.history if j.at >= i.at):
            continue
        deadline = w.cal.hours_later(i.at, w.policy.thank_you_hours)
        opp = w.opp(i.opportunity_id)
        about = f" about {opp.title}" if opp else ""
        w.add(
            key=f"R1:thank_you:{w.person.id}:{i.id}",
            purpose=Purpose.THANK_YOU,
            rule="R1",
            why=(
                f"thank-you due by {when(deadline, w.cal)} — you interviewed with "
                f"{w.person.name}{about} on {when(i.at, w.cal)}"
            ),
            deadline=deadline,
            cause=i,
            opportunity=opp,
            channel=Channel.EMAIL if w.person.emails else None,
        )


def linkedin_invites(w: PersonWorld) -> None:
    """R2: after an interview, a tailored invite to each interviewer not yet connected."""
    if w.connected:
        return
    interviews = [i for i in w.history if i.kind is Kind.INTERVIEW]
    if not interviews:
        return
    if any(i.kind in (Kind.LINKEDIN_INVITE, Kind.CONNECTION) for i in w.history):
        return
    last = interviews[-1]
    opp = w.opp(last.opportunity_id)
    w.add(
        key=f"R2:linkedin_connect:{w.person.id}",
        purpose=Purpose.LINKEDIN_CONNECT,
        rule="R2",
        why=(f"not connected on LinkedIn yet — you met {w.person.name} at your interview on {when(last.at, w.cal)}"),
        due_day=w.cal.after_days(last.at, w.policy.linkedin_connect_days),
        cause=last,
        opportunity=opp,
        channel=Channel.LINKEDIN,
    )


def replies(w: PersonWorld) -> None:
    """R7: they wrote: a reply is owed within a business day. R9: a rejection gets one gracious reply."""
    last_in: InteractionSnap | None = None
    for i in w.history:
        if i.direction is Direction.IN and i.kind not in NOT_ANSWERS:
            last_in = i
        elif last_in is not None and (is_message(i) or i.direction is Direction.BOTH) and i.kind is not Kind.CONNECTION:
            last_in = None  # answered (we wrote back, or we spoke)
    if last_in is None:
        return
    deadline = w.cal.business_days_later(last_in.at, w.policy.reply_business_days)
    opp = w.opp(last_in.opportunity_id)
    if last_in.kind is Kind.REJECTION:
        rule = "R9"
        why = (
            f"a gracious reply to {w.person.name}'s decision of {when(last_in.at, w.cal)} keeps the door "
            f"open — due by {when(deadline, w.cal)}"
        )
    else:
        rule = "R7"
        what = "an offer" if last_in.kind is Kind.OFFER else "to you"
        why = f"{w.person.name} wrote {what} on {when(last_in.at, w.cal)} — reply due by {when(deadline, w.cal)}"
    channel = reply_mode(last_in.channel) if (w.person.prefers is None and last_in.channel) else None
    w.add(
        key=f"R7:reply:{w.person.id}:{last_in.id}",
        purpose=Purpose.REPLY,
        rule=rule,
        why=why,
        deadline=deadline,
        cause=last_in,
        opportunity=opp,
        channel=channel,
        extra=(
            {"rejection": "1"}
            if last_in.kind is Kind.REJECTION
            else {"offer": "1"}
            if last_in.kind is Kind.OFFER
            else None
        ),
    )


@dataclass
class Thread:
    """R3's state for one person: the unanswered ask, nudges sent, the rest."""

    anchor: InteractionSnap | None = None
    nudges: list[InteractionSnap] = field(default_factory=list)
    rest_from: InteractionSnap | None = None  # the second nudge

    @property
    def awaiting(self) -> bool:
        return self.anchor is not None


def thread_of(history: Sequence[InteractionSnap]) -> Thread:
    t = Thread()
    for i in history:
        if is_answer(i):
            t = Thread()
        elif is_message(i) and i.kind in EXPECTS_ANSWER:
            if t.rest_from is not None or t.anchor is None:
                # a fresh ask, or the check-in after a rest: the cycle starts again at 0
                t = Thread(anchor=i)
            else:
                t.nudges.append(i)
                if len(t.nudges) >= 2:
                    t.rest_from = i
    return t


def nudges(w: PersonWorld, t: Thread) -> None:
    """R3: nudge 1 after 7 days, nudge 2 after 7 more on another channel, then the rest."""
    if t.anchor is None:
        return
    anchor = t.anchor
    opp = w.opp(anchor.opportunity_id)
    label = KIND_LABEL.get(anchor.kind, anchor.kind.value.replace("_", " "))
    if t.rest_from is not None:
        due = w.cal.after_days(t.rest_from.at, w.policy.rest_days)
        w.add(
            key=f"R3:check_in:{w.person.id}:{anchor.id}",
            purpose=Purpose.CHECK_IN,
            rule="R3",
            why=(
                f"the {w.policy.rest_days}-day rest after two unanswered follow-ups ends "
                f"{on_day(due)} — one fresh check-in starts the cycle again"
            ),
            due_day=due,
            cause=anchor,
            opportunity=opp,
            expects_answer=True,
        )
        return
    if not t.nudges:
        due = w.cal.after_days(anchor.at, w.policy.nudge1_days)
        w.add(
            key=f"R3:nudge:{w.person.id}:{anchor.id}:1",
            purpose=Purpose.NUDGE,
            rule="R3",
            why=(
                f"no answer to your {label} of {on_day(w.cal.local_day(anchor.at))} — a short note to check it arrived"
            ),
            due_day=due,
            cause=anchor,
            opportunity=opp,
            expects_answer=True,
            extra={"nudge": "1", "about": label},
        )
        return
    first = t.nudges[0]
    due = w.cal.after_days(first.at, w.policy.nudge2_days)
    channel: Channel | None = None
    if w.person.prefers is None:
        used = reply_mode(first.channel or w.channel()[0])  # a voicemail was the phone
        others = [c for c in (Channel.PHONE, Channel.LINKEDIN, Channel.EMAIL) if c in w.known_channels() and c != used]
        channel = others[0] if others else None
    w.add(
        key=f"R3:nudge:{w.person.id}:{anchor.id}:2",
        purpose=Purpose.NUDGE,
        rule="R3",
        why=(
            f"still no answer to your {label} of {on_day(w.cal.local_day(anchor.at))} "
            f"or your follow-up of {on_day(w.cal.local_day(first.at))} — a second, last nudge"
            + (f" by {channel.value.replace('_', ' ')} this time" if channel else "")
        ),
        due_day=due,
        cause=anchor,
        opportunity=opp,
        channel=channel,
        expects_answer=True,
        extra={"nudge": "2", "about": label},
    )


def status_inquiries(w: PersonWorld) -> None:
    """R4: interviewing and no news: ask 1 business day after the decision date, else 7 days after."""
    for opp in w.my_opportunities:
        if opp.stage is not Stage.INTERVIEWING:
            continue
        touches = w.opportunity_history.get(opp.id, ())
        interviews = [i for i in touches if i.kind is Kind.INTERVIEW]
        if not interviews:
            continue
        last = interviews[-1]
        later = [i for i in touches if i.at > last.at]
        if any(i.direction is Direction.IN and i.kind not in NOT_ANSWERS for i in later):
            continue  # there was news
        if any(is_answer(i) and i.kind is not Kind.INTERVIEW for i in w.after(last.at)):
            continue  # they wrote to us since (about this opening or not): that is news too
        if any(is_message(i) and i.kind in EXPECTS_ANSWER for i in later):
            continue  # already asked; R3 carries it on
        if _inquiry_contact(opp, last, w.unreachable) != w.person.id:
            continue
        if opp.decision_date is not None:
            due = w.cal.add_business_days(opp.decision_date, w.policy.status_after_decision_business_days)
            why = (
                f"{opp.organization_name} planned to decide on {opp.title} by {on_day(opp.decision_date)} "
                f"and no news since — a polite status inquiry"
            )
        else:
            due = w.cal.after_days(last.at, w.policy.status_after_interview_days)
            why = (
                f"no news on {opp.title} since your interview on {on_day(w.cal.local_day(last.at))} — "
                f"a polite status inquiry"
            )
        w.add(
            key=f"R4:status_inquiry:{opp.id}:{last.id}",
            purpose=Purpose.STATUS_INQUIRY,
            rule="R4",
            why=why,
            due_day=due,
            cause=last,
            opportunity=opp,
            expects_answer=True,
        )


def _inquiry_contact(opp: OpportunitySnap, last_interview: InteractionSnap, unreachable: frozenset[int]) -> int | None:
    """Whom to ask about an opening: its hiring manager, else its recruiter, else an interviewer.

    Someone who asked not to be contacted is passed over (R9), not asked in their stead.
    """
    parts = sorted((pid, roles) for pid, roles in opp.participants if pid not in unreachable)
    for role in (Role.HIRING_MANAGER, Role.RECRUITER):
        for pid, roles in parts:
            if role in roles:
                return pid
    met = [pid for pid in last_interview.person_ids if pid not in unreachable]
    return min(met) if met else None


def _periodic(
    w: PersonWorld,
    *,
    rule: str,
    purpose: Purpose,
    days: int,
    why: str,
    opportunity: OpportunitySnap | None = None,
    since: datetime | None = None,
) -> None:
    """A cadence counted from ``since`` (default: the last touch); a skipped or done round restarts it."""
    last_touch = w.history[-1].at
    anchor = since if since is not None else last_touch
    for _ in range(50):
        due = w.cal.after_days(anchor, days)
        key = f"{rule}:{purpose.value}:{w.person.id}:{due.isoformat()}"
        action = w.actions.get(key)
        if action is None or action.state not in (State.DONE, State.SKIPPED):
            break
        anchor = max(anchor, action.at)
    else:  # pragma: no cover - a user would need fifty skips in a row
        return
    w.add(
        key=key,
        purpose=purpose,
        rule=rule,
        why=why.format(days=days, last=on_day(w.cal.local_day(last_touch))),
        due_day=due,
        opportunity=opportunity,
    )


# What tells a recruiter how the search is going (R14): an update, or a conversation.
PROGRESS_KINDS = frozenset({Kind.RECRUITER_UPDATE, Kind.ACHIEVEMENT_UPDATE}) | CONVERSATIONS


def keep_warm(w: PersonWorld, asking: bool, resume_at: datetime | None) -> None:
    """R5, R14 and the recruiter playbook's candidate updates (P4).

    ``asking``: an R3 ask is out and live, so R3 carries the person (no keep-warm on top).
    ``resume_at``: the user dropped the live R3 item (skipped it): cadences count from then.
    """
    if asking or all(i.kind is Kind.CONNECTION for i in w.history):
        # An ask is out (R3 carries it), or nothing was ever said: a LinkedIn connection
        # alone (hundreds come in with an import) starts no cadence until a real touch.
        return
    roles = w.roles()
    searching = w.accepted is None
    since = max(w.history[-1].at, resume_at) if resume_at is not None else None
    open_opp = next((o for o in w.my_opportunities if o.stage in OPEN_STAGES), None)
    if w.policy.enabled("P4") and Role.CANDIDATE in roles and open_opp is not None:
        # Candidates in an open requisition hear from you weekly; once it closes they
        # join the rest of the network at its own cadence (R5) instead of forever weekly.
        _periodic(
            w,
            rule="P4",
            purpose=Purpose.CANDIDATE_UPDATE,
            days=w.policy.candidate_update_days,
            why=f"candidate for {open_opp.title}" + " — candidates hear from you every {days} days; last touch {last}",
            opportunity=open_opp,
            since=since,
        )
        return
    if searching and w.policy.enabled("R14") and Role.RECRUITER in roles:
        # R14 has its own clock: the last progress update (or conversation), else the first touch.
        # R5 below still applies, so a recruiter in an open opening hears from you weekly too;
        # when both are due the same day R6's precedence picks the update.
        progress = [i for i in w.history if i.kind in PROGRESS_KINDS and (is_message(i) or is_answer(i))]
        anchor = progress[-1] if progress else w.history[0]
        label = "last update" if progress else "first touch"
        _periodic(
            w,
            rule="R14",
            purpose=Purpose.RECRUITER_UPDATE,
            days=w.policy.recruiter_update_days,
            why=f"recruiters get a progress update every {{days}} days — {label} {on_day(w.cal.local_day(anchor.at))}",
            since=max(anchor.at, resume_at) if resume_at is not None else anchor.at,
        )
    if not w.policy.enabled("R5"):
        return
    if searching and open_opp is not None:
        _periodic(
            w,
            rule="R5",
            purpose=Purpose.KEEP_WARM,
            days=w.policy.keep_warm_open_days,
            why=f"part of {open_opp.title} at {open_opp.organization_name}" + " — last touch {last}; "
            "people in an open opening hear from you every {days} days",
            opportunity=open_opp,
            since=since,
        )
        return
    days = w.person.cadence_days or w.policy.keep_warm_network_days
    _periodic(
        w,
        rule="R5",
        purpose=Purpose.KEEP_WARM,
        days=days,
        why="last touch {last} — keep warm every {days} days",
        since=since,
    )


def referral_asks(w: PersonWorld) -> None:
    """R13: before applying at a target employer, ask a mutual connection there for advice."""
    org = w.organization
    if org is None or w.org_has_application:
        return
    if not ({Role.REFERRER, Role.PEER} & w.roles()):
        return
    prospect = next(
        (o for o in w.opportunities.values() if o.organization_id == org.id and o.stage is Stage.PROSPECT),
        None,
    )
    if not org.target and prospect is None:
        return
    if any(i.kind is Kind.REFERRAL_ASK for i in w.history):
        return
    moments = [m for m in (org.created_at, w.person.created_at) if m is not None]
    start = max(moments) if moments else None
    day = w.cal.roll_forward(w.cal.local_day(start)) if start else date(1970, 1, 5)
    what = f"{prospect.title} at {org.name}" if prospect else f"{org.name} (a target employer)"
    w.add(
        key=f"R13:referral_ask:{w.person.id}:{org.id}",
        purpose=Purpose.REFERRAL_ASK,
        rule="R13",
        why=f"you haven't applied to {what} yet — {w.person.name} works there: ask for advice or a referral",
        due_day=day,
        opportunity=prospect,
        expects_answer=True,
    )


def recruiter_rules(w: PersonWorld) -> None:
    """The recruiter playbook: intake follow-up (P1), feedback after submission (P2) and interview (P3)."""
    roles = w.roles()
    if w.policy.enabled("P1") and Role.HIRING_MANAGER in roles:
        for i in w.history:
            if i.kind is not Kind.INTAKE_CALL:
                continue
            if any(j.kind is Kind.INTAKE_FOLLOW_UP and is_message(j) for j in w.after(i.at)):
                continue
            deadline = w.cal.business_days_later(i.at, w.policy.intake_follow_up_business_days)
            opp = w.opp(i.opportunity_id)
            w.add(
                key=f"P1:intake_follow_up:{w.person.id}:{i.id}",
                purpose=Purpose.INTAKE_FOLLOW_UP,
                rule="P1",
                why=(
                    f"intake call with {w.person.name} on {when(i.at, w.cal)} — confirm the candidate "
                    f"profile and ask what is still open by {when(deadline, w.cal)}"
                ),
                deadline=deadline,
                cause=i,
                opportunity=opp,
                expects_answer=True,
            )
    if w.policy.enabled("P2"):
        for i in w.history:
            if i.kind is not Kind.SUBMISSION or not is_message(i):
                continue
            if _answered_or_asked(w, i):
                continue
            due = w.cal.add_business_days(w.cal.local_day(i.at), w.policy.feedback_after_submission_business_days)
            w.add(
                key=f"P2:feedback_request:{w.person.id}:{i.id}",
                purpose=Purpose.FEEDBACK_REQUEST,
                rule="P2",
                why=f"candidates submitted to {w.person.name} on {when(i.at, w.cal)} — ask for feedback",
                due_day=due,
                cause=i,
                opportunity=w.opp(i.opportunity_id),
                expects_answer=True,
            )
    if w.policy.enabled("P3"):
        for opp in w.my_opportunities:
            if Role.HIRING_MANAGER not in opp.roles_of(w.person.id):
                continue
            interviews = [i for i in w.opportunity_history.get(opp.id, ()) if i.kind is Kind.INTERVIEW]
            if not interviews:
                continue
            last = interviews[-1]
            if _answered_or_asked(w, last):
                continue
            due = w.cal.add_business_days(w.cal.local_day(last.at), w.policy.feedback_after_interview_business_days)
            w.add(
                key=f"P3:feedback_request:{w.person.id}:{last.id}",
                purpose=Purpose.FEEDBACK_REQUEST,
                rule="P3",
                why=(
                    f"candidate interviewed for {opp.title} on {when(last.at, w.cal)} — "
                    f"ask {w.person.name} for feedback"
                ),
                due_day=due,
                cause=last,
                opportunity=opp,
                expects_answer=True,
            )


def _answered_or_asked(w: PersonWorld, since: InteractionSnap) -> bool:
    for j in w.history:
        if j.at <= since.at or j.id == since.id:
            continue
        if j.direction is Direction.IN and j.kind not in NOT_ANSWERS:
            return True
        if j.kind is Kind.FEEDBACK_REQUEST and is_message(j):
            return True
    return False


def accepted_thank_yous(w: PersonWorld) -> None:
    """R9: an accepted offer suggests thank-yous to the people who helped."""
    acc = w.accepted
    if acc is None or acc.stage_changed_at is None:
        return
    helped = bool(acc.roles_of(w.person.id)) or (
        bool({Role.REFERRER, Role.RECRUITER} & w.roles()) and any(i.at <= acc.stage_changed_at for i in w.history)
    )
    if not helped:
        return
    if any(i.kind is Kind.THANK_YOU and is_message(i) for i in w.after(acc.stage_changed_at)):
        return
    deadline = w.cal.business_days_later(acc.stage_changed_at, w.policy.accepted_thank_you_business_days)
    w.add(
        key=f"R9:thank_you:{w.person.id}:{acc.id}",
        purpose=Purpose.THANK_YOU,
        rule="R9",
        why=(f"you accepted {acc.title} at {acc.organization_name} — thank {w.person.name} for the help along the way"),
        deadline=deadline,
        cause=None,
        opportunity=acc,
        channel=Channel.EMAIL if w.person.emails else None,
    )
    # actionable from the acceptance, not from the deadline
    last = w.out[-1]
    w.out[-1] = replace(last, actionable_from=acc.stage_changed_at, due_day=w.cal.local_day(acc.stage_changed_at))


# -- putting one person together ---------------------------------------------------------


def candidates_for(w: PersonWorld) -> list[Suggestion]:
    """Every live candidate for one person, constraints applied (see the module docstring)."""
    if w.person.do_not_contact:
        return []  # R9: nothing, ever
    p = w.policy
    thread = thread_of(w.history)
    if p.enabled("R1"):
        thank_yous(w)
    if p.enabled("R7"):
        replies(w)
    if p.enabled("R9"):
        accepted_thank_yous(w)
    recruiter_rules(w)
    if p.enabled("R3"):
        nudges(w, thread)
    asking, resume_at = _r3_state(w)
    if p.enabled("R4"):
        status_inquiries(w)
    if p.enabled("R13"):
        referral_asks(w)
    if p.enabled("R2"):
        linkedin_invites(w)
    keep_warm(w, asking, resume_at)
    return finish(w, thread, asking)


def _stopped(s: Suggestion, w: PersonWorld) -> bool:
    """R9: a closed or dropped opening stops its follow-ups; an accepted offer ends the search."""
    if s.purpose in EXEMPT_PURPOSES:
        return False
    opp = w.opp(s.opportunity_id)
    if opp is not None and opp.stage in CLOSED_STAGES and (w.accepted is None or opp.id != w.accepted.id):
        return True
    return w.accepted is not None and s.purpose in SEARCH_PURPOSES


def _r3_state(w: PersonWorld) -> tuple[bool, datetime | None]:
    """Is R3's item for the open ask alive? If the user dropped it, since when (their skip)?

    An R3 item stops being alive when its opening closed, the search ended, or the user
    marked it done / skipped it without the touch that would move the thread on.
    """
    r3 = [s for s in w.out if s.rule == "R3"]
    resume_at: datetime | None = None
    for s in r3:
        action = w.actions.get(s.key)
        dropped = action is not None and action.state in (State.DONE, State.SKIPPED, State.CANCELLED)
        if not dropped and not _stopped(s, w):
            return True, None
        if action is not None and dropped:
            resume_at = action.at if resume_at is None else max(resume_at, action.at)
    return False, resume_at


def finish(w: PersonWorld, thread: Thread, asking: bool) -> list[Suggestion]:
    out: list[Suggestion] = []
    guard_day = _guard_day(w)
    ooo_until = _out_of_office_until(w)
    rest_end: date | None = None
    if thread.rest_from is not None:
        rest_end = w.cal.after_days(thread.rest_from.at, w.policy.rest_days)
    for s in w.out:
        exempt = s.purpose in EXEMPT_PURPOSES
        if _stopped(s, w):
            continue  # R9
        if rest_end is not None and not exempt:
            if asking and not (s.rule == "R3" and s.purpose is Purpose.CHECK_IN):
                continue  # R3/R6: nothing but the check-in once the rest is over
            s = _not_before(s, rest_end, w)  # the user dropped the check-in: the rest still holds
        if not exempt:
            s = _not_before(s, guard_day, w)
            if ooo_until is not None:
                s = _not_before(s, w.cal.roll_forward(ooo_until), w)
        acted = _apply_user_action(s, w)
        if acted is not None:
            out.append(_fit_call(acted, w))
    return out


def _guard_day(w: PersonWorld) -> date | None:
    last = next((i for i in reversed(w.history) if counts_for_guard(i)), None)
    if last is None:
        return None
    day = w.cal.local_day(last.at)
    if w.policy.guard_in_business_days:
        return w.cal.add_business_days(day, w.policy.guard_days)
    return w.cal.roll_forward(day + timedelta(days=w.policy.guard_days))


def _out_of_office_until(w: PersonWorld) -> date | None:
    for i in reversed(w.history):
        if i.kind is Kind.OUT_OF_OFFICE:
            return i.ooo_until
        if is_answer(i):
            return None
    return None


def _not_before(s: Suggestion, day: date | None, w: PersonWorld) -> Suggestion:
    if day is None or s.due_day >= day:
        return s
    start = w.cal.start_of(day)
    due = max(s.due, w.nine_am(day)) if s.purpose in DEADLINE_PURPOSES else w.nine_am(day)
    return replace(s, due_day=day, actionable_from=max(s.actionable_from, start), due=due)


def _apply_user_action(s: Suggestion, w: PersonWorld) -> Suggestion | None:
    action = w.actions.get(s.key)
    if action is None:
        return s
    if action.state in (State.DONE, State.SKIPPED, State.CANCELLED):
        return None
    if action.state is State.SNOOZED and action.until is not None:
        until = action.until
        day = w.cal.local_day(until)
        if s.purpose in DEADLINE_PURPOSES:
            return replace(s, actionable_from=max(s.actionable_from, until), due_day=max(s.due_day, day))
        if day > s.due_day or (day == s.due_day and until > s.actionable_from):
            return replace(s, due_day=day, actionable_from=until, due=max(until, s.due))
    return s


def call_slot(
    actionable_from: datetime, due_day: date, their_tz: str | None, cal: BusinessCalendar, policy: Policy
) -> tuple[datetime, datetime, str]:
    """R8: the window of their business hours a call due on ``due_day`` goes into, and its wording."""
    begin, end = next_call_window(
        actionable_from, cal.tz.key, their_tz, policy.business_hours_start, policy.business_hours_end
    )
    b, e = begin.astimezone(cal.tz), end.astimezone(cal.tz)
    theirs = f" ({their_tz})" if their_tz and their_tz != cal.tz.key else ""
    if b.date() != due_day:
        text = f"call between {on_day(b.date())} {b:%H:%M} and {e:%H:%M} your time{theirs}"
    else:
        text = f"call between {b:%H:%M} and {e:%H:%M} your time{theirs}"
    return begin, end, text


def _fit_call(s: Suggestion, w: PersonWorld) -> Suggestion:
    """R8: calls only in their business hours, in their zone."""
    if s.channel is not Channel.PHONE and not s.phone_known:
        return s
    begin, end, text = call_slot(s.actionable_from, s.due_day, w.person.timezone, w.cal, w.policy)
    call_at = max(begin, s.actionable_from)
    if s.channel is not Channel.PHONE:
        # R15 may turn it into the day's call: keep where that call would go
        return replace(s, extra={**s.extra, "call_window": text, "call_at": call_at.isoformat()})
    due = s.due
    if s.purpose not in DEADLINE_PURPOSES and not (begin <= due < end):
        due = call_at
    return replace(s, due=due, call_window=text)
