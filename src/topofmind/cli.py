"""The ``topofmind`` command line: a thin layer over ``topofmind.crm.services``.

Each command turns its arguments into one service call and prints the result. Django and
the store are imported inside the commands, so ``topofmind --help`` starts fast. Every
error a user can cause is one line on stderr (``error: ... (hint: ...)``), exit code 2.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer
from typer.core import TyperGroup

from topofmind.crm.errors import Invalid, TopofmindError

if TYPE_CHECKING:
    from rich.console import Console

    from topofmind.crm.models import Workspace
    from topofmind.crm.planning import AgendaItem
    from topofmind.engine.types import Role

USAGE_ERROR = 2


class _OneLineErrors(TyperGroup):
    """Runs the command line; turns every user error into one line on stderr and exit 2."""

    def main(  # type: ignore[override]
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        code: int = 0
        try:
            result = super().main(
                args=args, prog_name=prog_name, complete_var=complete_var, standalone_mode=False, **extra
            )
            code = result if isinstance(result, int) else 0
        except TopofmindError as exc:
            _say_error(exc.one_line())
            code = USAGE_ERROR
        except typer.TyperException as exc:  # Typer's own parsing errors
            if type(exc).__name__ == "NoArgsIsHelpError":
                typer.echo(exc.format_message())
                code = 0
            else:
                ctx = getattr(exc, "ctx", None)
                where = f"{ctx.command_path} --help" if ctx is not None else "topofmind --help"
                _say_error(f"error: {' '.join(exc.format_message().split())} (hint: see {where})")
                code = exc.exit_code
        except typer.Abort:
            _say_error("error: aborted")
            code = 1
        if not standalone_mode:
            return code
        sys.exit(code)


def _say_error(line: str) -> None:
    typer.echo(line, err=True)


app = typer.Typer(
    cls=_OneLineErrors,
    name="topofmind",
    help="Stay top-of-mind with hiring managers, politely: whom to contact today, how, why now, what to say.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)
config_app = typer.Typer(help="Your settings: time zone, holiday country, playbook, daily cap.", no_args_is_help=True)
org_app = typer.Typer(help="Organizations: employers you target or work with.", no_args_is_help=True)
person_app = typer.Typer(
    help="People: hiring managers, interviewers, recruiters, referrers, peers.", no_args_is_help=True
)
opp_app = typer.Typer(help="Opportunities: openings and leads, and who is involved.", no_args_is_help=True)
touch_app = typer.Typer(help="Logged touches: list them, fix a mis-logged one, delete one.", no_args_is_help=True)
plan_app = typer.Typer(help="The target list and capacity (R15).", no_args_is_help=True)
app.add_typer(config_app, name="config")
app.add_typer(org_app, name="org")
app.add_typer(person_app, name="person")
app.add_typer(opp_app, name="opp")
app.add_typer(touch_app, name="touch")
app.add_typer(plan_app, name="plan")


def main() -> None:
    """Console-script entry point."""
    app()


@app.callback()
def _root(
    db: Annotated[
        str | None,
        typer.Option(
            "--db",
            metavar="PATH_OR_URL",
            help="A SQLite file path or a database URL (postgresql://...). Default: TOPOFMIND_DATABASE_URL, "
            "else topofmind.sqlite3 in your data directory.",
        ),
    ] = None,
) -> None:
    if db is not None:
        os.environ["TOPOFMIND_DATABASE_URL"] = db


# -- plumbing --------------------------------------------------------------------------------


def setup_django() -> None:
    """Start Django and bring the database up to date (cheap when it already is)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "topofmind.settings")
    import django
    from django.apps import apps
    from django.core.exceptions import ImproperlyConfigured
    from django.db import DatabaseError

    try:
        if not apps.ready:
            django.setup()
        from topofmind.crm.auto_migrate import ensure_migrated

        ensure_migrated()
    except ImproperlyConfigured as exc:
        raise TopofmindError(f"configuration: {exc}", "see docs/settings.md") from None
    except DatabaseError as exc:
        raise TopofmindError(
            f"cannot open the database: {exc}", "check --db or TOPOFMIND_DATABASE_URL (see docs/settings.md)"
        ) from None


def _now() -> datetime:
    from django.utils import timezone

    return timezone.now()


def _workspace() -> Workspace:
    setup_django()
    from topofmind.crm import services

    return services.get_or_create_default_workspace(now=_now())


