"""One value as a CSV cell a spreadsheet shows as written and never runs.

Spreadsheets treat a cell that starts with ``=``, ``+``, ``-`` or ``@`` as a formula, and one
that starts with a tab or a carriage return can smuggle one in; a name or note typed by someone
else (an imported contact, a job posting) could then run a formula on the user's machine. As
OWASP's CSV-injection guidance recommends, such a cell gets a leading apostrophe, which makes
the spreadsheet take the rest as text.

One exception, on purpose: a plain negative number (``-12``, ``-3.5``) is left alone, so a
column of amounts still sums; a bare number cannot call anything. A leading ``+`` is always
neutralised: numbers are rarely written with one, phone numbers nearly always are, and keeping
``+44 20 7946 0000`` as text is exactly what the user wants. Typed numbers (``int``) are ours,
never text someone typed, and are written as they are.
"""

from __future__ import annotations

import re
from datetime import date, datetime

Cell = str | int | date | datetime | None

_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_NEGATIVE_NUMBER = re.compile(r"-[0-9]+(?:\.[0-9]+)?")  # ASCII digits: what a spreadsheet reads as a number


class CellError(ValueError):
    """A value no cell can hold; the writer adds the row and column to the message."""


def cell_text(value: object) -> str:
    """``value`` as the text of its cell: ISO dates, spreadsheet-safe strings."""
    if value is None:
        return ""
    if isinstance(value, bool):  # before int: True is an int to Python, not to a reader
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, datetime):
        if value.tzinfo is None or value.utcoffset() is None:
            raise CellError("the date and time has no time zone, so the export would not say when it was")
        return value.isoformat(timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str):
        return safe_text(value)
    raise CellError(f"a value of type {type(value).__name__} cannot be written to a CSV cell")


def safe_text(text: str) -> str:
    """``text`` with a leading apostrophe if a spreadsheet would read it as a formula."""
    # Leading spaces too: some importers trim them before deciding what a cell is.
    start = text.lstrip(" ")
    if start.startswith(_TRIGGERS) and not _NEGATIVE_NUMBER.fullmatch(start):
        return "'" + text
    return text
