"""``topofmind config ...`` (your settings) and ``topofmind plan ...`` (the R15 target list)."""

from __future__ import annotations

from typing import Annotated

import typer

from topofmind.cli import common, render

config_app = typer.Typer(help="Your settings: time zone, holiday country, playbook, daily cap.", no_args_is_help=True)
plan_app = typer.Typer(help="The target list and capacity (R15).", no_args_is_help=True)


@config_app.command("set")
def config_set(
    key: Annotated[str, typer.Argument(help="timezone, country, playbook, daily_cap, name, or a playbook number.")],
    value: Annotated[str, typer.Argument(help="The new value; 'default' puts an optional setting back.")],
) -> None:
    """Change a setting: timezone (Europe/Berlin), country (DE), playbook, daily_cap, name."""
    workspace = common.workspace()
    from topofmind.crm import queries, services
    from topofmind.crm.validation import token

    services.set_config(workspace=workspace, key=key, value=value, now=common.now())
    shown = queries.config_values(workspace=workspace)
    name = token(key)
    current = shown.get(name, shown["overrides"].get(name, value))
    render.echo(f"{name} = {current if current not in (None, '') else '(default)'}")


@config_app.command("show")
def config_show(json_: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False) -> None:
    """Show the settings."""
    workspace = common.workspace()
    from topofmind.crm import queries

    values = queries.config_values(workspace=workspace)
    if json_:
        render.print_json(values)
        return
    for key, value in values.items():
        render.echo(f"{key}: {value if value not in (None, '', {}) else '(default)'}")


@plan_app.command("set")
def plan_set(
    targets: Annotated[int, typer.Option(min=1, help="How many employers to reach.")],
    weeks: Annotated[int, typer.Option(min=1, help="Over how many weeks.")],
    calls_per_day: Annotated[int, typer.Option("--calls-per-day", min=0, help="Calls a day.")] = 1,
    start: Annotated[str | None, typer.Option(metavar="DATE", help="First day (default today).")] = None,
) -> None:
    """Set the target list and capacity, e.g. 50 employers over 10 weeks = 1 a business day."""
    workspace = common.workspace()
    from topofmind.crm import services
    from topofmind.crm.validation import parse_date

    first = parse_date(start, field="--start") if start else None
    plan = services.set_plan(
        workspace=workspace, targets=targets, weeks=weeks, calls_per_day=calls_per_day, start=first, now=common.now()
    )
    per_week = plan.targets / plan.weeks
    render.echo(
        f"Plan: {plan.targets} employers over {plan.weeks} weeks from {plan.start.isoformat()} "
        f"({per_week:g} a week), {plan.calls_per_day} call(s) a day."
    )


@plan_app.command("show")
def plan_show(json_: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False) -> None:
    """Show the plan."""
    workspace = common.workspace()
    from topofmind.crm import queries

    plan = queries.get_plan(workspace=workspace)
    data = (
        None
        if plan is None
        else {
            "targets": plan.targets,
            "weeks": plan.weeks,
            "calls_per_day": plan.calls_per_day,
            "start": plan.start.isoformat(),
        }
    )
    if json_:
        render.print_json(data)
    elif data is None:
        render.echo("No plan yet: topofmind plan set --targets 50 --weeks 10")
    else:
        render.echo(
            f"{data['targets']} employers over {data['weeks']} weeks from {data['start']}, "
            f"{data['calls_per_day']} call(s) a day."
        )
