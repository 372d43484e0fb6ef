"""Company news feeds, fetched from a real server on loopback and read into plain records."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from feedsite import Site, fixture_bytes

from topofmind.integrations.feeds import FeedError, fetch_feed, parse_feed

MB = 1024 * 1024


def test_an_rss_2_feed_becomes_entries_with_plain_text_and_aware_dates(site: Site) -> None:
    url = site.serves_fixture("/news.xml", "rss20.xml")

    result = fetch_feed(url, allow_private_addresses=True)

    assert result.status == "updated"
    assert result.message == f"The feed at {url} has 4 entries."
    feed = result.feed
    assert feed is not None
    assert feed.title == "Northwind Labs & Friends — Newsroom"
    assert feed.format == "RSS 2.0"
    lisbon, results, essay, dangerous = feed.entries
    assert lisbon.id == "northwind-2030-0042"
    assert lisbon.title == "Northwind opens a Lisbon office"
    assert lisbon.link == "https://northwind.example/news/lisbon"
    assert lisbon.published == datetime(2030, 3, 4, 8, 30, tzinfo=UTC)
    assert lisbon.summary == "The new office will host 120 engineers by the end of the year. Hiring starts in April 2030."
    assert results.link == site.url("/news/q4-results")  # relative to the feed's address
    assert results.summary == "Revenue grew 18 % year over year, driven by the data platform & its new customers."
    assert len(essay.summary) <= 400 and essay.summary.endswith("…")
    assert dangerous.link is None  # a javascript: link is not an article


def test_the_same_feed_read_twice_gives_the_same_entry_ids(site: Site) -> None:
    url = site.serves_fixture("/news.xml", "rss20.xml")

    first = fetch_feed(url, allow_private_addresses=True).feed
    second = fetch_feed(url, allow_private_addresses=True).feed

    assert first is not None and second is not None
    assert [entry.id for entry in first.entries] == [entry.id for entry in second.entries]
    assert len({entry.id for entry in first.entries}) == 4


def test_an_atom_feed_resolves_relative_links_and_reads_html_titles(site: Site) -> None:
    url = site.serves_fixture("/atom.xml", "atom.xml", content_type="application/atom+xml")

    feed = fetch_feed(url, allow_private_addresses=True).feed

    assert feed is not None
    assert feed.title == "Contoso Engineering"
    assert feed.format == "Atom 1.0"
    builds, update_only = feed.entries
    assert builds.id == "tag:blog.contoso.example,2030:faster-builds"
    assert builds.link == "https://blog.contoso.example/posts/faster-builds"
    assert builds.published == datetime(2030, 3, 2, 15, 15, tzinfo=UTC)
    assert builds.summary == "Caching, remote execution and a lot of patience."
    assert update_only.published == datetime(2030, 2, 20, 8, 0, tzinfo=UTC)
    assert update_only.summary == "Written in XHTML."


def test_an_rss_1_feed_is_read_too() -> None:
    feed = parse_feed(fixture_bytes("rss10.xml"), url="https://fabrikam.example/rss")

    assert feed.format == "RSS 1.0"
    (entry,) = feed.entries
    assert entry.title == "Fabrikam names a new CTO"
    assert entry.published == datetime(2030, 2, 28, 9, 0, tzinfo=UTC)


def test_a_304_after_an_etag_says_not_modified(site: Site) -> None:
    def conditional(request) -> None:  # type: ignore[no-untyped-def]
        body = fixture_bytes("rss20.xml")
        if request.headers.get("If-None-Match") == '"n1"':
            request.send_response(304)
            request.end_headers()
            return
        request.send_response(200)
        request.send_header("ETag", '"n1"')
        request.send_header("Content-Type", "application/rss+xml")
        request.send_header("Content-Length", str(len(body)))
        request.end_headers()
        request.wfile.write(body)

    url = site.route("/news.xml", conditional)

    first = fetch_feed(url, allow_private_addresses=True)
    again = fetch_feed(url, first.etag, first.last_modified, allow_private_addresses=True)

    assert first.status == "updated" and first.etag == '"n1"'
    assert again.status == "not_modified"
    assert again.feed is None
    assert again.etag == '"n1"'
    assert again.message == f"The feed at {url} has not changed since it was last read."


def test_a_malformed_feed_is_an_error_naming_the_line(site: Site) -> None:
    url = site.serves_fixture("/broken.xml", "malformed.xml")

    with pytest.raises(FeedError) as caught:
        fetch_feed(url, allow_private_addresses=True)

    assert caught.value.code == "malformed"
    assert str(caught.value) == f"The feed at {url} is not well-formed XML on line 8 (mismatched tag); nothing was read from it."


@pytest.mark.parametrize(
    ("fixture", "http_charset", "note"),
    [
        ("latin1.xml", None, None),
        ("latin1-declared-utf8.xml", None, "says it is UTF-8 but is not; it was read as Windows-1252."),
        ("latin1.xml", "utf-8", "says it is UTF-8 but is not; it was read as Windows-1252."),
        ("utf8-declared-latin1.xml", None, "says it is ISO-8859-1 but is UTF-8; it was read as UTF-8."),
        ("undeclared-latin1.xml", None, "does not name its character set and is not UTF-8; it was read as Windows-1252."),
    ],
)
def test_a_feed_with_a_wrong_or_missing_charset_still_reads_its_accents(
    site: Site, fixture: str, http_charset: str | None, note: str | None
) -> None:
    content_type = "application/rss+xml" + (f"; charset={http_charset}" if http_charset else "")
    url = site.serves_fixture("/cafe.xml", fixture, content_type=content_type)

    feed = fetch_feed(url, allow_private_addresses=True).feed

    assert feed is not None
    assert feed.title == "Café Müller Nachrichten"
    assert feed.entries[0].title == "Crème brûlée für alle"
    assert feed.entries[0].summary == "Größer, süßer, näher."
    if note is None:
        assert feed.notes == ()
    else:
        assert feed.notes == (f"The feed at {url} {note}",)


def test_a_feed_without_entries_says_so(site: Site) -> None:
    url = site.serves_fixture("/quiet.xml", "empty.xml")

    result = fetch_feed(url, allow_private_addresses=True)

    assert result.status == "no_entries"
    assert result.message == f"The feed at {url} has no entries yet."
    assert result.feed is not None and result.feed.title == "Quiet Startup"


def test_an_empty_answer_is_an_error(site: Site) -> None:
    url = site.serves("/nothing.xml", b"  \n")

    with pytest.raises(FeedError) as caught:
        fetch_feed(url, allow_private_addresses=True)

    assert caught.value.code == "empty"
    assert str(caught.value) == f"The feed at {url} is empty: the server sent no content."


def test_a_web_page_instead_of_a_feed_points_to_the_feed_it_names(site: Site) -> None:
    url = site.serves_fixture("/news", "not-a-feed.html", content_type="text/html; charset=utf-8")

    with pytest.raises(FeedError) as caught:
        fetch_feed(url, allow_private_addresses=True)

    assert caught.value.code == "not_a_feed"
    assert caught.value.discovered == (site.url("/news/feed.xml"),)
    assert str(caught.value) == f"The address {url} is a web page, not a feed; the page names its feed at {site.url('/news/feed.xml')}."


def test_xml_that_is_not_a_feed_is_an_error(site: Site) -> None:
    url = site.serves_fixture("/sitemap.xml", "other.xml", content_type="application/xml")

    with pytest.raises(FeedError, match=r"is not a feed \(RSS or Atom\)") as caught:
        fetch_feed(url, allow_private_addresses=True)

    assert caught.value.code == "not_a_feed"


def test_a_body_naming_a_local_file_is_not_opened(site: Site, tmp_path) -> None:  # type: ignore[no-untyped-def]
    secret = tmp_path / "secret.xml"
    secret.write_bytes(fixture_bytes("rss20.xml"))
    url = site.serves("/sneaky.xml", str(secret).encode())

    with pytest.raises(FeedError) as caught:
        fetch_feed(url, allow_private_addresses=True)

    assert caught.value.code in ("malformed", "not_a_feed")


def test_a_huge_feed_is_refused_early(site: Site) -> None:
    url = site.streams("/huge.xml", 50 * MB, declare_length=False)

    with pytest.raises(FeedError) as caught:
        fetch_feed(url, allow_private_addresses=True)

    assert caught.value.code == "too_large"
    assert str(caught.value) == f"The feed at {url} is larger than 5 MB, so it was not read."


def test_a_slow_feed_times_out_with_a_sentence(site: Site) -> None:
    url = site.is_slow("/slow.xml", 3)

    with pytest.raises(FeedError) as caught:
        fetch_feed(url, allow_private_addresses=True, timeout=0.5)

    assert caught.value.code == "timeout"
    assert str(caught.value) == f"The feed at {url} did not answer within 0.5 seconds."


def test_a_feed_on_loopback_is_refused_unless_private_addresses_are_allowed(site: Site) -> None:
    url = site.serves_fixture("/news.xml", "rss20.xml")

    with pytest.raises(FeedError) as caught:
        fetch_feed(url)

    assert caught.value.code == "private_address"
    assert site.requests == []


def test_a_redirect_loop_is_an_error(site: Site) -> None:
    site.redirects("/feed", "/rss")
    site.redirects("/rss", "/feed")

    with pytest.raises(FeedError) as caught:
        fetch_feed(site.url("/feed"), allow_private_addresses=True)

    assert caught.value.code == "redirect_loop"
    assert str(caught.value) == f"The feed at {site.url('/feed')} redirects in a loop (back to {site.url('/feed')})."


def test_entries_past_the_cap_are_left_out_and_noted() -> None:
    items = "".join(f"<item><title>Item {n}</title><guid>i{n}</guid></item>" for n in range(30))
    data = f'<rss version="2.0"><channel><title>Busy</title>{items}</channel></rss>'.encode()

    feed = parse_feed(data, url="https://busy.example/rss", max_entries=10)

    assert [entry.id for entry in feed.entries] == [f"i{n}" for n in range(10)]
    assert feed.notes == ("The feed at https://busy.example/rss has more than 10 entries; only the first 10 were read.",)


def test_an_item_repeated_in_a_feed_is_listed_once() -> None:
    item = "<item><title>Same</title><guid>same-1</guid></item>"
    feed = parse_feed(f'<rss version="2.0"><channel><title>T</title>{item}{item}</channel></rss>'.encode(), url="https://x.example/")

    assert [entry.id for entry in feed.entries] == ["same-1"]


def test_a_feed_that_is_gone_reports_the_status(site: Site) -> None:
    url = site.serves("/old.xml", b"gone", status=410, content_type="text/plain")

    with pytest.raises(FeedError) as caught:
        fetch_feed(url, allow_private_addresses=True)

    assert caught.value.code == "http_status"
    assert caught.value.status == 410
    assert str(caught.value) == f"The feed at {url} answered 410 (Gone)."
