"""What every command needs before it calls a service: Django started, the wall clock, the
current workspace and its time zone, ``--at`` moments read in that zone, and the arguments
that name people (``--with NAME``, ``--person NAME:ROLE``), files and cleared values.

Django and the store are imported inside the functions, so ``topofmind --help`` starts fast.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from topofmind.crm.errors import Invalid, TopofmindError

if TYPE_CHECKING:
    from topofmind.crm.models import Workspace
    from topofmind.engine.types import Role


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


def now() -> datetime:
    from django.utils import timezone

    return timezone.now()


def workspace() -> Workspace:
    """The personal install's workspace (made on first use), as every command uses."""
    setup_django()
    from topofmind.crm.queries.workspace import first_workspace

    found = first_workspace()
    if found is not None:
        return found  # the read model: a command that only reads never imports the services
    from topofmind.crm import services

    return services.get_or_create_default_workspace(now=now())


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
