"""Shared by the value library tests: the loopback feed site, and a fresh materials folder with
loopback fetching allowed (the site is on 127.0.0.1, which the fetcher refuses by default)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytest_django.fixtures import Settings
from tests.feeds.feedsite import Site, running_site


@pytest.fixture
def site() -> Iterator[Site]:
    with running_site() as started:
        yield started


@pytest.fixture
def library_dirs(settings: Settings, tmp_path: Path) -> Path:
    """Materials under a fresh data directory (returned); loopback feeds and pages allowed."""
    settings.MATERIALS_DIR = tmp_path / "materials"
    settings.FETCH_PRIVATE_ADDRESSES = True
    return tmp_path / "materials"
