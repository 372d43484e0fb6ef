"""R1: a thank-you after every interview; R2: a LinkedIn invite to the people met."""

from __future__ import annotations

from ..types import Channel, Kind, Purpose
from .world import PersonWorld, is_message, when


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
