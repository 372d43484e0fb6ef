"""R13: before applying at a target employer, ask someone there for advice or a referral."""

from __future__ import annotations

from datetime import date

from ..types import Kind, Purpose, Role, Stage
from .world import PersonWorld


def referral_asks(w: PersonWorld) -> None:
    """R13: before applying at a target employer, ask a mutual connection there for advice."""
    org = w.organization
    if org is None or w.org_has_application:
        return
    if not ({Role.REFERRER, Role.PEER} & w.roles()):
        return
    prospect = next(
        (o for o in w.opportunities.values() if o.organization_id == org.id and o.stage is Stage.PROSPECT),
        None,
    )
    if not org.target and prospect is None:
        return
    if any(i.kind is Kind.REFERRAL_ASK for i in w.history):
        return
    moments = [m for m in (org.created_at, w.person.created_at) if m is not None]
    start = max(moments) if moments else None
    day = w.cal.roll_forward(w.cal.local_day(start)) if start else date(1970, 1, 5)
    what = f"{prospect.title} at {org.name}" if prospect else f"{org.name} (a target employer)"
    w.add(
        key=f"R13:referral_ask:{w.person.id}:{org.id}",
        purpose=Purpose.REFERRAL_ASK,
        rule="R13",
        why=f"you haven't applied to {what} yet — {w.person.name} works there: ask for advice or a referral",
        due_day=day,
        opportunity=prospect,
        expects_answer=True,
    )
