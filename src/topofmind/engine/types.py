"""The engine's vocabulary: plain frozen dataclasses, standard library only.

The store turns its rows into these snapshots; the engine turns snapshots and a
moment into suggestions. Nothing here knows about Django, a database or a clock:
every function that needs "now" takes it as an argument.

All datetimes are timezone-aware. The store keeps UTC; the engine converts to the
user's zone (``Context.timezone``) for anything counted in days.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime


class Channel(enum.StrEnum):
    EMAIL = "email"
    PHONE = "phone"
    VOICEMAIL = "voicemail"
    LINKEDIN = "linkedin"
    TEXT = "text"
    VIDEO = "video"
    IN_PERSON = "in_person"


class Direction(enum.StrEnum):
    OUT = "out"
    IN = "in"
    BOTH = "both"  # a conversation: an interview, an intake call, a call where both spoke


class Role(enum.StrEnum):
    HIRING_MANAGER = "hiring_manager"
    INTERVIEWER = "interviewer"
    RECRUITER = "recruiter"
    REFERRER = "referrer"
    PEER = "peer"
    CANDIDATE = "candidate"


class Stage(enum.StrEnum):
    PROSPECT = "prospect"
    APPLIED = "applied"
    SCREENING = "screening"
    INTERVIEWING = "interviewing"
    OFFER = "offer"
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"
    ON_HOLD = "on_hold"


# The open stages in the order an opening moves through them; a logged application or
# interview only ever moves an opening forward along this line.
PIPELINE: tuple[Stage, ...] = (Stage.PROSPECT, Stage.APPLIED, Stage.SCREENING, Stage.INTERVIEWING, Stage.OFFER)
OPEN_STAGES = frozenset(PIPELINE)
# An opportunity the user dropped, or one that ended: its follow-ups stop (R9).
CLOSED_STAGES = frozenset({Stage.ACCEPTED, Stage.REJECTED, Stage.WITHDRAWN, Stage.ON_HOLD})


class Kind(enum.StrEnum):
    # outbound messages
    APPLICATION = "application"
    SUBMISSION = "submission"
    THANK_YOU = "thank_you"
    NUDGE = "nudge"
    STATUS_INQUIRY = "status_inquiry"
    VALUE_SHARE = "value_share"
    ACHIEVEMENT_UPDATE = "achievement_update"
    CHECK_IN = "check_in"
    MESSAGE = "message"
    REFERRAL_ASK = "referral_ask"
    LINKEDIN_INVITE = "linkedin_invite"
    FEEDBACK_REQUEST = "feedback_request"
    INTAKE_FOLLOW_UP = "intake_follow_up"
    KEEP_WARM = "keep_warm"
    RECRUITER_UPDATE = "recruiter_update"
    CANDIDATE_UPDATE = "candidate_update"
    # conversations (count as an answer, never as a message for the guard)
    INTERVIEW = "interview"
    INTAKE_CALL = "intake_call"
    CALL = "call"
    # inbound
    REPLY = "reply"
    REJECTION = "rejection"
    OFFER = "offer"
    AUTO_REPLY = "auto_reply"  # not a reply (R7)
    BOUNCE = "bounce"  # not a reply (R7)
    OUT_OF_OFFICE = "out_of_office"  # pauses until Interaction.ooo_until (R7)
    # a LinkedIn connection made (imports log these); neither message nor answer
    CONNECTION = "connection"


DEFAULT_DIRECTION: dict[Kind, Direction] = {
    **dict.fromkeys(
        (
            Kind.APPLICATION,
            Kind.SUBMISSION,
            Kind.THANK_YOU,
            Kind.NUDGE,
            Kind.STATUS_INQUIRY,
            Kind.VALUE_SHARE,
            Kind.ACHIEVEMENT_UPDATE,
            Kind.CHECK_IN,
            Kind.MESSAGE,
            Kind.REFERRAL_ASK,
            Kind.LINKEDIN_INVITE,
            Kind.FEEDBACK_REQUEST,
            Kind.INTAKE_FOLLOW_UP,
            Kind.KEEP_WARM,
            Kind.RECRUITER_UPDATE,
            Kind.CANDIDATE_UPDATE,
        ),
        Direction.OUT,
    ),
    Kind.INTERVIEW: Direction.BOTH,
    Kind.INTAKE_CALL: Direction.BOTH,
    Kind.CALL: Direction.BOTH,
    Kind.REPLY: Direction.IN,
    Kind.REJECTION: Direction.IN,
    Kind.OFFER: Direction.IN,
    Kind.AUTO_REPLY: Direction.IN,
    Kind.BOUNCE: Direction.IN,
    Kind.OUT_OF_OFFICE: Direction.IN,
    Kind.CONNECTION: Direction.BOTH,
}

# Outbound messages that ask something and so expect an answer (R3).
EXPECTS_ANSWER = frozenset(
    {
        Kind.APPLICATION,
        Kind.NUDGE,
        Kind.STATUS_INQUIRY,
        Kind.REFERRAL_ASK,
        Kind.FEEDBACK_REQUEST,
        Kind.INTAKE_FOLLOW_UP,
        Kind.CHECK_IN,
    }
)
# Conversations never set the channel (R8) and count as an answer, never as a message.
CONVERSATIONS = frozenset({Kind.INTERVIEW, Kind.INTAKE_CALL, Kind.CALL})
# Inbound touches that are not an answer (R7).
NOT_ANSWERS = frozenset({Kind.AUTO_REPLY, Kind.BOUNCE, Kind.OUT_OF_OFFICE})


class Purpose(enum.StrEnum):
    """What a suggestion is for. The declaration order below is R6's precedence."""

    THANK_YOU = "thank_you"
    REPLY = "reply"
    INTAKE_FOLLOW_UP = "intake_follow_up"
    FEEDBACK_REQUEST = "feedback_request"
    STATUS_INQUIRY = "status_inquiry"
    NUDGE = "nudge"
    REFERRAL_ASK = "referral_ask"
    CHECK_IN = "check_in"
    VALUE_SHARE = "value_share"
    ACHIEVEMENT_UPDATE = "achievement_update"
    RECRUITER_UPDATE = "recruiter_update"
    CANDIDATE_UPDATE = "candidate_update"
    KEEP_WARM = "keep_warm"
    LINKEDIN_CONNECT = "linkedin_connect"
    PROSPECT_OUTREACH = "prospect_outreach"


