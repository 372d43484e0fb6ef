"""R9: what stops: a closed or dropped opening, the search after an accepted offer (and its thank-yous)."""

from __future__ import annotations

from dataclasses import replace

from ..types import CLOSED_STAGES, EXEMPT_PURPOSES, Channel, Kind, Purpose, Role, Suggestion
from .world import PersonWorld, is_message

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
        Purpose.ACHIEVEMENT_UPDATE,
    }
)


def stopped(s: Suggestion, w: PersonWorld) -> bool:
    """R9: a closed or dropped opening stops its follow-ups; an accepted offer ends the search."""
    if s.purpose in EXEMPT_PURPOSES:
        return False
    opp = w.opp(s.opportunity_id)
    if opp is not None and opp.stage in CLOSED_STAGES and (w.accepted is None or opp.id != w.accepted.id):
        return True
    return w.accepted is not None and s.purpose in SEARCH_PURPOSES


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
