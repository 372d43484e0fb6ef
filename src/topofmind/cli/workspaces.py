"""``topofmind workspace ...``: the desks of this install (your own search, a team's, the demo)."""

from __future__ import annotations

from typing import Annotated

import typer

from topofmind.cli import common, render

workspace_app = typer.Typer(
    help="Workspaces: a search of your own, a desk a team shares, the demo.", no_args_is_help=True
)


@workspace_app.command("add")
def workspace_add(name: Annotated[str, typer.Argument(metavar="NAME")]) -> None:
    """Make a workspace, owned by the acting user (--user, else the only account)."""
    common.setup_django()
    from django.contrib.auth import get_user_model

    from topofmind.crm import services

    owner = common.named_user_id()
    if owner is None:
        ids = list(get_user_model().objects.order_by("pk").values_list("pk", flat=True)[:2])
        owner = int(ids[0]) if len(ids) == 1 else None
        if len(ids) > 1:
            common.fail("--user", "there are several accounts: say whose workspace this is", "e.g. --user alice")
    made = services.create_workspace(name=name, owner_id=owner, now=common.now())
    render.echo(f'Made workspace #{made.pk} "{made.name}". Work in it with: topofmind --workspace "{made.name}" ...')


@workspace_app.command("list")
def workspace_list(json_: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False) -> None:
    """List the workspaces (the acting user's with --user, else every one)."""
    common.setup_django()
    from dataclasses import asdict

    from rich.table import Table

    from topofmind.crm import queries

    user_id = common.named_user_id()
    rows = queries.workspaces_of(user_id) if user_id is not None else queries.all_workspaces()
    if json_:
        render.print_json([asdict(row) for row in rows])
        return
    if not rows:
        render.echo("No workspaces yet: `topofmind workspace add NAME` makes one.")
        return
    table = Table(show_lines=False)
    for column in ("ID", "Name", "Owner", "Role" if user_id is not None else "Kind"):
        table.add_column(column, overflow="fold")
    for row in rows:
        kind = row.role if user_id is not None else ("demo" if row.is_demo else "")
        name = f"{row.name} (demo)" if row.is_demo and user_id is not None else row.name
        table.add_row(str(row.id), name, row.owner or "-", kind)
    render.console().print(table)


@workspace_app.command("remove")
def workspace_remove(
    name: Annotated[str, typer.Argument(metavar="NAME", help='A name or id, e.g. "Demo search".')],
    yes: Annotated[bool, typer.Option("--yes", help="Do not ask (scripts).")] = False,
) -> None:
    """Remove a workspace and everything in it (people, touches, plan, members)."""
    common.setup_django()
    from topofmind.crm import queries, services

    found = queries.find_workspace(name, user_id=common.named_user_id())
    if not found.is_demo and not yes:
        typer.confirm(f'Remove "{found.name}" and everything in it?', abort=True)
    removed = services.remove_workspace(workspace_id=found.pk)
    render.echo(f'Removed workspace "{removed}" and everything in it.')
