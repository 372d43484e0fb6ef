"""Putting one person together: every rule, then the person-wide constraints.

Each rule reads the person's history (their touches, oldest first) and says what it wants
and from when. Then the person-wide constraints apply, in this order:

1. R9 stop: a do-not-contact person gets nothing; items of a dropped opportunity vanish;
   after an accepted offer the search cadences wind down.
2. R3 rest: after two unanswered nudges only the check-in (and owed thank-yous/replies) live;
   if the user dropped the check-in, nothing non-owed comes before the rest is over.
3. R7 out-of-office: non-owed items wait for the return date.
4. R6 guard: a non-exempt item is never due before the last non-exempt message + the window.
5. The user's own word (done / skipped / snoozed) on the item's key.

Everything here is a pure function of the snapshot: no clock, no I/O.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import date

from ..types import DEADLINE_PURPOSES, DROPPED_STATES, EXEMPT_PURPOSES, Purpose, Role, State, Suggestion
from .achievements import achievement_updates
from .calls import fit_call
from .keep_warm import keep_warm
from .nudges import Thread, nudges, r3_state, thread_of
from .pacing import guard_day
from .recruiter import recruiter_rules
from .referrals import referral_asks
from .replies import out_of_office_until, replies
from .status import status_inquiries
from .stop import accepted_thank_yous, stopped
from .thank_you import linkedin_invites, thank_yous
from .world import PersonWorld

# Someone whose every touch is a LinkedIn connection, in no opening, is planned by two rules
# only: R13 asks referrers and peers for advice, R9 thanks referrers and recruiters who
# helped before an accepted offer. Every other rule needs a real touch or an opening
# (keep-warm starts no cadence on a connection alone). So such a person with none of these
# roles is planned nothing - what lets an import of thousands of connections skip their
# re-plan (tests/unit/test_engine_connections_only.py checks it against plan()).
ROLES_PLANNED_ON_A_CONNECTION = frozenset({Role.REFERRER, Role.PEER, Role.RECRUITER})


def plans_nothing_on_a_connection(roles: Iterable[Role]) -> bool:
    """True when a person with these roles, whose every touch is a connection and who takes
    part in no opening, gets no suggestion from any rule (whatever else the workspace holds;
    the employer-wide R15 prospects are planned apart from people)."""
    return not (ROLES_PLANNED_ON_A_CONNECTION & set(roles))


def candidates_for(w: PersonWorld) -> list[Suggestion]:
    """Every live candidate for one person, constraints applied (see the module docstring)."""
    if w.person.do_not_contact:
        return []  # R9: nothing, ever
    p = w.policy
    thread = thread_of(w.history)
    if p.enabled("R1"):
        thank_yous(w)
    if p.enabled("R7"):
        replies(w)
    if p.enabled("R9"):
        accepted_thank_yous(w)
    recruiter_rules(w)
    if p.enabled("R3"):
        nudges(w, thread)
    asking, resume_at = r3_state(w)
    if p.enabled("R4"):
        status_inquiries(w)
    if p.enabled("R13"):
        referral_asks(w)
    if p.enabled("R2"):
        linkedin_invites(w)
    if p.enabled("R12"):
        achievement_updates(w)
    keep_warm(w, asking, resume_at)
    return finish(w, thread, asking)


def finish(w: PersonWorld, thread: Thread, asking: bool) -> list[Suggestion]:
    out: list[Suggestion] = []
    guard_end = guard_day(w)
    ooo_until = out_of_office_until(w)
    rest_end: date | None = None
    if thread.rest_from is not None:
        rest_end = w.cal.after_days(thread.rest_from.at, w.policy.rest_days)
    for s in w.out:
        exempt = s.purpose in EXEMPT_PURPOSES
        if stopped(s, w):
            continue  # R9
        if rest_end is not None and not exempt:
            if asking and not (s.rule == "R3" and s.purpose is Purpose.CHECK_IN):
                continue  # R3/R6: nothing but the check-in once the rest is over
            s = _not_before(s, rest_end, w)  # the user dropped the check-in: the rest still holds
        if not exempt:
            s = _not_before(s, guard_end, w)
            if ooo_until is not None:
                s = _not_before(s, w.cal.roll_forward(ooo_until), w)
        acted = _apply_user_action(s, w)
        if acted is not None:
            out.append(fit_call(acted, w))
    return out


def _not_before(s: Suggestion, day: date | None, w: PersonWorld) -> Suggestion:
    if day is None or s.due_day >= day:
        return s
    start = w.cal.start_of(day)
    due = max(s.due, w.nine_am(day)) if s.purpose in DEADLINE_PURPOSES else w.nine_am(day)
    return replace(s, due_day=day, actionable_from=max(s.actionable_from, start), due=due)


def _apply_user_action(s: Suggestion, w: PersonWorld) -> Suggestion | None:
    action = w.actions.get(s.key)
    if action is None:
        return s
    if action.state in DROPPED_STATES:
        return None
    if action.state is State.SNOOZED and action.until is not None:
        until = action.until
        day = w.cal.local_day(until)
        if s.purpose in DEADLINE_PURPOSES:
            return replace(s, actionable_from=max(s.actionable_from, until), due_day=max(s.due_day, day))
        if day > s.due_day or (day == s.due_day and until > s.actionable_from):
            return replace(s, due_day=day, actionable_from=until, due=max(until, s.due))
    return s
