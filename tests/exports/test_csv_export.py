"""CSV exports as a spreadsheet would open them: read back with the csv module."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator, Sequence
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from topofmind.integrations.exports import ExportError, csv_lines, write_csv

HEADER = ["Person", "Organization", "Due", "Last touch", "Touches", "Notes"]
BERLIN_WINTER = timezone(timedelta(hours=1))


def read_back(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


def export(header: list[str], rows: Sequence[Any], **options: bool) -> list[list[str]]:
    return read_back("".join(csv_lines(header, rows, **options)))


def test_a_header_and_rows_given_as_mappings_or_tuples_read_back_as_written() -> None:
    rows = [
        {
            "Person": "Ann Lee",
            "Organization": "Acme",
            "Due": date(2026, 3, 5),
            "Last touch": datetime(2026, 3, 4, 15, 30, tzinfo=BERLIN_WINTER),
            "Touches": 3,
            "Notes": None,
        },
        ("Bob Stone", "Globex", None, None, 0, "Prefers phone"),
        {"Person": "Cleo Park"},  # the columns not given are empty
    ]

    assert export(HEADER, rows) == [
        HEADER,
        ["Ann Lee", "Acme", "2026-03-05", "2026-03-04T15:30:00+01:00", "3", ""],
        ["Bob Stone", "Globex", "", "", "0", "Prefers phone"],
        ["Cleo Park", "", "", "", "", ""],
    ]


def test_commas_quotes_line_breaks_and_non_ascii_stay_inside_their_cell() -> None:
    note = 'Said "call me, maybe";\nthen left.\r\nZoë — 東京 🎉'

    [_, row] = export(["Person", "Notes"], [("Zoë Ørsted, PhD", note)])

    assert row == ["Zoë Ørsted, PhD", note]


@pytest.mark.parametrize(
    "typed",
    [
        "=1+1",
        '=HYPERLINK("http://evil.example","click")',
        "+SUM(A1:A9)",
        "-2+3",
        "@SUM(A1)",
        "\t=1+1",
        "\r=1+1",
        "  =1+1",
        "+44 20 7946 0000",
        "-",
        "-١٢",  # Arabic-Indic digits: not a number to a spreadsheet, so not left alone
    ],
)
def test_a_cell_a_spreadsheet_would_run_as_a_formula_is_written_as_text(typed: str) -> None:
    [_, [cell]] = export(["Notes"], [(typed,)])

    assert cell == "'" + typed  # the apostrophe makes a spreadsheet show the rest as text


@pytest.mark.parametrize("number", ["-12", "-3.5", "-0.25"])
def test_a_plain_negative_number_stays_a_number_so_columns_still_sum(number: str) -> None:
    [_, [cell]] = export(["Amount"], [(number,)])

    assert cell == number


def test_numbers_we_typed_and_harmless_text_are_written_untouched() -> None:
    [_, row] = export(["A", "B", "C", "D"], [(-5, "a=b", "mail@example.org", "1+1")])

    assert row == ["-5", "a=b", "mail@example.org", "1+1"]


def test_a_header_typed_by_a_user_is_neutralised_too() -> None:
    [header, _] = export(["Person", "=cmd|' /C calc'!A0"], [("Ann", "x")])

    assert header == ["Person", "'=cmd|' /C calc'!A0"]


def test_the_excel_option_starts_the_file_with_a_utf8_byte_order_mark(tmp_path: Path) -> None:
    path = tmp_path / "people.csv"
    with path.open("w", encoding="utf-8", newline="") as stream:
        written = write_csv(stream, ["Person"], [("Zoë",), ("Ann",)], bom=True)

    raw = path.read_bytes()
    assert written == 2
    assert raw.startswith(b"\xef\xbb\xbfPerson\r\n")
    assert raw.endswith(b"Ann\r\n")
    assert read_back(raw.decode("utf-8-sig")) == [["Person"], ["Zoë"], ["Ann"]]


def test_without_the_excel_option_there_is_no_byte_order_mark() -> None:
    assert "".join(csv_lines(["Person"], [("Ann",)])) == "Person\r\nAnn\r\n"


def test_a_large_export_is_streamed_one_row_at_a_time() -> None:
    pulled = 0

    def rows() -> Iterator[tuple[int, str]]:
        nonlocal pulled
        for number in range(50_000):
            pulled += 1
            yield (number, f"person {number}")

    lines = csv_lines(["Number", "Name"], rows())
    first_three = [next(lines) for _ in range(3)]

    assert first_three == ["Number,Name\r\n", "0,person 0\r\n", "1,person 1\r\n"]
    assert pulled == 2
    assert sum(1 for _ in lines) == 50_000 - 2


@pytest.mark.parametrize(
    ("rows", "words"),
    [
        ([{"Person": "Ann", "Salary": 1}], "Row 1 has a value for 'Salary', which is not a column"),
        ([("Ann", "Acme"), ("Bob",)], "Row 2 has 1 cells but the export has 2 columns"),
        ([("Ann", datetime(2026, 3, 5, 9, 0))], "Row 1, column 'Organization': the date and time has no time zone"),
        ([("Ann", ["Acme"])], "Row 1, column 'Organization': a value of type list cannot be written"),
        (["Ann"], "Row 1 is a single piece of text"),
    ],
)
def test_a_row_that_cannot_be_written_is_named_with_its_column(rows: list[object], words: str) -> None:
    with pytest.raises(ExportError) as caught:
        export(["Person", "Organization"], rows)

    assert words in str(caught.value)


def test_a_header_naming_a_column_twice_is_refused_before_anything_is_sent() -> None:
    with pytest.raises(ExportError, match="names the column 'Due' twice"):
        csv_lines(["Due", "Person", "Due"], [])


def test_dates_and_times_keep_the_zone_they_were_given_in() -> None:
    moment = datetime(2026, 10, 25, 1, 30, tzinfo=UTC)

    [_, row] = export(["UTC", "Day"], [(moment, moment.date())])

    assert row == ["2026-10-25T01:30:00+00:00", "2026-10-25"]


_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(st.characters(codec="utf-8"), max_size=40), min_size=1, max_size=5))
def test_any_text_reads_back_as_written_or_as_text_a_spreadsheet_will_not_run(cells: list[str]) -> None:
    header = [f"c{i}" for i in range(len(cells))]

    [_, row] = export(header, [tuple(cells)])

    for given_text, seen in zip(cells, row, strict=True):
        assert seen in (given_text, "'" + given_text)
        if seen == given_text and given_text.lstrip(" ").startswith(_TRIGGERS):
            assert re.fullmatch(r"-[0-9]+(\.[0-9]+)?", given_text.lstrip(" "))
