"""The public holidays of a workspace's country, asked of the `holidays` package.

The engine counts business days but knows no country's calendar: this module turns a
country code into the ``HolidayDates`` (year -> dates) that ``engine.types.Context`` carries.
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache, partial

from topofmind.engine.types import HolidayDates


@lru_cache(maxsize=256)
def holiday_dates(country: str, year: int) -> frozenset[date]:
    """The public holidays of ``country`` (ISO 3166 code) in ``year``; none for a code the package lacks."""
    import holidays  # pure data; imported lazily to keep start-up light

    try:
        return frozenset(holidays.country_holidays(country, years=year).keys())
    except NotImplementedError:
        return frozenset()


@lru_cache(maxsize=64)
def holidays_of(country: str | None) -> HolidayDates | None:
    """The holiday dates of ``country`` for the engine; None (weekends only) without a country.

    Cached so that the same country always hands over the same provider: contexts built
    for it compare equal.
    """
    code = (country or "").strip().upper()
    return partial(holiday_dates, code) if code else None
