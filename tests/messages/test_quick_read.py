"""A one-part text mail is read without the standard parser's line-by-line walk; the result must be
the very one the standard parser gives, whatever the bytes (the sync relies on it for every mail)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from unittest import mock

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from topofmind.integrations.messages import MessageError, ParsedMessage, classify, read_message, reader

CORPUS = sorted((Path(__file__).resolve().parent.parent / "fixtures" / "mail").glob("*.eml"))
SAMPLES = [path.read_bytes() for path in CORPUS]


@contextmanager
def standard_parser_only() -> Iterator[None]:
    with mock.patch.object(reader, "_one_text_part", return_value=None):
        yield


def outcome(raw: bytes) -> tuple[str, ParsedMessage | str]:
    try:
        return "read", read_message(raw)
    except MessageError as error:
        return "refused", str(error)


def both_ways(raw: bytes) -> tuple[tuple[str, ParsedMessage | str], tuple[str, ParsedMessage | str]]:
    quick = outcome(raw)
    with standard_parser_only():
        standard = outcome(raw)
    return quick, standard


SHAPES = {
    "folded subject": b"From: Kim <kim@acme.test>\r\nSubject: a long\r\n\tsubject =?utf-8?q?caf=C3=A9?=\r\n\r\nHi.\r\n",
    "bare LF": b"From: kim@acme.test\nSubject: hi\nMessage-ID: <a@b>\n\nLine one\nLine two\n",
    "mixed endings": b"From: kim@acme.test\r\nSubject: hi\n\r\nBody\r\n",
    "no content type, latin-1 body": b"From: kim@acme.test\r\nSubject: caf\r\n\r\ncaf\xe9 cr\xe8me\r\n",
    "quoted-printable": (
        b"From: kim@acme.test\r\nContent-Type: text/plain; charset=iso-8859-1\r\n"
        b"Content-Transfer-Encoding: quoted-printable\r\n\r\nCaf=E9 =\r\nsoon\r\n"
    ),
    "base64 text": (
        b"From: kim@acme.test\r\nContent-Type: text/plain; charset=utf-8\r\n"
        b"Content-Transfer-Encoding: base64\r\n\r\nSGFsbG8gV2VsdCDDpMO2w7w=\r\n"
    ),
    "html": b"From: kim@acme.test\r\nContent-Type: text/html\r\n\r\n<p>Hello <b>there</b></p>\r\n",
    "content type without a subtype": b"From: kim@acme.test\r\nContent-Type: text\r\n\r\nHi\r\n",
    "a space before the colon": b"From: kim@acme.test\r\nX-Odd : yes\r\n\r\nHi\r\n",
    "a continuation first": b" folded\r\nFrom: kim@acme.test\r\n\r\nHi\r\n",
    "a lone CR": b"From: kim@acme.test\r\nSubject: a\rb\r\n\r\nHi\r\n",
    "8-bit header": b"From: J\xf6rg <jorg@acme.test>\r\n\r\nHi\r\n",
    "unix From line": b"From kim@acme.test Mon Mar  3 09:00:00 2031\r\nFrom: kim@acme.test\r\n\r\nHi\r\n",
    "headers only": b"From: kim@acme.test\r\nSubject: nothing more\r\n",
    "blank line first": b"\r\nFrom: kim@acme.test\r\n",
    "whitespace-only line in the header": b"From: kim@acme.test\r\n \r\nSubject: x\r\n\r\nHi\r\n",
    "multipart": (
        b'From: kim@acme.test\r\nContent-Type: multipart/alternative; boundary="b"\r\n\r\n'
        b"--b\r\nContent-Type: text/plain\r\n\r\nHi\r\n--b--\r\n"
    ),
}


@pytest.mark.parametrize("raw", SAMPLES + list(SHAPES.values()), ids=[p.stem for p in CORPUS] + list(SHAPES))
def test_each_sample_and_odd_shape_reads_as_the_standard_parser_reads_it(raw: bytes) -> None:
    quick, standard = both_ways(raw)
    assert quick == standard


def test_plain_one_part_mail_takes_the_quick_way_and_classifies_the_same() -> None:
    raw = SHAPES["folded subject"]
    assert reader._one_text_part(raw) is not None
    quick, standard = both_ways(raw)
    assert quick[0] == "read" and isinstance(quick[1], ParsedMessage) and isinstance(standard[1], ParsedMessage)
    assert quick[1].subject == "a long subject café"
    assert classify(quick[1]) == classify(standard[1])


@st.composite
def damaged(draw: st.DrawFn) -> bytes:
    """A sample or odd shape with a few bytes flipped, cut, inserted or duplicated."""
    data = bytearray(draw(st.sampled_from(SAMPLES + list(SHAPES.values()))))
    for _ in range(draw(st.integers(1, 5))):
        if not data:
            break
        at = draw(st.integers(0, len(data) - 1))
        action = draw(st.sampled_from(["flip", "cut", "insert", "duplicate"]))
        if action == "flip":
            data[at] = draw(st.integers(0, 255))
        elif action == "cut":
            del data[at : at + draw(st.integers(1, 40))]
        elif action == "insert":
            data[at:at] = draw(st.sampled_from([b"\n", b"\r", b"\r\n\r\n", b" ", b"\t", b":", b"\xff", b"From "]))
        else:
            data[at:at] = data[at : at + draw(st.integers(1, 80))]
    return bytes(data)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(damaged())
def test_damaged_mail_reads_the_same_either_way(raw: bytes) -> None:
    quick, standard = both_ways(raw)
    assert quick == standard
