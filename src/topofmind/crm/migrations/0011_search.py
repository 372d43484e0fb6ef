"""Full-text search over people, organizations, openings and touch notes (issue 11).

SQLite: one FTS5 table per searched table, with the trigram tokenizer (a word matches anywhere
inside a name, as PostgreSQL's ILIKE does), kept in step by triggers, so every writer - the
services, the bulk import, restore, the benchmark's builder - keeps it right without knowing
about it. PostgreSQL: pg_trgm GIN indexes on the same text, which ILIKE uses; nothing to sync.

The searched text of each table is written out here and in crm/queries/search.py; the
search test on PostgreSQL checks the index is used, so the two cannot drift apart unseen.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations

# table -> the columns searched (all NOT NULL text)
SEARCHED = {
    "crm_person": ("name", "title", "notes", "how_met", "interests"),
    "crm_organization": ("name", "industry", "notes", "tags"),
    "crm_opportunity": ("title", "source", "notes"),
    "crm_interaction": ("summary", "points", "notes"),
}

# table -> its name column (short words look at names starting with them)
NAMES = {"crm_person": "name", "crm_organization": "name", "crm_opportunity": "title"}


def _sqlite_forward() -> list[str]:
    out: list[str] = []
    for table, cols in SEARCHED.items():
        fts = f"{table}_fts"
        listed = ", ".join(cols)
        new = ", ".join(f"new.{c}" for c in cols)
        old = ", ".join(f"old.{c}" for c in cols)
        out += [
            f"CREATE VIRTUAL TABLE {fts} USING fts5({listed}, content='{table}', content_rowid='id', "
            "tokenize='trigram')",
            f"INSERT INTO {fts}({fts}) VALUES ('rebuild')",
            f"CREATE TRIGGER {table}_fts_ai AFTER INSERT ON {table} BEGIN "
            f"INSERT INTO {fts}(rowid, {listed}) VALUES (new.id, {new}); END",
            f"CREATE TRIGGER {table}_fts_ad AFTER DELETE ON {table} BEGIN "
            f"INSERT INTO {fts}({fts}, rowid, {listed}) VALUES ('delete', old.id, {old}); END",
            f"CREATE TRIGGER {table}_fts_au AFTER UPDATE OF {listed} ON {table} BEGIN "
            f"INSERT INTO {fts}({fts}, rowid, {listed}) VALUES ('delete', old.id, {old}); "
            f"INSERT INTO {fts}(rowid, {listed}) VALUES (new.id, {new}); END",
        ]
    return out


def _sqlite_backward() -> list[str]:
    out: list[str] = []
    for table in SEARCHED:
        out += [f"DROP TRIGGER IF EXISTS {table}_fts_{t}" for t in ("ai", "ad", "au")]
        out.append(f"DROP TABLE IF EXISTS {table}_fts")
    return out


def _pg_text(cols: tuple[str, ...]) -> str:
    return "(" + " || ' ' || ".join(cols) + ")"


def _pg_forward() -> list[str]:
    out = ["CREATE EXTENSION IF NOT EXISTS pg_trgm"]
    for table, cols in SEARCHED.items():
        out.append(
            f"CREATE INDEX IF NOT EXISTS {table}_search ON {table} USING gin ({_pg_text(cols)} gin_trgm_ops)"
            " WITH (gin_pending_list_limit = 256)"
        )
    # a word of one or two letters looks at names starting with it: a trigram index cannot
    for table, column in NAMES.items():
        out.append(f"CREATE INDEX IF NOT EXISTS {table}_name_prefix ON {table} (lower({column}) text_pattern_ops)")
    return out


def _pg_backward() -> list[str]:
    return [f"DROP INDEX IF EXISTS {table}_search" for table in SEARCHED] + [
        f"DROP INDEX IF EXISTS {table}_name_prefix" for table in NAMES
    ]


def forward(apps: Any, schema_editor: Any) -> None:
    vendor = schema_editor.connection.vendor
    statements = _sqlite_forward() if vendor == "sqlite" else _pg_forward() if vendor == "postgresql" else []
    for sql in statements:
        schema_editor.execute(sql)


def backward(apps: Any, schema_editor: Any) -> None:
    vendor = schema_editor.connection.vendor
    statements = _sqlite_backward() if vendor == "sqlite" else _pg_backward() if vendor == "postgresql" else []
    for sql in statements:
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("crm", "0010_everyday")]

    operations = [migrations.RunPython(forward, backward, elidable=False)]
