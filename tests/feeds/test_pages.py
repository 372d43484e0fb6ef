"""Article pages: a title and a short summary, fetched from a real server on loopback."""

from __future__ import annotations

import pytest
from feedsite import Site, fixture_bytes

from topofmind.integrations.pages import PageError, fetch_page, html_to_text, shorten, summarize_page


def test_a_page_with_open_graph_tags_is_summarised_from_them(site: Site) -> None:
    url = site.serves_fixture("/blog/series-b", "article-og.html", content_type="text/html; charset=utf-8") + "?utm_source=mail"

    page = fetch_page(url, allow_private_addresses=True)

    assert page.title == "Northwind raises $40M to grow its data platform"
    assert page.summary == "The Series B, led by Fabrikam Ventures, will fund the Lisbon office & 120 new hires."
    assert page.site_name == "Northwind Labs"
    assert page.url == "https://northwind.example/blog/series-b"
    assert page.feeds == (site.url("/blog/feed.xml"), "https://northwind.example/blog/atom.xml")
    assert page.notes == ()


def test_a_page_without_meta_tags_uses_its_title_and_first_real_paragraph(site: Site) -> None:
    url = site.serves_fixture("/tips", "article-plain.html", content_type="text/html")

    page = fetch_page(url, allow_private_addresses=True)

    assert page.title == "Why hiring managers love a short follow-up"
    assert page.summary == (
        "A follow-up that fits on a phone screen gets read. Hiring managers say the best ones recall one point"
        " from the interview & add one new fact — and stop there."
    )
    assert page.url == url
    assert page.site_name == ""


def test_the_summary_is_cut_at_a_word_boundary(site: Site) -> None:
    url = site.serves_fixture("/tips", "article-plain.html", content_type="text/html")

    page = fetch_page(url, allow_private_addresses=True, summary_chars=60)

    assert page.summary == "A follow-up that fits on a phone screen gets read. Hiring…"


def test_a_page_is_read_in_the_charset_its_meta_tag_names(site: Site) -> None:
    url = site.serves_fixture("/geneve", "article-cp1252.html", content_type="text/html")

    page = fetch_page(url, allow_private_addresses=True)

    assert page.title == "Les entreprises qui recrutent à Genève"
    assert page.summary.startswith("« Nous cherchons des développeurs », explique Zoë Müller, directrice")
    assert "–" in page.summary


def test_a_page_labelled_utf8_that_is_not_still_reads(site: Site) -> None:
    url = site.serves_fixture("/geneve", "article-cp1252.html", content_type="text/html; charset=utf-8")

    page = fetch_page(url, allow_private_addresses=True)

    assert page.title == "Les entreprises qui recrutent à Genève"
    assert page.notes == (f"The page at {url} says it is UTF-8 but is not; it was read as Windows-1252.",)


def test_a_long_page_is_cut_not_refused(site: Site) -> None:
    filler = "<p>" + "é" * 1000 + "</p>"
    body = ("<html><head><title>Ünïcode at the top</title></head><body>" + filler * 3000 + "</body></html>").encode()
    url = site.serves("/long", body, content_type="text/html; charset=utf-8")

    page = fetch_page(url, allow_private_addresses=True, max_bytes=100_001)  # cuts inside a 2-byte é

    assert page.title == "Ünïcode at the top"
    assert page.summary.startswith("ééé")
    assert page.notes == (f"The page at {url} is long; only its beginning was read.",)


def test_a_pdf_is_not_an_article_page(site: Site) -> None:
    url = site.serves("/report.pdf", b"%PDF-1.7 ...", content_type="application/pdf")

    with pytest.raises(PageError) as caught:
        fetch_page(url, allow_private_addresses=True)

    assert caught.value.code == "not_html"
    assert str(caught.value) == f"The page at {url} is not a web page (it is application/pdf)."


def test_a_page_with_nothing_to_show_is_an_error(site: Site) -> None:
    url = site.serves("/blank", b"<html><body><nav><p>Menu</p></nav></body></html>", content_type="text/html")

    with pytest.raises(PageError) as caught:
        fetch_page(url, allow_private_addresses=True)

    assert caught.value.code == "no_content"
    assert str(caught.value) == f"The page at {url} has no title and no text that topofmind can read."


def test_an_article_on_a_private_address_is_refused(site: Site, connections: list[str]) -> None:
    url = site.serves_fixture("/tips", "article-plain.html", content_type="text/html")

    with pytest.raises(PageError) as caught:
        fetch_page(url)

    assert caught.value.code == "private_address"
    assert str(caught.value).startswith(f"The page at {url} was not fetched: 127.0.0.1 is a private address")
    assert connections == []


def test_a_missing_article_says_what_the_server_answered(site: Site) -> None:
    with pytest.raises(PageError) as caught:
        fetch_page(site.url("/gone"), allow_private_addresses=True)

    assert str(caught.value) == f"The page at {site.url('/gone')} answered 404 (Not Found)."


def test_broken_markup_still_gives_a_title() -> None:
    page = summarize_page(b"<html><head><title>Half a page</title><body><p>Unclosed <b>bold <i>and", url="https://x.example/")

    assert page.title == "Half a page"


def test_a_title_cut_off_by_the_size_limit_is_kept() -> None:
    page = summarize_page(fixture_bytes("article-plain.html")[:40], url="https://x.example/", truncated=True)

    assert page.title.startswith("Why hiring")


def test_html_becomes_one_line_of_text() -> None:
    assert html_to_text("<p>One&nbsp;<b>two</b></p><p>three<br>four</p><style>x{}</style>") == "One two three four"


def test_shorten_keeps_short_text_and_cuts_long_text_between_words() -> None:
    assert shorten("short", 10) == "short"
    assert shorten("the quick brown fox jumps", 12) == "the quick…"
    assert len(shorten("x" * 50, 10)) == 10