def _tz(workspace: Workspace) -> str:
    from topofmind.crm.planning.snapshot import settings_of

    return settings_of(workspace).timezone or "UTC"


def _moment(text: str | None, *, field: str, workspace: Workspace) -> datetime:
    """A DATETIME option: ISO-ish, in the user's zone unless it carries an offset; default now."""
    from topofmind.crm.validation import parse_datetime

    now = _now()
    if text is None:
        return now
    return parse_datetime(text, field=field, tz=_tz(workspace), now=now)


def _show_time(moment: datetime | None, tz: str) -> str:
    if moment is None:
        return "-"
    from zoneinfo import ZoneInfo

    return moment.astimezone(ZoneInfo(tz)).strftime("%a %d %b %Y %H:%M")


def _console() -> Console:
    from rich.console import Console

    # No markup: names and notes are the user's text, and "[" in them is just a bracket.
    return Console(highlight=False, soft_wrap=False, markup=False)


def _print_json(data: Any) -> None:
    typer.echo(json.dumps(data, indent=2, ensure_ascii=False))


def _fail(field: str, message: str, hint: str = "") -> NoReturn:
    raise Invalid(field, message, hint)


def _cleared(text: str) -> bool:
    return text.strip().lower() in ("", "none", "-")


def _person_ids(workspace: Workspace, names: Sequence[str]) -> list[int]:
    from topofmind.crm.queries.lookup import find_person

    return [find_person(workspace=workspace, name=name).pk for name in names]


def _parts(workspace: Workspace, specs: Sequence[str]) -> list[tuple[int, Role | None]]:
    """``--person "Dana Lee:hiring manager"``; without ``:ROLE`` the part is not known yet."""
    from topofmind.crm.queries.lookup import find_person
    from topofmind.crm.validation import parse_choice
    from topofmind.engine.types import Role

    out: list[tuple[int, Role | None]] = []
    for spec in specs:
        name, sep, role_text = spec.rpartition(":")
        if not sep:
            name, role_text = spec, ""
        if not name.strip():
            _fail("--person", f'"{spec}" names nobody', 'use NAME:ROLE, e.g. "Dana Lee:hiring_manager"')
        role = parse_choice(Role, role_text, field="--person") if role_text.strip() else None
        out.append((find_person(workspace=workspace, name=name).pk, role))
    return out


# -- migrate and config ---------------------------------------------------------------------


