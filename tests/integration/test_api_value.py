"""The value library and news feeds through /api/ with a personal token."""

from __future__ import annotations

from pathlib import Path

import pytest
from api_fixtures import Api
from django.core.files.uploadedfile import SimpleUploadedFile
from test_web_fixtures import Search
from tests.feeds.feedsite import Site

from topofmind.crm.models import Feed, ValueItem

pytest_plugins = ["test_web_fixtures", "api_fixtures", "library_fixtures"]


@pytest.fixture(autouse=True)
def data_dir(library_dirs: Path) -> Path:
    return library_dirs.parent


def test_add_list_and_remove_through_the_api(search: Search, alice_api: Api, site: Site) -> None:
    page = site.serves_fixture("/post", "article-og.html", content_type="text/html; charset=utf-8")

    article = alice_api.post("/api/value/articles", {"url": page, "tags": ["Data", "data", "ML"]})
    typed = alice_api.post("/api/value/articles", {"url": site.url("/gone"), "title": "Queues, calmly"})
    achievement = alice_api.post("/api/value/achievements", {"title": "AWS certified", "date": "2030-02-20"})
    material = alice_api.client.post(
        "/api/value/materials",
        {"file": SimpleUploadedFile("cv.pdf", b"%PDF-1.4 cv", content_type="application/pdf"), "title": "CV"},
        headers=alice_api.headers,
    )

    assert article.status_code == 201, article.content
    assert article.json()["tags"] == ["data", "ml"] and article.json()["fetch_note"] == ""
    assert typed.status_code == 201 and "404" in typed.json()["fetch_note"]
    assert achievement.json()["happened_on"] == "2030-02-20"
    assert material.status_code == 201, material.content
    assert material.json()["file"] == {"name": "cv.pdf", "content_type": "application/pdf", "size": 11}
    listed = alice_api.get("/api/value", kind="article").json()
    assert listed["count"] == 3  # two added, and the one already in the library
    assert alice_api.get("/api/value", tag="ml").json()["count"] == 1
    retagged = alice_api.patch(f"/api/value/{achievement.json()['id']}", {"tags": ["Cloud", "AWS"]})
    assert retagged.status_code == 200 and retagged.json()["tags"] == ["cloud", "aws"]
    again = alice_api.post("/api/value/articles", {"url": page})
    assert again.status_code == 409 and "already in the library" in again.json()["detail"]
    removed = alice_api.delete(f"/api/value/{material.json()['id']}")
    assert removed.status_code == 204
    assert alice_api.get(f"/api/value/{material.json()['id']}").status_code == 404


def test_bad_input_is_a_problem_naming_the_field(search: Search, alice_api: Api, site: Site) -> None:
    no_title = alice_api.post("/api/value/articles", {"url": site.url("/gone")})
    bad_date = alice_api.post("/api/value/achievements", {"title": "X", "date": "2030-13-01"})
    bad_kind = alice_api.get("/api/value", kind="gossip")
    bad_feed = alice_api.post("/api/newsfeeds", {"organization_id": search.acme.pk, "url": "ftp://acme.test/x"})
    # a NUL character (schemathesis sent one; PostgreSQL text cannot hold it) is refused by name
    nul_title = alice_api.post("/api/value/achievements", {"title": "AWS\u0000 certified"})
    nul_summary = alice_api.post(
        "/api/value/articles", {"url": site.url("/gone"), "title": "Queues", "summary": "a\u0000b"}
    )

    assert nul_title.status_code == 422 and nul_title.json()["errors"][0]["field"] == "title"
    assert nul_summary.status_code == 422 and nul_summary.json()["errors"][0]["field"] == "summary"
    assert no_title.status_code == 422 and no_title.json()["errors"][0]["field"] == "url"
    assert bad_date.status_code == 422 and bad_date.json()["errors"][0]["field"] == "date"
    assert bad_kind.status_code == 422
    assert bad_feed.status_code == 422
    assert ValueItem.objects.filter(workspace=search.workspace).count() == 1


def test_feeds_add_fetch_and_remove(search: Search, alice_api: Api, site: Site) -> None:
    url = site.serves_fixture("/news.xml", "rss20.xml")
    Feed.objects.filter(pk=search.feed.pk).delete()  # (its address is not served)

    added = alice_api.post("/api/newsfeeds", {"organization_id": search.acme.pk, "url": url})
    fetched = alice_api.post("/api/newsfeeds/fetch")

    assert added.status_code == 201 and added.json()["status"] == "not fetched yet"
    [outcome] = fetched.json()
    assert outcome["ok"] and outcome["new"] == 4
    [feed] = alice_api.get("/api/newsfeeds").json()
    assert feed["status"].startswith("4 entries, 4 new at ")
    assert alice_api.get("/api/value", kind="news").json()["count"] == 4
    assert alice_api.delete(f"/api/newsfeeds/{feed['id']}").status_code == 204


def test_charlie_cannot_add_a_feed_to_alices_organization(search: Search, charlie_api: Api) -> None:
    response = charlie_api.post("/api/newsfeeds", {"organization_id": search.acme.pk, "url": "https://x.test/f"})

    assert response.status_code == 404
    assert Feed.objects.filter(organization=search.acme).count() == 1
