"""R4: interviewing and no news: a polite status inquiry to the right person."""

from __future__ import annotations

from ..types import EXPECTS_ANSWER, NOT_ANSWERS, Direction, InteractionSnap, Kind, OpportunitySnap, Purpose, Role, Stage
from .world import PersonWorld, is_answer, is_message, on_day


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
