"""``topofmind log`` refuses a touch dated more than a year back or in the future without
``--force``, in one line saying why (issue 11, point 3)."""

from __future__ import annotations

import pytest
from test_cli import fails, ok

from topofmind.crm.models import Interaction

pytestmark = pytest.mark.django_db


@pytest.fixture
def dana() -> None:
    ok("config", "set", "timezone", "UTC")
    ok("person", "add", "Dana Lee", "--email", "dana@acme.test")


def test_a_future_touch_needs_force(dana: None) -> None:
    line = fails("log", "call", "--with", "Dana Lee", "--at", "2099-03-05T10:00")
    assert line == (
        "error: --at: Thu 5 Mar 2099 is in the future, and a touch is something that already happened "
        "(hint: add --force to log it with this date)"
    )
    assert not Interaction.objects.exists()
    assert "Logged call" in ok("log", "call", "--with", "Dana Lee", "--at", "2099-03-05T10:00", "--force").out


def test_a_touch_more_than_a_year_back_needs_force(dana: None) -> None:
    line = fails("log", "call", "--with", "Dana Lee", "--at", "2001-06-01T10:00")
    assert line.startswith("error: --at: Fri 1 Jun 2001 is more than a year ago (hint: add --force")
    ok("log", "call", "--with", "Dana Lee", "--at", "2001-06-01T10:00", "--force")
    assert Interaction.objects.count() == 1


def test_a_touch_last_week_needs_nothing(dana: None) -> None:
    ok("log", "call", "--with", "Dana Lee")
    assert Interaction.objects.count() == 1
