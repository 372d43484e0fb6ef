"""Bounded property tests: robustness on damaged bytes, and agreement with the standard writer."""

from __future__ import annotations

import contextlib
from email.headerregistry import Address as StdAddress
from email.message import EmailMessage
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from topofmind.integrations.messages import MessageError, classify, read_message

CORPUS = sorted((Path(__file__).resolve().parent.parent / "fixtures" / "mail").glob("*.eml"))
SAMPLES = [path.read_bytes() for path in CORPUS]


@st.composite
def damaged(draw: st.DrawFn) -> bytes:
    """A sample mail with a few bytes flipped, cut, duplicated or inserted."""
    data = bytearray(draw(st.sampled_from(SAMPLES)))
    for _ in range(draw(st.integers(1, 6))):
        if not data:
            break
        at = draw(st.integers(0, len(data) - 1))
        action = draw(st.sampled_from(["flip", "cut", "insert", "duplicate", "truncate"]))
        if action == "flip":
            data[at] = draw(st.integers(0, 255))
        elif action == "cut":
            del data[at : at + draw(st.integers(1, 40))]
        elif action == "insert":
            data[at:at] = draw(st.sampled_from([b"\n", b"\r\n\r\n", b"=?", b"?=", b":", b"--", b"<", b"\xff", b"\x00"]))
        elif action == "duplicate":
            data[at:at] = data[at : at + draw(st.integers(1, 80))]
        else:
            del data[at:]
    return bytes(data)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(damaged())
def test_damaged_mail_is_read_or_refused_with_a_message_error_only(raw: bytes) -> None:
    reason = ""
    try:
        msg = read_message(raw)
    except MessageError as error:
        reason = str(error)
    else:
        classify(msg)  # whatever was read can be classified without an error
    assert "unexpected structure" not in reason  # the last-resort guard in read_message was not needed


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=400))
def test_arbitrary_bytes_never_raise_anything_but_a_message_error(raw: bytes) -> None:
    with contextlib.suppress(MessageError):
        classify(read_message(raw))


_names = (
    st.text(
        alphabet=st.characters(codec="utf-8", categories=["L", "Zs"], exclude_characters="\x85\xa0\u2028\u2029"),
        min_size=1,
        max_size=30,
    )
    .map(lambda text: " ".join(text.split()))
    .filter(bool)
)
_subjects = (
    st.text(alphabet=st.characters(codec="utf-8", categories=["L", "N", "P", "Zs"]), min_size=1, max_size=80)
    .map(lambda text: " ".join(text.split()))
    .filter(bool)
)


@settings(max_examples=60, deadline=None)
@given(name=_names, subject=_subjects, body=_subjects)
def test_what_the_standard_library_writes_is_read_back_the_same(name: str, subject: str, body: str) -> None:
    mail = EmailMessage()
    mail["From"] = StdAddress(display_name=name, username="Someone", domain="Example.ORG")
    mail["To"] = "sam@seeker.example"
    mail["Subject"] = subject
    mail.set_content(body + "\n")

    msg = read_message(mail.as_bytes())

    assert msg.sender is not None
    assert msg.sender.address == "someone@example.org"
    assert msg.sender.name == name
    assert msg.subject == subject
    assert msg.text == body
