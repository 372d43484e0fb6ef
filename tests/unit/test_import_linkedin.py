"""LinkedIn Connections.csv, as users really get it (issue 5, item 1)."""

from __future__ import annotations

import csv
import io
import unicodedata
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from topofmind.integrations.linkedin import parse_connections
from topofmind.integrations.records import ContactRecord, ImportFileError, ParsedFile, RowProblem

FIXTURES = Path(__file__).parents[1] / "fixtures" / "imports" / "linkedin"


def parse(name: str) -> tuple[ParsedFile, list[ContactRecord], list[RowProblem]]:
    with open(FIXTURES / name, "rb") as stream:
        parsed = parse_connections(stream)
        rows = list(parsed.rows)
    return (
        parsed,
        [r for r in rows if isinstance(r, ContactRecord)],
        [r for r in rows if isinstance(r, RowProblem)],
    )


def test_current_export_skips_the_notes_preamble_and_finds_the_header() -> None:
    parsed, records, _ = parse("connections_current.csv")
    assert "Notes preamble" in parsed.layout
    assert records[0].name == "Dana Lee"
    assert records[0].line == 5  # counted in the file, preamble included


def test_current_export_reads_dates_like_04_dec_2025() -> None:
    _, records, _ = parse("connections_current.csv")
    assert records[0].connected_on == date(2025, 12, 4)
    assert records[1].connected_on == date(2025, 11, 17)


def test_quoted_commas_stay_inside_their_field() -> None:
    _, records, _ = parse("connections_current.csv")
    sam = records[1]
    assert sam.organization == "Globex, Inc."
    assert sam.title == "Director, Talent Acquisition"
    priya = next(r for r in records if r.first_name == "Priya")
    assert priya.last_name == "Raman, PhD"


def test_empty_email_is_no_email_and_a_given_one_is_kept() -> None:
    _, records, _ = parse("connections_current.csv")
    assert records[0].emails == ()
    assert records[1].emails == (("", "sam.okafor@example.com"),)


def test_a_row_blank_but_for_the_date_is_skipped_with_its_line() -> None:
    _, _, problems = parse("connections_current.csv")
    assert len(problems) == 1
    assert problems[0].line == 7
    assert problems[0].skipped
    assert "empty but for the date" in problems[0].reason


def test_emoji_and_non_latin_names_come_through_unchanged() -> None:
    _, records, _ = parse("connections_current.csv")
    names = [r.name for r in records]
    assert "Lena 🌻 Fischer" in names
    assert "美咲 田中" in names
    assert "José Núñez" in names
    misaki = next(r for r in records if r.last_name == "田中")
    assert misaki.organization == "株式会社ソフトウェア"


def test_profile_urls_are_canonical_and_valid_urls_even_for_non_latin_slugs() -> None:
    _, records, _ = parse("connections_current.csv")
    assert records[0].linkedin_url == "https://www.linkedin.com/in/dana-lee-4b2a1"
    misaki = next(r for r in records if r.last_name == "田中")
    assert misaki.linkedin_url.startswith("https://www.linkedin.com/in/%E7%94%B0%E4%B8%AD-")
    assert misaki.linkedin_url.isascii()


def test_older_export_without_preamble_or_url_and_with_us_dates() -> None:
    parsed, records, problems = parse("connections_2018.csv")
    assert "older" in parsed.layout
    assert problems == []
    assert [r.name for r in records] == ["Maria Gonzalez", "Tom Becker", "Aiko Sato"]
    assert records[0].connected_on == date(2018, 1, 8)  # "1/8/18, 6:14 PM" is month first
    assert records[1].connected_on == date(2017, 12, 24)
    assert records[1].organization == "Stark Industries, LLC"
    assert all(r.linkedin_url == "" for r in records)
    assert any("no profile URLs" in note for note in parsed.notes)


def test_preamble_removed_by_hand_with_a_blank_line_left_over() -> None:
    parsed, records, _ = parse("connections_trimmed.csv")
    assert "preamble removed" in parsed.layout
    assert [r.name for r in records] == ["Dana Lee", "Chris Park"]
    assert records[0].line == 3


def test_country_subdomains_trailing_slashes_and_tracking_collapse_to_one_url() -> None:
    _, records, _ = parse("connections_trimmed.csv")
    assert records[0].linkedin_url == "https://www.linkedin.com/in/dana-lee-4b2a1"
    assert records[1].linkedin_url == "https://www.linkedin.com/in/chrispark"


def test_a_file_without_its_header_names_the_header_it_needs_and_line_1() -> None:
    with pytest.raises(ImportFileError) as err:
        parse("connections_no_header.csv")
    message = str(err.value)
    assert "First Name,Last Name,URL" in message
    assert "line 1 reads 'Dana,Lee," in message


def test_a_google_file_is_not_taken_for_a_linkedin_one() -> None:
    csv_text = b"First Name,Last Name,Labels,E-mail 1 - Value\nAnn,Lee,,ann@example.com\n"
    with pytest.raises(ImportFileError, match="Connected On"):
        parse_connections(io.BytesIO(csv_text))


def test_a_bad_date_invalidates_its_row_naming_the_field_and_line() -> None:
    data = (
        b"First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
        b"Ann,Lee,,,Acme,CTO,31 Foo 2025\n"
        b"Bob,Ray,,,Acme,CEO,01 Jan 2025\n"
    )
    rows = list(parse_connections(io.BytesIO(data)).rows)
    assert isinstance(rows[0], RowProblem)
    assert str(rows[0]) == (
        "line 2: Connected On: '31 Foo 2025' is not a date we can read "
        "(like 04 Dec 2025, 2025-12-04 or 12/4/25)"
    )
    assert isinstance(rows[1], ContactRecord)


