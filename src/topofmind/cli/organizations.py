"""``topofmind org ...``: employers you target or work with."""

from __future__ import annotations

from typing import Annotated

import typer

from topofmind.cli import common, render
from topofmind.cli.removal import YesOption, delete_after_asking

org_app = typer.Typer(help="Organizations: employers you target or work with.", no_args_is_help=True)


@org_app.command("add")
def org_add(
    name: str,
    website: Annotated[str, typer.Option(help="Their web site.")] = "",
    target: Annotated[bool, typer.Option("--target", help="On your target list (R13, R15).")] = False,
    priority: Annotated[int, typer.Option(min=1, max=5, help="1 (highest) to 5.")] = 3,
    industry: Annotated[str, typer.Option()] = "",
    tags: Annotated[str, typer.Option(help="Comma-separated.")] = "",
    notes: Annotated[str, typer.Option()] = "",
) -> None:
    """Add an organization."""
    workspace = common.workspace()
    from topofmind.crm import services

    org = services.add_organization(
        workspace=workspace,
        name=name,
        website=website,
        target=target,
        priority=priority,
        industry=industry,
        tags=tags,
        notes=notes,
        now=common.now(),
    )
    render.echo(f"Added organization #{org.pk} {org.name}{' (target)' if org.target else ''}.")


@org_app.command("list")
def org_list(json_: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False) -> None:
    """List organizations, highest priority first."""
    workspace = common.workspace()
    from rich.table import Table

    from topofmind.crm import queries
    from topofmind.crm.queries.serialize import organization_dict

    tz = common.tz(workspace)
    orgs = queries.list_organizations(workspace=workspace)
    if json_:
        render.print_json([organization_dict(o, tz=tz) for o in orgs])
        return
    table = Table("ID", "Name", "Priority", "Target", "Website")
    for o in orgs:
        table.add_row(str(o.pk), o.name, str(o.priority), "yes" if o.target else "", o.website)
    render.console().print(table if orgs else "No organizations yet: topofmind org add NAME")


@org_app.command("show")
def org_show(name: str, json_: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False) -> None:
    """Show an organization with its people and opportunities."""
    workspace = common.workspace()
    from topofmind.crm import queries
    from topofmind.crm.queries.lookup import find_organization
    from topofmind.crm.queries.serialize import organization_dict

    tz = common.tz(workspace)
    org = find_organization(workspace=workspace, name=name)
    data = organization_dict(org, tz=tz)
    data["people"] = [
        {"id": p.pk, "name": p.name, "title": p.title}
        for p in queries.list_people(workspace=workspace, organization_id=org.pk)
    ]
    data["opportunities"] = [
        {"id": o.pk, "title": o.title, "stage": o.stage}
        for o in queries.list_opportunities(workspace=workspace, organization_id=org.pk)
    ]
    if json_:
        render.print_json(data)
        return
    console = render.console()
    console.print(f"#{org.pk} {org.name}  priority {org.priority}{'  target' if org.target else ''}", style="bold")
    for label in ("website", "industry", "notes"):
        if data[label]:
            console.print(f"  {label}: {data[label]}")
    if data["tags"]:
        console.print(f"  tags: {', '.join(data['tags'])}")
    for p in data["people"]:
        console.print(f"  person #{p['id']} {p['name']}{', ' + p['title'] if p['title'] else ''}")
    for o in data["opportunities"]:
        console.print(f"  opportunity #{o['id']} {o['title']} ({o['stage']})")


@org_app.command("edit")
def org_edit(
    name: str,
    new_name: Annotated[str | None, typer.Option("--name", help="Rename it.")] = None,
    website: Annotated[str | None, typer.Option()] = None,
    target: Annotated[bool | None, typer.Option("--target/--no-target")] = None,
    priority: Annotated[int | None, typer.Option(min=1, max=5)] = None,
    industry: Annotated[str | None, typer.Option()] = None,
    tags: Annotated[str | None, typer.Option(help="Comma-separated; replaces the tags.")] = None,
    notes: Annotated[str | None, typer.Option()] = None,
) -> None:
    """Change an organization."""
    workspace = common.workspace()
    from topofmind.crm import services
    from topofmind.crm.queries.lookup import find_organization

    org = find_organization(workspace=workspace, name=name)
    changes = common.given(
        name=new_name, website=website, target=target, priority=priority, industry=industry, tags=tags, notes=notes
    )
    org = services.edit_organization(workspace=workspace, organization_id=org.pk, now=common.now(), **changes)
    render.echo(f"Updated organization #{org.pk} {org.name}.")


@org_app.command("delete")
def org_delete(name: str, yes: YesOption = False) -> None:
    """Delete an organization with its openings; its people stay, without an employer."""
    workspace = common.workspace()
    from topofmind.crm import queries, services
    from topofmind.crm.queries.lookup import find_organization

    org = find_organization(workspace=workspace, name=name)
    delete_after_asking(
        queries.organization_removal(workspace, org.pk),
        lambda: services.delete_organization(workspace=workspace, organization_id=org.pk, now=common.now()),
        yes=yes,
    )