@app.command()
def migrate() -> None:
    """Create or update the database tables (also done by itself on first use)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "topofmind.settings")
    setup_django()
    from django.db import connection

    typer.echo(f"Database is up to date ({connection.vendor}: {connection.settings_dict['NAME']}).")


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on; 127.0.0.1 keeps it on this machine.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    workers: Annotated[int, typer.Option(help="Web processes (gunicorn workers).")] = 2,
    reset_password: Annotated[
        bool, typer.Option("--reset-password", help="Print a new password for your account.")
    ] = False,
) -> None:
    """Start the web app. The first start creates your account and prints how to sign in."""
    setup_django()
    from topofmind.web.serve import run

    try:
        run(host=host, port=port, workers=workers, reset_password=reset_password)
    except OSError as exc:
        raise TopofmindError(str(exc)) from None


@config_app.command("set")
def config_set(
    key: Annotated[str, typer.Argument(help="timezone, country, playbook, daily_cap, name, or a playbook number.")],
    value: Annotated[str, typer.Argument(help="The new value; 'default' puts an optional setting back.")],
) -> None:
    """Change a setting: timezone (Europe/Berlin), country (DE), playbook, daily_cap, name."""
    workspace = _workspace()
    from topofmind.crm import queries, services
    from topofmind.crm.validation import token

    services.set_config(workspace=workspace, key=key, value=value, now=_now())
    shown = queries.config_values(workspace=workspace)
    name = token(key)
    current = shown.get(name, shown["overrides"].get(name, value))
    typer.echo(f"{name} = {current if current not in (None, '') else '(default)'}")


@config_app.command("show")
def config_show(json_: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False) -> None:
    """Show the settings."""
    workspace = _workspace()
    from topofmind.crm import queries

    values = queries.config_values(workspace=workspace)
    if json_:
        _print_json(values)
        return
    for key, value in values.items():
        typer.echo(f"{key}: {value if value not in (None, '', {}) else '(default)'}")


# -- organizations ----------------------------------------------------------------------------


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
    workspace = _workspace()
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
        now=_now(),
    )
    typer.echo(f"Added organization #{org.pk} {org.name}{' (target)' if org.target else ''}.")


@org_app.command("list")
def org_list(json_: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False) -> None:
    """List organizations, highest priority first."""
    workspace = _workspace()
    from rich.table import Table

    from topofmind.crm import queries
    from topofmind.crm.queries.serialize import organization_dict

    tz = _tz(workspace)
    orgs = queries.list_organizations(workspace=workspace)
    if json_:
        _print_json([organization_dict(o, tz=tz) for o in orgs])
        return
    table = Table("ID", "Name", "Priority", "Target", "Website")
    for o in orgs:
        table.add_row(str(o.pk), o.name, str(o.priority), "yes" if o.target else "", o.website)
    _console().print(table if orgs else "No organizations yet: topofmind org add NAME")


@org_app.command("show")
def org_show(name: str, json_: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False) -> None:
    """Show an organization with its people and opportunities."""
    workspace = _workspace()
    from topofmind.crm import queries
    from topofmind.crm.queries.lookup import find_organization
    from topofmind.crm.queries.serialize import organization_dict

    tz = _tz(workspace)
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
        _print_json(data)
        return
    console = _console()
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
    workspace = _workspace()
    from topofmind.crm import services
    from topofmind.crm.queries.lookup import find_organization

    org = find_organization(workspace=workspace, name=name)
    changes = _given(
        name=new_name, website=website, target=target, priority=priority, industry=industry, tags=tags, notes=notes
    )
    org = services.edit_organization(workspace=workspace, organization_id=org.pk, now=_now(), **changes)
    typer.echo(f"Updated organization #{org.pk} {org.name}.")


def _given(**options: Any) -> dict[str, Any]:
    """The options the user gave (Typer's None = not given)."""
    return {key: value for key, value in options.items() if value is not None}


# -- people -----------------------------------------------------------------------------------

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
    workspace = _workspace()
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
        now=_now(),
    )
    at = f" at {person.organization.name}" if person.organization else ""
    typer.echo(f"Added person #{person.pk} {person.name}{at}.")


