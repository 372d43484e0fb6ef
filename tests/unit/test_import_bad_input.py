"""Bad and odd input: encodings, binary files, truncated files, huge files (issue 5, item 5).

Odd encodings must import as if they were UTF-8; bad files must fail with a message that
names the line, before anything is written (the import consumes the whole stream before
it commits, so a file cut short raises at its end).
"""

from __future__ import annotations

import io
import tracemalloc
from pathlib import Path

import pytest

from topofmind.integrations.decoding import TextLines, detect_encoding
from topofmind.integrations.google import parse_google_csv
from topofmind.integrations.linkedin import parse_connections
from topofmind.integrations.records import ContactRecord, ImportFileError, RowProblem

FIXTURES = Path(__file__).parents[1] / "fixtures" / "imports" / "linkedin"
HEADER = "First Name,Last Name,URL,Email Address,Company,Position,Connected On"


def names(filename: str) -> list[str]:
    with open(FIXTURES / filename, "rb") as stream:
        return [r.name for r in parse_connections(stream).rows if isinstance(r, ContactRecord)]


def test_utf16_with_bom_reads_like_utf8() -> None:
    assert names("connections_utf16.csv") == names("connections_current.csv")
    with open(FIXTURES / "connections_utf16.csv", "rb") as stream:
        assert parse_connections(stream).encoding == "UTF-16 (little-endian) with byte-order mark"


def test_utf16_without_bom_and_big_endian_read_too() -> None:
    text = f"{HEADER}\nZoë,Ångström,,,Acme,CTO,04 Dec 2025\n"
    for codec in ("utf-16-le", "utf-16-be"):
        rows = list(parse_connections(io.BytesIO(text.encode(codec))).rows)
        assert [r.name for r in rows if isinstance(r, ContactRecord)] == ["Zoë Ångström"]


def test_utf8_bom_is_not_part_of_the_first_column_name() -> None:
    assert names("connections_utf8_bom.csv") == names("connections_current.csv")


def test_latin1_without_bom_keeps_accents() -> None:
    got = names("connections_latin1.csv")
    assert "José Núñez" in got
    assert "Björk Guðmundsdóttir" in got


def test_latin1_behind_a_utf8_bom_trusts_the_bytes_not_the_mark() -> None:
    assert names("connections_latin1_bom.csv") == names("connections_latin1.csv")


def test_a_bom_decoded_as_latin1_and_saved_again_is_ignored() -> None:
    data = ("\u00ef\u00bb\u00bf" + HEADER + "\nAnn,Lee,,,Acme,CTO,04 Dec 2025\n").encode()
    rows = list(parse_connections(io.BytesIO(data)).rows)
    assert [r.name for r in rows if isinstance(r, ContactRecord)] == ["Ann Lee"]


def test_windows_1252_quotes_and_euro_sign() -> None:
    data = f"{HEADER}\nAnn,O’Neil,,,€uro Ltd,“Lead”,04 Dec 2025\n".encode("cp1252")
    (record,) = list(parse_connections(io.BytesIO(data)).rows)
    assert isinstance(record, ContactRecord)
    assert record.last_name == "O’Neil"
    assert record.organization == "€uro Ltd"


def test_a_stray_latin1_byte_in_a_utf8_file_spoils_only_its_row_naming_line_and_byte() -> None:
    head = f"{HEADER}\n" + "Zoë,Ørsted,,,Acme,CTO,04 Dec 2025\n" * 3
    data = head.encode() + b"Jos\xe9,Nunez,,,Acme,CTO,04 Dec 2025\n" + b"Ann,Lee,,,Acme,CTO,04 Dec 2025\n"
    rows = list(parse_connections(io.BytesIO(data)).rows)
    problems = [r for r in rows if isinstance(r, RowProblem)]
    assert [p.line for p in problems] == [5]
    assert "byte 0xE9 at column 4 is not valid UTF-8" in problems[0].reason
    assert [r.name for r in rows if isinstance(r, ContactRecord)][-1] == "Ann Lee"


def test_a_binary_file_is_refused_before_any_row() -> None:
    with pytest.raises(ImportFileError, match="not a text file"):
        names("binary.csv")


def test_a_zip_archive_gets_a_hint_to_unzip_it() -> None:
    with pytest.raises(ImportFileError, match=r"ZIP archive.*unzip it"):
        names("connections.zip")


def test_an_empty_file_says_so() -> None:
    with pytest.raises(ImportFileError, match="the file is empty"):
        parse_connections(io.BytesIO(b""))


