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
from importlib import import_module
from pathlib import Path
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from topofmind.cli import common, render
from topofmind.cli.lean import install as _lean_typer
from topofmind.crm.errors import Invalid, TopofmindError

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


def _new_app() -> typer.Typer:
    return typer.Typer(
        cls=_OneLineErrors,
        name="topofmind",
        help="Stay top-of-mind with hiring managers, politely: whom to contact today, how, why now, what to say.",
        no_args_is_help=True,
        add_completion=False,
        pretty_exceptions_enable=False,
        rich_markup_mode=None,
    )


# Typer lists commands in the order they are added, then the groups in theirs. Each is named
# by its module (in topofmind.cli) and attribute, imported when the command line needs it.
_GROUPS: tuple[tuple[str, str], ...] = (
    ("config", "config:config_app"),
    ("org", "organizations:org_app"),
    ("person", "people:person_app"),
    ("opp", "opportunities:opp_app"),
    ("touch", "touches:touch_app"),
    ("value", "value:value_app"),
    ("feed", "value:feed_app"),
    ("feeds", "value:feeds_app"),
    ("plan", "config:plan_app"),
    ("import", "imports:import_app"),
    ("workspace", "workspaces:workspace_app"),
    ("user", "users:user_app"),
    ("token", "tokens:token_app"),
    ("export", "exports:export_app"),
    ("mail", "mail:mail_app"),
)
_COMMANDS: tuple[tuple[str, str], ...] = (
    ("migrate", "server:migrate"),
    ("serve", "server:serve"),
    ("worker", "mail:worker"),
    ("stop", "people:stop"),
    ("resume", "people:resume"),
    ("log", "touches:log"),
    ("today", "agenda:today"),
    ("search", "search:search"),
    ("done", "agenda:done"),
    ("snooze", "agenda:snooze"),
    ("skip", "agenda:skip"),
    ("undo", "agenda:undo"),
    ("send", "mail:send"),
    ("backup", "backup:backup"),
    ("restore", "backup:restore"),
)
_ROOT_OPTIONS = ("--db", "--workspace", "--user")  # each takes a value


def _load(where: str) -> Any:
    module, _, attribute = where.partition(":")
    return getattr(import_module(f"topofmind.cli.{module}"), attribute)


def _build(only: str | None = None) -> typer.Typer:
    """The command line; with ``only``, just that command or group under the root options."""
    built = _new_app()
    for name, group in _GROUPS:
        if only in (None, name):
            built.add_typer(_load(group), name=name)
    for name, command in _COMMANDS:
        if only in (None, name):
            built.command(name)(_load(command))
    built.callback()(_root)
    return built


def _invoked(args: Sequence[str]) -> str | None:
    """The command or group a command line names, past the root options; None for anything
    else (``--help``, an unknown option, no command): the whole app answers those."""
    waiting = False
    for arg in args:
        if waiting:
            waiting = False
        elif arg in _ROOT_OPTIONS:
            waiting = True
        elif arg.startswith("-"):
            if arg.partition("=")[0] not in _ROOT_OPTIONS:
                return None
        else:
            known = any(arg == name for name, _ in (*_GROUPS, *_COMMANDS))
            return arg if known else None
    return None


def main() -> None:
    """Console-script entry point. Typer turns every function of an app into a click command
    before it reads the command line (a few tens of ms for all of them), so a command line that
    names a command gets an app of just that command (and imports just its module): the same
    options, help and errors. A read-only command ends the process itself (``common.leave``)."""
    code = _build(_invoked(sys.argv[1:]))(standalone_mode=False)
    common.leave(code if isinstance(code, int) else 0)


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
        if "://" not in db:
            # Say so in terms of the option the user typed, not the variable it is passed on in.
            folder = Path(db).expanduser().parent
            if not folder.is_dir():
                raise Invalid(
                    "--db", f"the folder {folder} does not exist", f"create it first (mkdir -p {folder}) or give another path"
                )
        os.environ["TOPOFMIND_DATABASE_URL"] = db
    common.choose(workspace=workspace, user=user)  # set on every run, so one run's choice never leaks


app: typer.Typer  # (declared for the type checker; made by __getattr__ below)


def __getattr__(name: str) -> Any:
    """``app``: every command (what `topofmind --help` lists, and what the tests drive), built on
    first use."""
    if name == "app":
        built = globals()["app"] = _build()
        return built
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
