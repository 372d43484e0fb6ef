"""Databases for benchmarks: a fresh, uniquely named one per run, dropped by the run that made it.

PostgreSQL databases are created with ``CREATE DATABASE`` on the server at
``TOPOFMIND_BENCH_PG`` (default ``postgresql://postgres@127.0.0.1:5432``); SQLite databases
are files under ``TOPOFMIND_BENCH_DIR`` (default ``/tmp/topofmind-bench``). Names carry the
process id and a random suffix so concurrent runs never share (or drop) each other's data.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

PG_SERVER = os.environ.get("TOPOFMIND_BENCH_PG", "postgresql://postgres@127.0.0.1:5432")
BENCH_DIR = Path(os.environ.get("TOPOFMIND_BENCH_DIR", "/tmp/topofmind-bench"))
PREFIX = "topofmind_bench_"


def unique_name(label: str) -> str:
    clean = "".join(c if c.isalnum() else "_" for c in label.lower())
    return f"{PREFIX}{clean}_{os.getpid()}_{secrets.token_hex(3)}"


def new_database(kind: str, label: str) -> str:
    """A URL (PostgreSQL) or a file path (SQLite) for a brand-new, empty database."""
    name = unique_name(label)
    if kind == "sqlite":
        BENCH_DIR.mkdir(parents=True, exist_ok=True)
        return str(BENCH_DIR / f"{name}.sqlite3")
    if kind == "postgresql":
        create_postgres(name)
        return f"{PG_SERVER.rstrip('/')}/{name}"
    raise ValueError(f"unknown database kind {kind!r} (sqlite or postgresql)")


def kind_of(url: str) -> str:
    return "postgresql" if url.startswith(("postgres://", "postgresql://")) else "sqlite"


def _admin_connect():  # type: ignore[no-untyped-def]
    import psycopg

    parts = urlsplit(PG_SERVER)
    return psycopg.connect(urlunsplit((parts.scheme, parts.netloc, "/postgres", "", "")), autocommit=True)


def create_postgres(name: str) -> None:
    with _admin_connect() as conn:
        conn.execute(f'CREATE DATABASE "{name}"')


def ensure_postgres(url: str) -> None:
    """Create the database a URL names if it does not exist yet (never touches an existing one)."""
    name = urlsplit(url).path.lstrip("/")
    with _admin_connect() as conn:
        found = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
        if not found:
            conn.execute(f'CREATE DATABASE "{name}"')


def drop_database(url: str) -> None:
    """Drop a database this process made (only names with the bench prefix, as a safety net)."""
    if kind_of(url) == "sqlite":
        path = Path(url)
        if path.name.startswith(PREFIX):
            for suffix in ("", "-wal", "-shm", "-journal"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
        return
    name = urlsplit(url).path.lstrip("/")
    if not name.startswith(PREFIX):
        raise ValueError(f"refusing to drop {name!r}: not a benchmark database")
    with _admin_connect() as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
