"""Google Contacts CSV, both layouts Google has shipped (issue 5, item 2)."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pytest

from topofmind.integrations.google import parse_google_csv
from topofmind.integrations.records import ContactRecord, ImportFileError, ParsedFile, RowProblem

FIXTURES = Path(__file__).parents[1] / "fixtures" / "imports" / "google"


def parse(name: str) -> tuple[ParsedFile, dict[str, ContactRecord], list[RowProblem]]:
    with open(FIXTURES / name, "rb") as stream:
        parsed = parse_google_csv(stream)
        rows = list(parsed.rows)
    return (
        parsed,
        {r.name: r for r in rows if isinstance(r, ContactRecord)},
        [r for r in rows if isinstance(r, RowProblem)],
    )


def test_older_layout_is_recognized_by_given_and_family_name() -> None:
    parsed, people, _ = parse("google_old.csv")
    assert "older layout" in parsed.layout
    dana = people["Dana Lee"]
    assert (dana.first_name, dana.last_name) == ("Dana", "Lee")


def test_older_layout_emails_phones_keep_their_types_primary_star_dropped() -> None:
    _, people, _ = parse("google_old.csv")
    dana = people["Dana Lee"]
    assert dana.emails == (("work", "dana.lee@acme-robotics.example"), ("home", "DANA@example.com"))
    assert dana.phones == (("mobile", "+1 (555) 010-2000"), ("work", "+1 555 010 2001"))


def test_several_values_in_one_cell_are_split_on_triple_colons() -> None:
    _, people, _ = parse("google_old.csv")
    assert people["Sam Okafor"].emails == (
        ("work", "sam.okafor@example.com"),
        ("other", "sam@okafor.example"),
    )


def test_organization_title_department_and_quoted_commas() -> None:
    _, people, _ = parse("google_old.csv")
    assert people["Dana Lee"].organization == "Acme Robotics"
    assert people["Dana Lee"].title == "Engineering Manager"
    assert people["Dana Lee"].department == "Platform"
    assert people["Sam Okafor"].organization == "Globex, Inc."
    assert people["Sam Okafor"].title == "Director, Talent Acquisition"


def test_multi_line_notes_keep_their_line_breaks_and_next_row_has_the_right_line() -> None:
    _, people, _ = parse("google_old.csv")
    assert people["Dana Lee"].notes == "Met at PyCon 2024, talked about robotics hiring.\nPrefers mornings."
    assert people["Dana Lee"].line == 2
    assert people["Sam Okafor"].line == 4  # Dana's quoted notes span lines 2 and 3


def test_groups_become_tags_without_my_contacts() -> None:
    _, people, _ = parse("google_old.csv")
    assert people["Dana Lee"].tags == ("Hiring managers",)
    assert people["Sam Okafor"].tags == ("Recruiters", "starred")


def test_a_linkedin_website_becomes_the_profile_url() -> None:
    _, people, _ = parse("google_old.csv")
    assert people["Dana Lee"].linkedin_url == "https://www.linkedin.com/in/dana-lee-4b2a1"
    assert people["Dana Lee"].websites == ()


def test_birthday_without_a_year_is_kept_in_the_notes() -> None:
    _, people, _ = parse("google_old.csv")
    assert people["Dana Lee"].birthday == date(1984, 2, 29)
    assert people["Sam Okafor"].birthday is None
    assert "Birthday: --04-12" in people["Sam Okafor"].notes


def test_a_contact_with_only_a_phone_is_skipped_and_one_with_only_an_email_is_named_by_it() -> None:
    _, people, problems = parse("google_old.csv")
    assert [(p.line, p.reason, p.skipped) for p in problems] == [(5, "no name and no e-mail address", True)]
    assert people["no-name@example.net"].emails == (("other", "no-name@example.net"),)


def test_newer_layout_is_recognized_by_first_name_and_labels() -> None:
    parsed, people, _ = parse("google_new.csv")
    assert "current layout" in parsed.layout
    lena = people["Lena Fischer"]
    assert lena.emails == (("work", "lena.fischer@initech.example"),)
    assert lena.phones == (("mobile", "+49 151 2345 6789"),)
    assert (lena.organization, lena.title, lena.department) == ("Initech GmbH", "Senior Recruiter", "People")
    assert lena.tags == ("Recruiters",)
    assert lena.linkedin_url == "https://www.linkedin.com/in/lena-fischer"
    assert lena.notes == 'Knows the Berlin team, "very direct".'


def test_newer_layout_non_latin_names_and_birthday() -> None:
    _, people, _ = parse("google_new.csv")
    misaki = people["美咲 田中"]
    assert misaki.organization == "株式会社ソフトウェア"
    assert misaki.birthday == date(1990, 7, 1)
    assert misaki.tags == ("Mentors",)


def test_a_bad_address_invalidates_the_row_naming_the_column() -> None:
    _, _, problems = parse("google_new.csv")
    assert [str(p) for p in problems] == [
        "line 4: E-mail 2 - Value: 'not-an-address' is not an e-mail address",
        "line 5: no name and no e-mail address",
    ]


def test_prefix_middle_name_and_suffix_make_the_full_name() -> None:
    data = (
        "First Name,Middle Name,Last Name,Name Prefix,Name Suffix,Labels,E-mail 1 - Label,E-mail 1 - Value\n"
        "José,María,Núñez,Dr.,Jr.,,Home,jose@cafe.example\n"
    ).encode()
    (record,) = list(parse_google_csv(io.BytesIO(data)).rows)
    assert isinstance(record, ContactRecord)
    assert record.name == "Dr. José María Núñez Jr."


def test_a_linkedin_export_is_not_taken_for_google() -> None:
    data = b"First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
    with pytest.raises(ImportFileError, match="no header row found"):
        parse_google_csv(io.BytesIO(data))


def test_another_address_books_columns_map_onto_googles() -> None:
    data = b"First Name,Last Name,Mail,Mobile,Organization Name\nAnn,Lee,ann@example.com,+1 555 0100,Acme\n"
    overrides = ["Mail=E-mail 1 - Value", "Mobile=Phone 1 - Value"]
    (record,) = list(parse_google_csv(io.BytesIO(data), overrides=overrides).rows)
    assert isinstance(record, ContactRecord)
    assert record.emails == (("", "ann@example.com"),)
    assert record.phones == (("", "+1 555 0100"),)
    assert record.organization == "Acme"
