"""How long a page of a list is (people, organizations, openings)."""

from __future__ import annotations

PER_PAGE = 50
