"""Tokens for the API tests: Alice's and Charlie's, each for their own workspace."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.base_user import AbstractBaseUser
from django.test import Client
from test_web_fixtures import WEB_NOW

from topofmind.crm import services
from topofmind.crm.models import Workspace


class Api:
    """A test client that sends one token (or none) and speaks JSON."""

    def __init__(self, token: str | None) -> None:
        self.client = Client(HTTP_HOST="127.0.0.1")
        self.headers = {"Authorization": f"Bearer {token}"} if token else {}

    def get(self, url: str, **params: Any) -> Any:
        return self.client.get(url, params, headers=self.headers)

    def post(self, url: str, body: dict[str, Any] | None = None) -> Any:
        return self.client.post(url, body or {}, content_type="application/json", headers=self.headers)

    def patch(self, url: str, body: dict[str, Any]) -> Any:
        return self.client.patch(url, body, content_type="application/json", headers=self.headers)

    def delete(self, url: str) -> Any:
        return self.client.delete(url, headers=self.headers)


def token_for(user: AbstractBaseUser, workspace: Workspace) -> str:
    return services.create_token(user_id=user.pk, workspace=workspace, scope="api", name="tests", now=WEB_NOW).secret


@pytest.fixture
def alice_api(alice_user: AbstractBaseUser, alice: Workspace, clock: object) -> Api:
    return Api(token_for(alice_user, alice))


@pytest.fixture
def charlie_api(charlie_user: AbstractBaseUser, charlie: Workspace, clock: object) -> Api:
    return Api(token_for(charlie_user, charlie))
