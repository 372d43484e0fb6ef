"""Defaults for the fetcher, and how a size reads in a sentence."""

from __future__ import annotations

MB = 1024 * 1024
DEFAULT_TIMEOUT = 10.0
DEFAULT_MAX_BYTES = 5 * MB
DEFAULT_MAX_REDIRECTS = 5
# Names the product and says what it does, so a site owner who sees it in a log knows whom it is.
USER_AGENT = "topofmind/0.1 (follow-up assistant; fetches feeds and article pages a user asked for)"


def describe_size(size: int) -> str:
    """``5 MB``, ``512 KB`` or ``300 bytes``: the way a limit is named in messages."""
    if size >= MB:
        return f"{size / MB:.3g} MB"
    if size >= 1024:
        return f"{size / 1024:.3g} KB"
    return f"{size} bytes"
