"""Migrations on first use: a cheap check, and ``migrate`` only when something is missing."""

from __future__ import annotations

import re
from collections.abc import Iterable
from importlib.util import find_spec
from pathlib import Path

from django.apps import apps
from django.db import DatabaseError, connection

_MIGRATION_FILE = re.compile(r"^(\d{4}_\w+)\.py$")


def _migration_folders(app_names: Iterable[str] | None) -> list[tuple[str, Path]]:
    """(label, migrations folder) of each app: from the app registry, or - before it is populated, so that a
    command can load only some apps' models - from the installed app names alone (their
    folder found without importing the app; the label is the name's last part,
    as for every app we install: ``tests/integration/test_cli_start.py`` holds both lists equal)."""
    if app_names is None:
        return [(config.label, Path(config.path) / "migrations") for config in apps.get_app_configs()]
    found = []
    for name in app_names:
        spec = find_spec(name)  # imports the parent package (``django.contrib``), not the app
        if spec is not None and spec.submodule_search_locations:
            found.append((name.rpartition(".")[2], Path(next(iter(spec.submodule_search_locations))) / "migrations"))
    return found


def migrations_on_disk(app_names: Iterable[str] | None = None) -> set[tuple[str, str]]:
    """(app label, migration name) for every migration file the installed apps ship (``app_names``:
    those apps, read before the app registry is populated)."""
    found: set[tuple[str, str]] = set()
    for label, folder in _migration_folders(app_names):
        if not folder.is_dir():
            continue
        for entry in folder.iterdir():
            match = _MIGRATION_FILE.match(entry.name)
            if match:
                found.add((label, match.group(1)))
    return found


def unapplied_migrations(app_names: Iterable[str] | None = None) -> set[tuple[str, str]]:
    """What ``migrate`` would still apply; one query, no migration module imported."""
    wanted = migrations_on_disk(app_names)
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT app, name FROM django_migrations")
            applied = {(app, name) for app, name in cursor.fetchall()}
    except DatabaseError:
        # No django_migrations table yet: a new database. (PostgreSQL needs the failed
        # statement's transaction cleared; outside atomic blocks there is none.)
        return wanted
    return wanted - applied


def ensure_migrated() -> bool:
    """Apply missing migrations; True when something was applied."""
    if not unapplied_migrations():
        return False
    from django.core.management import call_command  # the migration machinery, only when needed

    call_command("migrate", interactive=False, verbosity=0)
    return True
