from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate


class CrmConfig(AppConfig):
    name = "topofmind.crm"
    label = "crm"
    verbose_name = "topofmind store"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        post_migrate.connect(_mend_search_index, sender=self)


def _mend_search_index(sender: Any, using: str = "default", **kwargs: Any) -> None:
    """A migration that rebuilt a searched SQLite table dropped its triggers: make them again."""
    from django.db import connections

    from topofmind.crm.search_index import restore_sqlite_triggers

    restore_sqlite_triggers(connections[using])
