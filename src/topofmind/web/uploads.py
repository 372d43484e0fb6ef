"""Files waiting between an import's preview and its confirmation.

The Import page reads the file once for the preview (a dry run) and keeps it here, under a
random token, so "Import" imports exactly the file previewed without asking for it again.
Each file is written to a temporary name and renamed (never seen half-written), readable by
the server's user only, and removed once imported, cancelled or an hour old. The token alone
finds nothing: the session that previewed holds it beside the workspace, user and kind.
"""

from __future__ import annotations

import os
import re
import secrets
from pathlib import Path

from django.conf import settings

KEEP_SECONDS = 3600
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{32}$")


def _folder() -> Path:
    path = Path(settings.TOPOFMIND_UPLOADS_DIR)
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


def _path(token: str) -> Path | None:
    return _folder() / f"{token}.upload" if _TOKEN.match(token) else None


def keep(data: bytes) -> str:
    """Keep ``data``; returns its token. Files left an hour before it go on the way (the
    session that previewed a file says how old it is; the folder's clock clears the forgotten)."""
    folder = _folder()
    token = secrets.token_urlsafe(24)
    final = folder / f"{token}.upload"
    partial = folder / f".{token}.partial"
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as out:
        out.write(data)
    os.replace(partial, final)
    written = final.stat().st_mtime
    for old in folder.glob("*.upload"):
        try:
            if written - old.stat().st_mtime > KEEP_SECONDS:
                old.unlink()
        except OSError:
            continue  # another process got there first
    return token


def read(token: str) -> bytes | None:
    """The kept file, or None when it is gone (imported, cancelled, cleared) or never was."""
    path = _path(token)
    if path is None:
        return None
    try:
        return path.read_bytes()
    except OSError:
        return None


def drop(token: str) -> None:
    path = _path(token)
    if path is not None:
        path.unlink(missing_ok=True)
