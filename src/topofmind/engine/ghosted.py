"""R17: an opening silent past its rest is flagged "ghosted?" - a flag, never an agenda item."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta

from .calendar import BusinessCalendar
from .rules import is_answer, is_message
from .types import EXPECTS_ANSWER, OPEN_STAGES, InteractionSnap, Snapshot, Stage

# Open and past the prospect stage: something was sent, so silence can mean something.
WAITING_STAGES = OPEN_STAGES - {Stage.PROSPECT}


def ghosted(snapshot: Snapshot, now: datetime) -> dict[int, str]:
    """Opportunity id -> why it looks ghosted, for open openings silent past their rest.

    Silent means: an ask about the opening (application, nudge, status inquiry...) has had
    no answer from anyone on it, and the whole R3 cycle - both nudges and the rest - has run
    out: the rest ends ``rest_days`` after the second nudge (the third ask), and never sooner
    than nudge1 + nudge2 + rest days after the first ask. Only touches up to ``now`` count.
    The flag never closes anything; the user decides.
    """
    cal = BusinessCalendar(snapshot.context.timezone, snapshot.context.holidays)
    p = snapshot.policy
    span = p.nudge1_days + p.nudge2_days + p.rest_days
    touches: dict[int, list[InteractionSnap]] = defaultdict(list)
    for i in sorted(snapshot.interactions, key=lambda i: (i.at, i.id)):
        if i.opportunity_id is not None and i.at <= now:
            touches[i.opportunity_id].append(i)
    out: dict[int, str] = {}
    today = cal.local_day(now)
    for opp in sorted(snapshot.opportunities, key=lambda o: o.id):
        if opp.stage not in WAITING_STAGES:
            continue
        first_unanswered: InteractionSnap | None = None
        asks: list[InteractionSnap] = []
        for i in touches.get(opp.id, []):
            if is_answer(i):
                first_unanswered, asks = None, []
            elif is_message(i) and i.kind in EXPECTS_ANSWER:
                first_unanswered = first_unanswered or i
                asks.append(i)
        if first_unanswered is None:
            continue
        # the rest ends rest_days after the second nudge; if the nudges were never sent,
        # when it would have ended had they gone on time
        planned_end = cal.local_day(first_unanswered.at) + timedelta(days=span)
        rest_end = planned_end
        if len(asks) >= 3:
            rest_end = max(planned_end, cal.local_day(asks[2].at) + timedelta(days=p.rest_days))
        if today > rest_end:
            silent_days = (today - cal.local_day(first_unanswered.at)).days
            out[opp.id] = (
                f"no answer on {opp.title} for {silent_days} days, past the {p.rest_days}-day rest "
                f"after two follow-ups — ghosted?"
            )
    return out
