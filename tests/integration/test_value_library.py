"""The value library and company news through the services, against a real site on loopback."""

from __future__ import annotations

import io
import stat
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from django.db import IntegrityError
from pytest_django.fixtures import Settings as SettingsWrapper
from tests.feeds.feedsite import Site

from topofmind.crm import queries, services
from topofmind.crm.errors import Conflict, Invalid, NotFound
from topofmind.crm.models import Feed, Opportunity, Organization, Person, ValueItem, Workspace
from topofmind.crm.validation import normalize_tags
from topofmind.engine.types import Role, Stage

pytest_plugins = ["library_fixtures"]


# --- tags and interests -----------------------------------------------------------------


def test_tags_are_lower_case_trimmed_and_each_once() -> None:
    assert normalize_tags(" Python, DATA ,, python , Machine   Learning") == ["python", "data", "machine learning"]


def test_a_persons_interests_are_kept_as_normalised_tags(
    alice: Workspace, now: datetime, make_person: Callable[..., Person]
) -> None:
    dana = make_person()

    services.set_interests(workspace=alice, person_id=dana.pk, tags="Rust, data platforms, rust", now=now)

    dana.refresh_from_db()
    assert dana.interests == "rust, data platforms"


# --- articles -------------------------------------------------------------------------------


def test_an_article_takes_its_title_and_summary_from_the_page(
    alice: Workspace, now: datetime, site: Site, library_dirs: Path
) -> None:
    url = site.serves_fixture("/post", "article-og.html", content_type="text/html; charset=utf-8")

    added = services.add_article(workspace=alice, url=url, tags="Data, Platforms", now=now)

    item = added.item
    assert item.kind == "article" and item.title and item.summary
    assert item.tags == "data, platforms"
    assert added.fetch_note == ""


def test_a_typed_title_adds_the_article_when_the_page_cannot_be_read(
    alice: Workspace, now: datetime, site: Site, library_dirs: Path
) -> None:
    url = site.url("/gone")

    added = services.add_article(workspace=alice, url=url, title="Why queues", now=now)

    assert added.item.title == "Why queues"
    assert "404" in added.fetch_note


def test_without_a_title_an_unreadable_page_is_a_clear_error_and_nothing_is_added(
    alice: Workspace, now: datetime, site: Site, library_dirs: Path
) -> None:
    with pytest.raises(Invalid) as raised:
        services.add_article(workspace=alice, url=site.url("/gone"), now=now)

    assert raised.value.field == "url" and "404" in raised.value.message
    assert not ValueItem.objects.filter(workspace=alice).exists()


def test_an_article_on_a_private_address_is_refused_unless_allowed(
    alice: Workspace, now: datetime, site: Site, settings: SettingsWrapper
) -> None:
    settings.FETCH_PRIVATE_ADDRESSES = False
    url = site.serves_fixture("/post", "article-og.html", content_type="text/html")

    with pytest.raises(Invalid) as raised:
        services.add_article(workspace=alice, url=url, now=now)

    assert "private address" in raised.value.message
    assert site.requests == []


def test_a_javascript_link_is_not_an_article(alice: Workspace, now: datetime) -> None:
    with pytest.raises(Invalid) as raised:
        services.add_article(workspace=alice, url="javascript:alert(1)", title="x", now=now)
    assert raised.value.field == "url"


# --- achievements ----------------------------------------------------------------------------


