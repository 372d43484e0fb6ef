"""The safe fetcher against a real HTTP server on loopback."""

from __future__ import annotations

import gzip
import ipaddress
import time

import pytest
from feedsite import LOOPBACK, Site

from topofmind.integrations.fetch import USER_AGENT, FetchError, fetch, is_public

MB = 1024 * 1024


def test_it_fetches_a_page_and_names_topofmind_in_the_user_agent(site: Site) -> None:
    url = site.serves("/hello", b"<p>hello</p>", content_type="text/html; charset=iso-8859-1", headers={"ETag": '"v1"'})

    result = fetch(url, allow_private_addresses=True)

    assert result.body == b"<p>hello</p>"
    assert result.content_type == "text/html"
    assert result.charset == "iso-8859-1"
    assert result.etag == '"v1"'
    assert not result.not_modified
    assert "topofmind" in site.requests[0].headers["user-agent"]
    assert site.requests[0].headers["user-agent"] == USER_AGENT


def test_a_304_after_an_etag_means_not_modified(site: Site) -> None:
    def conditional(request) -> None:  # type: ignore[no-untyped-def]
        if request.headers.get("If-None-Match") == '"v7"':
            request.send_response(304)
            request.send_header("ETag", '"v7"')
            request.end_headers()
        else:
            request.send_response(200)
            request.send_header("ETag", '"v7"')
            request.send_header("Last-Modified", "Mon, 04 Mar 2030 08:00:00 GMT")
            request.send_header("Content-Length", "4")
            request.end_headers()
            request.wfile.write(b"body")

    url = site.route("/feed", conditional)

    first = fetch(url, allow_private_addresses=True)
    second = fetch(url, etag=first.etag, last_modified=first.last_modified, allow_private_addresses=True)

    assert first.body == b"body" and not first.not_modified
    assert second.not_modified and second.body == b"" and second.status == 304
    assert second.etag == '"v7"'
    assert second.last_modified == "Mon, 04 Mar 2030 08:00:00 GMT"  # kept: the 304 did not repeat it
    assert site.requests[1].headers["if-none-match"] == '"v7"'
    assert site.requests[1].headers["if-modified-since"] == "Mon, 04 Mar 2030 08:00:00 GMT"


def test_it_follows_a_redirect_and_reports_where_it_landed(site: Site) -> None:
    site.serves("/new", b"moved here")
    url = site.redirects("/old", "/new", status=301)

    result = fetch(url, allow_private_addresses=True)

    assert result.body == b"moved here"
    assert result.url == url
    assert result.final_url == site.url("/new")


def test_a_redirect_loop_is_a_clear_error(site: Site) -> None:
    site.redirects("/a", "/b")
    url = site.redirects("/b", "/a")

    with pytest.raises(FetchError) as caught:
        fetch(url, what="feed", allow_private_addresses=True)

    assert caught.value.code == "redirect_loop"
    assert str(caught.value) == f"The feed at {url} redirects in a loop (back to {url})."


def test_more_than_five_redirects_are_refused(site: Site) -> None:
    for hop in range(10):
        site.redirects(f"/hop{hop}", f"/hop{hop + 1}")

    with pytest.raises(FetchError) as caught:
        fetch(site.url("/hop0"), what="feed", allow_private_addresses=True)

    assert caught.value.code == "too_many_redirects"
    assert str(caught.value) == f"The feed at {site.url('/hop0')} redirected more than 5 times."
    assert len(site.requests) == 6


def test_an_error_status_is_a_sentence_with_the_status(site: Site) -> None:
    with pytest.raises(FetchError) as caught:
        fetch(site.url("/missing"), what="feed", allow_private_addresses=True)

    assert caught.value.code == "http_status"
    assert caught.value.status == 404
    assert str(caught.value) == f"The feed at {site.url('/missing')} answered 404 (Not Found)."


def test_a_server_error_suggests_trying_later(site: Site) -> None:
    url = site.serves("/down", b"oops", status=503)

    with pytest.raises(FetchError, match=r"answered 503 \(Service Unavailable\); try again later\.$"):
        fetch(url, allow_private_addresses=True)


