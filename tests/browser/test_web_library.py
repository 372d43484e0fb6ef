"""The Library and an organization's company news in a real Chromium: add an article read from
its page, an achievement and a material; filter; read a feed and see its status in words; remove
with confirmation. Screenshots at 390 px and 1440 px land in the screenshot folder
(tests/browser/conftest.py)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect
from pytest_django.fixtures import Settings
from tests.browser.helpers import Shoot, sign_in
from tests.feeds.feedsite import Site, running_site

from topofmind.crm import services
from topofmind.crm.models import Organization, ValueItem

pytestmark = pytest.mark.browser


@pytest.fixture
def site() -> Iterator[Site]:
    with running_site() as started:
        yield started


@pytest.fixture(autouse=True)
def materials_and_the_loopback_site(settings: Settings, tmp_path: Path) -> None:
    """Uploaded materials in the test's own folder; the fetcher may read the site on loopback."""
    settings.MATERIALS_DIR = tmp_path / "materials"
    settings.FETCH_PRIVATE_ADDRESSES = True


def test_fill_the_library_read_company_news_and_remove_an_item(
    page: Page, newcomer: str, site: Site, shoot: Shoot, tmp_path: Path
) -> None:
    article = site.serves_fixture("/post", "article-og.html", content_type="text/html; charset=utf-8")
    news = site.serves_fixture("/news.xml", "rss20.xml")
    broken = site.serves_fixture("/broken.xml", "malformed.xml")
    sample = tmp_path / "Portfolio 2030.pdf"
    sample.write_bytes(b"%PDF-1.4 portfolio")
    sign_in(page, newcomer)

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Library").click()
    expect(page.get_by_text("The library is empty")).to_be_visible()
    page.get_by_text("Add an article", exact=True).click()
    page.get_by_label("Address").fill(article)
    page.locator("#add-article").get_by_label("Tags").fill("Data, Platforms")
    page.get_by_role("button", name="Add article").click()
    expect(page.get_by_text("Added the article")).to_be_visible()
    page.get_by_text("Add an achievement", exact=True).click()
    page.get_by_label("What you achieved").fill("AWS Solutions Architect certification")
    page.locator("#add-achievement").get_by_label("Tags").fill("cloud")
    page.get_by_role("button", name="Add achievement").click()
    expect(page.get_by_text("get an update on Today")).to_be_visible()
    page.get_by_text("Add a material", exact=True).click()
    page.get_by_label("File").set_input_files(str(sample))
    page.locator("#add-material").get_by_label("Title").fill("Portfolio")
    page.get_by_role("button", name="Add material").click()
    expect(page.get_by_text("Added “Portfolio” (Portfolio 2030.pdf)")).to_be_visible()
    shoot(page, "library")

    page.get_by_label("Tag", exact=True).select_option("cloud")
    page.get_by_role("button", name="Filter").click()
    expect(page.locator("tbody tr")).to_have_count(1)
    expect(page.locator("tbody")).to_contain_text("AWS Solutions Architect certification")
    expect(page.get_by_text("Portfolio 2030.pdf")).to_have_count(0)

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Organizations").click()
    page.get_by_role("link", name="Add an employer").first.click()
    page.get_by_label("Name").fill("Northwind")
    page.get_by_role("button", name="Add employer").click()
    for url in (news, broken):
        page.get_by_label("Feed address").fill(url)
        page.get_by_role("button", name="Add feed").click()
        expect(page.get_by_text(f"Added the feed {url}")).to_be_visible()
    expect(page.get_by_role("button", name="Fetch now")).to_be_visible()
    # What the worker does when "Fetch now" has queued the read (the queue itself: test_news_on_the_queue.py).
    services.fetch_feeds(workspace=Organization.objects.get(name="Northwind").workspace, now=timezone.now())
    page.reload()
    expect(page.get_by_text("4 entries, 4 new at")).to_be_visible()
    expect(page.get_by_text("not a feed: malformed XML at line")).to_be_visible()
    shoot(page, "organization-news")

    page.goto("/library/?kind=material")
    page.get_by_role("link", name="Remove Portfolio").click()
    expect(page.get_by_text("its file (Portfolio 2030.pdf) is deleted")).to_be_visible()
    shoot(page, "library-remove")
    page.get_by_role("button", name="Remove it").click()
    expect(page.get_by_text("Removed “Portfolio” from the library.")).to_be_visible()
    assert not ValueItem.objects.filter(kind="material").exists()
    assert ValueItem.objects.filter(kind="news").count() == 4
