"""Shared test set-up: hypothesis profiles, and the alice / bob / charlie workspaces.

Hypothesis: ``CI=true`` selects the "ci" profile (fewer examples, derandomized, no
deadline) so CI stays fast and repeatable; elsewhere "dev" (or HYPOTHESIS_PROFILE).
"""

from __future__ import annotations

import os
from datetime import UTC, datetime

import pytest
from hypothesis import HealthCheck, settings

from topofmind.crm import services
from topofmind.crm.models import Workspace

settings.register_profile(
    "ci",
    max_examples=30,
    deadline=None,
    derandomize=True,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile("dev", max_examples=100, deadline=None, print_blob=True)
_profile = os.environ.get("HYPOTHESIS_PROFILE") or (
    "ci" if os.environ.get("CI", "").strip().lower() in ("1", "true", "yes") else "dev"
)
settings.load_profile(_profile)

# A Monday morning; tests use real dates and say which day they mean.
NOW = datetime(2030, 3, 4, 8, 0, tzinfo=UTC)


@pytest.fixture
def now() -> datetime:
    return NOW


@pytest.fixture
def alice(db: None, now: datetime) -> Workspace:
    """Alice's job search: the workspace most tests work in."""
    return services.create_workspace(name="Alice's search", now=now)


@pytest.fixture
def bob(db: None, now: datetime) -> Workspace:
    return services.create_workspace(name="Bob's search", now=now)


@pytest.fixture
def charlie(db: None, now: datetime) -> Workspace:
    """Charlie should have no access to Alice's stuff."""
    return services.create_workspace(name="Charlie's search", now=now)