def test_a_50_mb_body_with_its_length_announced_is_refused_before_reading(site: Site) -> None:
    url = site.streams("/huge", 50 * MB, declare_length=True)

    started = time.monotonic()
    with pytest.raises(FetchError) as caught:
        fetch(url, what="feed", allow_private_addresses=True)

    assert caught.value.code == "too_large"
    assert str(caught.value) == f"The feed at {url} is larger than 5 MB, so it was not read."
    assert time.monotonic() - started < 5


def test_a_50_mb_stream_without_a_length_is_cut_off_early(site: Site) -> None:
    url = site.streams("/endless", 50 * MB, declare_length=False)

    with pytest.raises(FetchError) as caught:
        fetch(url, allow_private_addresses=True)

    assert caught.value.code == "too_large"
    time.sleep(0.2)  # let the server notice the hang-up
    # What left the server is the limit plus what the sockets buffer, nowhere near 50 MB.
    assert site.bytes_sent < 20 * MB


def test_a_small_gzip_that_inflates_past_the_limit_is_refused(site: Site) -> None:
    bomb = gzip.compress(b"\0" * (16 * MB), compresslevel=1)
    assert len(bomb) < MB
    url = site.serves("/bomb", bomb, headers={"Content-Encoding": "gzip"})

    with pytest.raises(FetchError) as caught:
        fetch(url, allow_private_addresses=True)

    assert caught.value.code == "too_large"


def test_a_gzip_body_arrives_decompressed(site: Site) -> None:
    url = site.serves("/feed", b"<rss>compressed</rss>", compress=True)

    assert fetch(url, allow_private_addresses=True).body == b"<rss>compressed</rss>"
    assert "gzip" in site.requests[0].headers["accept-encoding"]


def test_a_slow_server_times_out(site: Site) -> None:
    url = site.is_slow("/slow", 3)

    started = time.monotonic()
    with pytest.raises(FetchError) as caught:
        fetch(url, what="feed", timeout=0.5, allow_private_addresses=True)

    assert caught.value.code == "timeout"
    assert str(caught.value) == f"The feed at {url} did not answer within 0.5 seconds."
    assert time.monotonic() - started < 2


def test_a_server_that_trickles_bytes_is_cut_off_at_the_deadline(site: Site) -> None:
    url = site.trickles("/drip", interval=0.1, count=100)

    started = time.monotonic()
    with pytest.raises(FetchError) as caught:
        fetch(url, timeout=0.6, allow_private_addresses=True)

    assert caught.value.code == "timeout"
    assert time.monotonic() - started < 2


def test_loopback_is_refused_without_connecting(site: Site, connections: list[str]) -> None:
    url = site.serves("/feed", b"secret")

    with pytest.raises(FetchError) as caught:
        fetch(url, what="feed")

    assert caught.value.code == "private_address"
    assert str(caught.value) == (
        f"The feed at {url} was not fetched: 127.0.0.1 is a private address, and fetching private addresses is turned off."
    )
    assert site.requests == []
    assert connections == []


def test_a_private_network_address_is_refused_without_connecting(connections: list[str]) -> None:
    started = time.monotonic()
    with pytest.raises(FetchError) as caught:
        fetch("http://10.0.0.1/feed.xml", what="feed", timeout=5)

    assert caught.value.code == "private_address"
    assert "10.0.0.1 is a private address" in str(caught.value)
    assert connections == []
    assert time.monotonic() - started < 1


@pytest.mark.parametrize(
    "url",
    [
        "http://localhost/",
        "http://[::1]/",
        "http://[::ffff:127.0.0.1]/",
        "http://[::ffff:a00:1]/",
        "http://169.254.169.254/latest/meta-data/",
        "http://0.0.0.0/",
        "http://2130706433/",
        "http://224.0.0.1/",
    ],
)
def test_disguised_local_addresses_are_refused(url: str, connections: list[str]) -> None:
    with pytest.raises(FetchError) as caught:
        fetch(url)

    assert caught.value.code == "private_address"
    assert connections == []


def test_a_redirect_to_a_private_address_is_refused(site: Site, connections: list[str]) -> None:
    url = site.redirects("/away", "http://10.0.0.1/admin")

    with pytest.raises(FetchError) as caught:
        fetch(url, what="feed", trusted_addresses={LOOPBACK})

    assert caught.value.code == "private_address"
    assert str(caught.value) == (
        f"The feed at {url} (redirected to http://10.0.0.1/admin) was not fetched: 10.0.0.1 is a private address,"
        " and fetching private addresses is turned off."
    )
    assert connections == ["127.0.0.1"]