def test_an_achievement_replans_the_hiring_managers_and_recruiters_of_open_openings(
    alice: Workspace,
    now: datetime,
    make_org: Callable[..., Organization],
    make_person: Callable[..., Person],
    make_opp: Callable[..., Opportunity],
) -> None:
    acme = make_org("Acme")
    opening = make_opp(org=acme, stage=Stage.APPLIED)
    closed = make_opp("Old role", org=acme, stage=Stage.REJECTED)
    manager = make_person("Priya Shah", org=acme, emails=("priya@acme.test",))
    recruiter = make_person("Ravi Rao", org=acme, roles=(Role.RECRUITER,), emails=("ravi@acme.test",))
    make_person("Pat Peer", org=acme, emails=("pat@acme.test",))
    make_person("Gil Gone", org=acme, emails=("gil@acme.test",))
    services.add_participant(
        workspace=alice, opportunity_id=opening.pk, name="Priya Shah", role=Role.HIRING_MANAGER, now=now
    )
    services.add_participant(workspace=alice, opportunity_id=opening.pk, name="Ravi Rao", role=None, now=now)
    services.add_participant(workspace=alice, opportunity_id=opening.pk, name="Pat Peer", role=Role.PEER, now=now)
    services.add_participant(
        workspace=alice, opportunity_id=closed.pk, name="Gil Gone", role=Role.HIRING_MANAGER, now=now
    )

    item = services.add_achievement(
        workspace=alice, title="AWS Solutions Architect", happened_on=date(2030, 3, 1), tags="Cloud", now=now
    )

    assert item.kind == "achievement" and item.happened_on == date(2030, 3, 1) and item.tags == "cloud"
    assert services.value.people_to_update(alice) == sorted([manager.pk, recruiter.pk])


def test_an_achievement_without_a_date_happened_today(alice: Workspace, now: datetime) -> None:
    item = services.add_achievement(workspace=alice, title="Finished the Rust course", now=now)
    assert item.happened_on == now.date()


def test_an_achievement_needs_a_title(alice: Workspace, now: datetime) -> None:
    with pytest.raises(Invalid) as raised:
        services.add_achievement(workspace=alice, title="  ", now=now)
    assert raised.value.field == "title"


# --- materials ----------------------------------------------------------------------------


def test_a_material_is_copied_into_the_data_directory_privately(
    alice: Workspace, now: datetime, library_dirs: Path
) -> None:
    data = b"%PDF-1.4 resume " * 1000

    item = services.add_material(
        workspace=alice, upload=io.BytesIO(data), original_name="../../Résumé 2030.PDF", title="Résumé", now=now
    )

    path = services.material_path(item)
    assert path.parent == library_dirs / str(alice.pk)
    assert path.read_bytes() == data
    assert item.original_name == "Résumé 2030.PDF" and item.size == len(data)
    assert item.content_type == "application/pdf"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700


def test_a_material_over_the_size_limit_is_refused_and_nothing_is_kept(
    alice: Workspace, now: datetime, library_dirs: Path, settings: SettingsWrapper
) -> None:
    settings.MATERIAL_MAX_BYTES = 1000

    with pytest.raises(Invalid) as raised:
        services.add_material(
            workspace=alice, upload=io.BytesIO(b"x" * 1001), original_name="big.zip", title="Big", now=now
        )

    assert raised.value.field == "file" and "larger than" in raised.value.message
    assert not ValueItem.objects.exists()
    assert list((library_dirs / str(alice.pk)).iterdir()) == []


@pytest.mark.django_db(transaction=True)
def test_removing_a_material_removes_its_file_once_committed(library_dirs: Path, now: datetime) -> None:
    alice = services.create_workspace(name="Alice's search", now=now)
    item = services.add_material(
        workspace=alice, upload=io.BytesIO(b"sample"), original_name="s.txt", title="Sample", now=now
    )
    path = services.material_path(item)
    assert path.exists()

    services.remove_item(workspace=alice, item_id=item.pk)

    assert not path.exists()


def test_another_workspace_cannot_remove_or_retag_an_item(alice: Workspace, bob: Workspace, now: datetime) -> None:
    item = services.add_achievement(workspace=alice, title="Course", now=now)

    with pytest.raises(NotFound, match="no library item"):
        services.remove_item(workspace=bob, item_id=item.pk)
    with pytest.raises(NotFound, match="no library item"):
        services.edit_tags(workspace=bob, item_id=item.pk, tags="x")
    assert ValueItem.objects.get(pk=item.pk).tags == ""


# --- the library list -----------------------------------------------------------------------


