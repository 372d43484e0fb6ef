"""R10-R11: which item of value a follow-up carries. Pure: standard library only, ``now`` passed in.

A follow-up after the first (a nudge, a status inquiry, a check-in, a keep-warm note, a value
share, a recruiter or achievement update) carries one item the person has not been sent yet:

1. fresh news of their employer (published within ``news_fresh_days`` of now), newest first;
2. else an article on their interests (most shared tags first, then the newest);
3. else an achievement of the user's, the most recent first;
4. else a material (a résumé, a portfolio, a sample), only if they gave permission (R11).

Thank-yous (they recap the interview), replies, R9's gracious reply, connection invites and
first contact carry nothing. Ties are broken by the lower id, so the same library always gives
the same pick. An achievement update (R12) carries the achievement that caused it.
"""

from __future__ import annotations

import enum
from collections.abc import Collection, Hashable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache

from .types import Policy, Purpose


class ValueKind(enum.StrEnum):
    """The four kinds of value a follow-up can carry (R10)."""

    ARTICLE = "article"  # something worth reading on their interests
    NEWS = "news"  # company news: a talking point
    ACHIEVEMENT = "achievement"  # a certification, a course, a milestone of the user's
    MATERIAL = "material"  # a résumé version, a portfolio, a work sample (R11: with permission)


# The follow-ups that carry an item (R10). Never a thank-you, a reply (R9's gracious reply is
# one), a connection invite or first contact.
VALUE_PURPOSES = frozenset(
    {
        Purpose.NUDGE,
        Purpose.STATUS_INQUIRY,
        Purpose.CHECK_IN,
        Purpose.KEEP_WARM,
        Purpose.VALUE_SHARE,
        Purpose.RECRUITER_UPDATE,
        Purpose.ACHIEVEMENT_UPDATE,
    }
)


def carries_value(purpose: Purpose) -> bool:
    return purpose in VALUE_PURPOSES


def tags_of(text: str | Iterable[str]) -> frozenset[str]:
    """Comma-separated tags (or interests) as a set: trimmed, case-folded, blanks dropped."""
    if isinstance(text, str):
        return _tags(text)
    return frozenset(t for t in (" ".join(p.split()).casefold() for p in text) if t)


@lru_cache(maxsize=4096)
def _tags(text: str) -> frozenset[str]:  # the same few tag lists come back on every read
    return frozenset(t for t in (" ".join(p.split()).casefold() for p in text.split(",")) if t)


@dataclass(frozen=True)
class LibraryItem:
    """One item of the value library as the engine sees it."""

    id: int
    kind: ValueKind
    title: str
    url: str = ""
    summary: str = ""
    tags: frozenset[str] = frozenset()
    organization_id: int | None = None  # news: the employer it is about
    on: date | None = None  # when it happened / was published (None = unknown)
    created_at: datetime | None = None

    def day(self) -> date | None:
        """The day it happened; the day it was added when no date was given."""
        if self.on is not None:
            return self.on
        return self.created_at.date() if self.created_at is not None else None


@dataclass(frozen=True)
class Recipient:
    """What the choice reads about the person a follow-up goes to."""

    person_id: int
    organization_id: int | None = None
    interests: frozenset[str] = frozenset()
    materials_permission: bool = False  # R11: a logged touch recorded their permission


class Library:
    """The items of a workspace (or the part of it the day's people need), indexed for ``ranked``."""

    def __init__(self, items: Iterable[LibraryItem]) -> None:
        self.by_id: dict[int, LibraryItem] = {}
        self.news: dict[int, list[LibraryItem]] = {}
        self.articles: list[LibraryItem] = []
        self.by_tag: dict[str, list[LibraryItem]] = {}
        self.achievements: list[LibraryItem] = []
        self.materials: list[LibraryItem] = []
        self.recent_articles: list[LibraryItem] = []  # the newest articles, for a picker (set by the caller)
        for item in sorted(items, key=lambda i: i.id):
            self.by_id[item.id] = item
            if item.kind is ValueKind.NEWS:
                if item.organization_id is not None:
                    self.news.setdefault(item.organization_id, []).append(item)
            elif item.kind is ValueKind.ARTICLE:
                self.articles.append(item)
                for tag in item.tags:
                    self.by_tag.setdefault(tag, []).append(item)
            elif item.kind is ValueKind.ACHIEVEMENT:
                self.achievements.append(item)
            else:
                self.materials.append(item)
        newest_first = _newest_first
        for found in self.news.values():
            found.sort(key=newest_first)
        self.achievements.sort(key=newest_first)
        self.materials.sort(key=newest_first)
        # each article's place, newest first: ``ranked`` orders a person's articles by it
        self.article_rank: dict[int, int] = {
            item.id: n for n, item in enumerate(sorted(self.articles, key=newest_first))
        }

    def __len__(self) -> int:
        return len(self.by_id)

    def get(self, item_id: int | None) -> LibraryItem | None:
        return self.by_id.get(item_id) if item_id is not None else None


