"""The sync's own reader of UID FETCH answers, fed what imaplib hands back from real servers."""

from __future__ import annotations

from datetime import UTC, datetime

from topofmind.integrations.imap.responses import internal_date, parse_fetch

HEADER = b"From: Kim Park <kim@acme.test>\r\nSubject: Re: coffee\r\n\r\n"
BODY = b"Thursday works. ) BODY[TEXT]<0> {99}\r\n"  # looks like protocol, is only text


def test_items_in_any_order_and_literals_kept_whole() -> None:
    data = [
        (
            b'1 (UID 41 RFC822.SIZE 2048 INTERNALDATE "03-Dec-2026 18:49:50 +0100" BODY[HEADER] {%d}' % len(HEADER),
            HEADER,
        ),
        (b" BODY[TEXT]<0> {%d}" % len(BODY), BODY),
        b")",
        (b'2 (INTERNALDATE " 4-Dec-2026 08:00:00 -0500" BODY[HEADER] {%d}' % len(HEADER), HEADER),
        (b" UID 42 RFC822.SIZE 10 BODY[TEXT]<0> {%d}" % len(BODY), BODY),
        b")",
    ]
    found = parse_fetch(data)
    assert sorted(found) == [41, 42]
    first = found[41]
    assert first.size == 2048
    assert first.internal_date == datetime(2026, 12, 3, 17, 49, 50, tzinfo=UTC)
    assert first.sections == {b"BODY[HEADER]": HEADER, b"BODY[TEXT]<0>": BODY}
    assert found[42].internal_date == datetime(2026, 12, 4, 13, 0, tzinfo=UTC)
    assert found[42].sections[b"BODY[TEXT]<0>"] == BODY


def test_an_empty_body_as_nil_or_a_quoted_string_and_flag_updates_left_out() -> None:
    data = [
        (b'3 (UID 7 INTERNALDATE "01-Jan-2026 00:00:00 +0000" RFC822.SIZE 60 BODY[HEADER] {%d}' % len(HEADER), HEADER),
        b' BODY[TEXT]<0> "")',
        (b'4 (UID 8 INTERNALDATE "01-Jan-2026 00:00:00 +0000" RFC822.SIZE 60 BODY[HEADER] {%d}' % len(HEADER), HEADER),
        b" BODY[TEXT]<0> NIL)",
        b"5 (FLAGS (\\Seen))",  # an unsolicited update: no UID, nothing to read
    ]
    found = parse_fetch(data)
    assert sorted(found) == [7, 8]
    assert found[7].sections[b"BODY[TEXT]<0>"] == b""
    assert found[8].sections[b"BODY[TEXT]<0>"] == b""
    assert found[8].sections[b"BODY[HEADER]"] == HEADER


def test_a_date_the_reader_cannot_read_is_none() -> None:
    assert internal_date("31-Feb-2026 10:00:00 +0000") is None
    assert internal_date("yesterday") is None