def test_a_bad_email_or_url_invalidates_its_row_naming_the_field() -> None:
    data = (
        b"First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
        b"Ann,Lee,,ann at example,Acme,CTO,01 Jan 2025\n"
        b"Bob,Ray,https://example.com/bob,,Acme,CEO,01 Jan 2025\n"
    )
    problems = list(parse_connections(io.BytesIO(data)).rows)
    assert [str(p) for p in problems] == [
        "line 2: Email Address: 'ann at example' is not an e-mail address",
        "line 3: URL: 'https://example.com/bob' is not a LinkedIn profile address",
    ]


def test_a_row_with_an_unquoted_comma_is_invalid_not_shifted() -> None:
    data = (
        b"First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
        b"Ann,Lee,,,Acme, Inc.,CTO,01 Jan 2025\n"
    )
    (problem,) = list(parse_connections(io.BytesIO(data)).rows)
    assert isinstance(problem, RowProblem)
    assert problem.line == 2
    assert "8 fields but the header has 7 columns" in problem.reason


def test_a_hand_made_file_reads_with_its_columns_mapped() -> None:
    data = b"Vorname,Surname,Firma,Seit,Profil\nAnn,Lee,Acme,04 Dec 2025,linkedin.com/in/annlee\n"
    overrides = ["Vorname=First Name", "surname = last name", "Firma=Company", "Seit=Connected On", "Profil=URL"]
    (record,) = list(parse_connections(io.BytesIO(data), overrides=overrides).rows)
    assert isinstance(record, ContactRecord)
    assert (record.name, record.organization, record.connected_on) == ("Ann Lee", "Acme", date(2025, 12, 4))
    assert record.linkedin_url == "https://www.linkedin.com/in/annlee"


def test_a_wrong_column_mapping_names_the_column() -> None:
    data = b"First Name,Last Name,Company,Connected On\nAnn,Lee,Acme,04 Dec 2025\n"
    with pytest.raises(ImportFileError, match="'Salary' is not a column this import reads"):
        parse_connections(io.BytesIO(data), overrides=["Company=Salary"])
    with pytest.raises(ImportFileError, match=r"the file has no column 'firma' \(its columns: First Name,"):
        parse_connections(io.BytesIO(data), overrides=["Firma=Company"])
    with pytest.raises(ImportFileError, match="write it as COLUMN=COLUMN"):
        parse_connections(io.BytesIO(data), overrides=["Company"])


# Hypothesis: whatever LinkedIn writes (any names, commas, quotes, line breaks, emoji),
# in any of the encodings users end up with, we read back the same people.

_text = st.text(
    alphabet=st.characters(
        exclude_categories=("Cs", "Cc"), exclude_characters="\ufeff", include_characters="\n\r\t"
    ),
    max_size=30,
).map(lambda s: " ".join(s.split()))
_name = _text.filter(lambda s: s.strip() != "")


@settings(max_examples=60, deadline=None)
@given(
    people=st.lists(
        st.tuples(_name, _text, _text, _text, st.dates(min_value=date(2003, 5, 5), max_value=date(2030, 1, 1))),
        min_size=1,
        max_size=8,
    ),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16"]),
    preamble=st.booleans(),
    newline=st.sampled_from(["\n", "\r\n"]),
)
def test_any_export_reads_back_the_people_written_into_it(
    people: list[tuple[str, str, str, str, date]], encoding: str, preamble: bool, newline: str
) -> None:
    out = io.StringIO(newline="")
    if preamble:
        out.write(f'Notes:{newline}"Some e-mail addresses are missing, see https://x.example"{newline}{newline}')
    writer = csv.writer(out, lineterminator=newline)
    writer.writerow(["First Name", "Last Name", "URL", "Email Address", "Company", "Position", "Connected On"])
    for first, last, company, position, day in people:
        writer.writerow([first, last, "", "", company, position, day.strftime("%d %b %Y")])
    rows = list(parse_connections(io.BytesIO(out.getvalue().encode(encoding))).rows)
    assert all(isinstance(r, ContactRecord) for r in rows), rows
    got = [(r.first_name, r.last_name, r.organization, r.title, r.connected_on) for r in rows]  # type: ignore[union-attr]
    # What we promise: the same text, white space collapsed, accents composed (NFC).
    assert got == [tuple(_same_text(v) for v in p) for p in people]


def _same_text(value: object) -> object:
    if isinstance(value, str):
        return " ".join(unicodedata.normalize("NFC", value).split())
    return value


def test_a_member_placeholder_in_email_address_imports_the_person_without_an_e_mail() -> None:
    _, records, problems = parse("connections_hidden_emails.csv")
    marta = next(r for r in records if r.first_name == "Marta")
    assert marta.emails == ()
    assert marta.linkedin_url == "https://www.linkedin.com/in/marta-kowalska-8841b2"
    assert marta.remarks == (
        "imported without an e-mail: LinkedIn gives 'urn:li:member:418829301' for a member who hides it",
    )
    ines = next(r for r in records if r.first_name == "Ines")
    assert (ines.emails, ines.line) == ((), 7)
    omar = next(r for r in records if r.first_name == "Omar")
    assert (omar.emails, omar.remarks) == ((("", "omar.haddad@example.org"),), ())
    # a real typo is still refused, naming the field and the line
    assert [str(p) for p in problems] == ["line 8: Email Address: 'not-an-address' is not an e-mail address"]
