"""HTTPS through the fetcher: certificates are checked against the host name the user typed,
even though the connection goes to the address that was checked."""

from __future__ import annotations

import ssl
from collections.abc import Iterator

import pytest
import trustme
from feedsite import Site, fixture_bytes, running_site

from topofmind.integrations.feeds import fetch_feed
from topofmind.integrations.fetch import FetchError, fetch


@pytest.fixture(scope="module")
def authority() -> trustme.CA:
    return trustme.CA()


@pytest.fixture
def secure_site(authority: trustme.CA) -> Iterator[Site]:
    server_context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    authority.issue_cert("localhost", "127.0.0.1").configure_cert(server_context)
    with running_site(tls=server_context, name="localhost") as started:
        yield started


@pytest.fixture
def trusting(authority: trustme.CA) -> ssl.SSLContext:
    context = ssl.create_default_context()
    authority.configure_trust(context)
    return context


def test_a_feed_over_https_is_read_when_its_certificate_is_trusted(secure_site: Site, trusting: ssl.SSLContext) -> None:
    url = secure_site.route("/news.xml", lambda request: _send(request, fixture_bytes("rss20.xml")))

    result = fetch_feed(url, allow_private_addresses=True, tls=trusting)

    assert result.feed is not None and len(result.feed.entries) == 4
    # The request named the host the user typed, not the address it went to.
    assert secure_site.requests[0].headers["host"].startswith("localhost:")


def test_an_untrusted_certificate_is_refused_with_a_sentence(secure_site: Site) -> None:
    url = secure_site.route("/news.xml", lambda request: _send(request, b"never sent"))

    with pytest.raises(FetchError) as caught:
        fetch(url, what="feed", allow_private_addresses=True)

    assert caught.value.code == "tls"
    assert str(caught.value) == f"The feed at {url} could not be reached securely: unable to get local issuer certificate."
    assert secure_site.requests == []


def test_a_certificate_for_another_name_is_refused(authority: trustme.CA, trusting: ssl.SSLContext) -> None:
    server_context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    authority.issue_cert("news.northwind.example").configure_cert(server_context)
    with running_site(tls=server_context, name="127.0.0.1") as impostor:
        url = impostor.url("/news.xml")

        with pytest.raises(FetchError) as caught:
            fetch(url, allow_private_addresses=True, tls=trusting)

    assert caught.value.code == "tls"
    assert str(caught.value) == f"The page at {url} could not be reached securely: ip address mismatch, certificate is not valid for '127.0.0.1'."


def _send(request, body: bytes) -> None:  # type: ignore[no-untyped-def]
    request.send_response(200)
    request.send_header("Content-Type", "application/rss+xml")
    request.send_header("Content-Length", str(len(body)))
    request.end_headers()
    request.wfile.write(body)
