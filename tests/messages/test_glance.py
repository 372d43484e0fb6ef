"""``glance``: the header-only first look agrees with the full read on who sent a message and what
it answers, and never misses a delivery report or applicant-tracking mail."""

from __future__ import annotations

from pathlib import Path

import pytest

from topofmind.integrations.messages import MessageError, classify, glance, read_message

FIXTURES = Path(__file__).parents[1] / "fixtures" / "mail"


def header_of(raw: bytes) -> bytes:
    end = raw.find(b"\r\n\r\n")
    end = raw.find(b"\n\n") if end < 0 else end
    return raw[: end + 2] if end >= 0 else raw


@pytest.mark.parametrize("path", sorted(FIXTURES.glob("*.eml")), ids=lambda p: p.name)
def test_the_glance_agrees_with_the_full_read(path: Path) -> None:
    raw = path.read_bytes()
    seen = glance(header_of(raw))
    assert seen is not None
    try:
        msg = read_message(raw)
    except MessageError:
        return  # nothing to agree with
    if msg.sender is not None and "@" in msg.sender.address:
        assert seen.sender == msg.sender.address
    for answered in (msg.in_reply_to, *msg.references):
        if answered:
            assert answered in seen.answers
    kind = classify(msg).kind.value
    if kind in ("bounce", "delayed"):
        assert seen.report, "a delivery report must always be read in full"
    if kind == "ats":
        assert seen.ats, "ATS mail must always be read in full"


@pytest.mark.parametrize(
    ("line", "name", "address"),
    [
        (b"From: Dana Reyes <Dana@Acme.test>", "Dana Reyes", "dana@acme.test"),
        (b'From: "Reyes, Dana" <dana@acme.test>', "Reyes, Dana", "dana@acme.test"),
        (b"From: dana@acme.test", "", "dana@acme.test"),
        (b"From: =?iso-8859-1?Q?Jos=E9_Garc=EDa?= <jose@acme.test>", "José García", "jose@acme.test"),
        (b"From: Dana\r\n Reyes <dana@acme.test>", "Dana Reyes", "dana@acme.test"),
        (b"From: undisclosed-recipients:;", "", ""),
    ],
)
def test_the_sender_in_its_usual_shapes(line: bytes, name: str, address: str) -> None:
    seen = glance(line + b"\r\nSubject: x\r\n\r\n")
    assert seen is not None
    assert (seen.sender_name, seen.sender) == (name, address)


def test_machines_that_must_be_read_whoever_they_are() -> None:
    report = glance(b"From: MAILER-DAEMON@mx.example\r\nContent-Type: text/plain\r\n\r\n")
    typed = glance(
        b'From: x@y.example\r\nContent-Type: multipart/report; report-type=delivery-status;\r\n b="1"\r\n\r\n'
    )
    ats = glance(b"From: Acme <no-reply@us.greenhouse-mail.io>\r\n\r\n")
    plain = glance(b"From: Someone <someone@elsewhere.example>\r\nSubject: hi\r\n\r\n")
    assert report is not None and report.report
    assert typed is not None and typed.report
    assert ats is not None and ats.ats
    assert plain is not None and not (plain.report or plain.ats)
