"""``topofmind token create|list|revoke``: personal API tokens and calendar feed addresses.

A token belongs to one user in one workspace; its secret is printed once and stored only as
a keyed digest. Each command calls one query or service.
"""

from __future__ import annotations

from typing import Annotated, Any

import typer

from topofmind.cli import common, render

token_app = typer.Typer(
    help="Personal API tokens and calendar feeds: create (shown once), list, revoke.", no_args_is_help=True
)


@token_app.command("create")
def create(
    user: Annotated[str, typer.Option("--user", metavar="USERNAME", help="Whose token it is.")],
    workspace: Annotated[str, typer.Option("--workspace", metavar="NAME", help="The one workspace it may reach.")],
    name: Annotated[str, typer.Option("--name", help="A label to tell tokens apart, e.g. 'phone'.")] = "",
    feed: Annotated[bool, typer.Option("--feed", help="A calendar feed address instead of an API token.")] = False,
) -> None:
    """Make a token and print its secret (the only time it is shown)."""
    common.setup_django()
    from topofmind.crm import queries, services

    user_id, space = queries.member_of(username=user, workspace_name=workspace)
    made = services.create_token(
        user_id=user_id, workspace=space, scope="feed" if feed else "api", name=name, now=common.now()
    )
    typer.echo(made.secret)
    what = "calendar feed" if feed else "API token"
    typer.echo(f"{what} #{made.token.pk} for {user} in {space.name}: copy it now, it is not shown again.", err=True)


@token_app.command("list")
def list_(json_: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False) -> None:
    """Every token: id, kind, prefix, user, workspace, when made, last used, revoked."""
    common.setup_django()
    from topofmind.crm import queries

    rows: list[dict[str, Any]] = [
        {
            "id": t.pk,
            "scope": t.scope,
            "prefix": t.prefix,
            "name": t.name,
            "user": t.user.get_username(),
            "workspace": t.workspace.name,
            "created_at": t.created_at.isoformat(),
            "last_used_at": t.last_used_at.isoformat() if t.last_used_at else None,
            "revoked_at": t.revoked_at.isoformat() if t.revoked_at else None,
        }
        for t in queries.all_tokens()
    ]
    if json_:
        render.print_json(rows)
        return
    if not rows:
        typer.echo("No tokens yet. Make one with: topofmind token create --user USERNAME --workspace NAME")
        return
    for r in rows:
        state = f"revoked {r['revoked_at'][:10]}" if r["revoked_at"] else "live"
        typer.echo(
            f"#{r['id']}  {r['scope']:4}  {r['prefix']}…  {r['user']} in {r['workspace']}  {r['name']}  ({state})"
        )


@token_app.command("revoke")
def revoke(token_id: Annotated[int, typer.Argument(metavar="ID", help="The id from: topofmind token list")]) -> None:
    """Revoke a token: requests with it are refused from now on."""
    common.setup_django()
    from topofmind.crm import queries, services
    from topofmind.crm.errors import NotFound

    token = queries.token_by_id(token_id)
    if token is None:
        raise NotFound(f"no token with id {token_id}", "list them with: topofmind token list")
    services.revoke_token(workspace=token.workspace, token_id=token_id, now=common.now())
    typer.echo(f"Revoked token #{token_id} ({token.prefix}…).")
