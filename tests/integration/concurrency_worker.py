"""A separate process for the concurrent-writer tests (tests/integration/test_concurrent_writes.py).

    python concurrency_worker.py setup URL            the workspace the writers share
    python concurrency_worker.py log URL DIR N K [ARG...]
                                                      N touches through the CLI once DIR/go exists
                                                      (TOUCHES in turn from the K-th, or ARGs each time)
    python concurrency_worker.py check URL            touches counted, the plan checked

Each process opens its own connection to URL (the test's PostgreSQL database, or a SQLite
file), exactly as `topofmind` does. A traceback goes to stderr and the exit code is not 0.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

PEOPLE = ("Dana Lee", "Sam Roy", "Ana Ito")
OPENING = "Backend Engineer"
# What each writer logs in turn: the same people and the same opening, in different orders.
TOUCHES = (
    ["log", "interview", "--with", "Dana Lee", "--with", "Sam Roy", "--opp", OPENING],
    ["log", "message", "--with", "Dana Lee"],
    ["log", "reply", "--with", "Sam Roy", "--with", "Ana Ito", "--opp", OPENING],
    ["log", "check_in", "--with", "Ana Ito", "--with", "Dana Lee"],
)


def start_django(url: str) -> None:
    os.environ["TOPOFMIND_DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "topofmind.settings")
    from topofmind.cli import common

    common.setup_django()


def setup(url: str) -> None:
    start_django(url)
    from django.utils import timezone

    from topofmind.crm import services
    from topofmind.engine.types import Role, Stage

    now = timezone.now()
    ws = services.get_or_create_default_workspace(now=now)
    org = services.add_organization(workspace=ws, name="Acme", target=True, now=now)
    people = [
        services.add_person(
            workspace=ws,
            name=name,
            organization_id=org.pk,
            roles=[role],
            emails=[f"{name.split()[0].lower()}@acme.test"],
            now=now,
        )
        for name, role in zip(PEOPLE, (Role.HIRING_MANAGER, Role.RECRUITER, Role.INTERVIEWER), strict=True)
    ]
    opp = services.add_opportunity(workspace=ws, title=OPENING, organization_id=org.pk, stage=Stage.APPLIED, now=now)
    for person in people:
        services.add_participant(workspace=ws, opportunity_id=opp.pk, name=person.name, role=None, now=now)
    print(json.dumps({"workspace": ws.pk}))


def log(url: str, folder: Path, count: int, offset: int, fixed: list[str]) -> None:
    """Say ready, wait for the go (so every writer starts at the same instant), then write."""
    start_django(url)
    from topofmind.cli import app

    (folder / f"ready-{offset}").touch()
    deadline = time.monotonic() + 60
    while not (folder / "go").exists() and time.monotonic() < deadline:
        time.sleep(0.005)
    for n in range(count):
        args = fixed or TOUCHES[(n + offset) % len(TOUCHES)]
        code = app(args, standalone_mode=False)
        if code != 0:
            raise SystemExit(f"{' '.join(args)} exited with {code}")


def check(url: str) -> None:
    start_django(url)
    from test_incremental_equivalence import check as plan_equals_full_replan

    from topofmind.crm.models import Interaction, Workspace

    ws = Workspace.objects.get()
    plan_equals_full_replan(ws)
    print(json.dumps({"touches": Interaction.objects.filter(workspace=ws).count()}))


if __name__ == "__main__":
    command, url = sys.argv[1], sys.argv[2]
    if command == "setup":
        setup(url)
    elif command == "log":
        log(url, Path(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), sys.argv[6:])
    else:
        check(url)
