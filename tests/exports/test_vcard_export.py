"""People exported as vCard 3.0: read by vobject, and imported again by our own vCard importer."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import pytest
import vobject
from hypothesis import given, settings
from hypothesis import strategies as st

from topofmind.integrations.exports import PRODID, ExportError, PersonCard, vcard_lines, vcard_text, write_vcards
from topofmind.integrations.normalize import clean, clean_block
from topofmind.integrations.records import ContactRecord
from topofmind.integrations.vcard import parse_vcards

ZOE = PersonCard(
    name="Zoë Ørsted-Nakamura, PhD",
    first_name="Zoë",
    last_name="Ørsted-Nakamura",
    emails=(("work", "zoe@acme.example"), ("", "zoe.o@mail.example")),
    phones=(("mobile", "+49 170 1234567"), ("assistant", "+49 30 9876 54")),
    organization="Acme; Research, Inc.",
    title="VP Engineering",
    linkedin_url="https://www.linkedin.com/in/zoe-orsted",
    notes="Met at PyCon DE, Berlin;\nprefers e-mail — 東京 office next year.",
    roles=("Hiring manager", "Interviewer"),
    uid="person-42@topofmind.example.org",
)
BOB = PersonCard(name="Bob Stone", emails=(("home", "bob@example.org"),))


def imported(*people: PersonCard) -> list[ContactRecord]:
    """The cards as our importer reads a .vcf file someone exported."""
    data = "".join(vcard_lines(people)).encode("utf-8")
    records = list(parse_vcards(io.BytesIO(data)).rows)
    assert all(isinstance(record, ContactRecord) for record in records), records
    return [record for record in records if isinstance(record, ContactRecord)]


def read(person: PersonCard) -> Any:
    return vobject.readOne(vcard_text(person))


def test_vobject_reads_the_name_organization_title_notes_and_roles_as_written() -> None:
    card = read(ZOE)

    assert card.version.value == "3.0"
    assert card.prodid.value == PRODID
    assert card.uid.value == "person-42@topofmind.example.org"
    assert card.fn.value == "Zoë Ørsted-Nakamura, PhD"
    assert (card.n.value.given, card.n.value.family) == ("Zoë", "Ørsted-Nakamura")
    assert card.org.value == ["Acme; Research, Inc."]
    assert card.title.value == "VP Engineering"
    assert card.note.value == "Met at PyCon DE, Berlin;\nprefers e-mail — 東京 office next year."
    assert card.categories.value == ["Hiring manager", "Interviewer"]
    assert card.url.value == "https://www.linkedin.com/in/zoe-orsted"


def test_vobject_reads_each_email_and_phone_with_its_kind() -> None:
    card = read(ZOE)

    emails = {line.value: line.params.get("TYPE", []) for line in card.contents["email"]}
    phones = {line.value: line.params.get("TYPE", []) for line in card.contents["tel"]}
    assert emails == {"zoe@acme.example": ["INTERNET", "WORK"], "zoe.o@mail.example": ["INTERNET"]}
    assert phones == {"+49 170 1234567": ["CELL"], "+49 30 9876 54": []}
    labels = {line.group: line.value for line in card.contents["x-ablabel"]}
    assistant = next(line for line in card.contents["tel"] if line.value == "+49 30 9876 54")
    assert labels[assistant.group] == "assistant"


def test_our_importer_gets_back_the_names_emails_phones_and_the_rest() -> None:
    [zoe, bob] = imported(ZOE, BOB)

    assert zoe.name == "Zoë Ørsted-Nakamura, PhD"
    assert (zoe.first_name, zoe.last_name) == ("Zoë", "Ørsted-Nakamura")
    assert zoe.emails == (("work", "zoe@acme.example"), ("", "zoe.o@mail.example"))
    assert zoe.phones == (("mobile", "+49 170 1234567"), ("assistant", "+49 30 9876 54"))
    assert zoe.organization == "Acme; Research, Inc."
    assert zoe.title == "VP Engineering"
    assert zoe.linkedin_url == "https://www.linkedin.com/in/zoe-orsted"
    assert zoe.notes == ZOE.notes
    assert zoe.tags == ("Hiring manager", "Interviewer")
    assert bob.name == "Bob Stone"
    assert bob.emails == (("home", "bob@example.org"),)


def test_a_person_known_only_by_a_full_name_is_shown_by_it_everywhere() -> None:
    card = read(PersonCard(name="  Cleo   Park "))
    [record] = imported(PersonCard(name="Cleo Park"))

    assert card.fn.value == "Cleo Park"
    assert card.n.value.given == "Cleo Park"  # we do not guess where a name splits
    assert record.name == "Cleo Park"


def test_the_file_has_crlf_lines_folded_to_75_octets_without_splitting_a_character(tmp_path: Path) -> None:
    long_notes = "Grüße aus Köln, 東京 und Zürich; " * 12
    path = tmp_path / "people.vcf"
    with path.open("w", encoding="utf-8", newline="") as stream:
        written = write_vcards(stream, [ZOE, PersonCard(name="Ann Lee", notes=long_notes)])

    raw = path.read_bytes()
    lines = raw.split(b"\r\n")
    assert written == 2
    assert raw.count(b"BEGIN:VCARD\r\n") == 2
    assert lines[-1] == b""
    assert all(b"\n" not in line and len(line) <= 75 for line in lines)
    assert [card.fn.value for card in vobject.readComponents(raw.decode("utf-8"))] == [ZOE.name, "Ann Lee"]
    assert imported(PersonCard(name="Ann Lee", notes=long_notes))[0].notes == long_notes.strip()


def test_empty_values_leave_no_empty_lines_behind() -> None:
    card = read(PersonCard(name="Ann Lee", emails=(("work", " "),), roles=("", " ")))

    assert set(card.contents) == {"version", "prodid", "fn", "n"}


def test_a_person_without_a_name_is_named_by_their_place_in_the_export() -> None:
    with pytest.raises(ExportError, match="Person 2 has no name"):
        list(vcard_lines([BOB, PersonCard(name=" ", emails=(("", "x@example.org"),))]))


_TEXT = st.text(st.characters(codec="utf-8"), max_size=60)
_PRINTABLE = st.text(st.characters(codec="utf-8", exclude_categories=["Cc"]), max_size=60)


def without_controls(text: str) -> str:
    return re.sub(r"[\x00-\x08\x0b-\x1f\x7f]", "", text.replace("\r\n", "\n").replace("\r", "\n"))


@settings(max_examples=80, deadline=None)
@given(name=_PRINTABLE.filter(lambda text: clean(text) != ""), organization=_TEXT, notes=_TEXT)
def test_any_name_organization_and_notes_survive_both_readers(name: str, organization: str, notes: str) -> None:
    # Control characters (a pasted escape code) are dropped; everything else comes back.
    person = PersonCard(name=name, organization=organization, notes=notes)

    card = read(person)
    [record] = imported(person)

    assert card.fn.value == " ".join(name.split())
    assert record.name == clean(name)
    assert record.organization == clean(without_controls(organization))
    assert record.notes == clean_block(without_controls(notes))
