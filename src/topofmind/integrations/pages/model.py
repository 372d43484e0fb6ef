"""What an article page becomes."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class PageSummary:
    """A teaser for a page: enough to list it as a value to share and to quote in a draft.

    ``url`` is the page's canonical address when it names one (else where it was fetched);
    ``summary`` may be "" when the page has a title and no readable text; ``feeds`` are the
    news feeds the page advertises (absolute addresses), for "follow this company".
    ``notes`` are problems worked around (a wrong charset, a page cut at the size limit).
    """

    url: str
    title: str
    summary: str
    site_name: str
    feeds: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