def test_the_library_filters_by_kind_and_whole_tags(alice: Workspace, now: datetime) -> None:
    services.add_achievement(workspace=alice, title="Cloud cert", tags="cloud, aws", now=now)
    services.add_achievement(workspace=alice, title="Cloudy", tags="cloudy", now=now + timedelta(seconds=1))
    services.value._store_article(
        workspace=alice, url="https://example.com/a", title="On clouds", summary="", tags="cloud", now=now
    )

    by_tag = [i.title for i in queries.library_items(alice, queries.LibraryFilter(tag="Cloud"))]
    achievements = [i.title for i in queries.library_items(alice, queries.LibraryFilter(kind="achievement"))]

    assert sorted(by_tag) == ["Cloud cert", "On clouds"]
    assert achievements == ["Cloudy", "Cloud cert"]
    assert queries.library_tags(alice) == ["aws", "cloud", "cloudy"]
    with pytest.raises(Invalid, match="kind"):
        list(queries.library_items(alice, queries.LibraryFilter(kind="gossip")))


# --- feeds ---------------------------------------------------------------------------------


@pytest.fixture
def acme(make_org: Callable[..., Organization]) -> Organization:
    return make_org("Acme")


def test_a_feed_needs_an_http_address_and_is_added_once(alice: Workspace, now: datetime, acme: Organization) -> None:
    with pytest.raises(Invalid) as raised:
        services.add_feed(workspace=alice, organization_id=acme.pk, url="ftp://acme.example/feed", now=now)
    assert raised.value.field == "url"

    services.add_feed(workspace=alice, organization_id=acme.pk, url="https://acme.example/feed.xml", now=now)
    with pytest.raises(Conflict):
        services.add_feed(workspace=alice, organization_id=acme.pk, url="https://acme.example/feed.xml", now=now)


def test_new_entries_become_news_once_each_with_a_status_in_words(
    alice: Workspace, now: datetime, acme: Organization, site: Site, library_dirs: Path
) -> None:
    url = site.serves_fixture("/news.xml", "rss20.xml", headers={"ETag": '"v1"'})
    feed = services.add_feed(workspace=alice, organization_id=acme.pk, url=url, now=now)

    first = services.fetch_feeds(workspace=alice, now=now)
    second = services.fetch_feeds(workspace=alice, now=now + timedelta(hours=6))

    assert [(o.ok, o.status) for o in first] == [(True, "4 entries, 4 new at 08:00")]
    assert second[0].status == "4 entries, 0 new at 14:00"
    news = ValueItem.objects.filter(workspace=alice, kind="news").order_by("pk")
    assert news.count() == 4
    lisbon = news.get(guid="northwind-2030-0042")
    assert lisbon.title == "Northwind opens a Lisbon office"
    assert lisbon.organization_id == acme.pk and lisbon.feed_id == feed.pk
    assert lisbon.url == "https://northwind.example/news/lisbon"
    assert lisbon.happened_on == date(2030, 3, 4)
    assert site.requests[-1].headers.get("if-none-match") == '"v1"'


def test_a_304_changes_nothing_but_the_status(
    alice: Workspace, now: datetime, acme: Organization, site: Site, library_dirs: Path
) -> None:
    url = site.serves_fixture("/news.xml", "rss20.xml", headers={"Last-Modified": "Mon, 04 Mar 2030 07:00:00 GMT"})
    services.add_feed(workspace=alice, organization_id=acme.pk, url=url, now=now)
    services.fetch_feeds(workspace=alice, now=now)
    site.serves("/news.xml", b"", status=304)

    again = services.fetch_feeds(workspace=alice, now=now + timedelta(minutes=5))

    assert again[0].status == "not changed since the last fetch (checked at 08:05)"
    assert site.requests[-1].headers.get("if-modified-since") == "Mon, 04 Mar 2030 07:00:00 GMT"
    assert ValueItem.objects.filter(kind="news").count() == 4