def _newest_first(item: LibraryItem) -> tuple[int, int]:
    day = item.day()
    return (-(day.toordinal() if day is not None else 0), item.id)


def is_fresh(item: LibraryItem, *, now: datetime, policy: Policy) -> bool:
    """News is a talking point for ``news_fresh_days`` after it came out (R10)."""
    day = item.day()
    return day is not None and (now.date() - day) <= timedelta(days=policy.news_fresh_days)


def ranked(
    *,
    purpose: Purpose,
    recipient: Recipient,
    library: Library,
    shared: Collection[int],
    policy: Policy,
    now: datetime,
    pinned: int | None = None,
) -> Iterator[LibraryItem]:
    """Every item this follow-up may carry, best first (see the module docstring).

    ``shared``: ids of the items already sent to this person (never offered again);
    ``pinned``: the achievement an achievement update (R12) is about, offered first.
    """
    if not carries_value(purpose) or not policy.enabled("R10"):
        return
    seen: set[int] = set(shared)

    def fresh(item: LibraryItem) -> bool:
        if item.id in seen:
            return False
        seen.add(item.id)
        return True

    pinned_item = library.get(pinned)
    if pinned_item is not None and pinned_item.kind is ValueKind.ACHIEVEMENT and fresh(pinned_item):
        yield pinned_item
    if recipient.organization_id is not None:
        for item in library.news.get(recipient.organization_id, ()):
            if is_fresh(item, now=now, policy=policy) and fresh(item):
                yield item
    if recipient.interests:
        overlap: dict[int, int] = {}
        for tag in recipient.interests:
            for item in library.by_tag.get(tag, ()):
                overlap[item.id] = overlap.get(item.id, 0) + 1
        place = library.article_rank
        for pk in sorted(overlap, key=lambda pk: (-overlap[pk], place[pk])):
            item = library.by_id[pk]
            if fresh(item):
                yield item
    for item in library.achievements:
        if fresh(item):
            yield item
    for item in library.materials:
        if allowed(item, recipient, policy) and fresh(item):
            yield item


def ranking_key(
    *, purpose: Purpose, recipient: Recipient, library: Library, shared: Collection[int], pinned: int | None = None
) -> Hashable:
    """All that ``ranked`` reads of one follow-up, for a given library, policy and moment: two
    follow-ups with the same key are offered the same items (a day's dozens of people with no
    news and no interests are ranked once). Not the person: an employer without news in
    ``library`` counts as none, ``shared`` as the set it is."""
    org = recipient.organization_id if recipient.organization_id in library.news else None
    return (
        carries_value(purpose),
        pinned,
        org,
        recipient.interests,
        recipient.materials_permission,
        frozenset(shared),
    )


def pick(
    *,
    purpose: Purpose,
    recipient: Recipient,
    library: Library,
    shared: Collection[int],
    policy: Policy,
    now: datetime,
    pinned: int | None = None,
) -> LibraryItem | None:
    """The best item this follow-up carries, or None when nothing fits (or it carries nothing)."""
    return next(
        ranked(
            purpose=purpose,
            recipient=recipient,
            library=library,
            shared=shared,
            policy=policy,
            now=now,
            pinned=pinned,
        ),
        None,
    )


def allowed(item: LibraryItem, recipient: Recipient, policy: Policy) -> bool:
    """Whether the user may choose ``item`` for this person by hand: materials wait for permission (R11)."""
    return item.kind is not ValueKind.MATERIAL or (recipient.materials_permission or not policy.enabled("R11"))
