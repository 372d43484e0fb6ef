"""Migrations on first use: a cheap check, and ``migrate`` only when something is missing."""

from __future__ import annotations

import re
from pathlib import Path

from django.apps import apps
from django.db import DatabaseError, connection

_MIGRATION_FILE = re.compile(r"^(\d{4}_\w+)\.py$")


def migrations_on_disk() -> set[tuple[str, str]]:
    """(app label, migration name) for every migration file the installed apps ship."""
    found: set[tuple[str, str]] = set()
    for config in apps.get_app_configs():
        folder = Path(config.path) / "migrations"
        if not folder.is_dir():
            continue
        for entry in folder.iterdir():
            match = _MIGRATION_FILE.match(entry.name)
            if match:
                found.add((config.label, match.group(1)))
    return found


def unapplied_migrations() -> set[tuple[str, str]]:
    """What ``migrate`` would still apply; one query, no migration module imported."""
    wanted = migrations_on_disk()
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
