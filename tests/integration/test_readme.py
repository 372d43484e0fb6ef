"""The README's tour, run as written, shows what the README says it shows."""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from topofmind.cli import app

README = Path(__file__).parents[2] / "README.md"
runner = CliRunner()


def tour_commands() -> list[list[str]]:
    """Every ``tm ...`` line of the README's indented code blocks, continuations joined."""
    text = README.read_text().replace("\\\n", " ")
    commands = []
    for line in text.splitlines():
        match = re.match(r"^ {4}(\$ )?tm (.*)$", line)
        if match:
            commands.append(shlex.split(match.group(2), comments=True))
    return commands


def agenda(at: str) -> list[dict[str, Any]]:
    result = runner.invoke(app, ["today", "--at", at, "--json"])
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def items(at: str, seen: dict[str, list[dict[str, Any]]]) -> set[tuple[int, str, str]]:
    return {(i["id"], i["purpose"], i["person"]["name"]) for i in seen[at] if i["person"]}


# The tour names follow-ups by id (`done 2`), as a newcomer's fresh database numbers them:
# PostgreSQL keeps counting across tests unless the sequences are reset.
@pytest.mark.django_db(transaction=True, reset_sequences=True)
def test_the_readme_tour_runs_as_written() -> None:
    commands = tour_commands()
    assert len(commands) > 20
    seen: dict[str, list[dict[str, Any]]] = {}
    errors: list[str] = []
    for args in commands:
        result = runner.invoke(app, args)
        if args[:2] == ["log", "call"]:  # the misspelt name, shown with its error
            errors.append(result.stderr.strip())
            assert result.exit_code == 2
            continue
        assert result.exit_code == 0, (args, result.stdout, result.stderr)
        if args[0] == "today" and "--at" in args:
            at = args[args.index("--at") + 1]
            seen.setdefault(at, agenda(at))

    # a thank-you for each interviewer, with the ids the tour then uses
    assert {(2, "thank_you", "Marcus Chen"), (3, "thank_you", "Priya Raman")} <= items("2030-03-05T15:00", seen)
    # the snoozed one is back in the evening
    assert (3, "thank_you", "Priya Raman") in items("2030-03-05T19:30", seen)
    # a week on: a status inquiry for Priya, a keep-warm note for Marcus
    week = {(purpose, name) for _, purpose, name in items("2030-03-12T09:00", seen)}
    assert {("status_inquiry", "Priya Raman"), ("keep_warm", "Marcus Chen")} <= week
    # her reply calls the inquiry off and leaves a reply owed
    after = {(purpose, name) for _, purpose, name in items("2030-03-12T12:00", seen)}
    assert ("reply", "Priya Raman") in after
    assert ("status_inquiry", "Priya Raman") not in after
    # the error shown for a misspelt name is the one printed
    shown = re.search(r"^ {4}(error: .*)$", README.read_text(), re.MULTILINE)
    assert shown is not None
    assert errors == [shown.group(1)]
