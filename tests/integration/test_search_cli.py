"""``topofmind search TEXT [--json]`` (issue 11, point 5)."""

from __future__ import annotations

import json
import re

import pytest
from tests.integration.test_cli import fails, ok

pytestmark = pytest.mark.django_db


@pytest.fixture
def acme() -> None:
    ok("config", "set", "timezone", "UTC")
    ok("org", "add", "Acme Robotics", "--industry", "Warehouse automation")
    ok("person", "add", "Dana Lee", "--org", "Acme Robotics", "--email", "dana@acme.test")
    ok("log", "call", "--with", "Dana Lee", "--at", "2030-03-05T10:00", "--notes", "asked about the robotics team", "--force")


def ids_as_n(text: str) -> str:
    return re.sub(r"#\d+", "#N", text)  # PostgreSQL's ids keep counting across tests


def test_search_lists_each_kind_with_its_ids(acme: None) -> None:
    out = ids_as_n(ok("search", "robotics").out)
    assert "Organizations:\n  #N  Acme Robotics  Warehouse automation" in out
    assert "People:" not in out  # her employer's name is the organization's, not hers
    assert "Touches:\n" in out and "Phone call (we spoke) · Dana Lee  asked about the robotics team" in out


def test_a_name_finds_the_person_with_employer(acme: None) -> None:
    assert ids_as_n(ok("search", "dana").out) == "People:\n  #N  Dana Lee  Acme Robotics\n"


def test_search_json_prints_only_json(acme: None) -> None:
    data = json.loads(ok("search", "ROBOTICS", "--json").out)
    assert data["q"] == "ROBOTICS"
    assert [r["title"] for r in data["organizations"]["results"]] == ["Acme Robotics"]
    assert data["touches"]["results"][0]["at"] == "2030-03-05T10:00:00+00:00"
    assert data["openings"] == {"more": False, "results": []}


def test_nothing_found_says_so_and_an_empty_text_is_one_line(acme: None) -> None:
    assert ok("search", "zeppelin").out.strip() == 'Nothing holds "zeppelin".'
    assert fails("search", "  ") == 'error: TEXT: give a word to look for (hint: e.g. topofmind search "acme")'
