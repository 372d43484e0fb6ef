"""What every command needs before it calls a service: Django started, the wall clock, the
current workspace and its time zone, ``--at`` moments read in that zone, and the arguments
that name people (``--with NAME``, ``--person NAME:ROLE``), files and cleared values.

Django and the store are imported inside the functions, so ``topofmind --help`` starts fast.
"""

from __future__ import annotations

import gc
import os
import sys
import warnings
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from topofmind.crm.errors import Invalid, TopofmindError

if TYPE_CHECKING:
    from topofmind.crm.models import Workspace
    from topofmind.engine.types import Role

# The apps whose models a read-only command reads: the store, and the accounts it points at
# (auth's permissions point at contenttypes). Sessions, messages, static files, htmx, the sign-in
# throttle and the web app are the web's; a command that writes loads them all, so that a
# delete cascades into every table that points at the row.
READING_APPS = ("django.contrib.auth", "django.contrib.contenttypes", "topofmind.crm")

# How this process started: is the collector paused (``pause_collector``), does the running
# command only read (``reading``)?
_start = {"collector_paused": False, "reading": False}


def pause_collector() -> None:
    """Pause the cyclic garbage collector for the start-up. Importing Typer, Django and the models
    makes hundreds of thousands of objects that live as long as the process, and the collector
    would walk them again and again (about a tenth of ``topofmind today``'s CPU time)."""
    if gc.isenabled():
        gc.disable()
        _start["collector_paused"] = True


def resume_collector() -> None:
    """Start-up done: what it made is set aside for good (``gc.freeze``), and the collector runs
    again for what the command makes (a long import, the server)."""
    if _start["collector_paused"]:
        _start["collector_paused"] = False
        gc.freeze()
        gc.enable()


def reading() -> None:
    """The running command changes nothing (but for a first workspace it may make): Django starts
    with the read model's apps only, and the process ends without the interpreter's teardown
    (``leave``)."""
    _start["reading"] = True


