"""Composing one outgoing message, read back by an independent parser (fast-mail-parser, in Rust)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone

import fast_mail_parser
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from topofmind.integrations.smtp import ComposedMail, MailError, OutgoingMail, compose

NOW = datetime(2030, 3, 4, 8, 0, tzinfo=UTC)  # a Monday morning


def note(**changes: object) -> OutgoingMail:
    fields: dict[str, object] = {
        "from_address": "alice@example.com",
        "from_name": "Alice Martin",
        "to_address": "dana.lee@acme.example",
        "to_name": "Dana Lee",
        "subject": "Thank you for today",
        "body": "Hi Dana,\n\nThank you for the conversation this morning.\n\nAlice\n",
    }
    fields.update(changes)
    return OutgoingMail(**fields)  # type: ignore[arg-type]


def header_names(composed: ComposedMail) -> list[str]:
    """The names of the header fields as a receiving server sees them: one per unfolded line."""
    head = composed.raw.split(b"\r\n\r\n", 1)[0].decode("ascii")
    return [line.split(":", 1)[0] for line in head.split("\r\n") if not line[:1].isspace()]


def test_the_message_names_both_people_and_carries_subject_date_and_body() -> None:
    composed = compose(note(), now=NOW)
    parsed = fast_mail_parser.parse_email(composed.raw)
    assert parsed.headers["From"] == ["Alice Martin <alice@example.com>"]
    assert parsed.headers["To"] == ["Dana Lee <dana.lee@acme.example>"]
    assert parsed.subject == "Thank you for today"
    assert parsed.date_parsed == NOW
    assert parsed.text_plain[0].replace("\r\n", "\n") == note().body
    assert (composed.sender, composed.recipient) == ("alice@example.com", "dana.lee@acme.example")


def test_the_date_keeps_the_senders_offset() -> None:
    paris = timezone(timedelta(hours=1))
    parsed = fast_mail_parser.parse_email(compose(note(), now=NOW.astimezone(paris)).raw)
    assert parsed.headers["Date"] == ["Mon, 04 Mar 2030 09:00:00 +0100"]


def test_our_message_id_is_on_the_senders_domain_and_is_returned_to_record() -> None:
    composed = compose(note(), now=NOW)
    parsed = fast_mail_parser.parse_email(composed.raw)
    assert parsed.headers["Message-ID"] == [composed.message_id]
    assert re.fullmatch(r"<[^<>@\s]+@example\.com>", composed.message_id)


def test_two_messages_never_share_a_message_id() -> None:
    assert compose(note(), now=NOW).message_id != compose(note(), now=NOW).message_id


def test_no_auto_submitted_header_so_out_of_office_replies_still_come_back() -> None:
    composed = compose(note(), now=NOW)
    assert "Auto-Submitted" not in header_names(composed)
    assert b"auto-submitted" not in composed.raw.lower()


def test_a_reply_threads_with_in_reply_to_and_references_ending_with_that_message() -> None:
    composed = compose(
        note(in_reply_to="<x1@acme.example>", references=("<x0@acme.example>",), subject="Re: Next steps"),
        now=NOW,
    )
    parsed = fast_mail_parser.parse_email(composed.raw)
    assert parsed.headers["In-Reply-To"] == ["<x1@acme.example>"]
    assert parsed.headers["References"][0].split() == ["<x0@acme.example>", "<x1@acme.example>"]


def test_a_message_id_without_angle_brackets_is_accepted_as_the_same_id() -> None:
    parsed = fast_mail_parser.parse_email(compose(note(in_reply_to="x1@acme.example"), now=NOW).raw)
    assert parsed.headers["In-Reply-To"] == ["<x1@acme.example>"]


def test_accents_in_names_subject_and_body_arrive_intact_over_a_seven_bit_wire() -> None:
    composed = compose(
        note(from_name="Zoë Ñúñez", to_name="Jürgen Groß", subject="Merci — à bientôt", body="Très bien, 谢谢.\n"),
        now=NOW,
    )
    assert composed.raw.isascii()
    parsed = fast_mail_parser.parse_email(composed.raw)
    assert parsed.headers["From"] == ["Zoë Ñúñez <alice@example.com>"]
    assert parsed.headers["To"] == ["Jürgen Groß <dana.lee@acme.example>"]
    assert parsed.subject == "Merci — à bientôt"
    assert parsed.text_plain[0].strip() == "Très bien, 谢谢."


def test_a_name_with_quotes_commas_and_brackets_stays_one_recipient() -> None:
    composed = compose(note(to_name='Lee, Dana "DL" <eve@evil.example>'), now=NOW)
    parsed = fast_mail_parser.parse_email(composed.raw)
    assert [address.address for address in parsed.to] == ["dana.lee@acme.example"]
    assert parsed.to[0].display_name == 'Lee, Dana "DL" <eve@evil.example>'


@pytest.mark.parametrize("breaker", ["\r\n", "\n", "\r", "\x00", "\x0b", "\x85", "\u2028", "\t\r\n "])
def test_a_line_break_in_a_name_or_subject_never_creates_a_header(breaker: str) -> None:
    composed = compose(
        note(
            from_name=f"Alice{breaker}Bcc: eve@evil.example",
            to_name=f"Dana{breaker}Cc: eve@evil.example",
            subject=f"Hello{breaker}Bcc: eve@evil.example{breaker}{breaker}Injected body",
        ),
        now=NOW,
    )
    assert header_names(composed) == [
        "From",
        "To",
        "Subject",
        "Date",
        "Message-ID",
        "Content-Type",
        "Content-Transfer-Encoding",
        "MIME-Version",
    ]
    parsed = fast_mail_parser.parse_email(composed.raw)
    assert "Bcc" not in parsed.headers and "Cc" not in parsed.headers
    assert [address.address for address in parsed.to] == ["dana.lee@acme.example"]
    assert parsed.subject == "Hello Bcc: eve@evil.example Injected body"
    assert "Injected" not in parsed.text_plain[0]


@settings(max_examples=150, deadline=None)
@given(name=st.text(max_size=40), subject=st.text(max_size=80))
def test_no_name_or_subject_whatever_its_characters_adds_a_header_or_a_recipient(name: str, subject: str) -> None:
    composed = compose(note(to_name=name, from_name=name, subject=subject), now=NOW)
    assert header_names(composed)[:5] == ["From", "To", "Subject", "Date", "Message-ID"]
    assert len(header_names(composed)) == 8
    parsed = fast_mail_parser.parse_email(composed.raw)
    assert [address.address for address in parsed.to] == ["dana.lee@acme.example"]


def test_a_line_starting_with_a_dot_and_browser_line_endings_survive() -> None:
    composed = compose(note(body="Hi\r\n.\r\n..two dots\rend"), now=NOW)
    parsed = fast_mail_parser.parse_email(composed.raw)
    assert parsed.text_plain[0].replace("\r\n", "\n") == "Hi\n.\n..two dots\nend\n"


@pytest.mark.parametrize(
    ("changes", "named"),
    [
        ({"to_address": "dana.lee"}, "recipient address"),
        ({"to_address": "dana@acme.example\r\nBcc: eve@evil.example"}, "recipient address"),
        ({"to_address": "dana@acme.example, eve@evil.example"}, "recipient address"),
        ({"from_address": "<alice@example.com>"}, "from address"),
        ({"in_reply_to": "not a message id"}, "In-Reply-To"),
        ({"references": ("<ok@x.example>", "<bad\n@x.example>")}, "References"),
    ],
)
def test_a_bad_address_or_message_id_is_refused_naming_the_field(changes: dict[str, object], named: str) -> None:
    with pytest.raises(MailError) as caught:
        compose(note(**changes), now=NOW)
    assert caught.value.reason == "invalid_setting"
    assert named in str(caught.value)