@person_app.command("list")
def person_list(
    org: Annotated[str | None, typer.Option("--org", help="Only people at this organization.")] = None,
    json_: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """List people."""
    workspace = _workspace()
    from rich.table import Table

    from topofmind.crm import queries
    from topofmind.crm.queries.lookup import find_organization
    from topofmind.crm.queries.serialize import person_dict

    tz = _tz(workspace)
    org_id = find_organization(workspace=workspace, name=org).pk if org else None
    people = queries.list_people(workspace=workspace, organization_id=org_id)
    if json_:
        _print_json([person_dict(p, tz=tz) for p in people])
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
    _console().print(table if people else "No people yet: topofmind person add NAME")


@person_app.command("show")
def person_show(name: str, json_: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False) -> None:
    """Show a person with their opportunities, recent touches and open follow-ups."""
    workspace = _workspace()
    from topofmind.crm import queries
    from topofmind.crm.queries.lookup import find_person
    from topofmind.crm.queries.serialize import followup_dict, interaction_dict, person_dict

    tz = _tz(workspace)
    person = find_person(workspace=workspace, name=name)
    data = person_dict(person, tz=tz)
    data["opportunities"] = [
        {"id": part.opportunity_id, "title": part.title, "role": part.role or None}
        for part in queries.opening_parts_of(person)
    ]
    touches = queries.list_interactions(workspace=workspace, person_id=person.pk, limit=10)
    data["touches"] = [interaction_dict(i, tz=tz) for i in touches]
    data["followups"] = [
        followup_dict(f, tz=tz) for f in queries.list_followups(workspace=workspace, person_id=person.pk)
    ]
    if json_:
        _print_json(data)
        return
    console = _console()
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
            f"  do not contact since {_show_time(person.dnc_at, tz)}: {person.dnc_reason or '-'}", style="red"
        )
    for o in data["opportunities"]:
        console.print(f"  opportunity #{o['id']} {o['title']}{' as ' + o['role'] if o['role'] else ''}")
    for i in touches:
        console.print(f"  touch #{i.pk} {_show_time(i.at, tz)} {i.kind} ({i.direction}) {i.summary}")
    for f in data["followups"]:
        console.print(f"  follow-up #{f['id']} {f['purpose']} due {f['due'][:16]} — {f['why']}")


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
    workspace = _workspace()
    from topofmind.crm import services
    from topofmind.crm.queries.lookup import find_organization, find_person
    from topofmind.crm.validation import parse_choice, parse_int
    from topofmind.engine.types import Channel, Role

    person = find_person(workspace=workspace, name=name)
    changes: dict[str, Any] = _given(
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
        changes["organization_id"] = None if _cleared(org) else find_organization(workspace=workspace, name=org).pk
    if prefers is not None:
        changes["prefers"] = None if _cleared(prefers) else parse_choice(Channel, prefers, field="--prefers")
    if tz is not None:
        changes["timezone"] = "" if _cleared(tz) else tz
    if cadence_days is not None:
        changes["cadence_days"] = (
            None if _cleared(cadence_days) else parse_int(cadence_days, field="--cadence-days", minimum=1)
        )
    person = services.edit_person(workspace=workspace, person_id=person.pk, now=_now(), **changes)
    typer.echo(f"Updated person #{person.pk} {person.name}.")


@app.command()
def stop(
    name: str,
    reason: Annotated[str, typer.Option(help="Why, in their words or yours.")] = "",
) -> None:
    """They asked not to be contacted: nothing is suggested for them again (R9)."""
    workspace = _workspace()
    from topofmind.crm import services
    from topofmind.crm.queries.lookup import find_person

    person = find_person(workspace=workspace, name=name)
    now = _now()
    services.stop_contact(workspace=workspace, person_id=person.pk, reason=reason, at=now, now=now)
    typer.echo(f'Stopped: nothing will be suggested for {person.name} (undo with: topofmind resume "{person.name}").')


@app.command()
def resume(name: str) -> None:
    """Undo `stop`: they may be contacted again."""
    workspace = _workspace()
    from topofmind.crm import services
    from topofmind.crm.queries.lookup import find_person

    person = find_person(workspace=workspace, name=name)
    services.resume_contact(workspace=workspace, person_id=person.pk, now=_now())
    typer.echo(f"Resumed: {person.name} may be contacted again.")


# -- opportunities --------------------------------------------------------------------------

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
    workspace = _workspace()
    from topofmind.crm import services
    from topofmind.crm.queries.lookup import find_organization
    from topofmind.crm.validation import parse_choice, parse_date
    from topofmind.engine.types import Stage

    stage_value = parse_choice(Stage, stage, field="--stage")
    decided = parse_date(decision_date, field="--decision-date") if decision_date else None
    organization = find_organization(workspace=workspace, name=org)
    parts = _parts(workspace, person or [])
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
        now=_now(),
    )
    typer.echo(f"Added opportunity #{opp.pk} {opp.title} at {organization.name} ({opp.stage}).")


