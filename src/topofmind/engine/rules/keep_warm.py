"""R5 keep-warm cadences, R14 recruiter updates and the recruiter playbook's candidate updates (P4)."""

from __future__ import annotations

from datetime import datetime

from ..types import CONVERSATIONS, OPEN_STAGES, Kind, OpportunitySnap, Purpose, Role, State
from .world import PersonWorld, is_answer, is_message, on_day


def _periodic(
    w: PersonWorld,
    *,
    rule: str,
    purpose: Purpose,
    days: int,
    why: str,
    opportunity: OpportunitySnap | None = None,
    since: datetime | None = None,
) -> None:
    """A cadence counted from ``since`` (default: the last touch); a skipped or done round restarts it."""
    last_touch = w.history[-1].at
    anchor = since if since is not None else last_touch
    for _ in range(50):
        due = w.cal.after_days(anchor, days)
        key = f"{rule}:{purpose.value}:{w.person.id}:{due.isoformat()}"
        action = w.actions.get(key)
        if action is None or action.state not in (State.DONE, State.SKIPPED):
            break
        anchor = max(anchor, action.at)
    else:  # pragma: no cover - a user would need fifty skips in a row
        return
    w.add(
        key=key,
        purpose=purpose,
        rule=rule,
        why=why.format(days=days, last=on_day(w.cal.local_day(last_touch))),
        due_day=due,
        opportunity=opportunity,
    )


# What tells a recruiter how the search is going (R14): an update, or a conversation.
PROGRESS_KINDS = frozenset({Kind.RECRUITER_UPDATE, Kind.ACHIEVEMENT_UPDATE}) | CONVERSATIONS


def keep_warm(w: PersonWorld, asking: bool, resume_at: datetime | None) -> None:
    """R5, R14 and the recruiter playbook's candidate updates (P4).

    ``asking``: an R3 ask is out and live, so R3 carries the person (no keep-warm on top).
    ``resume_at``: the user dropped the live R3 item (skipped it): cadences count from then.
    """
    if asking or all(i.kind is Kind.CONNECTION for i in w.history):
        # An ask is out (R3 carries it), or nothing was ever said: a LinkedIn connection
        # alone (hundreds come in with an import) starts no cadence until a real touch.
        return
    roles = w.roles()
    searching = w.accepted is None
    since = max(w.history[-1].at, resume_at) if resume_at is not None else None
    open_opp = next((o for o in w.my_opportunities if o.stage in OPEN_STAGES), None)
    if w.policy.enabled("P4") and Role.CANDIDATE in roles and open_opp is not None:
        # Candidates in an open requisition hear from you weekly; once it closes they
        # join the rest of the network at its own cadence (R5) instead of forever weekly.
        _periodic(
            w,
            rule="P4",
            purpose=Purpose.CANDIDATE_UPDATE,
            days=w.policy.candidate_update_days,
            why=f"candidate for {open_opp.title}" + " — candidates hear from you every {days} days; last touch {last}",
            opportunity=open_opp,
            since=since,
        )
        return
    if searching and w.policy.enabled("R14") and Role.RECRUITER in roles:
        # R14 has its own clock: the last progress update (or conversation), else the first touch.
        # R5 below still applies, so a recruiter in an open opening hears from you weekly too;
        # when both are due the same day R6's precedence picks the update.
        progress = [i for i in w.history if i.kind in PROGRESS_KINDS and (is_message(i) or is_answer(i))]
        anchor = progress[-1] if progress else w.history[0]
        label = "last update" if progress else "first touch"
        _periodic(
            w,
            rule="R14",
            purpose=Purpose.RECRUITER_UPDATE,
            days=w.policy.recruiter_update_days,
            why=f"recruiters get a progress update every {{days}} days — {label} {on_day(w.cal.local_day(anchor.at))}",
            since=max(anchor.at, resume_at) if resume_at is not None else anchor.at,
        )
    if not w.policy.enabled("R5"):
        return
    if searching and open_opp is not None:
        _periodic(
            w,
            rule="R5",
            purpose=Purpose.KEEP_WARM,
            days=w.policy.keep_warm_open_days,
            why=f"part of {open_opp.title} at {open_opp.organization_name}" + " — last touch {last}; "
            "people in an open opening hear from you every {days} days",
            opportunity=open_opp,
            since=since,
        )
        return
    days = w.person.cadence_days or w.policy.keep_warm_network_days
    _periodic(
        w,
        rule="R5",
        purpose=Purpose.KEEP_WARM,
        days=days,
        why="last touch {last} — keep warm every {days} days",
        since=since,
    )
