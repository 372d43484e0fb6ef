"""The Library page and the organization page's company news, through the web app."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from pytest_django.fixtures import Settings
from test_web_fixtures import Search, text_of
from tests.feeds.feedsite import Site

from topofmind.crm.models import Feed, Person, ValueItem

pytest_plugins = ["test_web_fixtures", "library_fixtures"]


@pytest.fixture(autouse=True)
def data_dir(library_dirs: Path, settings: Settings, tmp_path: Path) -> Path:
    settings.MATERIAL_MAX_BYTES = 1000
    settings.QUEUE_URL = f"sqlite:///{tmp_path / 'queue.db'}"
    return library_dirs.parent


def test_the_library_lists_and_filters_items(as_alice: Client, search: Search) -> None:
    ValueItem.objects.create(workspace=search.workspace, kind="achievement", title="Rust course", tags="rust, courses")

    page = text_of(as_alice.get("/library/"))
    only_rust = text_of(as_alice.get("/library/", {"tag": "rust"}))
    only_articles = text_of(as_alice.get("/library/", {"kind": "article"}))

    assert (
        'Library <small class="muted">2</small>' in page
        and "Rust course" in page
        and "Notes on the Acme pipeline rewrite" in page
    )
    assert "Rust course" in only_rust and "pipeline rewrite" not in only_rust
    assert "pipeline rewrite" in only_articles and "Rust course" not in only_articles


def test_add_an_article_an_achievement_and_a_material(as_alice: Client, search: Search, site: Site) -> None:
    url = site.serves_fixture("/post", "article-og.html", content_type="text/html; charset=utf-8")

    article = as_alice.post("/library/articles/", {"article-url": url, "article-tags": "Data"}, follow=True)
    achievement = as_alice.post("/library/achievements/", {"achievement-title": "AWS certified"}, follow=True)
    material = as_alice.post(
        "/library/materials/",
        {"material-file": SimpleUploadedFile("cv.pdf", b"%PDF cv"), "material-title": "CV"},
        follow=True,
    )

    assert "Added the article" in text_of(article)
    assert "get an update on Today" in text_of(achievement)
    assert "Added “CV” (cv.pdf)" in text_of(material)
    assert set(ValueItem.objects.values_list("kind", flat=True)) == {"article", "achievement", "material"}


def test_bad_input_is_shown_at_its_field_and_nothing_is_added(as_alice: Client, search: Search, site: Site) -> None:
    unreadable = as_alice.post("/library/articles/", {"article-url": site.url("/gone")})
    too_big = as_alice.post(
        "/library/materials/", {"material-file": SimpleUploadedFile("big.zip", b"x" * 1001), "material-title": "Big"}
    )

    assert unreadable.status_code == 400 and "answered 404" in text_of(unreadable)
    assert too_big.status_code == 400 and "is larger than 1000 bytes" in text_of(too_big)
    assert ValueItem.objects.count() == 1


def test_remove_asks_first_then_removes(as_alice: Client, search: Search) -> None:
    asked = as_alice.get(f"/library/{search.article.pk}/remove/")
    assert "Remove “Notes on the Acme pipeline rewrite”?" in text_of(asked)
    assert ValueItem.objects.filter(pk=search.article.pk).exists()

    as_alice.post(f"/library/{search.article.pk}/remove/")

    assert not ValueItem.objects.filter(pk=search.article.pk).exists()


def test_the_organization_page_adds_shows_and_removes_feeds(as_alice: Client, search: Search) -> None:
    page = text_of(as_alice.get(f"/organizations/{search.acme.pk}/"))
    assert "Company news" in page and "https://acme.test/news.xml" in page and "not fetched yet" in page

    bad = as_alice.post(f"/organizations/{search.acme.pk}/feeds/", {"url": "javascript:alert(1)"}, follow=True)
    added = as_alice.post(f"/organizations/{search.acme.pk}/feeds/", {"url": "acme.test/blog.xml"}, follow=True)
    fetch = as_alice.post("/feeds/fetch/", {"organization": str(search.acme.pk)}, follow=True)

    assert "The feed was not added" in text_of(bad)
    assert "Added the feed https://acme.test/blog.xml" in text_of(added)
    assert "Fetching every feed now" in text_of(fetch)
    as_alice.post(f"/feeds/{search.feed.pk}/remove/")
    assert list(Feed.objects.values_list("url", flat=True)) == ["https://acme.test/blog.xml"]


def test_interests_are_set_on_the_person_form(as_alice: Client, search: Search) -> None:
    as_alice.post(
        f"/people/{search.dana.pk}/edit/",
        {"name": "Dana Lee", "organization": "Acme", "roles": ["hiring_manager"], "emails": "dana@acme.test",
         "interests": "Data Platforms, rust, RUST"},
    )  # fmt: skip

    assert Person.objects.get(pk=search.dana.pk).interests == "data platforms, rust"


def test_an_upload_announced_far_over_the_limit_is_refused_before_it_is_read(as_alice: Client, search: Search) -> None:
    response = as_alice.post(
        "/library/materials/",
        {"material-file": SimpleUploadedFile("huge.bin", b"x" * 200_000), "material-title": "Huge"},
    )

    assert response.status_code == 413 and "is larger than 1000 bytes; nothing was kept" in text_of(response)
    assert ValueItem.objects.count() == 1


def test_the_person_page_lists_what_was_shared_with_them(as_alice: Client, search: Search) -> None:
    from topofmind.crm.models import ValueShare

    ValueShare.objects.create(
        workspace=search.workspace, value_item=search.article, person=search.dana, shared_at=search.article.created_at
    )

    page = text_of(as_alice.get(f"/people/{search.dana.pk}/"))

    assert "Shared with Dana Lee" in page and "Notes on the Acme pipeline rewrite" in page
