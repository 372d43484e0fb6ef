"""The ``topofmind`` command line, one module per command group.

``main`` is the console script (``topofmind = "topofmind.cli:main"``, ``python -m topofmind``),
``app`` the Typer app of every command (``root.py``; built on first use: the console script
builds only the command it is given), ``setup_django`` starts Django for the command line
(``demo.py``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from topofmind.cli.common import setup_django

if TYPE_CHECKING:
    from topofmind.cli.root import app

__all__ = ["app", "main", "setup_django"]


def main() -> None:
    """Console-script entry point (see ``cli.root.main``). The collector is paused from here until
    Django has started (``common.pause_collector``), so it is paused for Typer's import too."""
    from topofmind.cli import common

    common.pause_collector()
    try:
        from topofmind.cli.root import main as run

        run()
    finally:
        common.resume_collector()


def __getattr__(name: str) -> Any:
    if name == "app":
        from topofmind.cli.root import app

        globals()["app"] = app
        return app
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
