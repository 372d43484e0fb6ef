"""The rulebook, person by person: every live candidate follow-up for one person.

One module per rule family, so "where is R3?" is answered by a file name:

    thank_you.py  R1 thank-yous, R2 LinkedIn invites
    nudges.py     R3 nudges, the rest and the check-in
    status.py     R4 status inquiries
    keep_warm.py  R5 keep-warm, R14 recruiter updates, P4 candidate updates (the cadences)
    pacing.py     R6 the guard window (precedence and the daily cap are in engine/agenda.py)
    replies.py    R7 replies owed, out-of-office
    calls.py      R8 calls in their business hours
    stop.py       R9 what stops, and the thank-yous after an accepted offer
    achievements.py R12 achievement updates
    referrals.py  R13 referral asks
    recruiter.py  P1-P3 the recruiter playbook's follow-ups
    world.py      PersonWorld (what a rule may look at) and how a touch reads
    person.py     candidates_for: every rule, then the person-wide constraints in order

R15 (prospects and the daily quota) is workspace-wide and lives in engine/agenda.py; R16
(business days) in engine/calendar.py; R17 (ghosted) in engine/ghosted.py.

Every name callers imported from the old rules.py is re-exported here. Three rule functions
share their module's name (``nudges``, ``replies``, ``keep_warm``): ``from topofmind.engine.rules
import nudges`` gives the function, as it always did; import the module by its dotted path.
"""

from __future__ import annotations

from .achievements import achievement_updates
from .calls import call_slot, fit_call
from .keep_warm import PROGRESS_KINDS, keep_warm
from .nudges import KIND_LABEL, Thread, nudges, r3_state, thread_of
from .pacing import counts_for_guard, guard_day
from .person import ROLES_PLANNED_ON_A_CONNECTION, candidates_for, finish, plans_nothing_on_a_connection
from .recruiter import recruiter_rules
from .referrals import referral_asks
from .replies import out_of_office_until, replies
from .status import status_inquiries
from .stop import SEARCH_PURPOSES, accepted_thank_yous, stopped
from .thank_you import linkedin_invites, thank_yous
from .world import RECAP_PURPOSES, PersonWorld, is_answer, is_message, on_day, reply_mode, when

__all__ = [
    "KIND_LABEL",
    "PROGRESS_KINDS",
    "RECAP_PURPOSES",
    "ROLES_PLANNED_ON_A_CONNECTION",
    "SEARCH_PURPOSES",
    "PersonWorld",
    "Thread",
    "accepted_thank_yous",
    "achievement_updates",
    "call_slot",
    "candidates_for",
    "counts_for_guard",
    "finish",
    "fit_call",
    "guard_day",
    "is_answer",
    "is_message",
    "keep_warm",
    "linkedin_invites",
    "nudges",
    "on_day",
    "out_of_office_until",
    "plans_nothing_on_a_connection",
    "r3_state",
    "recruiter_rules",
    "referral_asks",
    "replies",
    "reply_mode",
    "status_inquiries",
    "stopped",
    "thank_yous",
    "thread_of",
    "when",
]
