"""The agenda: ``today`` (changes nothing), then ``done``, ``snooze`` or ``skip`` an item, and ``undo``."""

from __future__ import annotations

from typing import Annotated

import typer

from topofmind.cli import common, render


def today(
    at: Annotated[
        str | None, typer.Option("--at", metavar="DATETIME", help="The agenda for another moment (default now).")
    ] = None,
    json_: Annotated[bool, typer.Option("--json", help="Print only JSON (schema in docs/cli.md).")] = False,
    drafts: Annotated[bool, typer.Option("--drafts", help="Show each item's draft.")] = False,
) -> None:
    """What to do today: whom to contact, how, why now, and a draft. Changes nothing."""
    common.reading()
    workspace = common.workspace()
    from topofmind.crm import queries
    from topofmind.crm.queries.serialize import agenda_item_dict

    viewer = common.viewer(workspace)
    tz = viewer.timezone if viewer is not None else common.tz(workspace)
    moment = common.moment(at, field="--at", workspace=workspace)
    items = queries.agenda(workspace=workspace, at=moment, viewer=viewer)
    if json_:
        render.print_json([agenda_item_dict(item, tz=tz) for item in items])
        return
    render.print_agenda(items, moment=moment, tz=tz, drafts=drafts)


def done(
    followup_id: Annotated[int, typer.Argument(metavar="ID", help="The follow-up's id (first column of `today`).")],
    at: Annotated[str | None, typer.Option("--at", metavar="DATETIME", help="When you did it (default now).")] = None,
) -> None:
    """Mark a follow-up done; logs the touch it stands for."""
    workspace = common.workspace()
    from topofmind.crm import services

    moment = common.moment(at, field="--at", workspace=workspace)
    interaction = services.done(
        workspace=workspace,
        followup_id=followup_id,
        at=moment,
        now=common.now(),
        logged_by_id=common.acting_user_id(workspace),
    )
    render.echo(f"Done: #{followup_id}, logged as touch #{interaction.pk} ({interaction.kind}).")


def snooze(
    followup_id: Annotated[int, typer.Argument(metavar="ID")],
    until: Annotated[str, typer.Option("--until", metavar="DATETIME", help="When it should come back.")],
) -> None:
    """Put a follow-up off until a later moment."""
    workspace = common.workspace()
    from topofmind.crm import services

    moment = common.moment(until, field="--until", workspace=workspace)
    services.snooze(
        workspace=workspace,
        followup_id=followup_id,
        until=moment,
        now=common.now(),
        user_id=common.acting_user_id(workspace),
    )
    render.echo(f"Snoozed #{followup_id} until {render.show_time(moment, common.tz(workspace))}.")


def skip(followup_id: Annotated[int, typer.Argument(metavar="ID")]) -> None:
    """Drop a follow-up without doing it."""
    workspace = common.workspace()
    from topofmind.crm import services

    services.skip(
        workspace=workspace, followup_id=followup_id, now=common.now(), user_id=common.acting_user_id(workspace)
    )
    render.echo(f"Skipped #{followup_id}.")


UNDONE = {
    "done": "no longer done, and the touch it logged is removed",
    "sent": "no longer marked sent, and the touch it logged is removed",
    "snoozed": "no longer snoozed",
    "skipped": "no longer skipped",
}


def undo() -> None:
    """Undo your last done, snooze, skip or mark sent, within ten minutes of it."""
    workspace = common.workspace()
    from topofmind.crm import services

    entry = services.undo(workspace=workspace, user_id=common.acting_user_id(workspace), now=common.now())
    render.echo(f"Undone: follow-up #{entry.followup_id} is {UNDONE[entry.action]}; it is back on your agenda.")
