"""What the rules may look at for one person (``PersonWorld``), and how a touch reads: a message, an answer."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from ..calendar import BusinessCalendar
from ..types import (
    NOT_ANSWERS,
    OPEN_STAGES,
    PRECEDENCE,
    AchievementSnap,
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
    Suggestion,
    UserAction,
)

# Suggestions whose draft recaps the key points logged with their cause.
RECAP_PURPOSES = frozenset({Purpose.THANK_YOU, Purpose.INTAKE_FOLLOW_UP})


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
    achievements: Sequence[AchievementSnap] = ()  # the user's achievements (R12)
    achievements_shared: frozenset[int] = frozenset()  # those already shared with this person (R12)
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
                if i.channel is Channel.EMAIL and not self.person.emails:
                    break  # they wrote by e-mail, but every address of theirs has bounced since
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
