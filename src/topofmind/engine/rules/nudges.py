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
class Ask:
    """One message that waits for its answer (an application, a referral ask...) and its nudges."""

    anchor: InteractionSnap
    nudges: list[InteractionSnap] = field(default_factory=list)


@dataclass
class Thread:
    """R3's state for one person: the asks waiting for an answer, the nudges counted, the rest.

    Each opening has its own ask (a second application to the same recruiter waits for its own
    answer); the nudges are counted per person (R6), whatever the openings they were about.
    """

    asks: list[Ask] = field(default_factory=list)
    nudged: int = 0  # nudges sent to the person since their last answer (or the last check-in)
    rest_from: InteractionSnap | None = None  # the person's second unanswered nudge
    rest_ask: Ask | None = None  # the ask the second nudge was about: the check-in follows it

    @property
    def awaiting(self) -> bool:
        return bool(self.asks)

    def ask_about(self, opportunity_id: int | None) -> Ask | None:
        return next((a for a in self.asks if a.anchor.opportunity_id == opportunity_id), None)


def thread_of(history: Sequence[InteractionSnap]) -> Thread:
    t = Thread()
    for i in history:
        if is_answer(i):
            t = Thread()  # R7: an answer in any thread resets the count
        elif is_message(i) and i.kind in EXPECTS_ANSWER:
            if t.rest_from is not None:
                # the check-in after a rest: the cycle starts again at 0
                t = Thread(asks=[Ask(anchor=i)])
                continue
            ask = t.ask_about(i.opportunity_id)
            if ask is None and i.kind is Kind.NUDGE and t.asks:
                ask = t.asks[-1]  # a nudge logged without its opening follows the latest ask
            if ask is None:
                t.asks.append(Ask(anchor=i))  # a new ask about another opening: its own wait
                continue
            ask.nudges.append(i)
            t.nudged += 1
            if t.nudged >= 2:
                t.rest_from, t.rest_ask = i, ask
    return t


def nudges(w: PersonWorld, t: Thread) -> None:
    """R3: nudge 1 after 7 days, nudge 2 after 7 more on another channel, then the rest."""
    if t.rest_from is not None and t.rest_ask is not None:
        _check_in(w, t.rest_ask, t.rest_from)
        return
    for ask in t.asks:
        _nudge(w, ask)


def _check_in(w: PersonWorld, ask: Ask, rest_from: InteractionSnap) -> None:
    due = w.cal.after_days(rest_from.at, w.policy.rest_days)
    w.add(
        key=f"R3:check_in:{w.person.id}:{ask.anchor.id}",
        purpose=Purpose.CHECK_IN,
        rule="R3",
        why=(
            f"the {w.policy.rest_days}-day rest after two unanswered follow-ups ends "
            f"{on_day(due)} — one fresh check-in starts the cycle again"
        ),
        due_day=due,
        cause=ask.anchor,
        opportunity=w.opp(ask.anchor.opportunity_id),
        expects_answer=True,
    )


def _nudge(w: PersonWorld, ask: Ask) -> None:
    anchor = ask.anchor
    opp = w.opp(anchor.opportunity_id)
    label = KIND_LABEL.get(anchor.kind, anchor.kind.value.replace("_", " "))
    if not ask.nudges:
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
    first = ask.nudges[0]
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
