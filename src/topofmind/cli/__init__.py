"""The ``topofmind`` command line, one module per command group.

``app`` is the Typer app, ``main`` the console script (``topofmind = "topofmind.cli:main"``,
``python -m topofmind``), ``setup_django`` starts Django for the command line (``demo.py``).
"""

from __future__ import annotations

from topofmind.cli.app import app, main
from topofmind.cli.common import setup_django

__all__ = ["app", "main", "setup_django"]
