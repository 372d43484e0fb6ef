"""Running ``topofmind`` in-process for the import and backup CLI tests.

Exceptions other than a command's own exit are raised, so a crash shows its traceback
rather than a bare exit code.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from topofmind.cli import app

FIXTURES = Path(__file__).parents[1] / "fixtures" / "imports"
runner = CliRunner()


def cli(*args: str) -> Any:
    result = runner.invoke(app, list(args))
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result


def ok(*args: str) -> str:
    """The output of a command that must succeed."""
    result = cli(*args)
    assert result.exit_code == 0, (result.stdout, result.stderr)
    return str(result.stdout)