@opp_app.command("list")
def opp_list(
    stage: Annotated[str | None, typer.Option(help="Only this stage.")] = None,
    org: Annotated[str | None, typer.Option("--org", help="Only at this organization.")] = None,
    json_: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """List opportunities."""
    workspace = _workspace()
    from rich.table import Table

    from topofmind.crm import queries
    from topofmind.crm.queries.lookup import find_organization
    from topofmind.crm.queries.serialize import opportunity_dict
    from topofmind.crm.validation import parse_choice
    from topofmind.engine.types import Stage

    tz = _tz(workspace)
    wanted = parse_choice(Stage, stage, field="--stage") if stage else None
    org_id = find_organization(workspace=workspace, name=org).pk if org else None
    opps = queries.list_opportunities(workspace=workspace, stage=wanted, organization_id=org_id)
    if json_:
        _print_json([opportunity_dict(o, tz=tz) for o in opps])
        return
    table = Table("ID", "Title", "Organization", "Stage", "Decision date")
    for o in opps:
        table.add_row(
            str(o.pk), o.title, o.organization.name, o.stage, o.decision_date.isoformat() if o.decision_date else ""
        )
    _console().print(table if opps else "No opportunities yet: topofmind opp add TITLE --org ORG")


@opp_app.command("show")
def opp_show(title: str, json_: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False) -> None:
    """Show an opportunity: its people, stage history and timeline of touches."""
    workspace = _workspace()
    from topofmind.crm import queries
    from topofmind.crm.queries.lookup import find_opportunity
    from topofmind.crm.queries.serialize import interaction_dict, opportunity_dict, when

    tz = _tz(workspace)
    opp = find_opportunity(workspace=workspace, title=title)
    data = opportunity_dict(opp, tz=tz)
    stages = queries.stage_history(opp)
    data["stages"] = [{"from": c.from_stage or None, "to": c.to_stage, "at": when(c.at, tz)} for c in stages]
    touches = queries.list_interactions(workspace=workspace, opportunity_id=opp.pk)
    data["touches"] = [interaction_dict(i, tz=tz) for i in touches]
    if json_:
        _print_json(data)
        return
    console = _console()
    console.print(f"#{opp.pk} {opp.title} at {opp.organization.name} — {opp.stage}", style="bold")
    if opp.decision_date:
        console.print(f"  decision date: {opp.decision_date.isoformat()}")
    if opp.posting_url:
        console.print(f"  posting: {opp.posting_url}")
    for p in data["people"]:
        console.print(f"  person #{p['id']} {p['name']}{' (' + ', '.join(p['roles']) + ')' if p['roles'] else ''}")
    for c in stages:
        console.print(f"  {_show_time(c.at, tz)}  stage {c.from_stage or '-'} → {c.to_stage}")
    for i in reversed(touches):
        who = ", ".join(part.person.name for part in i.participants.all())
        console.print(f"  {_show_time(i.at, tz)}  touch #{i.pk} {i.kind} ({i.direction}) with {who}")


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
    workspace = _workspace()
    from topofmind.crm import services
    from topofmind.crm.queries.lookup import find_opportunity, find_organization
    from topofmind.crm.validation import parse_choice, parse_date
    from topofmind.engine.types import Stage

    opp = find_opportunity(workspace=workspace, title=title)
    changes: dict[str, Any] = _given(title=new_title, posting_url=url, source=source, notes=notes)
    if org is not None:
        changes["organization_id"] = find_organization(workspace=workspace, name=org).pk
    if stage is not None:
        changes["stage"] = parse_choice(Stage, stage, field="--stage")
        changes["stage_at"] = _moment(at, field="--at", workspace=workspace)
    if decision_date is not None:
        changes["decision_date"] = (
            None if _cleared(decision_date) else parse_date(decision_date, field="--decision-date")
        )
    opp = services.edit_opportunity(
        workspace=workspace,
        opportunity_id=opp.pk,
        add_participants=_parts(workspace, person or []),
        remove_people=_person_ids(workspace, remove_person or []),
        now=_now(),
        **changes,
    )
    typer.echo(f"Updated opportunity #{opp.pk} {opp.title} ({opp.stage}).")


# -- touches --------------------------------------------------------------------------------


@app.command()
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
) -> None:
    """Log a touch; the agenda re-plans from it."""
    workspace = _workspace()
    from topofmind.crm import queries, services
    from topofmind.crm.queries.lookup import find_opportunity
    from topofmind.crm.validation import parse_choice, parse_date
    from topofmind.engine.types import Channel, Direction, Kind

    kind_value = parse_choice(Kind, kind, field="KIND")
    when_ = _moment(at, field="--at", workspace=workspace)
    channel_value = parse_choice(Channel, channel, field="--channel") if channel else None
    direction_value = parse_choice(Direction, direction, field="--direction") if direction else None
    back = parse_date(ooo_until, field="--ooo-until") if ooo_until else None
    person_ids = _person_ids(workspace, with_)
    opp_id = find_opportunity(workspace=workspace, title=opp).pk if opp else None
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
        now=_now(),
    )
    tz = _tz(workspace)
    names = ", ".join(p.person.name for p in interaction.participants.select_related("person"))
    typer.echo(f"Logged {interaction.kind} #{interaction.pk} with {names} at {_show_time(interaction.at, tz)}.")
    for f in queries.list_followups(workspace=workspace, cause_interaction_id=interaction.pk):
        typer.echo(f"  next: #{f.pk} {f.purpose.replace('_', ' ')} — {f.why}")