PRECEDENCE: dict[Purpose, int] = {p: i for i, p in enumerate(Purpose)}
# Owed items: never held back by the pacing guard or the daily cap (R6).
EXEMPT_PURPOSES = frozenset({Purpose.THANK_YOU, Purpose.REPLY})
# Items with an hour deadline, actionable from the moment their cause is logged.
DEADLINE_PURPOSES = frozenset({Purpose.THANK_YOU, Purpose.REPLY, Purpose.INTAKE_FOLLOW_UP})
# The touch kind that marking a suggestion done logs.
PURPOSE_KIND: dict[Purpose, Kind] = {
    Purpose.THANK_YOU: Kind.THANK_YOU,
    Purpose.REPLY: Kind.REPLY,  # logged with direction OUT (our reply)
    Purpose.INTAKE_FOLLOW_UP: Kind.INTAKE_FOLLOW_UP,
    Purpose.FEEDBACK_REQUEST: Kind.FEEDBACK_REQUEST,
    Purpose.STATUS_INQUIRY: Kind.STATUS_INQUIRY,
    Purpose.NUDGE: Kind.NUDGE,
    Purpose.REFERRAL_ASK: Kind.REFERRAL_ASK,
    Purpose.CHECK_IN: Kind.CHECK_IN,
    Purpose.VALUE_SHARE: Kind.VALUE_SHARE,
    Purpose.ACHIEVEMENT_UPDATE: Kind.ACHIEVEMENT_UPDATE,
    Purpose.RECRUITER_UPDATE: Kind.RECRUITER_UPDATE,
    Purpose.CANDIDATE_UPDATE: Kind.CANDIDATE_UPDATE,
    Purpose.KEEP_WARM: Kind.KEEP_WARM,
    Purpose.LINKEDIN_CONNECT: Kind.LINKEDIN_INVITE,
    Purpose.PROSPECT_OUTREACH: Kind.MESSAGE,
}


