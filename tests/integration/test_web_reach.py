"""Reach out from Today: each item shows how to reach the person and opens the draft in the
mail app or the dialler (issue 11, point 6)."""

from __future__ import annotations

from urllib.parse import unquote

from django.test import Client
from test_web_fixtures import WEB_NOW, Search, text_of

from topofmind.crm import services
from topofmind.crm.models import FollowUp
from topofmind.engine.types import Purpose
from topofmind.web.fragments import mailto, tel

pytest_plugins = ["test_web_fixtures"]


def test_a_mailto_link_carries_subject_and_body_percent_encoded() -> None:
    url = mailto("dana+jobs@acme.test", "Thanks & next steps?", "Hi Dana,\n\n100% worth it = yes\nJosé")
    assert url == (
        "mailto:dana%2Bjobs@acme.test?subject=Thanks%20%26%20next%20steps%3F"
        "&body=Hi%20Dana%2C%0D%0A%0D%0A100%25%20worth%20it%20%3D%20yes%0D%0AJos%C3%A9"
    )
    assert unquote(url.split("&body=")[1]) == "Hi Dana,\r\n\r\n100% worth it = yes\r\nJosé"


def test_a_tel_link_keeps_digits_and_a_leading_plus() -> None:
    assert tel("+1 (555) 010-2000") == "tel:+15550102000"
    assert tel("0171 555 0100") == "tel:01715550100"


def test_each_item_shows_the_address_and_opens_the_draft_in_the_mail_app(as_alice: Client, search: Search) -> None:
    html = as_alice.get("/").content.decode()
    dana = FollowUp.objects.get(workspace=search.workspace, purpose=Purpose.THANK_YOU.value, person=search.dana)
    item = html[html.index(f'id="item-{dana.pk}"') :]
    item = item[: item.index("</li>")]
    assert '<a href="mailto:dana@acme.test">dana@acme.test</a>' in item
    assert 'href="mailto:dana@acme.test?subject=' in item
    assert "&amp;body=" in item and "the%20data%20pipeline%20rewrite" in item
    assert "Open in mail app" in item
    assert item.index("Mark sent") < item.index("Open in mail app") < item.index("Copy")


def test_a_phone_number_and_profile_show_and_a_changed_address_shows_at_once(as_alice: Client, search: Search) -> None:
    as_alice.get("/")  # Today is cached now
    services.edit_person(
        workspace=search.workspace,
        person_id=search.sam.pk,
        now=WEB_NOW,
        emails=["sam.park@new.test"],
        phones=["+1 555 010 3000"],
        linkedin_url="https://www.linkedin.com/in/sampark",
    )
    page = as_alice.get("/").content.decode()
    assert "sam@acme.test" not in page
    assert '<a href="mailto:sam.park@new.test">sam.park@new.test</a>' in page
    assert '<a href="tel:+15550103000">+1 555 010 3000</a>' in page
    assert 'href="https://www.linkedin.com/in/sampark"' in page and "LinkedIn profile" in text_of(as_alice.get("/"))


def test_someone_without_an_address_has_no_mail_app_link(as_alice: Client, search: Search) -> None:
    services.edit_person(workspace=search.workspace, person_id=search.sam.pk, now=WEB_NOW, emails=[])
    services.edit_person(workspace=search.workspace, person_id=search.dana.pk, now=WEB_NOW, emails=[])
    page = as_alice.get("/").content.decode()
    assert "Open in mail app" not in page
    assert "Reach:" not in page
