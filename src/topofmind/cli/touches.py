"""``topofmind log KIND --with NAME`` and ``topofmind touch ...``: logged touches."""

from __future__ import annotations

import sys
from typing import Annotated, Any

import typer

from topofmind.cli import common, render

touch_app = typer.Typer(help="Logged touches: list them, fix a mis-logged one, delete one.", no_args_is_help=True)


def log(
    kind: Annotated[
        str,
        typer.Argument(
            help="application, submission, thank_you, nudge, status_inquiry, value_share, check_in, message, "
            "referral_ask, linkedin_invite, feedback_request, interview, intake_call, call, reply, rejection, offer, "
            "out_of_office, auto_reply, bounce, ..."
        ),
    ],
    with_: Annotated[list[str], typer.Option("--with", metavar="NAME", help="Who; repeat for several.")],
    opp: Annotated[str | None, typer.Option("--opp", metavar="TITLE", help="The opportunity it was about.")] = None,
    at: Annotated[
        str | None, typer.Option("--at", metavar="DATETIME", help="When (default now; your time zone).")
    ] = None,
    channel: Annotated[
        str | None, typer.Option(help="email, phone, voicemail, linkedin, text, video, in_person.")
    ] = None,
    direction: Annotated[str | None, typer.Option(help="out, in or both (default: by kind).")] = None,
    points: Annotated[str, typer.Option(help="Key points discussed (thank-you drafts recap them).")] = "",
    summary: Annotated[str, typer.Option()] = "",
    notes: Annotated[str, typer.Option()] = "",
    permission: Annotated[
        bool, typer.Option("--permission", help="They agreed to receive more materials (R11).")
    ] = False,
    ooo_until: Annotated[
        str | None, typer.Option("--ooo-until", metavar="DATE", help="Out-of-office return date.")
    ] = None,
    message_id: Annotated[str, typer.Option("--message-id", help="The e-mail's Message-ID.")] = "",
    force: Annotated[
        bool, typer.Option("--force", help="Log it even dated more than a year back or in the future.")
    ] = False,
) -> None:
    """Log a touch; the agenda re-plans from it."""
    workspace = common.workspace()
    from topofmind.crm import queries, services
    from topofmind.crm.queries.lookup import find_opportunity
    from topofmind.crm.validation import parse_choice, parse_date, unusual_moment
    from topofmind.engine.types import Channel, Direction, Kind

    kind_value = parse_choice(Kind, kind, field="KIND")
    when_ = common.moment(at, field="--at", workspace=workspace)
    channel_value = parse_choice(Channel, channel, field="--channel") if channel else None
    direction_value = parse_choice(Direction, direction, field="--direction") if direction else None
    back = parse_date(ooo_until, field="--ooo-until") if ooo_until else None
    person_ids = common.person_ids(workspace, with_)
    opp_id = find_opportunity(workspace=workspace, title=opp).pk if opp else None
    now = common.now()
    unusual = "" if force else unusual_moment(when_, now=now)
    if unusual and sys.stdin.isatty():
        # at a terminal a slip of the year is asked about; a script (the command line's contract:
        # `log KIND --with NAME --at DATETIME`) logs what it says, with a note below
        if not typer.confirm(f"{unusual}. Log it with this date?", default=False, err=True):
            common.fail("--at", unusual, "add --force to log it with this date")
        unusual = ""
    interaction = services.log_interaction(
        workspace=workspace,
        kind=kind_value,
        person_ids=person_ids,
        at=when_,
        opportunity_id=opp_id,
        channel=channel_value,
        direction=direction_value,
        points=points,
        summary=summary,
        notes=notes,
        permission_materials=permission,
        ooo_until=back,
        message_id=message_id,
        now=now,
        logged_by_id=common.acting_user_id(workspace),
    )
    if unusual:
        fix = f"topofmind touch edit {interaction.pk} --at DATETIME"
        render.echo(f"note: --at: {unusual}; logged with this date ({fix} fixes a slip)", err=True)
    tz = common.tz(workspace)
    names = ", ".join(queries.participant_names(interaction))
    render.echo(f"Logged {interaction.kind} #{interaction.pk} with {names} at {render.show_time(interaction.at, tz)}.")
    for f in queries.list_followups(workspace=workspace, cause_interaction_id=interaction.pk):
        render.echo(f"  next: #{f.pk} {f.purpose.replace('_', ' ')} — {f.why}")