@pytest.mark.parametrize(
    ("address", "public"),
    [
        ("8.8.8.8", True),
        ("2606:4700:4700::1111", True),
        ("::ffff:8.8.8.8", True),
        ("127.0.0.1", False),
        ("10.0.0.1", False),
        ("172.16.5.4", False),
        ("192.168.1.1", False),
        ("100.64.0.1", False),
        ("169.254.169.254", False),
        ("224.0.0.251", False),
        ("240.0.0.1", False),
        ("255.255.255.255", False),
        ("0.0.0.0", False),
        ("::", False),
        ("::1", False),
        ("fe80::1", False),
        ("fc00::1", False),
        ("ff02::1", False),
        ("::ffff:127.0.0.1", False),
        ("::ffff:10.0.0.1", False),
        ("::127.0.0.1", False),
        ("64:ff9b::a00:1", False),
        ("2002:a00:1::", False),
    ],
)
def test_the_address_guard_knows_what_is_on_the_internet(address: str, public: bool) -> None:
    assert is_public(ipaddress.ip_address(address)) is public


@pytest.mark.parametrize(
    ("url", "code"),
    [
        ("ftp://example.com/feed", "scheme"),
        ("file:///etc/passwd", "scheme"),
        ("javascript:alert(1)", "scheme"),
        ("http://", "bad_url"),
        ("http://user:secret@example.com/", "bad_url"),
        ("http://example.com:99999/", "bad_url"),
        ("", "bad_url"),
    ],
)
def test_addresses_that_are_not_web_addresses_are_refused(url: str, code: str, connections: list[str]) -> None:
    with pytest.raises(FetchError) as caught:
        fetch(url)

    assert caught.value.code == code
    assert connections == []


def test_a_closed_port_cannot_be_reached(site: Site) -> None:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(FetchError) as caught:
        fetch(f"http://127.0.0.1:{port}/", allow_private_addresses=True)

    assert caught.value.code == "connect"
    assert "cannot be reached: connection refused" in str(caught.value)


def test_a_server_that_hangs_up_without_answering_is_a_sentence(site: Site) -> None:
    def hang_up(request) -> None:  # type: ignore[no-untyped-def]
        request.close_connection = True
        request.connection.shutdown(2)

    url = site.route("/rude", hang_up)

    with pytest.raises(FetchError) as caught:
        fetch(url, what="feed", allow_private_addresses=True)

    assert caught.value.code == "bad_response"
    assert str(caught.value) == f"The feed at {url} closed the connection without answering."


def test_a_server_that_stalls_after_its_headers_is_cut_off_at_the_deadline(site: Site) -> None:
    def stall(request) -> None:  # type: ignore[no-untyped-def]
        request.send_response(200)
        request.send_header("Content-Type", "text/html")
        request.end_headers()
        request.wfile.write(b"<html>")
        request.wfile.flush()
        time.sleep(0.9)
        request.wfile.write(b"<p>")
        request.wfile.flush()
        time.sleep(3)

    url = site.route("/stall", stall)

    started = time.monotonic()
    with pytest.raises(FetchError) as caught:
        fetch(url, timeout=1.0, allow_private_addresses=True)

    assert caught.value.code == "timeout"
    # Each read waits only for what is left of the second, not a second afresh (that would be 1.9 s).
    assert time.monotonic() - started < 1.5


def test_a_body_that_claims_gzip_but_is_not_is_a_sentence(site: Site) -> None:
    url = site.serves("/liar", b"<rss>plain</rss>", headers={"Content-Encoding": "gzip"})

    with pytest.raises(FetchError) as caught:
        fetch(url, what="feed", allow_private_addresses=True)

    assert caught.value.code == "bad_response"
    assert str(caught.value) == f"The feed at {url} was sent compressed but does not decompress."


def test_a_gzip_body_cut_short_is_a_sentence(site: Site) -> None:
    url = site.serves("/cut", gzip.compress(b"<rss>" + b"x" * 5000 + b"</rss>")[:-12], headers={"Content-Encoding": "gzip"})

    with pytest.raises(FetchError) as caught:
        fetch(url, what="feed", allow_private_addresses=True)

    assert str(caught.value) == f"The feed at {url} stopped sending part-way through its answer."
