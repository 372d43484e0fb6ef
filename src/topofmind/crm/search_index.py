"""The full-text index's shape, and keeping SQLite's in step after any migration.

Migration 0011_search made the indexes (its own frozen copy of this shape). On SQLite they are
FTS5 tables kept by triggers, and a later migration that makes Django rebuild a searched table
(SQLite cannot alter a column in place: the table is copied, dropped and renamed) drops that
table's triggers with it. So after every ``migrate`` (the ``post_migrate`` signal,
crm/apps.py) the triggers that are missing are made again and their table's index rebuilt
from the rows: search never goes stale behind a schema change.
"""

from __future__ import annotations

from typing import Any

# table -> the columns searched (all NOT NULL text), in the order the indexes hold them
SEARCHED: dict[str, tuple[str, ...]] = {
    "crm_person": ("name", "title", "notes", "how_met", "interests"),
    "crm_organization": ("name", "industry", "notes", "tags"),
    "crm_opportunity": ("title", "source", "notes"),
    "crm_interaction": ("summary", "points", "notes"),
}


def sqlite_triggers(table: str) -> dict[str, str]:
    """The three triggers that keep ``table``'s FTS5 table in step, by name."""
    cols = SEARCHED[table]
    fts = f"{table}_fts"
    listed = ", ".join(cols)
    new = ", ".join(f"new.{c}" for c in cols)
    old = ", ".join(f"old.{c}" for c in cols)
    return {
        f"{table}_fts_ai": f"CREATE TRIGGER IF NOT EXISTS {table}_fts_ai AFTER INSERT ON {table} BEGIN "
        f"INSERT INTO {fts}(rowid, {listed}) VALUES (new.id, {new}); END",
        f"{table}_fts_ad": f"CREATE TRIGGER IF NOT EXISTS {table}_fts_ad AFTER DELETE ON {table} BEGIN "
        f"INSERT INTO {fts}({fts}, rowid, {listed}) VALUES ('delete', old.id, {old}); END",
        f"{table}_fts_au": f"CREATE TRIGGER IF NOT EXISTS {table}_fts_au AFTER UPDATE OF {listed} ON {table} BEGIN "
        f"INSERT INTO {fts}({fts}, rowid, {listed}) VALUES ('delete', old.id, {old}); "
        f"INSERT INTO {fts}(rowid, {listed}) VALUES (new.id, {new}); END",
    }


def restore_sqlite_triggers(connection: Any) -> list[str]:
    """Make the missing triggers again and rebuild those tables' indexes; returns the tables
    mended. Nothing on PostgreSQL (its trigram indexes need no triggers) or before 0011."""
    if connection.vendor != "sqlite":
        return []
    with connection.cursor() as cursor:
        cursor.execute("SELECT type, name FROM sqlite_master WHERE type IN ('table', 'trigger')")
        present = {(kind, name) for kind, name in cursor.fetchall()}
        mended = []
        for table in SEARCHED:
            if ("table", f"{table}_fts") not in present or ("table", table) not in present:
                continue  # 0011_search is not applied (yet, or any more)
            triggers = sqlite_triggers(table)
            if all(("trigger", name) in present for name in triggers):
                continue
            for sql in triggers.values():
                cursor.execute(sql)
            cursor.execute(f"INSERT INTO {table}_fts({table}_fts) VALUES ('rebuild')")
            mended.append(table)
    return mended
