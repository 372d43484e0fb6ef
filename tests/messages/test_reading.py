from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime
from email.message import EmailMessage

import pytest

from topofmind.integrations.messages import Address, MessageError, read_message


def test_a_threaded_reply_keeps_its_ids_date_and_people(eml: Callable[[str], bytes]) -> None:
    msg = read_message(eml("threaded_reply"))

    assert msg.message_id == "CAF3x9-reply-77@mail.acme.example"
    assert msg.in_reply_to == "20310303.thanks.1@seeker.example"
    assert msg.references == ("20310301.apply.9@seeker.example", "20310303.thanks.1@seeker.example")
    assert msg.date == datetime(2031, 3, 4, 8, 12, 31, tzinfo=UTC)
    assert msg.date is not None and msg.date.utcoffset() is not None
    assert msg.sender == Address("Jane Doe", "jane.doe@acme.example")
    assert msg.to == (Address("Sam Seeker", "sam@seeker.example"),)
    assert msg.cc == (Address("Ops, Hiring", "hiring-ops@acme.example"),)


def test_the_summary_of_a_reply_is_what_they_wrote_now_without_quote_or_signature(eml: Callable[[str], bytes]) -> None:
    msg = read_message(eml("threaded_reply"))

    assert msg.summary.startswith("Thanks for the note after Friday's conversation.")
    assert "Hi Sam" not in msg.summary
    assert msg.summary.endswith("Could you send two or three time slots that work for you?")  # no "Best, Jane"
    assert "taking the time" not in msg.new_text  # the quoted history
    assert "Head of Platform" not in msg.new_text  # the signature
    assert "taking the time" in msg.text  # the whole body is still there
    assert len(msg.summary) <= 201


def test_a_reply_from_a_second_address_prefers_the_plain_part_and_drops_the_phone_signature(
    eml: Callable[[str], bytes],
) -> None:
    msg = read_message(eml("reply_from_second_address"))

    assert msg.sender == Address("Doe, Jane", "jdoe.private@mailbox.example")
    assert msg.in_reply_to is None
    assert "20310303.thanks.1@seeker.example" in msg.references
    assert msg.summary == "Writing from my own address as I am travelling: Thursday at 3 pm works well for our CTO."


def test_an_html_only_mail_is_read_as_text_without_styles(eml: Callable[[str], bytes]) -> None:
    msg = read_message(eml("newsletter"))

    assert "Three teams share how they moved from cron jobs to a real queue." in msg.text
    assert "color:red" not in msg.text and "<p>" not in msg.text


def test_quoted_text_in_an_html_blockquote_is_not_part_of_what_they_wrote() -> None:
    html = EmailMessage()
    html["From"] = "Ann <ann@example.org>"
    html["Subject"] = "Re: hello"
    html.set_content("<p>Yes, Friday works.</p><blockquote><p>Can we meet Friday?</p></blockquote>", subtype="html")

    msg = read_message(html.as_bytes())

    assert msg.new_text == "Yes, Friday works."


def test_a_latin1_mail_without_a_charset_reads_with_its_accents(eml: Callable[[str], bytes]) -> None:
    msg = read_message(eml("latin1_no_charset"))

    assert msg.sender == Address("René Lefèvre", "rene.lefevre@atelier.example")
    assert msg.subject == "Café jeudi ?"
    assert "un café jeudi à 9h30, près de la gare" in msg.text


def test_a_mail_declaring_utf8_but_written_in_cp1252_reads_with_its_quotes_and_dashes(
    eml: Callable[[str], bytes],
) -> None:
    msg = read_message(eml("wrong_charset_declared"))

    assert msg.text == "Hi Sam – I loved the “case studies” section; the naïve approach slide is great."
    assert msg.sender == Address("Zoë Adams", "zoe@studio.example")


def test_encoded_word_headers_in_several_charsets_are_decoded(eml: Callable[[str], bytes]) -> None:
    msg = read_message(eml("encoded_words"))

    assert msg.subject == "Re: ¿Qué tal el miércoles? Grüße Привет"
    assert msg.sender == Address("Álvarez, José", "jose.alvarez@cumbre.example")
    assert msg.to == (Address("Sam Seeker", "sam@seeker.example"), Address("Françoise", "fr@cumbre.example"))


def test_headers_with_defects_are_read_as_far_as_they_go(eml: Callable[[str], bytes]) -> None:
    msg = read_message(eml("defective_headers"))

    assert msg.sender is not None and msg.sender.address == "quote@defect.example"
    assert msg.subject.endswith("and café")  # the broken word stays as written, the good one decodes
    assert msg.date is None  # an impossible date is no date, not an error
    assert msg.message_id == "no-brackets@defect.example"
    assert msg.text == "Still readable text, café included."
    assert "CloseBoundaryNotFoundDefect" in msg.defects


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (b"", "empty"),
        (b"  \r\n \n", "empty"),
        (b"\x00\x01garbage\n\xff\xfe no headers at all", "does not look like an e-mail"),
    ],
)
def test_what_is_not_an_email_is_refused_with_the_reason(raw: bytes, reason: str) -> None:
    with pytest.raises(MessageError, match=reason):
        read_message(raw)


def test_the_malformed_sample_is_refused_with_one_sentence(eml: Callable[[str], bytes]) -> None:
    with pytest.raises(MessageError) as caught:
        read_message(eml("malformed"))

    assert str(caught.value).endswith(".")
    assert "Traceback" not in str(caught.value)


def test_text_instead_of_bytes_is_refused_clearly() -> None:
    with pytest.raises(MessageError, match="bytes, not as str"):
        read_message("From: a@b.example\n\nhi")  # type: ignore[arg-type]


def test_a_message_without_a_zone_in_its_date_is_read_as_utc() -> None:
    msg = read_message(b"From: a@b.example\nDate: Mon, 3 Mar 2031 10:00:00 -0000\n\nhi\n")

    assert msg.date == datetime(2031, 3, 3, 10, 0, tzinfo=UTC)


def test_a_20_mb_attachment_is_listed_by_name_and_size_without_being_decoded() -> None:
    mail = EmailMessage()
    mail["From"] = "Jane Doe <jane@acme.example>"
    mail["To"] = "sam@seeker.example"
    mail["Subject"] = "The recording of our call"
    mail["Message-ID"] = "<big-1@acme.example>"
    mail.set_content("Hi Sam, the recording is attached.\n\nJane")
    payload = bytes(range(256)) * (20 * 1024 * 1024 // 256)
    mail.add_attachment(payload, maintype="video", subtype="mp4", filename="call recording.mp4")
    raw = mail.as_bytes()

    started = time.perf_counter()
    msg = read_message(raw)
    elapsed = time.perf_counter() - started

    assert msg.summary == "Hi Sam, the recording is attached. Jane"
    (attachment,) = msg.attachments
    assert attachment.filename == "call recording.mp4"
    assert attachment.content_type == "video/mp4"
    assert abs(attachment.size - len(payload)) < 1024  # estimated from the encoded text
    # Generous on a shared 2-core machine; decoding 20 MB of base64 per part would not fit.
    assert elapsed < 10, f"reading took {elapsed:.1f} s"
