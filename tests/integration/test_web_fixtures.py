"""Fixtures for the web tests: Alice owns her search and Bob is a member of it (they share the
desk); Charlie signs in to his own workspace and shares nothing with them.

The clock is held at Tuesday 5 March 2030, 12:00 UTC (time-machine), so what the views call
"now" is a real, known date. Imported by the test_web_* modules.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.test import Client

from topofmind.crm import services
from topofmind.crm.models import Feed, Membership, Opportunity, Organization, Person, UserSettings, ValueItem, Workspace
from topofmind.engine.types import Kind, Role, Stage

# Tuesday 5 March 2030, noon UTC: the moment the web tests live in.
WEB_NOW = datetime(2030, 3, 5, 12, 0, tzinfo=UTC)
INTERVIEW_AT = datetime(2030, 3, 5, 10, 0, tzinfo=UTC)
PASSWORD = "correct horse battery staple"


@pytest.fixture(autouse=True)
def fresh_cache() -> Iterator[None]:
    """Today's rendered agenda is cached per process; each test starts without it."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def clock() -> Iterator[time_machine.Coordinates]:
    with time_machine.travel(WEB_NOW, tick=False) as traveller:
        yield traveller


def _account(username: str) -> AbstractBaseUser:
    """An account that has answered the first-start questions (UTC, no holidays)."""
    user = get_user_model().objects.create_user(username=username, password=PASSWORD)  # type: ignore[attr-defined]
    UserSettings.objects.create(user=user, name="", timezone="UTC", country="")
    return user


def _owner(workspace: Workspace, username: str) -> AbstractBaseUser:
    user = _account(username)
    workspace.owner = user
    workspace.save(update_fields=["owner"])
    Membership.objects.create(user=user, workspace=workspace, role=Membership.MemberRole.OWNER)
    return user


@pytest.fixture
def alice_user(alice: Workspace) -> AbstractBaseUser:
    return _owner(alice, "alice")


@pytest.fixture
def bob_user(alice: Workspace, alice_user: AbstractBaseUser) -> AbstractBaseUser:
    """Bob is a member of Alice's search: they work the same desk."""
    user = _account("bob")
    Membership.objects.create(user=user, workspace=alice, role=Membership.MemberRole.MEMBER)
    return user


@pytest.fixture
def charlie_user(charlie: Workspace) -> AbstractBaseUser:
    return _owner(charlie, "charlie")


def _client(user: AbstractBaseUser) -> Client:
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    return client


@pytest.fixture
def as_alice(alice_user: AbstractBaseUser, clock: time_machine.Coordinates) -> Client:
    return _client(alice_user)


@pytest.fixture
def as_bob(bob_user: AbstractBaseUser, clock: time_machine.Coordinates) -> Client:
    return _client(bob_user)


@pytest.fixture
def as_charlie(charlie_user: AbstractBaseUser, clock: time_machine.Coordinates) -> Client:
    return _client(charlie_user)


@dataclass
class Search:
    """Alice's search: Acme, Dana Lee (hiring manager) and Sam Park (interviewer), the
    Backend Engineer opening, and an interview with both on Tuesday at 10:00 UTC."""

    workspace: Workspace
    acme: Organization
    dana: Person
    sam: Person
    opening: Opportunity
    article: ValueItem  # in the library, untagged (so no draft picks it)
    feed: Feed  # Acme's news feed, never fetched


@pytest.fixture
def search(alice: Workspace, alice_user: AbstractBaseUser, clock: time_machine.Coordinates) -> Search:
    now = datetime(2030, 3, 1, 9, 0, tzinfo=UTC)
    acme = services.add_organization(workspace=alice, name="Acme", target=True, now=now)
    dana = services.add_person(
        workspace=alice,
        name="Dana Lee",
        organization_id=acme.pk,
        roles=[Role.HIRING_MANAGER],
        emails=["dana@acme.test"],
        now=now,
    )
    sam = services.add_person(
        workspace=alice,
        name="Sam Park",
        organization_id=acme.pk,
        roles=[Role.INTERVIEWER],
        emails=["sam@acme.test"],
        now=now,
    )
    opening = services.add_opportunity(
        workspace=alice, title="Backend Engineer", organization_id=acme.pk, stage=Stage.APPLIED, now=now
    )
    services.log_interaction(
        workspace=alice,
        kind=Kind.INTERVIEW,
        person_ids=[dana.pk, sam.pk],
        opportunity_id=opening.pk,
        at=INTERVIEW_AT,
        points="the data pipeline rewrite",
        now=INTERVIEW_AT,
    )
    article = ValueItem.objects.create(
        workspace=alice, kind="article", title="Notes on the Acme pipeline rewrite", url="https://acme.test/notes"
    )
    feed = Feed.objects.create(workspace=alice, organization=acme, url="https://acme.test/news.xml")
    return Search(workspace=alice, acme=acme, dana=dana, sam=sam, opening=opening, article=article, feed=feed)


def text_of(response: object) -> str:
    """The response body as text, whitespace folded (assertions read like the page)."""
    if getattr(response, "streaming", False):  # downloads (exports) stream their body
        content = b"".join(response.streaming_content).decode("utf-8-sig")  # type: ignore[attr-defined]
    else:
        content = response.content.decode()  # type: ignore[attr-defined]
    return " ".join(content.split())
