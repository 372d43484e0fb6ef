"""Bulk INSERTs for the import's new rows: bulk_create is too slow for a 50k-row export.

PostgreSQL gets ``COPY ... FROM STDIN`` (psycopg's ``cursor.copy``): rows stream to the server
in one command, with no SQL to parse and no parameters to bind per row; the ids, when the
caller needs them, are taken from the table's sequence first and written with the rows.
SQLite gets multi-row ``INSERT ... VALUES`` (it has no COPY; the statements never leave the
process).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import connection, models

_MISSING = object()  # "this row names the column": no default needed


def insert_rows(model: type[models.Model], rows: list[dict[str, Any]], *, returning: bool = False) -> list[int]:
    """Insert rows (dicts by attribute name; missing columns take their defaults) in batches.

    ``bulk_create`` spends most of its time building model instances and compiling SQL;
    an export of 50,000 connections makes 150,000 rows, so we write the INSERTs ourselves,
    returning the new ids when asked (in the order given, as Django's bulk_create relies on
    too): on SQLite (>= 3.35) multi-row VALUES with ``RETURNING id``; on PostgreSQL one COPY.
    """
    if not rows:
        return []
    pk = model._meta.pk
    assert pk is not None
    columns = [f for f in model._meta.concrete_fields if not f.primary_key]
    getters = [(f.attname, f.get_default() if f.attname not in rows[0] else _MISSING, _adapter(f)) for f in columns]
    quote = connection.ops.quote_name
    names = ", ".join(quote(str(f.column)) for f in columns)
    head = f"INSERT INTO {quote(model._meta.db_table)} ({names}) "
    tail = f" RETURNING {quote(str(pk.column))}" if returning else ""
    if connection.vendor == "postgresql":
        return _copy_rows(model, columns, getters, rows, returning=returning)
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
                    value = row[name] if default is _MISSING else row.get(name, default)
                    row_values.append(value if adapt is None else adapt(value))
                values.append(row_values)
            flat = [value for row_values in values for value in row_values]
            cursor.execute(f"{head}VALUES " + ", ".join([one] * len(batch)) + tail, flat)
            if returning:
                ids.extend(r[0] for r in cursor.fetchall())
    return ids


def _copy_rows(
    model: type[models.Model],
    columns: list[models.Field[Any, Any]],
    getters: list[tuple[str, Any, Callable[[Any], Any] | None]],
    rows: list[dict[str, Any]],
    *,
    returning: bool,
) -> list[int]:
    """PostgreSQL: the rows through one COPY; their ids (in the order given) drawn from the
    table's sequence beforehand when ``returning``, so COPY (which returns nothing) can write them."""
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    pk = model._meta.pk
    assert pk is not None
    names = [quote(str(f.column)) for f in columns]
    ids: list[int] = []
    with connection.cursor() as cursor:
        if returning:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s) ORDER BY 1",
                [model._meta.db_table, str(pk.column), len(rows)],
            )
            ids = [int(r[0]) for r in cursor.fetchall()]
            names.insert(0, quote(str(pk.column)))
        raw = cursor.cursor  # psycopg's own cursor, in the same transaction
        with raw.copy(f"COPY {table} ({', '.join(names)}) FROM STDIN") as copy:
            for n, row in enumerate(rows):
                values = [ids[n]] if returning else []
                for name, default, adapt in getters:
                    value = row[name] if default is _MISSING else row.get(name, default)
                    values.append(value if adapt is None else adapt(value))
                copy.write_row(values)
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
