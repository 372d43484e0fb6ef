"""A write that meets a locked database: retried unseen, or refused in words with the form kept.

The lock is injected where a real one strikes (the re-plan inside the touch's transaction),
as the database driver raises it; the retry helper, the service, the view and the page are
the real ones. The transaction is real too (no test-wide transaction around it), since only
an outermost transaction can be re-run.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import OperationalError
from django.test import Client
from django.urls import reverse
from test_web_fixtures import Search, text_of

from topofmind.crm.models import Interaction
from topofmind.crm.services import touches
from topofmind.engine.types import Kind

pytest_plugins = ["test_web_fixtures"]
pytestmark = pytest.mark.django_db(transaction=True)


def locked_for(times: int) -> Callable[..., Any]:
    """The re-plan, failing as SQLite does when the lock is not free, the first ``times`` calls."""
    real = touches.replan
    calls = {"n": 0}

    def replan(**kwargs: Any) -> Any:
        calls["n"] += 1
        if calls["n"] <= times:
            raise OperationalError("database is locked")
        return real(**kwargs)

    return replan


def test_a_touch_that_meets_a_lock_once_is_saved_once(
    as_alice: Client, search: Search, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(touches, "replan", locked_for(1))
    response = as_alice.post(reverse("web:quick_log"), {"people": "Dana Lee", "kind": "reply", "at": ""})
    assert response.status_code == 302
    assert Interaction.objects.filter(workspace=search.workspace, kind=Kind.REPLY.value).count() == 1


def test_a_touch_that_cannot_get_the_lock_says_busy_and_keeps_the_form(
    as_alice: Client, search: Search, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(touches, "replan", locked_for(1000))
    response = as_alice.post(
        reverse("web:log"), {"people": "Dana Lee", "kind": "reply", "at": "", "summary": "she wrote back"}
    )
    assert response.status_code == 400
    page = text_of(response)
    assert "topofmind is busy, your touch was not saved: try again" in page
    assert 'value="Dana Lee"' in page and 'value="she wrote back"' in page
    assert "Traceback" not in page and "OperationalError" not in page
    assert not Interaction.objects.filter(workspace=search.workspace, kind=Kind.REPLY.value).exists()


def test_the_quick_form_says_busy_too(as_alice: Client, search: Search, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(touches, "replan", locked_for(1000))
    response = as_alice.post(reverse("web:quick_log"), {"people": "Dana Lee", "kind": "reply", "at": ""})
    assert response.status_code == 400
    assert "topofmind is busy, your touch was not saved: try again" in text_of(response)
    assert 'value="Dana Lee"' in text_of(response)
