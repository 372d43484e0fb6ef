"""The recruiter playbook: intake follow-up (P1), feedback after a submission (P2) and an interview (P3).

P4 (candidate updates) is a cadence and lives with the others in keep_warm.py.
"""

from __future__ import annotations

from ..types import NOT_ANSWERS, Direction, InteractionSnap, Kind, Purpose, Role
from .world import PersonWorld, is_message, when


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
