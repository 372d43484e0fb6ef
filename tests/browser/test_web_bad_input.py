"""Bad input in a real browser (issue 10): a link with an id out of range is a 400 page that
says which field, and imported control characters and ``javascript:`` links never become a
clickable link. Screenshots of the 400 page at 390 px and 1440 px land in the screenshot folder
(tests/browser/conftest.py).
"""

from __future__ import annotations

import io
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect
from tests.browser.helpers import PASSWORD, Shoot, sign_in

from topofmind.crm import services
from topofmind.crm.models import Person, Workspace
from topofmind.crm.services.imports import import_file

pytestmark = pytest.mark.browser

HOSTILE_CARD = (
    "".join(
        f"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Plain Person {n}\r\nEMAIL:plain{n}@example.com\r\n"
        "NOTE:met at the conference in spring\r\nEND:VCARD\r\n"
        for n in range(8)
    )
    + "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ctrl\x1b[2JName\r\nORG:Evil\x07 Corp\r\n"
    "URL:javascript:alert(1)\r\nEND:VCARD\r\n"
)


@pytest.fixture
def owner(transactional_db: None) -> str:
    services.ensure_owner(username="owner", password=PASSWORD, now=timezone.now())
    return "owner"


def test_an_id_out_of_range_in_a_link_is_a_page_naming_the_field(page: Page, owner: str, shoot: Shoot) -> None:
    sign_in(page, owner)
    response = page.goto("/people/?org=99999999999999999999")
    assert response is not None and response.status == 400
    expect(page.get_by_text(re.compile(r"org: 99999999999999999999 is out of range"))).to_be_visible()
    shoot(page, "bad-link")


def test_an_imported_javascript_link_and_escape_never_become_a_link(page: Page, owner: str) -> None:
    workspace = Workspace.objects.get()
    import_file(
        workspace=workspace, kind="vcard", stream=io.BytesIO(HOSTILE_CARD.encode()), now=timezone.now()
    )
    person = Person.objects.get(name__startswith="Ctrl")
    sign_in(page, owner)
    for url in (f"/people/{person.pk}/", "/people/", "/organizations/"):
        page.goto(url)
        assert page.locator("a[href^='javascript' i]").count() == 0, url
        assert "\x1b" not in page.content(), url
    page.goto(f"/people/{person.pk}/")
    expect(page.get_by_role("heading", level=1, name=re.compile(r"\[2JName"))).to_be_visible()
