"""vCard 3.0 and 4.0 from iOS and Google, parsed with vobject (issue 5, item 2)."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pytest

from topofmind.integrations.records import ContactRecord, ImportFileError, RowProblem
from topofmind.integrations.vcard import parse_vcards

FIXTURES = Path(__file__).parents[1] / "fixtures" / "imports" / "vcard"


def rows(name: str) -> list[ContactRecord | RowProblem]:
    with open(FIXTURES / name, "rb") as stream:
        return list(parse_vcards(stream).rows)  # type: ignore[arg-type]


def people(name: str) -> dict[str, ContactRecord]:
    return {r.name: r for r in rows(name) if isinstance(r, ContactRecord)}


def card(*lines: str) -> bytes:
    return ("\r\n".join(["BEGIN:VCARD", "VERSION:3.0", *lines, "END:VCARD"]) + "\r\n").encode()


def test_ios_card_with_several_typed_emails_and_phones() -> None:
    dana = people("ios_contacts.vcf")["Dana Lee"]
    assert dana.emails == (
        ("work", "dana.lee@acme-robotics.example"),
        ("home", "dana@example.com"),
        ("old job", "dana.lee@oldjob.example"),  # item2.EMAIL labelled by item2.X-ABLabel
    )
    assert dana.phones == (
        ("mobile", "+1 (555) 010-2000"),
        ("work", "+1 555 010 2001"),
        ("assistant", "+1 555 010 2002"),  # item1.TEL with Apple's _$!<Assistant>!$_
    )


def test_ios_grouped_properties_take_apples_labels() -> None:
    lena = people("ios_contacts.vcf")["Lena 🌻 Fischer"]
    assert lena.emails == (("other", "lena.fischer@initech.example"),)
    assert lena.phones == (("mobile", "+49 151 2345 6789"),)


def test_org_title_note_categories_and_birthday() -> None:
    dana = people("ios_contacts.vcf")["Dana Lee"]
    assert dana.organization == "Acme Robotics"
    assert dana.department == "Platform Engineering"
    assert dana.title == "Engineering Manager"
    assert dana.tags == ("Hiring managers", "Robotics")
    assert dana.birthday == date(1984, 2, 29)


def test_folded_lines_are_unfolded_and_escapes_undone() -> None:
    dana = people("ios_contacts.vcf")["Dana Lee"]
    assert dana.notes == (
        "Met at PyCon 2024, talked about robotics hiring.\n"
        "Prefers mornings and a short agenda before any call about the platform team."
    )


def test_linkedin_from_a_labelled_url_or_a_social_profile() -> None:
    assert people("ios_contacts.vcf")["Dana Lee"].linkedin_url == "https://www.linkedin.com/in/dana-lee-4b2a1"
    sam = people("google_contacts.vcf")["Sam Okafor"]
    assert sam.linkedin_url == "https://www.linkedin.com/in/samokafor"  # Google escapes the colon


def test_a_card_without_name_or_email_is_skipped_with_its_line() -> None:
    problems = [r for r in rows("ios_contacts.vcf") if isinstance(r, RowProblem)]
    assert [(p.line, p.skipped) for p in problems] == [(35, True)]


def test_each_card_knows_the_line_it_begins_on() -> None:
    assert [r.line for r in rows("ios_contacts.vcf")] == [1, 24, 35]


def test_google_export_with_escaped_commas_and_system_categories() -> None:
    sam = people("google_contacts.vcf")["Sam Okafor"]
    assert sam.organization == "Globex, Inc."
    assert sam.title == "Director, Talent Acquisition"
    assert sam.tags == ("Recruiters", "starred")
    assert sam.notes == "Reached out after the\nmeetup."
    assert sam.emails == (("work", "sam.okafor@example.com"), ("", "sam@okafor.example"))


def test_vcard_4_types_prefs_tel_uris_and_compact_dates() -> None:
    jose = people("contacts_v4.vcf")["José María Núñez"]
    assert (jose.first_name, jose.last_name) == ("José", "Núñez")
    assert jose.emails == (("work", "jose@cafe.example"), ("home", "pepe@example.org"))
    assert jose.phones == (("mobile", "+34-600-123-456"), ("work", "+34-91-555-0100 ext. 12"))
    assert jose.linkedin_url == "https://www.linkedin.com/in/josenunez"
    assert jose.websites == ("https://cafe.example",)
    assert jose.birthday == date(1980, 1, 15)
    assert jose.tags == ("Founders", "Spain")
    assert jose.notes.endswith("because lines are limited to seventy-five octets.")


def test_vcard_4_org_with_department() -> None:
    priya = people("contacts_v4.vcf")["Priya Raman"]
    assert (priya.organization, priya.department) == ("Raman Labs", "Research")
    assert priya.emails == (("", "priya@raman.dev"),)


def test_vcard_21_quoted_printable_is_decoded() -> None:
    data = (
        b"BEGIN:VCARD\r\nVERSION:2.1\r\n"
        b"N;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:M=C3=BCller;J=C3=BCrgen;;;\r\n"
        b"FN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:J=C3=BCrgen M=C3=BCller\r\n"
        b"TEL;CELL:+49 170 1234567\r\nEND:VCARD\r\n"
    )
    (record,) = list(parse_vcards(io.BytesIO(data)).rows)
    assert isinstance(record, ContactRecord)
    assert record.name == "Jürgen Müller"
    assert record.phones == (("mobile", "+49 170 1234567"),)


def test_a_bad_email_invalidates_only_its_card() -> None:
    data = card("FN:Ann Lee", "EMAIL:ann at example") + card("FN:Bob Ray")
    got = list(parse_vcards(io.BytesIO(data)).rows)
    assert str(got[0]) == "line 1: EMAIL: 'ann at example' is not an e-mail address"
    assert isinstance(got[1], ContactRecord)
    assert got[1].line == 6


def test_an_unreadable_card_is_reported_and_the_rest_import() -> None:
    data = card("FN:Ann Lee", "this line has no colon") + card("FN:Bob Ray")
    got = list(parse_vcards(io.BytesIO(data)).rows)
    assert isinstance(got[0], RowProblem)
    assert got[0].line == 1
    assert "cannot be read" in got[0].reason
    assert isinstance(got[1], ContactRecord)


def test_a_truncated_file_fails_naming_the_card_it_cut() -> None:
    with pytest.raises(ImportFileError) as err:
        rows("truncated.vcf")
    assert err.value.line == 1
    assert "no END:VCARD" in str(err.value)


def test_a_csv_is_not_a_vcard() -> None:
    with pytest.raises(ImportFileError, match="line 1 reads 'First Name,Last Name"):
        parse_vcards(io.BytesIO(b"First Name,Last Name\nAnn,Lee\n"))


def test_utf16_vcard_files_from_windows_read_like_utf8() -> None:
    text = card("FN:Zoë Ångström", "EMAIL:zoe@example.com").decode()
    (record,) = list(parse_vcards(io.BytesIO(text.encode("utf-16"))).rows)
    assert isinstance(record, ContactRecord)
    assert record.name == "Zoë Ångström"