@touch_app.command("list")
def touch_list(
    person: Annotated[str | None, typer.Option("--person", metavar="NAME", help="Only touches with them.")] = None,
    opp: Annotated[str | None, typer.Option("--opp", metavar="TITLE", help="Only touches about it.")] = None,
    limit: Annotated[int, typer.Option(min=1, help="How many, newest first.")] = 20,
    json_: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """List logged touches, newest first."""
    workspace = common.workspace()
    from rich.table import Table

    from topofmind.crm import queries
    from topofmind.crm.queries.lookup import find_opportunity, find_person
    from topofmind.crm.queries.serialize import interaction_dict

    tz = common.tz(workspace)
    person_id = find_person(workspace=workspace, name=person).pk if person else None
    opp_id = find_opportunity(workspace=workspace, title=opp).pk if opp else None
    touches = queries.list_interactions(workspace=workspace, person_id=person_id, opportunity_id=opp_id, limit=limit)
    if json_:
        render.print_json([interaction_dict(i, tz=tz) for i in touches])
        return
    table = Table("ID", "When", "Kind", "Dir", "With", "Opportunity", "Channel")
    for i in touches:
        table.add_row(
            str(i.pk),
            render.show_time(i.at, tz),
            i.kind,
            i.direction,
            ", ".join(p.person.name for p in i.participants.all()),
            i.opportunity.title if i.opportunity else "",
            i.channel,
        )
    render.console().print(table if touches else "No touches logged yet: topofmind log KIND --with NAME")


@touch_app.command("edit")
def touch_edit(
    touch_id: Annotated[int, typer.Argument(metavar="ID")],
    at: Annotated[str | None, typer.Option("--at", metavar="DATETIME")] = None,
    kind: Annotated[str | None, typer.Option()] = None,
    channel: Annotated[str | None, typer.Option(help="A channel, or 'none'.")] = None,
    direction: Annotated[str | None, typer.Option()] = None,
    with_: Annotated[list[str] | None, typer.Option("--with", metavar="NAME", help="Replaces who was in it.")] = None,
    opp: Annotated[str | None, typer.Option("--opp", metavar="TITLE|none")] = None,
    points: Annotated[str | None, typer.Option()] = None,
    summary: Annotated[str | None, typer.Option()] = None,
    notes: Annotated[str | None, typer.Option()] = None,
) -> None:
    """Fix a mis-logged touch; the agenda re-plans."""
    workspace = common.workspace()
    from topofmind.crm import services
    from topofmind.crm.queries.lookup import find_opportunity, get_interaction
    from topofmind.crm.validation import parse_choice
    from topofmind.engine.types import Channel, Direction, Kind

    touch = get_interaction(workspace=workspace, interaction_id=touch_id)
    changes: dict[str, Any] = common.given(points=points, summary=summary, notes=notes)
    if at is not None:
        changes["at"] = common.moment(at, field="--at", workspace=workspace)
    if kind is not None:
        changes["kind"] = parse_choice(Kind, kind, field="--kind")
    if channel is not None:
        changes["channel"] = None if common.cleared(channel) else parse_choice(Channel, channel, field="--channel")
    if direction is not None:
        changes["direction"] = parse_choice(Direction, direction, field="--direction")
    if with_ is not None:
        changes["person_ids"] = common.person_ids(workspace, with_)
    if opp is not None:
        changes["opportunity_id"] = None if common.cleared(opp) else find_opportunity(workspace=workspace, title=opp).pk
    services.edit_interaction(workspace=workspace, interaction_id=touch.pk, now=common.now(), **changes)
    render.echo(f"Updated touch #{touch.pk}.")


@touch_app.command("delete")
def touch_delete(touch_id: Annotated[int, typer.Argument(metavar="ID")]) -> None:
    """Delete a touch logged by mistake; the agenda re-plans."""
    workspace = common.workspace()
    from topofmind.crm import services
    from topofmind.crm.queries.lookup import get_interaction

    touch = get_interaction(workspace=workspace, interaction_id=touch_id)
    services.delete_interaction(workspace=workspace, interaction_id=touch.pk, now=common.now())
    render.echo(f"Deleted touch #{touch_id}.")
