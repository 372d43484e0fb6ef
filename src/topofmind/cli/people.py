"""``topofmind person ...``, and ``stop`` / ``resume`` (R9: they asked not to be contacted)."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from topofmind.cli import common, render
from topofmind.cli.removal import YesOption, delete_after_asking

person_app = typer.Typer(
    help="People: hiring managers, interviewers, recruiters, referrers, peers.", no_args_is_help=True
)


RoleOption = Annotated[
    list[str] | None,
    typer.Option(
        "--role",
        help="hiring_manager, interviewer, recruiter, referrer, peer or candidate (-, _ or space between words). "
        "Repeat for several.",
    ),
]


@person_app.command("add")
def person_add(
    name: str,
    org: Annotated[str | None, typer.Option("--org", help="Their organization (must exist).")] = None,
    role: RoleOption = None,
    email: Annotated[list[str] | None, typer.Option("--email", help="Repeat for several.")] = None,
    phone: Annotated[list[str] | None, typer.Option("--phone", help="Kept as you type it.")] = None,
    linkedin: Annotated[str, typer.Option("--linkedin", help="LinkedIn profile URL.")] = "",
    connected: Annotated[bool, typer.Option("--connected", help="Already connected on LinkedIn.")] = False,
    prefers: Annotated[str | None, typer.Option(help="email, phone, linkedin, text, video or in_person.")] = None,
    tz: Annotated[str, typer.Option("--tz", help="Their time zone, e.g. America/New_York.")] = "",
    title: Annotated[str, typer.Option()] = "",
    how_met: Annotated[str, typer.Option("--how-met")] = "",
    interests: Annotated[str, typer.Option(help="Comma-separated.")] = "",
    notes: Annotated[str, typer.Option()] = "",
    cadence_days: Annotated[int | None, typer.Option("--cadence-days", min=1, help="Keep-warm every N days.")] = None,
) -> None:
    """Add a person."""
    workspace = common.workspace()
    from topofmind.crm import services
    from topofmind.crm.queries.lookup import find_organization
    from topofmind.crm.validation import parse_choice
    from topofmind.engine.types import Channel, Role

    roles = [parse_choice(Role, r, field="--role") for r in role or []]
    channel = parse_choice(Channel, prefers, field="--prefers") if prefers else None
    org_id = find_organization(workspace=workspace, name=org).pk if org else None
    person = services.add_person(
        workspace=workspace,
        name=name,
        organization_id=org_id,
        roles=roles,
        emails=email or [],
        phones=phone or [],
        linkedin_url=linkedin,
        linkedin_connected=connected,
        prefers=channel,
        timezone=tz,
        title=title,
        how_met=how_met,
        interests=interests,
        notes=notes,
        cadence_days=cadence_days,
        now=common.now(),
    )
    at = f" at {person.organization.name}" if person.organization else ""
    render.echo(f"Added person #{person.pk} {person.name}{at}.")


@person_app.command("list")
def person_list(
    org: Annotated[str | None, typer.Option("--org", help="Only people at this organization.")] = None,
    json_: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """List people."""
    workspace = common.workspace()
    from rich.table import Table

    from topofmind.crm import queries
    from topofmind.crm.queries.lookup import find_organization
    from topofmind.crm.queries.serialize import person_dict

    tz = common.tz(workspace)
    org_id = find_organization(workspace=workspace, name=org).pk if org else None
    people = queries.list_people(workspace=workspace, organization_id=org_id)
    if json_:
        render.print_json([person_dict(p, tz=tz) for p in people])
        return
    table = Table("ID", "Name", "Organization", "Roles", "E-mail", "Note")
    for p in people:
        table.add_row(
            str(p.pk),
            p.name,
            p.organization.name if p.organization else "",
            ", ".join(r.role for r in p.roles.all()),
            ", ".join(e.address for e in p.emails.all()),
            "do not contact" if p.do_not_contact else "",
        )
    render.console().print(table if people else "No people yet: topofmind person add NAME")


@person_app.command("show")
def person_show(name: str, json_: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False) -> None:
    """Show a person with their opportunities, recent touches and open follow-ups."""
    workspace = common.workspace()
    from topofmind.crm import queries
    from topofmind.crm.queries.lookup import find_person
    from topofmind.crm.queries.serialize import followup_dict, interaction_dict, person_dict, share_dict

    tz = common.tz(workspace)
    person = find_person(workspace=workspace, name=name)
    data = person_dict(person, tz=tz)
    data["opportunities"] = [
        {"id": part.opportunity_id, "title": part.title, "roles": list(part.roles)}
        for part in queries.opening_parts_of(person)
    ]
    touches = queries.list_interactions(workspace=workspace, person_id=person.pk, limit=10)
    data["touches"] = [interaction_dict(i, tz=tz) for i in touches]
    data["followups"] = [
        followup_dict(f, tz=tz) for f in queries.list_followups(workspace=workspace, person_id=person.pk)
    ]
    data["shared"] = [share_dict(s, tz=tz) for s in queries.shares_of_person(workspace, person.pk)]
    if json_:
        render.print_json(data)
        return
    console = render.console()
    works = " at ".join(
        part for part in (person.title, person.organization.name if person.organization else "") if part
    )
    console.print(f"#{person.pk} {person.name}" + (f" — {works}" if works else ""), style="bold")
    for label in ("roles", "emails", "phones", "interests"):
        if data[label]:
            console.print(f"  {label}: {', '.join(data[label])}")
    for label in ("linkedin_url", "prefers", "timezone", "how_met", "notes", "cadence_days"):
        if data[label]:
            console.print(f"  {label.replace('_', ' ')}: {data[label]}")
    if person.do_not_contact:
        console.print(
            f"  do not contact since {render.show_time(person.dnc_at, tz)}: {person.dnc_reason or '-'}", style="red"
        )
    for o in data["opportunities"]:
        console.print(f"  opportunity #{o['id']} {o['title']}{' as ' + ', '.join(o['roles']) if o['roles'] else ''}")
    for i in touches:
        console.print(f"  touch #{i.pk} {render.show_time(i.at, tz)} {i.kind} ({i.direction}) {i.summary}")
    for f in data["followups"]:
        console.print(f"  follow-up #{f['id']} {f['purpose']} due {f['due'][:16]} — {f['why']}")
    for s in data["shared"]:
        console.print(f"  shared {s['item']['kind']} #{s['item']['id']} {s['item']['title']} on {s['shared_at'][:10]}")


@person_app.command("edit")
def person_edit(
    name: str,
    new_name: Annotated[str | None, typer.Option("--name", help="Rename them.")] = None,
    org: Annotated[str | None, typer.Option("--org", help="Their organization, or 'none'.")] = None,
    role: RoleOption = None,
    email: Annotated[list[str] | None, typer.Option("--email", help="Replaces their e-mails.")] = None,
    phone: Annotated[list[str] | None, typer.Option("--phone", help="Replaces their phones.")] = None,
    linkedin: Annotated[str | None, typer.Option("--linkedin")] = None,
    connected: Annotated[bool | None, typer.Option("--connected/--not-connected")] = None,
    prefers: Annotated[str | None, typer.Option(help="A channel, or 'none'.")] = None,
    tz: Annotated[str | None, typer.Option("--tz", help="Their time zone, or 'none'.")] = None,
    title: Annotated[str | None, typer.Option()] = None,
    how_met: Annotated[str | None, typer.Option("--how-met")] = None,
    interests: Annotated[str | None, typer.Option()] = None,
    notes: Annotated[str | None, typer.Option()] = None,
    cadence_days: Annotated[str | None, typer.Option("--cadence-days", help="Days, or 'none'.")] = None,
) -> None:
    """Change a person. --role, --email and --phone replace what was there."""
    workspace = common.workspace()
    from topofmind.crm import services
    from topofmind.crm.queries.lookup import find_organization, find_person
    from topofmind.crm.validation import parse_choice, parse_int
    from topofmind.engine.types import Channel, Role

    person = find_person(workspace=workspace, name=name)
    changes: dict[str, Any] = common.given(
        name=new_name,
        emails=email,
        phones=phone,
        linkedin_url=linkedin,
        linkedin_connected=connected,
        title=title,
        how_met=how_met,
        interests=interests,
        notes=notes,
    )
    if role is not None:
        changes["roles"] = [parse_choice(Role, r, field="--role") for r in role]
    if org is not None:
        changes["organization_id"] = (
            None if common.cleared(org) else find_organization(workspace=workspace, name=org).pk
        )
    if prefers is not None:
        changes["prefers"] = None if common.cleared(prefers) else parse_choice(Channel, prefers, field="--prefers")
    if tz is not None:
        changes["timezone"] = "" if common.cleared(tz) else tz
    if cadence_days is not None:
        changes["cadence_days"] = (
            None if common.cleared(cadence_days) else parse_int(cadence_days, field="--cadence-days", minimum=1)
        )
    person = services.edit_person(workspace=workspace, person_id=person.pk, now=common.now(), **changes)
    render.echo(f"Updated person #{person.pk} {person.name}.")


def stop(
    name: str,
    reason: Annotated[str, typer.Option(help="Why, in their words or yours.")] = "",
) -> None:
    """They asked not to be contacted: nothing is suggested for them again (R9)."""
    workspace = common.workspace()
    from topofmind.crm import services
    from topofmind.crm.queries.lookup import find_person

    person = find_person(workspace=workspace, name=name)
    now = common.now()
    services.stop_contact(workspace=workspace, person_id=person.pk, reason=reason, at=now, now=now)
    render.echo(f'Stopped: nothing will be suggested for {person.name} (undo with: topofmind resume "{person.name}").')


def resume(name: str) -> None:
    """Undo `stop`: they may be contacted again."""
    workspace = common.workspace()
    from topofmind.crm import services
    from topofmind.crm.queries.lookup import find_person

    person = find_person(workspace=workspace, name=name)
    services.resume_contact(workspace=workspace, person_id=person.pk, now=common.now())
    render.echo(f"Resumed: {person.name} may be contacted again.")


@person_app.command("delete")
def person_delete(name: str, yes: YesOption = False) -> None:
    """Delete a person: says first what goes with them (touches with them alone, follow-ups, parts)."""
    workspace = common.workspace()
    from topofmind.crm import queries, services
    from topofmind.crm.queries.lookup import find_person

    person = find_person(workspace=workspace, name=name)
    delete_after_asking(
        queries.person_removal(workspace, person.pk),
        lambda: services.delete_person(workspace=workspace, person_id=person.pk, now=common.now()),
        yes=yes,
        question="Delete them?",
    )


@person_app.command("merge")
def person_merge(
    keep: Annotated[str, typer.Argument(metavar="A", help="The person who stays (name or #id).")],
    other: Annotated[str, typer.Argument(metavar="B", help="The duplicate, merged into A and then gone.")],
    yes: YesOption = False,
) -> None:
    """Merge B into A when both are one person: every touch, address, role, part and follow-up moves."""
    workspace = common.workspace()
    from topofmind.crm import queries, services
    from topofmind.crm.queries.lookup import find_person

    a = find_person(workspace=workspace, name=keep)
    b = find_person(workspace=workspace, name=other)
    if a.pk == b.pk:
        common.fail("B", f"#{a.pk} {a.name} is A too: name two different people")
    render.print_merge(queries.merge_preview(workspace, a.pk, b.pk))
    if not yes:
        typer.confirm("Merge them?", abort=True)
    merged = services.merge_people(workspace=workspace, keep_id=a.pk, other_id=b.pk, now=common.now())
    render.echo(f"Merged #{b.pk} into #{merged.pk} {render.safe(merged.name)}; the agenda is re-planned.")
