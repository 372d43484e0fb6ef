"""Helpers for tests that go through the services and a real database."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

import pytest

from topofmind.crm import services
from topofmind.crm.models import Opportunity, Organization, Person, Workspace
from topofmind.engine.types import Role, Stage


@pytest.fixture
def make_org(alice: Workspace, now: datetime) -> Callable[..., Organization]:
    def make(name: str = "Acme", *, workspace: Workspace | None = None, **fields: Any) -> Organization:
        return services.add_organization(workspace=workspace or alice, name=name, now=now, **fields)

    return make


@pytest.fixture
def make_person(alice: Workspace, now: datetime) -> Callable[..., Person]:
    given: list[str] = []

    def make(
        name: str = "Dana Lee",
        *,
        org: Organization | None = None,
        workspace: Workspace | None = None,
        roles: tuple[Role, ...] = (),
        emails: tuple[str, ...] | None = None,
        **fields: Any,
    ) -> Person:
        if emails is None:
            # dana@acme.test for the first Dana, dana2@acme.test for a namesake: an address is one person's
            first = "".join(c for c in (name.split() or [""])[0].lower() if c.isascii() and c.isalnum()) or "someone"
            given.append(first)
            count = given.count(first)
            emails = (f"{first}{count if count > 1 else ''}@acme.test",)
        return services.add_person(
            workspace=workspace or alice,
            name=name,
            organization_id=org.pk if org else None,
            roles=roles,
            emails=emails,
            now=now,
            **fields,
        )

    return make


@pytest.fixture
def make_opp(alice: Workspace, now: datetime) -> Callable[..., Opportunity]:
    def make(
        title: str = "Backend Engineer",
        *,
        org: Organization,
        stage: Stage = Stage.PROSPECT,
        workspace: Workspace | None = None,
        **fields: Any,
    ) -> Opportunity:
        return services.add_opportunity(
            workspace=workspace or alice, title=title, organization_id=org.pk, stage=stage, now=now, **fields
        )

    return make
