"""R7: they wrote, a reply is owed (a rejection gets a gracious one, R9); their out-of-office pauses the rest."""

from __future__ import annotations

from datetime import date

from ..types import NOT_ANSWERS, Direction, InteractionSnap, Kind, Purpose
from .world import PersonWorld, is_answer, is_message, reply_mode, when


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


def out_of_office_until(w: PersonWorld) -> date | None:
    for i in reversed(w.history):
        if i.kind is Kind.OUT_OF_OFFICE:
            return i.ooo_until
        if is_answer(i):
            return None
    return None
