"""CSV exports written as a stream: a header, then rows, one record at a time.

Lines end in CRLF (RFC 4180, what Excel writes); the optional byte-order mark is what makes
Excel open UTF-8 as UTF-8 instead of the machine's legacy code page.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import TextIO

from topofmind.integrations.exports.cells import Cell, CellError, cell_text, safe_text
from topofmind.integrations.exports.errors import ExportError

Row = Mapping[str, Cell] | Sequence[Cell]
BOM = "\ufeff"


class _Pending:
    """A file-like sink that hands back what the csv writer wrote since the last call."""

    def __init__(self) -> None:
        self._parts: list[str] = []

    def write(self, text: str) -> int:
        self._parts.append(text)
        return len(text)

    def take(self) -> str:
        text = "".join(self._parts)
        self._parts.clear()
        return text


def csv_lines(header: Sequence[str], rows: Iterable[Row], *, bom: bool = False) -> Iterator[str]:
    """The export as text records (header first), for a streaming response or a file.

    ``rows`` is read lazily, one row per record yielded, so a large export never sits in
    memory. A row is either a mapping from header names to cells (a missing name is an empty
    cell) or a sequence of cells in header order. A bad header raises ``ExportError`` here,
    before anything is sent; a bad row raises it when the stream reaches that row, naming the
    row and the column.
    """
    columns = list(header)
    if not columns:
        raise ExportError("A CSV export needs at least one column in its header.")
    if len(set(columns)) != len(columns):
        repeated = sorted({name for name in columns if columns.count(name) > 1})
        raise ExportError(f"The CSV header names the column {repeated[0]!r} twice.")
    return _records(columns, rows, bom=bom)


def _records(columns: list[str], rows: Iterable[Row], *, bom: bool) -> Iterator[str]:
    sink = _Pending()
    writer = csv.writer(sink, lineterminator="\r\n")
    writer.writerow([safe_text(name) for name in columns])
    yield (BOM if bom else "") + sink.take()
    for number, row in enumerate(rows, start=1):
        writer.writerow(_cells(number, row, columns))
        yield sink.take()


def write_csv(stream: TextIO, header: Sequence[str], rows: Iterable[Row], *, bom: bool = False) -> int:
    """Write the export to ``stream`` and return the number of data rows.

    Open a file for it with ``open(path, "w", encoding="utf-8", newline="")``: without
    ``newline=""`` Windows would turn each CRLF into CR CR LF.
    """
    records = 0
    for record in csv_lines(header, rows, bom=bom):
        stream.write(record)
        records += 1
    return records - 1  # the header is not a data row


def _cells(number: int, row: Row, columns: list[str]) -> list[str]:
    if isinstance(row, Mapping):
        unknown = [key for key in row if key not in columns]
        if unknown:
            raise ExportError(f"Row {number} has a value for {unknown[0]!r}, which is not a column of this export.")
        values: list[object] = [row.get(name) for name in columns]
    elif isinstance(row, str | bytes):
        raise ExportError(f"Row {number} is a single piece of text, not a row of cells.")
    else:
        values = list(row)
        if len(values) != len(columns):
            raise ExportError(f"Row {number} has {len(values)} cells but the export has {len(columns)} columns.")
    texts: list[str] = []
    for name, value in zip(columns, values, strict=True):
        try:
            texts.append(cell_text(value))
        except CellError as exc:
            raise ExportError(f"Row {number}, column {name!r}: {exc}.") from None
    return texts
