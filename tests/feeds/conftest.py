"""Fixtures for the feed, page and fetcher tests: a real site on loopback, and a record of
every connection the process makes.

``connections`` lists the addresses connected to during the test, from Python's own audit
events ("socket.connect"), so a test can show the fetcher refused *before* connecting.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

# The helper module sits next to this file; the suite's import mode does not put it on the path.
sys.path.insert(0, str(Path(__file__).resolve().parent))

from feedsite import Site, running_site


def _audit(event: str, args: tuple[Any, ...]) -> None:
    if event == "socket.connect" and _recording is not None:
        address = args[1]
        if isinstance(address, tuple):
            _recording.append(str(address[0]))


_recording: list[str] | None = None
_hook_installed = False


@pytest.fixture
def connections() -> Iterator[list[str]]:
    """Addresses this process connects to during the test (audit hooks cannot be removed,
    so one hook is installed once and switched on per test)."""
    global _recording, _hook_installed
    if not _hook_installed:
        sys.addaudithook(_audit)
        _hook_installed = True
    _recording = []
    try:
        yield _recording
    finally:
        _recording = None


@pytest.fixture
def site() -> Iterator[Site]:
    with running_site() as started:
        yield started