@touch_app.command("list")
def touch_list(
    person: Annotated[str | None, typer.Option("--person", metavar="NAME", help="Only touches with them.")] = None,
    opp: Annotated[str | None, typer.Option("--opp", metavar="TITLE", help="Only touches about it.")] = None,
    limit: Annotated[int, typer.Option(min=1, help="How many, newest first.")] = 20,
    json_: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """List logged touches, newest first."""
    workspace = _workspace()
    from rich.table import Table

    from topofmind.crm import queries
    from topofmind.crm.queries.lookup import find_opportunity, find_person
    from topofmind.crm.queries.serialize import interaction_dict

    tz = _tz(workspace)
    person_id = find_person(workspace=workspace, name=person).pk if person else None
    opp_id = find_opportunity(workspace=workspace, title=opp).pk if opp else None
    touches = queries.list_interactions(workspace=workspace, person_id=person_id, opportunity_id=opp_id, limit=limit)
    if json_:
        _print_json([interaction_dict(i, tz=tz) for i in touches])
        return
    table = Table("ID", "When", "Kind", "Dir", "With", "Opportunity", "Channel")
    for i in touches:
        table.add_row(
            str(i.pk),
            _show_time(i.at, tz),
            i.kind,
            i.direction,
            ", ".join(p.person.name for p in i.participants.all()),
            i.opportunity.title if i.opportunity else "",
            i.channel,
        )
    _console().print(table if touches else "No touches logged yet: topofmind log KIND --with NAME")


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
    workspace = _workspace()
    from topofmind.crm import services
    from topofmind.crm.queries.lookup import find_opportunity, get_interaction
    from topofmind.crm.validation import parse_choice
    from topofmind.engine.types import Channel, Direction, Kind

    touch = get_interaction(workspace=workspace, interaction_id=touch_id)
    changes: dict[str, Any] = _given(points=points, summary=summary, notes=notes)
    if at is not None:
        changes["at"] = _moment(at, field="--at", workspace=workspace)
    if kind is not None:
        changes["kind"] = parse_choice(Kind, kind, field="--kind")
    if channel is not None:
        changes["channel"] = None if _cleared(channel) else parse_choice(Channel, channel, field="--channel")
    if direction is not None:
        changes["direction"] = parse_choice(Direction, direction, field="--direction")
    if with_ is not None:
        changes["person_ids"] = _person_ids(workspace, with_)
    if opp is not None:
        changes["opportunity_id"] = None if _cleared(opp) else find_opportunity(workspace=workspace, title=opp).pk
    services.edit_interaction(workspace=workspace, interaction_id=touch.pk, now=_now(), **changes)
    typer.echo(f"Updated touch #{touch.pk}.")


@touch_app.command("delete")
def touch_delete(touch_id: Annotated[int, typer.Argument(metavar="ID")]) -> None:
    """Delete a touch logged by mistake; the agenda re-plans."""
    workspace = _workspace()
    from topofmind.crm import services
    from topofmind.crm.queries.lookup import get_interaction

    touch = get_interaction(workspace=workspace, interaction_id=touch_id)
    services.delete_interaction(workspace=workspace, interaction_id=touch.pk, now=_now())
    typer.echo(f"Deleted touch #{touch_id}.")


# -- the agenda -----------------------------------------------------------------------------


@app.command()
def today(
    at: Annotated[
        str | None, typer.Option("--at", metavar="DATETIME", help="The agenda for another moment (default now).")
    ] = None,
    json_: Annotated[bool, typer.Option("--json", help="Print only JSON (schema in docs/cli.md).")] = False,
    drafts: Annotated[bool, typer.Option("--drafts", help="Show each item's draft.")] = False,
) -> None:
    """What to do today: whom to contact, how, why now, and a draft. Changes nothing."""
    workspace = _workspace()
    from topofmind.crm import queries
    from topofmind.crm.queries.serialize import agenda_item_dict

    tz = _tz(workspace)
    moment = _moment(at, field="--at", workspace=workspace)
    items = queries.agenda(workspace=workspace, at=moment)
    if json_:
        _print_json([agenda_item_dict(item, tz=tz) for item in items])
        return
    _print_agenda(items, moment=moment, tz=tz, drafts=drafts)


def _print_agenda(items: list[AgendaItem], *, moment: datetime, tz: str, drafts: bool) -> None:
    from rich.table import Table

    console = _console()
    heading = f"Agenda for {_show_time(moment, tz)} ({tz})"
    if not items:
        console.print(f"{heading}: nothing to do. Log a touch with `topofmind log`, or enjoy the day.")
        return
    table = Table(title=heading, title_justify="left", show_lines=False)
    for column in ("ID", "Due", "What", "Who", "Channel", "Why"):
        table.add_column(column, overflow="fold")
    for item in items:
        s = item.suggestion
        who = s.person_name or ""
        if s.organization_name:
            who = f"{who} ({s.organization_name})" if who else s.organization_name
        channel = s.channel.value + (f" — {s.call_window}" if s.call_window else "")
        table.add_row(
            str(item.followup_id), _show_time(s.due, tz), s.purpose.value.replace("_", " "), who, channel, s.why
        )
    console.print(table)
    if drafts:
        for item in items:
            console.rule(f"#{item.followup_id} {item.suggestion.purpose.value.replace('_', ' ')}")
            console.print(f"Subject: {item.draft.subject}\n\n{item.draft.body}")
    else:
        console.print(
            "Drafts: topofmind today --drafts · then: topofmind done ID | snooze ID --until DATETIME | skip ID"
        )


@app.command()
def done(
    followup_id: Annotated[int, typer.Argument(metavar="ID", help="The follow-up's id (first column of `today`).")],
    at: Annotated[str | None, typer.Option("--at", metavar="DATETIME", help="When you did it (default now).")] = None,
) -> None:
    """Mark a follow-up done; logs the touch it stands for."""
    workspace = _workspace()
    from topofmind.crm import services

    moment = _moment(at, field="--at", workspace=workspace)
    interaction = services.done(workspace=workspace, followup_id=followup_id, at=moment, now=_now())
    typer.echo(f"Done: #{followup_id}, logged as touch #{interaction.pk} ({interaction.kind}).")


@app.command()
def snooze(
    followup_id: Annotated[int, typer.Argument(metavar="ID")],
    until: Annotated[str, typer.Option("--until", metavar="DATETIME", help="When it should come back.")],
) -> None:
    """Put a follow-up off until a later moment."""
    workspace = _workspace()
    from topofmind.crm import services

    moment = _moment(until, field="--until", workspace=workspace)
    services.snooze(workspace=workspace, followup_id=followup_id, until=moment, now=_now())
    typer.echo(f"Snoozed #{followup_id} until {_show_time(moment, _tz(workspace))}.")


@app.command()
def skip(followup_id: Annotated[int, typer.Argument(metavar="ID")]) -> None:
    """Drop a follow-up without doing it."""
    workspace = _workspace()
    from topofmind.crm import services

    services.skip(workspace=workspace, followup_id=followup_id, now=_now())
    typer.echo(f"Skipped #{followup_id}.")


# -- the plan -------------------------------------------------------------------------------


@plan_app.command("set")
def plan_set(
    targets: Annotated[int, typer.Option(min=1, help="How many employers to reach.")],
    weeks: Annotated[int, typer.Option(min=1, help="Over how many weeks.")],
    calls_per_day: Annotated[int, typer.Option("--calls-per-day", min=0, help="Calls a day.")] = 1,
    start: Annotated[str | None, typer.Option(metavar="DATE", help="First day (default today).")] = None,
) -> None:
    """Set the target list and capacity, e.g. 50 employers over 10 weeks = 1 a business day."""
    workspace = _workspace()
    from topofmind.crm import services
    from topofmind.crm.validation import parse_date

    first = parse_date(start, field="--start") if start else None
    plan = services.set_plan(
        workspace=workspace, targets=targets, weeks=weeks, calls_per_day=calls_per_day, start=first, now=_now()
    )
    per_week = plan.targets / plan.weeks
    typer.echo(
        f"Plan: {plan.targets} employers over {plan.weeks} weeks from {plan.start.isoformat()} "
        f"({per_week:g} a week), {plan.calls_per_day} call(s) a day."
    )


@plan_app.command("show")
def plan_show(json_: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False) -> None:
    """Show the plan."""
    workspace = _workspace()
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
        _print_json(data)
    elif data is None:
        typer.echo("No plan yet: topofmind plan set --targets 50 --weeks 10")
    else:
        typer.echo(
            f"{data['targets']} employers over {data['weeks']} weeks from {data['start']}, "
            f"{data['calls_per_day']} call(s) a day."
        )


# -- import, backup, restore (topofmind.integrations.cli) -----------------------------------
from topofmind.integrations.cli import register as _register_integrations  # noqa: E402

_register_integrations(app)


if __name__ == "__main__":  # pragma: no cover
    main()
