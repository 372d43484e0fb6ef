"""A CSV file as a header and a stream of rows, each with the lines it came from.

Real exports put things before the header (LinkedIn's ``Notes:`` paragraph), quote
commas and line breaks inside fields, and get cut short. ``CsvTable`` finds the header
among the first rows, then yields ``CsvRow``s keyed by normalized column name, carrying
the first and last physical line of each row and any problem found on them. A file that
ends inside a quoted field or in the middle of a row is reported as cut short
(``ImportFileError``), so an import of it writes nothing.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import BinaryIO

from topofmind.integrations.decoding import TextLines
from topofmind.integrations.records import ImportFileError

# How many rows may come before the header (LinkedIn's preamble takes three or four).
MAX_PREAMBLE_ROWS = 30
DELIMITERS = (",", ";", "\t")


def column_key(name: str) -> str:
    """``'E-mail 1 - Value '`` -> ``'e-mail 1 - value'``: compare headers by this."""
    return re.sub(r"\s+", " ", name.replace("\ufeff", "")).strip().strip('"').strip().lower()


@dataclass(frozen=True)
class CsvRow:
    line: int  # the physical line the row starts on (1-based, counting the preamble)
    last_line: int
    cells: tuple[str, ...]
    values: dict[str, str]  # column_key(header) -> cell, stripped
    problem: str | None = None  # why this row cannot be used, naming the field or bytes

    def get(self, *keys: str) -> str:
        """The first non-empty value among the given column keys."""
        for key in keys:
            value = self.values.get(key, "")
            if value:
                return value
        return ""


class CsvTable:
    """Open with ``CsvTable(stream, is_header=..., expected=...)``; iterate for rows."""

    def __init__(
        self,
        stream: BinaryIO,
        *,
        is_header: Callable[[Sequence[str]], bool],
        expected: str,
        delimiter: str | None = ",",
        rename: Mapping[str, str] | None = None,
    ) -> None:
        """``expected`` is the header we look for, shown in the error if it is missing.

        ``delimiter=None`` picks among comma, semicolon and tab from the header line.
        ``rename`` reads a column of the file as one of ours (``column_key`` of the file's
        name -> our name), see ``parse_renames``.
        """
        self._rename = dict(rename or {})
        self.lines = TextLines(stream)
        self._line_iter = iter(self.lines)
        self._delimiter = delimiter
        self._pending: list[str] = []
        if delimiter is None:
            self._delimiter = self._sniff_delimiter()
        self._reader = csv.reader(self._feed(), delimiter=self._delimiter or ",", strict=True)
        self._last_line = 0
        self.header, self.header_line = self._find_header(is_header, expected)
        self.keys = tuple(column_key(h) for h in self._renamed(self.header))
        missing = [c for c in self._rename if c not in {column_key(h) for h in self.header}]
        if missing:
            raise ImportFileError(
                f"--map: the file has no column '{missing[0]}' (its columns: {', '.join(self.header)})",
                line=self.header_line,
            )

    def _renamed(self, cells: Sequence[str]) -> list[str]:
        return [self._rename.get(column_key(c), c) for c in cells]

    @property
    def encoding_label(self) -> str:
        return self.lines.encoding.label

    def _feed(self) -> Iterator[str]:
        yield from self._pending
        self._pending = []
        yield from self._line_iter

    def _sniff_delimiter(self) -> str:
        """The delimiter that splits the first non-blank line into the most fields."""
        for line in self._line_iter:
            self._pending.append(line)
            if line.strip():
                counts = {d: line.count(d) for d in DELIMITERS}
                best = max(DELIMITERS, key=lambda d: counts[d])
                return best if counts[best] else ","
            if len(self._pending) > MAX_PREAMBLE_ROWS:
                break
        return ","

    def _next_cells(self) -> tuple[int, list[str]] | None:
        """The next row's first line and cells; None at the end of the file."""
        start = self._last_line + 1
        try:
            cells = next(self._reader)
        except StopIteration:
            return None
        except csv.Error as exc:
            self._last_line = self.lines.line_no
            message = str(exc)
            if "unexpected end of data" in message or "newline inside string" in message:
                raise ImportFileError(
                    "the file ends inside a quoted field that starts on this line: "
                    "it looks cut short (or a closing quote is missing)",
                    line=start,
                ) from exc
            if "field larger than field limit" in message:
                raise ImportFileError(
                    "a field here is longer than 128 KB — an opening quote without its closing quote?",
                    line=start,
                ) from exc
            # A stray quote spoils one row, not the file: report it and read on.
            return start, [f"\0{message}"]
        self._last_line = self.lines.line_no
        return start, cells

    def _find_header(self, is_header: Callable[[Sequence[str]], bool], expected: str) -> tuple[tuple[str, ...], int]:
        first_seen: tuple[int, str] | None = None
        self.preamble_rows = 0
        for _ in range(MAX_PREAMBLE_ROWS):
            got = self._next_cells()
            if got is None:
                break
            start, cells = got
            if not any(c.strip() for c in cells):
                continue
            if first_seen is None:
                first_seen = (start, self._delimiter_join(cells))
            if is_header(self._renamed(cells)):
                problem = self.lines.problem_between(start, self._last_line)
                if problem:
                    raise ImportFileError(f"the header row cannot be read: {problem}", line=start)
                return tuple(c.strip() for c in cells), start
            self.preamble_rows += 1
        if first_seen is None:
            raise ImportFileError("the file has no rows at all")
        line, text = first_seen
        raise ImportFileError(
            f"no header row found in the first {MAX_PREAMBLE_ROWS} rows. The file should have "
            f"a header line like '{expected}', but line {line} reads '{_clip(text)}' "
            "— add the header line back, name your columns with --map, or check you picked the right "
            "kind of import"
        )

    def _delimiter_join(self, cells: Sequence[str]) -> str:
        return (self._delimiter or ",").join(cells)

    def __iter__(self) -> Iterator[CsvRow]:
        width = len(self.header)
        pending: CsvRow | None = None
        while True:
            got = self._next_cells()
            if got is None:
                break
            start, cells = got
            if pending is not None:
                yield pending
                pending = None
            problem = self.lines.problem_between(start, self._last_line)
            if cells and cells[0].startswith("\0"):
                problem = problem or f"the row cannot be read as CSV ({cells[0][1:]}) — a stray quote?"
                cells = []
            elif not any(c.strip() for c in cells):
                continue  # a blank line
            elif problem is None and len(cells) < width:
                problem = f"the row has {len(cells)} of the {width} columns"
            elif problem is None and len(cells) > width and any(c.strip() for c in cells[width:]):
                problem = (
                    f"the row has {len(cells)} fields but the header has {width} columns "
                    "— a comma that should have been quoted?"
                )
            values = {key: (cells[i].strip() if i < len(cells) else "") for i, key in enumerate(self.keys)}
            pending = CsvRow(start, self._last_line, tuple(cells), values, problem)
        if pending is not None:
            short = pending.cells and len(pending.cells) < width
            if short and not self.lines.ended_with_newline:
                raise ImportFileError(
                    f"the last row stops after {len(pending.cells)} of the {width} columns: "
                    "the file looks cut short — export it again",
                    line=pending.line,
                )
            yield pending


def parse_renames(items: Iterable[str], *, known: Callable[[str], bool], example: str) -> dict[str, str]:
    """``--map "COLUMN=OURS"`` options -> ``{column_key(COLUMN): OURS}``.

    ``known`` says whether ``column_key(OURS)`` is a column this format reads; a malformed
    item or an unknown column of ours is an ImportFileError naming it.
    """
    result: dict[str, str] = {}
    for item in items:
        column, sep, ours = item.rpartition("=")
        if not sep or not column.strip() or not ours.strip():
            raise ImportFileError(f"--map '{item}': write it as COLUMN=COLUMN, e.g. --map '{example}'")
        if not known(column_key(ours)):
            raise ImportFileError(f"--map '{item}': '{ours.strip()}' is not a column this import reads")
        result[column_key(column)] = ours.strip()
    return result


def _clip(text: str, limit: int = 80) -> str:
    text = text.replace("\n", " ").replace("\r", " ")
    return text if len(text) <= limit else text[: limit - 1] + "…"
