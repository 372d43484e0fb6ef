"""``topofmind migrate`` and ``topofmind serve``: the database and the web app."""

from __future__ import annotations

import os
from typing import Annotated

import typer

from topofmind.cli import common, render
from topofmind.crm.errors import TopofmindError


def migrate() -> None:
    """Create or update the database tables (also done by itself on first use)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "topofmind.settings")
    common.setup_django()
    from django.db import connection

    render.echo(f"Database is up to date ({connection.vendor}: {connection.settings_dict['NAME']}).")


def serve(
    host: Annotated[str, typer.Option(help="Address to listen on; 127.0.0.1 keeps it on this machine.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    workers: Annotated[int, typer.Option(help="Web processes (gunicorn workers).")] = 2,
    reset_password: Annotated[
        bool, typer.Option("--reset-password", help="Print a new password for your account.")
    ] = False,
) -> None:
    """Start the web app. The first start creates your account and prints how to sign in."""
    common.setup_django()
    from topofmind.web.serve import run

    try:
        run(host=host, port=port, workers=workers, reset_password=reset_password)
    except OSError as exc:
        raise TopofmindError(str(exc)) from None
