"""The header's search box and the results page (issue 11, point 5)."""

from __future__ import annotations

from django.test import Client
from test_web_fixtures import Search, text_of

pytest_plugins = ["test_web_fixtures"]


def test_every_page_has_the_search_box(as_alice: Client, search: Search) -> None:
    for url in ("/", "/people/", "/settings/", f"/people/{search.dana.pk}/"):
        html = as_alice.get(url).content.decode()
        assert 'role="search" aria-label="Site search"' in html, url


def test_results_link_to_each_row_found(as_alice: Client, search: Search) -> None:
    html = as_alice.get("/search/", {"q": "acme"}).content.decode()
    assert f'<a href="/organizations/{search.acme.pk}/">Acme</a>' in html
    html = as_alice.get("/search/", {"q": "backend"}).content.decode()
    assert f'<a href="/openings/{search.opening.pk}/">Backend Engineer</a>' in html
    assert "Acme · Interviewing" in text_of(as_alice.get("/search/", {"q": "backend"}))


def test_nothing_found_and_no_words_say_so(as_alice: Client, search: Search) -> None:
    assert "Nothing holds “zeppelin”." in text_of(as_alice.get("/search/", {"q": "  zeppelin "}))
    page = text_of(as_alice.get("/search/", {"q": ""}))
    assert "Every word you type must appear" in page
