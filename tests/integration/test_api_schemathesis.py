"""Schemathesis against the API's own OpenAPI description: whatever a client sends, no 5xx,
and every answer matches the schema it promises (run on SQLite and on PostgreSQL alike)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import schemathesis
from api_fixtures import token_for
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance
from test_web_fixtures import Search

from topofmind.wsgi import application

pytest_plugins = ["test_web_fixtures", "api_fixtures"]

schema = schemathesis.openapi.from_wsgi("/api/openapi.json", application)


@pytest.fixture(autouse=True)
def keep_the_test_connection() -> Iterator[None]:
    """Requests go through the real WSGI handler, which closes the database connection when a
    request ends; inside a test's transaction (PostgreSQL) that would end the test's own
    connection, so - as Django's test client does - the handler leaves it open here."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def alice_token(search: Search, alice_user: AbstractBaseUser) -> str:
    return token_for(alice_user, search.workspace)


@schema.parametrize()
@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.filter_too_much],
    derandomize=True,
)
def test_the_api_answers_every_request_within_its_schema(case: schemathesis.Case, alice_token: str) -> None:
    case.call_and_validate(
        headers={"Authorization": f"Bearer {alice_token}", "Host": "127.0.0.1"},
        checks=[not_a_server_error, response_schema_conformance],
    )
