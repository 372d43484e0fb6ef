"""Whatever bytes a server sends, the readers answer with a record or their own error.

Bounded property tests: a few hundred arbitrary inputs, a few seconds.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from topofmind.integrations.feeds import Feed, FeedError, parse_feed
from topofmind.integrations.fetch import decode
from topofmind.integrations.pages import PageError, PageSummary, shorten, summarize_page

# Bytes that look a little like feeds and pages, so the parsers get past their first check.
_PIECES = st.sampled_from(
    [
        b'<?xml version="1.0" encoding="utf-8"?>',
        b'<?xml version="1.0" encoding="bogus-9"?>',
        b'<rss version="2.0">',
        b"<channel>",
        b"<item>",
        b"</item>",
        b"<title>",
        b"</title>",
        b"<guid>",
        b"<feed xmlns='http://www.w3.org/2005/Atom'>",
        b"<entry><id>x</id>",
        b"<html><head>",
        b'<meta charset="windows-1252">',
        b'<meta property="og:title" content="',
        b"<p>",
        b"&amp;",
        b"&nbsp;",
        b"<![CDATA[",
        b"]]>",
        b"\xc3\xa9",
        b"\xe9",
        b"\xff\xfe",
        b"text ",
    ]
)
_DOCUMENTS = st.lists(st.one_of(_PIECES, st.binary(max_size=8)), max_size=30).map(b"".join)
_BOUNDED = settings(max_examples=100, deadline=None)


@_BOUNDED
@given(_DOCUMENTS)
def test_any_bytes_give_a_feed_or_a_feed_error(data: bytes) -> None:
    outcome: Feed | FeedError
    try:
        outcome = parse_feed(data, url="https://fuzz.example/feed")
    except FeedError as error:
        outcome = error
    if isinstance(outcome, FeedError):
        assert str(outcome).startswith(("The feed at https://fuzz.example/feed", "The address https://fuzz.example/feed"))
        return
    for entry in outcome.entries:
        assert entry.id
        assert entry.published is None or entry.published.tzinfo is not None


@_BOUNDED
@given(_DOCUMENTS)
def test_any_bytes_give_a_page_summary_or_a_page_error(data: bytes) -> None:
    outcome: PageSummary | PageError
    try:
        outcome = summarize_page(data, url="https://fuzz.example/a")
    except PageError as error:
        outcome = error
    if isinstance(outcome, PageError):
        assert outcome.code == "no_content"
    else:
        assert outcome.title or outcome.summary


@_BOUNDED
@given(st.binary(max_size=200), st.sampled_from([None, "utf-8", "iso-8859-1", "ascii", "shift_jis", "nonsense"]))
def test_any_bytes_decode_to_text(data: bytes, label: str | None) -> None:
    assert isinstance(decode(data, declared=label).text, str)


@_BOUNDED
@given(st.text(alphabet="ab é-,.…\u00a0\n", max_size=300), st.integers(min_value=1, max_value=200))
def test_shortened_text_never_exceeds_its_limit(text: str, limit: int) -> None:
    short = shorten(text, limit)
    assert len(short) <= limit
    assert short == text or short.endswith("…")