@pytest.mark.parametrize(
    ("route", "expected"),
    [
        ("malformed", "not a feed: malformed XML at line"),
        ("missing", "the server answered 404"),
        ("huge", "too big: over 5 MB"),
        ("loop", "the address redirects in a loop"),
        ("page", "not a feed: a web page"),
    ],
)
def test_a_broken_or_hostile_feed_gets_a_status_and_changes_nothing_else(
    alice: Workspace, now: datetime, acme: Organization, site: Site, library_dirs: Path, route: str, expected: str
) -> None:
    site.serves_fixture("/malformed", "malformed.xml")
    site.streams("/huge", 50 * 1024 * 1024, declare_length=False)
    site.redirects("/loop", "/loop2")
    site.redirects("/loop2", "/loop")
    site.serves_fixture("/page", "not-a-feed.html", content_type="text/html")
    feed = services.add_feed(workspace=alice, organization_id=acme.pk, url=site.url(f"/{route}"), now=now)
    before = Feed.objects.filter(pk=feed.pk).values("etag", "last_modified", "last_ok_at").get()

    [outcome] = services.fetch_feeds(workspace=alice, now=now)

    assert not outcome.ok and outcome.status.startswith(expected)
    feed.refresh_from_db()
    assert feed.status == outcome.status and feed.last_fetch_at == now
    assert Feed.objects.filter(pk=feed.pk).values("etag", "last_modified", "last_ok_at").get() == before
    assert not ValueItem.objects.exists()
    if route == "huge":
        assert site.bytes_sent < 20 * 1024 * 1024  # refused part-way, never read whole


def test_a_latin1_feed_reads_its_accents(
    alice: Workspace, now: datetime, acme: Organization, site: Site, library_dirs: Path
) -> None:
    url = site.serves_fixture("/latin1.xml", "latin1.xml", content_type="application/rss+xml; charset=iso-8859-1")
    services.add_feed(workspace=alice, organization_id=acme.pk, url=url, now=now)

    [outcome] = services.fetch_feeds(workspace=alice, now=now)

    assert outcome.ok
    titles = " ".join(ValueItem.objects.values_list("title", flat=True))
    assert any(ch in titles for ch in "éèàçüö")


def test_a_loopback_feed_is_refused_unless_private_addresses_are_allowed(
    alice: Workspace, now: datetime, acme: Organization, site: Site, settings: SettingsWrapper
) -> None:
    settings.FETCH_PRIVATE_ADDRESSES = False
    url = site.serves_fixture("/news.xml", "rss20.xml")
    services.add_feed(workspace=alice, organization_id=acme.pk, url=url, now=now)

    [outcome] = services.fetch_feeds(workspace=alice, now=now)

    assert outcome.status.startswith("refused: a private or loopback address")
    assert site.requests == []


def test_the_organization_form_box_keeps_feed_rows(alice: Workspace, now: datetime) -> None:
    org = services.add_organization(
        workspace=alice, name="Contoso", now=now, feeds="https://contoso.example/a.xml\n\nhttps://contoso.example/b.xml"
    )
    assert sorted(Feed.objects.filter(organization=org).values_list("url", flat=True)) == [
        "https://contoso.example/a.xml",
        "https://contoso.example/b.xml",
    ]

    services.edit_organization(workspace=alice, organization_id=org.pk, now=now, feeds="https://contoso.example/b.xml")

    assert list(Feed.objects.filter(organization=org).values_list("url", flat=True)) == [
        "https://contoso.example/b.xml"
    ]
    with pytest.raises(Invalid, match="feeds"):
        services.edit_organization(workspace=alice, organization_id=org.pk, now=now, feeds="javascript:alert(1)")


def test_the_same_entry_is_stored_once_even_if_written_twice(
    alice: Workspace, now: datetime, acme: Organization
) -> None:
    feed = services.add_feed(workspace=alice, organization_id=acme.pk, url="https://acme.example/f.xml", now=now)
    ValueItem.objects.create(workspace=alice, kind="news", title="A", feed=feed, guid="g1", organization=acme)
    with pytest.raises(IntegrityError):
        ValueItem.objects.create(workspace=alice, kind="news", title="A again", feed=feed, guid="g1", organization=acme)