class State(enum.StrEnum):
    PENDING = "pending"
    DONE = "done"
    SNOOZED = "snoozed"
    SKIPPED = "skipped"
    CANCELLED = "cancelled"


# A follow-up still on the agenda (or coming back to it); the states a user sets by hand.
LIVE_STATES: tuple[State, ...] = (State.PENDING, State.SNOOZED)
USER_STATES: tuple[State, ...] = (State.DONE, State.SKIPPED, State.SNOOZED)
# A candidate in one of these states is gone for good: the user acted on it or dropped it.
DROPPED_STATES: tuple[State, ...] = (State.DONE, State.SKIPPED, State.CANCELLED)


@dataclass(frozen=True, kw_only=True)
class Policy:
    """The numbers of a playbook (R1-R17 and the recruiter playbook).

    No defaults here on purpose: playbooks/*.toml are the only home of the numbers, and
    ``playbooks.load_policy`` is how a Policy is made (a test overrides what it needs there).
    """

    name: str
    enabled_rules: frozenset[str]
    thank_you_hours: int
    linkedin_connect_days: int
    nudge1_days: int
    nudge2_days: int
    rest_days: int
    status_after_decision_business_days: int
    status_after_interview_days: int
    keep_warm_open_days: int
    keep_warm_network_days: int
    guard_days: int
    guard_in_business_days: bool
    daily_cap: int
    reply_business_days: int
    recruiter_update_days: int
    intake_follow_up_business_days: int
    feedback_after_submission_business_days: int
    feedback_after_interview_business_days: int
    candidate_update_days: int
    max_words: int
    # A thank-you or reply this many days past its deadline is no longer suggested.
    overdue_deadline_days: int
    business_hours_start: int
    business_hours_end: int
    # R9 for a job seeker: an accepted offer ends the whole search. A recruiter fills one
    # requisition of many, so there it only closes that requisition.
    accepted_ends_search: bool
    # R9: thank the people who helped within this many business days of accepting.
    accepted_thank_you_business_days: int
    # R9: a rejection logged on an open opening closes it (the user need not move the stage).
    # A recruiter logs candidates' rejections on requisitions that stay open.
    rejection_closes_opening: bool
    # R10: company news is a talking point for this many days after it was published.
    news_fresh_days: int
    # R12: an achievement is news to share for this many days after it happened.
    achievement_new_days: int

    def enabled(self, rule: str) -> bool:
        return rule in self.enabled_rules


# A year -> the public holidays of the user's country that year. The caller asks a holiday
# package; the engine only counts days.
HolidayDates = Callable[[int], frozenset[date]]


@dataclass(frozen=True)
class Context:
    """Who the user is: their zone and their country's public holidays."""

    timezone: str = "UTC"
    holidays: HolidayDates | None = None  # None = weekends only


@dataclass(frozen=True)
class PersonSnap:
    id: int
    name: str
    organization_id: int | None = None
    organization_name: str | None = None
    title: str = ""
    roles: frozenset[Role] = frozenset()
    emails: tuple[str, ...] = ()
    phones: tuple[str, ...] = ()
    linkedin_url: str = ""
    prefers: Channel | None = None
    timezone: str | None = None  # their zone; None = the user's
    do_not_contact: bool = False
    cadence_days: int | None = None  # keep-warm cadence override (R5)
    created_at: datetime | None = None


@dataclass(frozen=True)
class OrganizationSnap:
    id: int
    name: str
    target: bool = False
    priority: int = 3  # 1 (highest) .. 5
    created_at: datetime | None = None


