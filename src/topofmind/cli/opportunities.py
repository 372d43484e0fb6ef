"""``topofmind opp ...``: openings and leads, and who is involved."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from topofmind.cli import common, render
from topofmind.cli.removal import YesOption, delete_after_asking

opp_app = typer.Typer(help="Opportunities: openings and leads, and who is involved.", no_args_is_help=True)


PersonPartOption = Annotated[
    list[str] | None,
    typer.Option("--person", metavar="NAME:ROLE", help="Someone involved and their part; repeat for several."),
]


@opp_app.command("add")
def opp_add(
    title: str,
    org: Annotated[str, typer.Option("--org", help="The organization (must exist).")],
    stage: Annotated[
        str,
        typer.Option(help="prospect, applied, screening, interviewing, offer, accepted, rejected, withdrawn, on_hold."),
    ] = "prospect",
    decision_date: Annotated[
        str | None, typer.Option("--decision-date", metavar="DATE", help="When they said they would decide (R4).")
    ] = None,
    person: PersonPartOption = None,
    url: Annotated[str, typer.Option("--url", help="The posting.")] = "",
    source: Annotated[str, typer.Option(help="Where you found it.")] = "",
    notes: Annotated[str, typer.Option()] = "",
) -> None:
    """Add an opportunity (an opening or a lead)."""
    workspace = common.workspace()
    from topofmind.crm import services
    from topofmind.crm.queries.lookup import find_organization
    from topofmind.crm.validation import parse_choice, parse_date
    from topofmind.engine.types import Stage

    stage_value = parse_choice(Stage, stage, field="--stage")
    decided = parse_date(decision_date, field="--decision-date") if decision_date else None
    organization = find_organization(workspace=workspace, name=org)
    parts = common.parts(workspace, person or [])
    opp = services.add_opportunity(
        workspace=workspace,
        title=title,
        organization_id=organization.pk,
        stage=stage_value,
        decision_date=decided,
        participants=parts,
        posting_url=url,
        source=source,
        notes=notes,
        now=common.now(),
    )
    render.echo(f"Added opportunity #{opp.pk} {opp.title} at {organization.name} ({opp.stage}).")


@opp_app.command("list")
def opp_list(
    stage: Annotated[str | None, typer.Option(help="Only this stage.")] = None,
    org: Annotated[str | None, typer.Option("--org", help="Only at this organization.")] = None,
    json_: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """List opportunities."""
    workspace = common.workspace()
    from rich.table import Table

    from topofmind.crm import queries
    from topofmind.crm.queries.lookup import find_organization
    from topofmind.crm.queries.serialize import opportunity_dict
    from topofmind.crm.validation import parse_choice
    from topofmind.engine.types import Stage

    tz = common.tz(workspace)
    wanted = parse_choice(Stage, stage, field="--stage") if stage else None
    org_id = find_organization(workspace=workspace, name=org).pk if org else None
    opps = queries.list_opportunities(workspace=workspace, stage=wanted, organization_id=org_id)
    if json_:
        render.print_json([opportunity_dict(o, tz=tz) for o in opps])
        return
    table = Table("ID", "Title", "Organization", "Stage", "Decision date")
    for o in opps:
        table.add_row(
            str(o.pk), o.title, o.organization.name, o.stage, o.decision_date.isoformat() if o.decision_date else ""
        )
    render.console().print(table if opps else "No opportunities yet: topofmind opp add TITLE --org ORG")


@opp_app.command("show")
def opp_show(title: str, json_: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False) -> None:
    """Show an opportunity: its people, stage history and timeline of touches."""
    workspace = common.workspace()
    from topofmind.crm import queries
    from topofmind.crm.queries.lookup import find_opportunity
    from topofmind.crm.queries.serialize import interaction_dict, opportunity_dict, when

    tz = common.tz(workspace)
    opp = find_opportunity(workspace=workspace, title=title)
    data = opportunity_dict(opp, tz=tz)
    stages = queries.stage_history(opp)
    data["stages"] = [{"from": c.from_stage or None, "to": c.to_stage, "at": when(c.at, tz)} for c in stages]
    touches = queries.list_interactions(workspace=workspace, opportunity_id=opp.pk)
    data["touches"] = [interaction_dict(i, tz=tz) for i in touches]
    if json_:
        render.print_json(data)
        return
    console = render.console()
    console.print(f"#{opp.pk} {opp.title} at {opp.organization.name} — {opp.stage}", style="bold")
    if opp.decision_date:
        console.print(f"  decision date: {opp.decision_date.isoformat()}")
    if opp.posting_url:
        console.print(f"  posting: {opp.posting_url}")
    for p in data["people"]:
        console.print(f"  person #{p['id']} {p['name']}{' (' + ', '.join(p['roles']) + ')' if p['roles'] else ''}")
    for c in stages:
        console.print(f"  {render.show_time(c.at, tz)}  stage {c.from_stage or '-'} → {c.to_stage}")
    for i in reversed(touches):
        who = ", ".join(part.person.name for part in i.participants.all())
        console.print(f"  {render.show_time(i.at, tz)}  touch #{i.pk} {i.kind} ({i.direction}) with {who}")


@opp_app.command("edit")
def opp_edit(
    title: str,
    new_title: Annotated[str | None, typer.Option("--title", help="Rename it.")] = None,
    org: Annotated[str | None, typer.Option("--org")] = None,
    stage: Annotated[str | None, typer.Option(help="Move it to this stage (recorded in its history).")] = None,
    at: Annotated[
        str | None, typer.Option("--at", metavar="DATETIME", help="When the stage changed (default now).")
    ] = None,
    decision_date: Annotated[str | None, typer.Option("--decision-date", metavar="DATE|none")] = None,
    person: PersonPartOption = None,
    remove_person: Annotated[list[str] | None, typer.Option("--remove-person", metavar="NAME")] = None,
    url: Annotated[str | None, typer.Option("--url")] = None,
    source: Annotated[str | None, typer.Option()] = None,
    notes: Annotated[str | None, typer.Option()] = None,
) -> None:
    """Change an opportunity: stage, decision date, people (--person adds, --remove-person removes)."""
    workspace = common.workspace()
    from topofmind.crm import services
    from topofmind.crm.queries.lookup import find_opportunity, find_organization
    from topofmind.crm.validation import parse_choice, parse_date
    from topofmind.engine.types import Stage

    opp = find_opportunity(workspace=workspace, title=title)
    changes: dict[str, Any] = common.given(title=new_title, posting_url=url, source=source, notes=notes)
    if org is not None:
        changes["organization_id"] = find_organization(workspace=workspace, name=org).pk
    if stage is not None:
        changes["stage"] = parse_choice(Stage, stage, field="--stage")
        changes["stage_at"] = common.moment(at, field="--at", workspace=workspace)
    if decision_date is not None:
        changes["decision_date"] = (
            None if common.cleared(decision_date) else parse_date(decision_date, field="--decision-date")
        )
    opp = services.edit_opportunity(
        workspace=workspace,
        opportunity_id=opp.pk,
        add_participants=common.parts(workspace, person or []),
        remove_people=common.person_ids(workspace, remove_person or []),
        now=common.now(),
        **changes,
    )
    render.echo(f"Updated opportunity #{opp.pk} {opp.title} ({opp.stage}).")


@opp_app.command("delete")
def opp_delete(title: str, yes: YesOption = False) -> None:
    """Delete an opening with its parts and follow-ups; touches about it stay, about no opening."""
    workspace = common.workspace()
    from topofmind.crm import queries, services
    from topofmind.crm.queries.lookup import find_opportunity

    opp = find_opportunity(workspace=workspace, title=title)
    delete_after_asking(
        queries.opening_removal(workspace, opp.pk),
        lambda: services.delete_opportunity(workspace=workspace, opportunity_id=opp.pk, now=common.now()),
        yes=yes,
    )