def test_a_file_cut_in_the_middle_of_a_row_fails_naming_the_line() -> None:
    with pytest.raises(ImportFileError) as err:
        names("connections_truncated.csv")
    assert err.value.line == 8
    assert "cut short" in str(err.value)
    assert str(err.value).startswith("line 8: ")


def test_a_file_cut_inside_a_quoted_field_fails_naming_the_line() -> None:
    with pytest.raises(ImportFileError) as err:
        names("connections_truncated_in_quotes.csv")
    assert err.value.line == 6
    assert "ends inside a quoted field" in str(err.value)


def test_a_file_cut_in_the_middle_of_a_character_fails_naming_the_line() -> None:
    with pytest.raises(ImportFileError) as err:
        names("connections_truncated_mid_character.csv")
    assert err.value.line == 9
    assert "middle of a character (UTF-8)" in str(err.value)


def test_utf16_cut_at_an_odd_byte_fails_as_cut_short() -> None:
    data = (f"{HEADER}\nAnn,Lee,,,Acme,CTO,04 Dec 2025\n").encode("utf-16")[:-1]
    with pytest.raises(ImportFileError, match="cut short"):
        list(parse_connections(io.BytesIO(data)).rows)


def test_a_last_row_without_newline_but_complete_is_fine() -> None:
    data = f"{HEADER}\nAnn,Lee,,,Acme,CTO,04 Dec 2025".encode()
    (record,) = list(parse_connections(io.BytesIO(data)).rows)
    assert isinstance(record, ContactRecord)


def test_a_file_without_line_breaks_is_refused_without_reading_it_whole(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("topofmind.integrations.decoding.MAX_LINE_CHARS", 10_000)
    data = HEADER.encode() + b"\n" + b"a" * 50_000
    with pytest.raises(ImportFileError, match="line 2: the line is longer than"):
        list(parse_connections(io.BytesIO(data)).rows)


def test_csv_for_the_wrong_import_names_what_it_expected() -> None:
    with open(FIXTURES / "connections_current.csv", "rb") as stream, pytest.raises(ImportFileError) as err:
        parse_google_csv(stream)
    assert "Given Name" in str(err.value)
    assert "line 1 reads 'Notes:'" in str(err.value)


def test_charset_detection_prefers_western_european_for_latin_text() -> None:
    encoding = detect_encoding("Name\nÅsa Ørsted\nJosé Peña\n".encode("latin-1"))
    assert encoding.codec == "cp1252"


def test_charset_detection_still_recognizes_cyrillic() -> None:
    encoding = detect_encoding("Имя,Фамилия\nИван,Петров\nМария,Сидорова\n".encode("cp1251"))
    assert encoding.codec == "cp1251"


def test_line_numbers_count_every_physical_line_whatever_the_line_ending() -> None:
    lines = TextLines(io.BytesIO(b"a\r\nb\rc\nd"))
    assert list(lines) == ["a\r\n", "b\r", "c\n", "d"]
    assert lines.line_no == 4
    assert not lines.ended_with_newline


class GeneratedExport(io.RawIOBase):
    """A LinkedIn export of ``size`` bytes, made up as it is read: never in memory whole."""

    def __init__(self, size: int) -> None:
        self.left = size
        self.row = 0
        self.pending = (HEADER + "\n").encode()

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        chunks = [self.pending]
        have = len(self.pending)
        while have < len(buffer) and self.left > 0:
            self.row += 1
            row = (
                f"Person {self.row},Ünïcode {self.row},https://www.linkedin.com/in/p{self.row},,"
                f'"Company {self.row % 997}, Inc.",Engineer,04 Dec 2025\n'
            ).encode()
            chunks.append(row)
            have += len(row)
            self.left -= len(row)
        data = b"".join(chunks)
        n = min(len(buffer), len(data))
        buffer[:n] = data[:n]
        self.pending = data[n:]
        return n


def peak_memory_parsing(size: int) -> tuple[int, int]:
    """(rows read, peak bytes allocated) parsing a generated export of ``size`` bytes."""
    tracemalloc.start()
    try:
        count = sum(1 for _ in parse_connections(io.BufferedReader(GeneratedExport(size))).rows)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return count, peak


def test_a_large_file_streams_in_bounded_memory() -> None:
    # Bounded, not proportional: four times the file, (almost) the same peak. The peak is
    # the read buffers plus the parsers' bounded caches, whatever the file's size.
    small_rows, small_peak = peak_memory_parsing(1024 * 1024)
    big_rows, big_peak = peak_memory_parsing(4 * 1024 * 1024)
    assert big_rows > 3.9 * small_rows
    assert big_peak < small_peak * 1.25 + 256 * 1024, (small_peak, big_peak)
    assert big_peak < 1024 * 1024, big_peak
