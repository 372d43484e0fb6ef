"""The ``topofmind`` command line: a thin layer over ``topofmind.crm.services`` (writes) and
``topofmind.crm.queries`` (reads).

Each command turns its arguments into one service or query call and prints the result
(``topofmind.cli.render``). Django and the store are imported inside the commands, so
``topofmind --help`` starts fast. Every error a user can cause is one line on stderr
(``error: ... (hint: ...)``), exit code 2.

This module holds the Typer app and hangs every command group on it, in the order
``topofmind --help`` lists them.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from topofmind.cli import (
    agenda,
    backup,
    common,
    config,
    exports,
    imports,
    mail,
    opportunities,
    organizations,
    people,
    render,
    server,
    tokens,
    touches,
    users,
    workspaces,
)
from topofmind.cli.lean import install as _lean_typer
from topofmind.crm.errors import TopofmindError

_lean_typer()  # plain text options without pydantic (see cli/lean.py)

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
                render.echo(exc.format_message())
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
    render.echo(line, err=True)


app = typer.Typer(
    cls=_OneLineErrors,
    name="topofmind",
    help="Stay top-of-mind with hiring managers, politely: whom to contact today, how, why now, what to say.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)

# Typer lists commands in the order they are added, then the groups in theirs.
app.add_typer(config.config_app, name="config")
app.add_typer(organizations.org_app, name="org")
app.add_typer(people.person_app, name="person")
app.add_typer(opportunities.opp_app, name="opp")
app.add_typer(touches.touch_app, name="touch")
app.add_typer(config.plan_app, name="plan")
app.add_typer(imports.import_app, name="import")
app.add_typer(workspaces.workspace_app, name="workspace")
app.add_typer(users.user_app, name="user")
app.add_typer(tokens.token_app, name="token")
app.add_typer(exports.export_app, name="export")
app.add_typer(mail.mail_app, name="mail")
app.command()(server.migrate)
app.command()(server.serve)
app.command()(mail.worker)
app.command()(people.stop)
app.command()(people.resume)
app.command()(touches.log)
app.command()(agenda.today)
app.command()(agenda.done)
app.command()(agenda.snooze)
app.command()(agenda.skip)
app.command()(mail.send)
app.command("backup")(backup.backup)
app.command("restore")(backup.restore)


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
    workspace: Annotated[
        str | None,
        typer.Option(
            "--workspace",
            metavar="NAME_OR_ID",
            envvar="TOPOFMIND_WORKSPACE",
            help="The workspace to work in, by name or id (see `topofmind workspace list`). "
            "Default: your own search, never the demo.",
        ),
    ] = None,
    user: Annotated[
        str | None,
        typer.Option(
            "--user",
            metavar="USERNAME",
            envvar="TOPOFMIND_USER",
            help="Act as this account (logs touches in their name, reads the agenda in their zone). "
            "Default: the only account; with several, the workspace's owner.",
        ),
    ] = None,
) -> None:
    if db is not None:
        os.environ["TOPOFMIND_DATABASE_URL"] = db
    common.choose(workspace=workspace, user=user)  # set on every run, so one run's choice never leaks