def setup_django() -> None:
    """Start Django and bring the database up to date (cheap when it already is)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "topofmind.settings")
    import django
    from django.apps import apps
    from django.core.exceptions import ImproperlyConfigured
    from django.db import DatabaseError

    from topofmind.crm.auto_migrate import ensure_migrated

    try:
        # A read-only command's lean start has checked every app's migrations already
        lean = not apps.ready and _start["reading"] and _start_reading()
        if not lean:
            if not apps.ready:
                django.setup()
            ensure_migrated()
    except ImproperlyConfigured as exc:
        raise TopofmindError(f"configuration: {exc}", "see docs/settings.md") from None
    except DatabaseError as exc:
        raise TopofmindError(
            f"cannot open the database: {exc}", "check --db or TOPOFMIND_DATABASE_URL (see docs/settings.md)"
        ) from None
    finally:
        resume_collector()


def _start_reading() -> bool:
    """Django for a read-only command, without the web's apps (nor ``django.setup``'s URL prefix):
    True when started; False when a migration is missing (checked before any model is loaded),
    since ``migrate`` needs every app."""
    from django.apps import apps
    from django.conf import settings
    from django.utils.module_loading import import_string

    from topofmind.crm.auto_migrate import unapplied_migrations

    if settings.LOGGING_CONFIG:
        # Our LOGGING, without Django's defaults under it: their handler that mails a web error
        # to the admins loads the debug error page (its views, templates and URL resolver:
        # ~70 ms), and their console handler speaks only with DEBUG on.
        import_string(settings.LOGGING_CONFIG)(settings.LOGGING)
    with warnings.catch_warnings():
        # Django warns of a query before the apps are ready (meant for queries in an app's
        # ready()); this one reads django_migrations alone, and decides which apps to load.
        warnings.filterwarnings("ignore", "Accessing the database during app initialization", RuntimeWarning)
        if unapplied_migrations(settings.INSTALLED_APPS):
            return False
    apps.populate([name for name in settings.INSTALLED_APPS if name in READING_APPS])
    return True


def leave(code: int) -> NoReturn:
    """End the process with ``code``. After a read-only command, with no other thread running,
    it skips the interpreter's teardown (freeing every object of Django and the models one by
    one: about a fifth of ``topofmind today``'s CPU time): the exit handlers run, the database
    connections close (SQLite checkpoints its log as it would), the output is flushed, and then
    the process ends at once. An error ends the usual way."""
    threading = sys.modules.get("threading")
    if code or not _start["reading"] or (threading is not None and threading.active_count() > 1):
        sys.exit(code)
    from django.db import connections

    connections.close_all()
    import atexit

    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe: what Python's own exit would report
            code = code or 120
    os._exit(code)


def now() -> datetime:
    from django.utils import timezone

    return timezone.now()


# The root options --workspace and --user (Typer already read TOPOFMIND_WORKSPACE / _USER).
_chosen: dict[str, str | None] = {}


def choose(*, workspace: str | None, user: str | None) -> None:
    _chosen["workspace"] = workspace
    _chosen["user"] = user


def _option(name: str) -> str:
    if name in _chosen:
        return (_chosen[name] or "").strip()
    return os.environ.get(f"TOPOFMIND_{name.upper()}", "").strip()


def workspace() -> Workspace:
    """The workspace a command works in: ``--workspace`` / TOPOFMIND_WORKSPACE (a name or an id,
    among the acting user's workspaces when ``--user`` is given); else the acting user's own
    search; else the install's own search (made on first use). Never the demo unless named."""
    setup_django()
    from topofmind.crm.models import Workspace
    from topofmind.crm.queries.workspace import find_workspace, first_workspace

    named = _option("workspace")
    user_id = named_user_id()
    if named:
        return find_workspace(named, user_id=user_id)
    # Read first; the writers (and everything they import) only when a workspace must be made,
    # so that read-only commands such as `today` never load the services.
    if user_id is not None:
        rows = Workspace.objects.filter(memberships__user_id=user_id)
        own = rows.filter(owner_id=user_id, is_demo=False).order_by("pk").first()
        found = own or rows.order_by("is_demo", "pk").first()
        if found is not None:
            return found
        from topofmind.crm import services

        return services.ensure_workspace(user=_user(user_id), now=now())
    existing = first_workspace()
    if existing is not None:
        return existing
    from topofmind.crm import services

    return services.get_or_create_default_workspace(now=now())


def named_user_id() -> int | None:
    """The account named by ``--user`` / TOPOFMIND_USER, if any (an unknown name is an error)."""
    name = _option("user")
    if not name:
        return None
    setup_django()
    from topofmind.crm import queries

    return queries.user_id_of(name)


def acting_user_id(workspace: Workspace) -> int | None:
    """Whom the CLI acts as (who logged a touch, whose name signs): ``--user`` if given; else
    the install's only account; else the workspace's owner."""
    named = named_user_id()
    if named is not None:
        return named
    from django.contrib.auth import get_user_model

    ids = list(get_user_model().objects.order_by("pk").values_list("pk", flat=True)[:2])
    if len(ids) == 1:
        return int(ids[0])
    return workspace.owner_id


def viewer(workspace: Workspace) -> Any:
    """The acting user as the agenda reads them (their zone, holidays and name); None = the workspace's."""
    from topofmind.crm import queries

    user_id = acting_user_id(workspace)
    return queries.viewer_of(user_id, workspace) if user_id is not None else None


def _user(user_id: int) -> Any:
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(pk=user_id)


def tz(workspace: Workspace) -> str:
    from topofmind.crm.planning.snapshot import settings_of

    return settings_of(workspace).timezone or "UTC"


def moment(text: str | None, *, field: str, workspace: Workspace) -> datetime:
    """A DATETIME option: ISO-ish, in the user's zone unless it carries an offset; default now."""
    from topofmind.crm.validation import parse_datetime

    current = now()
    if text is None:
        return current
    return parse_datetime(text, field=field, tz=tz(workspace), now=current)


def fail(field: str, message: str, hint: str = "") -> NoReturn:
    raise Invalid(field, message, hint)


def cleared(text: str) -> bool:
    return text.strip().lower() in ("", "none", "-")


def given(**options: Any) -> dict[str, Any]:
    """The options the user gave (Typer's None = not given)."""
    return {key: value for key, value in options.items() if value is not None}


def person_ids(workspace: Workspace, names: Sequence[str]) -> list[int]:
    from topofmind.crm.queries.lookup import find_person

    return [find_person(workspace=workspace, name=name).pk for name in names]


def parts(workspace: Workspace, specs: Sequence[str]) -> list[tuple[int, Role | None]]:
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
            fail("--person", f'"{spec}" names nobody', 'use NAME:ROLE, e.g. "Dana Lee:hiring_manager"')
        role = parse_choice(Role, role_text, field="--person") if role_text.strip() else None
        out.append((find_person(workspace=workspace, name=name).pk, role))
    return out


def readable_file(file: Path) -> None:
    """A FILE argument that exists, is a file and can be read, or a one-line error."""
    if not file.exists():
        raise Invalid("FILE", f"{file} does not exist", "check the path")
    if file.is_dir():
        raise Invalid("FILE", f"{file} is a folder", "name the file inside it")
    if not os.access(file, os.R_OK):
        raise Invalid("FILE", f"{file} cannot be read", "check its permissions")
