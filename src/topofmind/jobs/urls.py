"""Reading TOPOFMIND_QUEUE_URL: where the queue lives, or one clear sentence about what is wrong."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import SplitResult, urlsplit

from topofmind.jobs.errors import QueueError

SETTING = "TOPOFMIND_QUEUE_URL"
_EXAMPLES = "sqlite:////path/to/queue.db, a plain file path, or redis://host:6379/0"


@dataclass(frozen=True)
class SqliteTarget:
    """A queue in one SQLite file: the laptop set-up, no server to run."""

    path: Path


@dataclass(frozen=True)
class RedisTarget:
    """A queue on a Redis server: the team set-up, shared by every web process and worker."""

    url: str
    host: str
    port: int
    db: int

    @property
    def shown(self) -> str:
        """The address without any password, fit for a message or a log line."""
        return f"redis://{self.host}:{self.port}/{self.db}"


QueueTarget = SqliteTarget | RedisTarget


def parse_queue_url(url: str) -> QueueTarget:
    """Turn the setting's text into a target, refusing anything we would only fail on later."""
    text = url.strip()
    if not text:
        raise QueueError(f"{SETTING} is empty: set it to {_EXAMPLES}.")
    if "://" not in text:
        return _sqlite_file(text)
    try:
        parts = urlsplit(text)
    except ValueError as exc:  # say, an unclosed "[" taken for an IPv6 address
        raise QueueError(f"{SETTING} cannot be read as an address ({exc}): use {_EXAMPLES}.") from None
    scheme = parts.scheme.lower()
    if scheme == "sqlite":
        # As dj-database-url reads DATABASE_URL: sqlite:///relative.db, sqlite:////absolute.db.
        if not parts.path[1:]:
            raise QueueError(f"{SETTING} names no file after “sqlite://”: write it as sqlite:////path/to/queue.db.")
        return _sqlite_file(parts.path[1:])
    if scheme in ("redis", "rediss"):
        return _redis_server(text, parts)
    raise QueueError(f"{SETTING} starts with “{parts.scheme}://”, which the queue does not know: use {_EXAMPLES}.")


def _sqlite_file(raw: str) -> SqliteTarget:
    try:
        path = Path(raw).expanduser()
        is_folder, parent_exists = path.is_dir(), path.parent.is_dir()
    except (ValueError, OSError, RuntimeError) as exc:  # a NUL character, a name too long, ~nobody
        raise QueueError(f"{SETTING} names a file this system cannot use ({exc}).") from None
    if is_folder:
        raise QueueError(
            f"{SETTING} points to the folder {path}; it must name a file inside it, such as {path / 'queue.db'}."
        )
    if not parent_exists:
        raise QueueError(f"{SETTING} points to {path}, but the folder {path.parent} does not exist.")
    return SqliteTarget(path=path)


def _redis_server(text: str, parts: SplitResult) -> RedisTarget:
    if not parts.hostname:
        raise QueueError(f"{SETTING} names no Redis host: write it as redis://host:6379/0.")
    try:
        port = parts.port or 6379
    except ValueError:
        raw = parts.netloc.rpartition(":")[2]
        raise QueueError(f"{SETTING} has the port “{raw}”, which is not a number between 1 and 65535.") from None
    db_text = parts.path.strip("/") or "0"
    if not db_text.isdigit():
        raise QueueError(f"{SETTING} ends in “/{db_text}”: the Redis database must be a number, such as /0.")
    return RedisTarget(url=text, host=parts.hostname, port=port, db=int(db_text))
