"""Multi-row INSERTs for the import's new rows: bulk_create is too slow for a 50k-row export."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import connection, models


def insert_rows(model: type[models.Model], rows: list[dict[str, Any]], *, returning: bool = False) -> list[int]:
    """Insert rows (dicts by attribute name; missing columns take their defaults) in batches.

    ``bulk_create`` spends most of its time building model instances and compiling SQL;
    an export of 50,000 connections makes 150,000 rows, so we write the INSERTs ourselves,
    with ``RETURNING id`` when the new ids are needed (in the order given, as Django's
    bulk_create relies on too): on PostgreSQL one array per column (``unnest``), which keeps
    the statement short (a long one is parsed again by psycopg on every call); on SQLite
    (>= 3.35) multi-row VALUES.
    """
    if not rows:
        return []
    pk = model._meta.pk
    assert pk is not None
    columns = [f for f in model._meta.concrete_fields if not f.primary_key]
    missing = object()
    getters = [(f.attname, f.get_default() if f.attname not in rows[0] else missing, _adapter(f)) for f in columns]
    quote = connection.ops.quote_name
    names = ", ".join(quote(str(f.column)) for f in columns)
    head = f"INSERT INTO {quote(model._meta.db_table)} ({names}) "
    tail = f" RETURNING {quote(str(pk.column))}" if returning else ""
    postgres = connection.vendor == "postgresql"
    if postgres:
        arrays = ", ".join(f"%s::{f.db_type(connection)}[]" for f in columns)
        sql = f"{head}SELECT * FROM unnest({arrays}){tail}"
        size = 5000
    else:
        one = "(" + ", ".join(["%s"] * len(columns)) + ")"
        size = max(1, min(500, 30000 // len(columns)))  # SQLite allows 32766 parameters
    ids: list[int] = []
    with connection.cursor() as cursor:
        for start in range(0, len(rows), size):
            batch = rows[start : start + size]
            values: list[list[Any]] = []
            for row in batch:
                row_values = []
                for name, default, adapt in getters:
                    value = row[name] if default is missing else row.get(name, default)
                    row_values.append(value if adapt is None else adapt(value))
                values.append(row_values)
            if postgres:
                cursor.execute(sql, [list(column) for column in zip(*values, strict=True)])
            else:
                flat = [value for row_values in values for value in row_values]
                cursor.execute(f"{head}VALUES " + ", ".join([one] * len(batch)) + tail, flat)
            if returning:
                ids.extend(r[0] for r in cursor.fetchall())
    return ids


def _adapter(f: models.Field[Any, Any]) -> Callable[[Any], Any] | None:
    """How a value of this column goes to the database driver (None: as it is)."""
    kind = f.get_internal_type()
    ops = connection.ops
    if kind in ("DateTimeField", "DateField"):
        convert = ops.adapt_datetimefield_value if kind == "DateTimeField" else ops.adapt_datefield_value
        memo: dict[Any, Any] = {}  # an import writes a few distinct moments many times

        def adapt(value: Any) -> Any:
            if value is None:
                return None
            if value not in memo:
                memo[value] = convert(value)
            return memo[value]

        return adapt
    if kind in ("JSONField", "BinaryField", "DecimalField", "UUIDField", "DurationField", "TimeField"):
        raise TypeError(f"insert_rows does not write {kind} ({f})")  # none in the tables it writes
    return None
