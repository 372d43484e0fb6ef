"""Restore trusts nothing in the file (issue 10, part 3): a mutated backup of a small real
workspace is either refused with one line naming what and where, the database unchanged, or
restored into a workspace where every page answers 200 and no link is ``javascript:``.

Bounded: a few dozen examples (fewer under CI), a few seconds each at most.
"""

from __future__ import annotations

import io
import json
import re
from datetime import datetime, timedelta
from typing import Any

import pytest
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.cache import cache
from django.db import transaction
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_backup import backup_text, everything

from topofmind.crm import services
from topofmind.crm.errors import TopofmindError
from topofmind.crm.models import FollowUp, Opportunity, Organization, Person, Workspace
from topofmind.crm.services.backup import restore_backup
from topofmind.engine.types import Kind, Role, Stage

pytest_plugins = ["test_web_fixtures"]

BIG_NUMBER = "9" * 5000
DEEP = "[" * 5000 + "]" * 5000
# Values a careless or hostile edit puts in a backup. Markers are swapped for text json.dumps
# cannot write (a 5,000-digit number, 5,000 levels of nesting).
NASTY: list[Any] = [
    "javascript:alert(document.cookie)",
    "JaVaScRiPt:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "https://example.com/ok",
    "Mars/Olympus_Mons",
    "Europe/Berlin",
    "pigeon",
    "email",
    "9999-12-31T23:59:00+00:00",
    "0001-01-01T00:00:00+00:00",
    "9999-12-31",
    "2030-03-05",
    "\ud800",
    "Ctrl\x1b[2JName",
    "",
    "x" * 1001,
    2**63,
    2**63 - 1,
    10**20,
    -1,
    0,
    3,
    1e308,
    True,
    None,
    [],
    {},
    {"nudge1_days": 10**20},
    {"nudge1_days": "soon"},
    {"a": {"b": {"c": [1, 2, {"d": "\ud800"}]}}},
    "__BIG__",
    "__DEEP__",
]


def spoil_text(doc: dict[str, Any]) -> str:
    return json.dumps(doc).replace('"__BIG__"', BIG_NUMBER).replace('"__DEEP__"', DEEP)


@pytest.fixture
def small_search(alice: Workspace, now: datetime) -> str:
    """A small real workspace, as a backup: settings, a plan, people, an interview, follow-ups."""
    services.set_config(workspace=alice, key="timezone", value="Europe/Berlin", now=now)
    services.set_plan(workspace=alice, targets=20, weeks=4, now=now)
    acme = services.add_organization(workspace=alice, name="Acme", website="acme.test", target=True, now=now)
    dana = services.add_person(
        workspace=alice,
        name="Dana Lee",
        organization_id=acme.pk,
        roles=[Role.HIRING_MANAGER],
        emails=["dana@acme.test"],
        linkedin_url="https://www.linkedin.com/in/dana",
        now=now,
    )
    opp = services.add_opportunity(
        workspace=alice,
        title="Backend Engineer",
        organization_id=acme.pk,
        stage=Stage.APPLIED,
        posting_url="https://acme.test/jobs/1",
        now=now,
    )
    services.log_interaction(
        workspace=alice,
        kind=Kind.INTERVIEW,
        person_ids=[dana.pk],
        opportunity_id=opp.pk,
        at=now - timedelta(hours=3),
        points="the pipeline rewrite",
        now=now,
    )
    text = backup_text(alice, now)
    alice.delete()
    return text


def pages_of(workspace: Workspace) -> list[str]:
    pages = ["/", "/board/", "/people/", "/organizations/", "/openings/", "/touches/", "/review/", "/settings/"]
    pages.append("/log/")
    for pk in Person.objects.filter(workspace=workspace).values_list("pk", flat=True):
        pages += [f"/people/{pk}/", f"/people/{pk}/edit/"]
    for pk in Organization.objects.filter(workspace=workspace).values_list("pk", flat=True):
        pages += [f"/organizations/{pk}/", f"/organizations/{pk}/edit/"]
    for pk in Opportunity.objects.filter(workspace=workspace).values_list("pk", flat=True):
        pages += [f"/openings/{pk}/", f"/openings/{pk}/edit/"]
    return pages


def assert_works_everywhere(client: Client, workspace: Workspace) -> None:
    cache.clear()  # Today is cached per process
    for url in pages_of(workspace):
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert not re.search(r"""href\s*=\s*["']?\s*(javascript|data|vbscript):""", html, re.I), url


def mutate(doc: dict[str, Any], data: st.DataObject) -> dict[str, Any]:
    doc = json.loads(json.dumps(doc))
    for _ in range(data.draw(st.integers(1, 3), label="edits")):
        where = data.draw(st.sampled_from(["row", "row", "row", "row", "workspace", "new column"]), label="where")
        value = data.draw(st.sampled_from(NASTY), label="value")
        if where == "workspace":
            key = data.draw(st.sampled_from(["id", "name", "created_at"]), label="key")
            doc["workspace"][key] = value
            continue
        tables = [label for label, rows in doc["tables"].items() if rows]
        label = data.draw(st.sampled_from(tables), label="table")
        row = data.draw(st.sampled_from(doc["tables"][label]), label="row")
        column = "surprise" if where == "new column" else data.draw(st.sampled_from(sorted(row)), label="column")
        row[column] = value
    return doc


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
# Restored into charlie's own search: bob now works alice's desk with her (issue 9), and alice's
# search is the one the backup was taken from.
def test_a_mutated_backup_is_refused_cleanly_or_restores_a_workspace_that_works(
    data: st.DataObject, small_search: str, charlie: Workspace, charlie_user: AbstractBaseUser, clock: Any
) -> None:
    doc = mutate(json.loads(small_search), data)
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(charlie_user)
    with transaction.atomic():
        before = everything(charlie)
        try:
            restore_backup(io.StringIO(spoil_text(doc)), workspace=charlie)
        except TopofmindError as exc:
            line = exc.one_line()
            assert line.startswith("error: ") and "\n" not in line
            assert everything(charlie) == before  # nothing half-written
            assert not Organization.objects.filter(workspace=charlie).exists()
        else:
            assert_works_everywhere(client, charlie)
        transaction.set_rollback(True)


def test_the_unchanged_backup_restores_and_works(
    small_search: str, charlie: Workspace, charlie_user: AbstractBaseUser, clock: Any
) -> None:
    restore_backup(io.StringIO(small_search), workspace=charlie)
    assert FollowUp.objects.filter(workspace=charlie).exists()
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(charlie_user)
    assert_works_everywhere(client, charlie)