@dataclass(frozen=True)
class OpportunitySnap:
    id: int
    title: str
    organization_id: int
    organization_name: str
    stage: Stage = Stage.PROSPECT
    decision_date: date | None = None
    # person id -> their parts in it (an interviewer may also be the hiring manager)
    participants: tuple[tuple[int, frozenset[Role]], ...] = ()
    stage_changed_at: datetime | None = None
    created_at: datetime | None = None

    def roles_of(self, person_id: int) -> frozenset[Role]:
        for pid, roles in self.participants:
            if pid == person_id:
                return roles
        return frozenset()


@dataclass(frozen=True)
class InteractionSnap:
    id: int
    at: datetime
    kind: Kind
    direction: Direction
    channel: Channel | None
    person_ids: tuple[int, ...]
    opportunity_id: int | None = None
    points: str = ""
    ooo_until: date | None = None  # for OUT_OF_OFFICE
    permission_materials: bool = False  # R11: in this touch they said we may send materials


@dataclass(frozen=True)
class UserAction:
    """State a user set on a suggestion: it holds at every T (done / snoozed / skipped).

    ``key`` is the suggestion's stable key (see Suggestion.key).
    """

    key: str
    state: State
    at: datetime
    until: datetime | None = None  # for SNOOZED


@dataclass(frozen=True)
class PlanSnap:
    targets: int
    weeks: int
    calls_per_day: int = 1
    start: date | None = None


@dataclass(frozen=True)
class AchievementSnap:
    """An achievement of the user's (a certification, a course, a milestone) for R12."""

    id: int
    title: str
    on: date  # the day it happened (the day it was added when no date was given)


@dataclass(frozen=True)
class Snapshot:
    """Everything the engine needs about one workspace (or one person's corner of it)."""

    context: Context
    policy: Policy
    people: tuple[PersonSnap, ...] = ()
    organizations: tuple[OrganizationSnap, ...] = ()
    opportunities: tuple[OpportunitySnap, ...] = ()
    interactions: tuple[InteractionSnap, ...] = ()
    actions: tuple[UserAction, ...] = ()
    plan: PlanSnap | None = None
    # person ids already connected on LinkedIn (R2), besides logged invites/connections
    linkedin_connected: frozenset[int] = frozenset()
    # R12: the workspace's achievements, and (person id, achievement id) already shared
    achievements: tuple[AchievementSnap, ...] = ()
    achievements_shared: frozenset[tuple[int, int]] = frozenset()


@dataclass(frozen=True)
class Suggestion:
    """One suggested next action: a follow-up before the user acts on it."""

    key: str  # stable identity: same cause -> same key, so a user's done/skip/snooze holds
    purpose: Purpose
    rule: str  # "R1" .. "R17", or "P1".. for the recruiter playbook
    person_id: int | None
    person_name: str | None
    organization_id: int | None
    organization_name: str | None
    opportunity_id: int | None
    opportunity_title: str | None
    channel: Channel
    due: datetime  # aware; for deadline items the deadline, else the start of the due day
    due_day: date  # the user's local day it becomes actionable (deadline items: day of cause)
    actionable_from: datetime  # deadline items: when the cause was logged; else start of due_day
    priority: int  # lower = more urgent; derived from PRECEDENCE and org priority
    why: str
    cause_interaction_id: int | None = None
    points: str = ""  # key points of the interview, for thank-you drafts
    expects_answer: bool = False
    call_window: str = ""  # "call between 15:00 and 23:00 your time" where channel is phone
    phone_known: bool = False  # a number is on file (R15's daily call)
    channel_chosen_by_person: bool = False  # their stated preference decided the channel
    org_priority: int = 3
    extra: dict[str, str] = field(default_factory=dict, compare=False, hash=False)

    @property
    def exempt(self) -> bool:
        return self.purpose in EXEMPT_PURPOSES
