"""``topofmind user ...``: the accounts of a team install, and who is in which workspace."""

from __future__ import annotations

from typing import Annotated

import typer

from topofmind.cli import common, render

user_app = typer.Typer(help="Accounts: add a colleague to a workspace, list who is where.", no_args_is_help=True)


@user_app.command("add")
def user_add(
    username: Annotated[str, typer.Argument(metavar="USERNAME")],
    workspace: Annotated[str, typer.Option("--workspace", metavar="NAME", help="The workspace they join.")],
    role: Annotated[str, typer.Option("--role", metavar="owner|member", help="Their role in it.")] = "member",
    link: Annotated[
        bool,
        typer.Option("--link", help="Print a one-time invitation link instead (they choose username and password)."),
    ] = False,
    url: Annotated[
        str, typer.Option("--url", metavar="URL", help="The web app's address, for --link.")
    ] = "http://127.0.0.1:8000",
) -> None:
    """Add USERNAME to a workspace: a new account with a one-time password, or (--link) an invitation."""
    common.setup_django()
    from django.db import transaction
    from django.urls import reverse

    from topofmind.crm import queries, services
    from topofmind.web.serve import new_password

    target = queries.find_workspace(workspace)
    if link:
        made = services.invite(workspace=target, by_user_id=target.owner_id, role=role, now=common.now())
        path = reverse("web:join", kwargs={"token": made.token})
        render.echo(f'Invitation to "{target.name}" as {role}, good once until {made.expires_at:%Y-%m-%d %H:%M} UTC:')
        render.echo(url.rstrip("/") + path)
        return
    password = new_password()
    with transaction.atomic():
        user_id = services.add_user(username=username, password=password)
        services.add_member(workspace=target, user_id=user_id, role=role, now=common.now())
    render.echo(f'Added {username.strip()} to "{target.name}" as {role}.')
    render.echo(f"One-time password (shown once; they sign in with it): {password}")


@user_app.command("list")
def user_list(json_: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False) -> None:
    """List the accounts and the workspaces each is in."""
    common.setup_django()
    from dataclasses import asdict

    from rich.table import Table

    from topofmind.crm import queries

    rows = queries.all_users()
    if json_:
        render.print_json([asdict(row) for row in rows])
        return
    if not rows:
        render.echo("No accounts yet: `topofmind serve` makes yours on its first start.")
        return
    table = Table(show_lines=False)
    for column in ("ID", "Username", "Name", "Workspaces"):
        table.add_column(column, overflow="fold")
    for row in rows:
        table.add_row(str(row.id), row.username, row.name or "-", "; ".join(row.workspaces) or "-")
    render.console().print(table)
