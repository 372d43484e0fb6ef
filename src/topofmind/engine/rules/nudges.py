"""R3: an unanswered ask gets two nudges, then a rest, then one fresh check-in."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from ..types import DROPPED_STATES, EXPECTS_ANSWER, Channel, InteractionSnap, Kind, Purpose
from .stop import stopped
from .world import PersonWorld, is_answer, is_message, on_day, reply_mode

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


def r3_state(w: PersonWorld) -> tuple[bool, datetime | None]:
    """Is R3's item for the open ask alive? If the user dropped it, since when (their skip)?

    An R3 item stops being alive when its opening closed, the search ended, or the user
    marked it done / skipped it without the touch that would move the thread on.
    """
    r3 = [s for s in w.out if s.rule == "R3"]
    resume_at: datetime | None = None
    for s in r3:
        action = w.actions.get(s.key)
        dropped = action is not None and action.state in DROPPED_STATES
        if not dropped and not stopped(s, w):
            return True, None
        if action is not None and dropped:
            resume_at = action.at if resume_at is None else max(resume_at, action.at)
    return False, resume_at
