"""R12: a new achievement is offered as an update to the hiring managers and recruiters of open openings."""

from __future__ import annotations

from datetime import date

from ..types import OPEN_STAGES, AchievementSnap, Kind, Purpose, Role
from .pacing import guard_day
from .world import PersonWorld, is_message, on_day

# Who hears about an achievement: the people deciding on an open opening, and its recruiters.
AUDIENCE = frozenset({Role.HIRING_MANAGER, Role.RECRUITER})


def achievement_updates(w: PersonWorld) -> None:
    """One update per person: the newest achievement they have not heard of, while it is new.

    An achievement already shared with them (a recorded share), or followed by an achievement
    update we sent them, is not offered again. It is due on the day it happened, or when the
    pacing guard (R6) lets the next message go; past ``achievement_new_days`` it is no longer news.
    """
    if not w.achievements:
        return
    opening = next(
        (
            o
            for o in w.my_opportunities
            if o.stage in OPEN_STAGES and (o.roles_of(w.person.id) | w.person.roles) & AUDIENCE
        ),
        None,
    )
    if opening is None:
        return
    told = [w.cal.local_day(i.at) for i in w.history if i.kind is Kind.ACHIEVEMENT_UPDATE and is_message(i)]
    last_told = max(told) if told else None
    # Not before the pacing guard lets a message go, nor before we first met them: an
    # achievement from before then is not news to them.
    floor = [day for day in (guard_day(w), w.cal.local_day(w.history[0].at) if w.history else None) if day]
    for achievement in sorted(w.achievements, key=lambda a: (a.on, a.id), reverse=True):
        if achievement.id in w.achievements_shared:
            continue
        if last_told is not None and last_told >= achievement.on:
            return  # they heard our news since this one happened (and older ones are older still)
        due = max([achievement.on, *floor])
        if (due - achievement.on).days > w.policy.achievement_new_days:
            return  # no longer news
        _offer(w, achievement, due, opening_title=opening.title, opening=opening.id)
        return


def _offer(w: PersonWorld, achievement: AchievementSnap, due: date, *, opening_title: str, opening: int) -> None:
    w.add(
        key=f"R12:{Purpose.ACHIEVEMENT_UPDATE.value}:{w.person.id}:{achievement.id}",
        purpose=Purpose.ACHIEVEMENT_UPDATE,
        rule="R12",
        why=f"new achievement “{achievement.title}” ({on_day(achievement.on)}) — "
        f"tell the people behind {opening_title}",
        due_day=due,
        opportunity=w.opportunities.get(opening),
        extra={"achievement": str(achievement.id)},
    )
