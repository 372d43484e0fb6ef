"""The demo search: a small, realistic job search to look around in, in a workspace of its own.

It lives in a workspace flagged ``is_demo`` and named "Demo search", so a real search never
holds made-up people, and removing it is removing that workspace. Dates are relative to the
moment of loading, so the agenda has something to say the day it is loaded: a thank-you owed
after this morning's interview, a nudge for an unanswered application, a referral to ask for.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.db import transaction

from topofmind.crm.models import Workspace
from topofmind.crm.services.opportunities import add_opportunity
from topofmind.crm.services.organizations import add_organization
from topofmind.crm.services.people import add_person
from topofmind.crm.services.settings import set_plan
from topofmind.crm.services.touches import log_interaction
from topofmind.crm.services.workspaces import DEMO_WORKSPACE_NAME, create_workspace
from topofmind.engine.types import Channel, Kind, Role, Stage


def open_demo(*, owner_id: int | None, now: datetime) -> tuple[Workspace, bool]:
    """The demo workspace of ``owner_id`` (None: the install's), made and filled if there is
    none yet; and whether it was made just now."""
    with transaction.atomic():
        found = Workspace.objects.filter(is_demo=True, owner_id=owner_id).order_by("pk").first()
        if found is not None:
            return found, False
        workspace = create_workspace(name=DEMO_WORKSPACE_NAME, now=now, owner_id=owner_id, is_demo=True)
        load(workspace=workspace, now=now)
    return workspace, True


def _business_days_before(moment: datetime, days: int) -> datetime:
    """``days`` weekdays before ``moment`` (holidays aside: it is a demo)."""
    while days:
        moment -= timedelta(days=1)
        if moment.weekday() < 5:
            days -= 1
    return moment


def _at(moment: datetime, hour: int) -> datetime:
    return moment.replace(hour=hour, minute=0, second=0, microsecond=0)


def load(*, workspace: Workspace, now: datetime) -> None:
    """Fill ``workspace`` with the demo search, as of ``now``."""
    ws = workspace
    # No name is set: drafts are signed by whoever looks (the CLI, with no account, signs none).
    set_plan(workspace=ws, targets=20, weeks=8, start=(now - timedelta(days=7)).date(), now=now)

    def org(name: str, **fields: Any) -> int:
        return add_organization(workspace=ws, name=name, now=now, **fields).pk

    northwind = org(
        "Northwind Analytics", website="https://northwind.example", industry="Analytics", target=True, priority=1
    )
    bluefin = org("Bluefin Health", website="https://bluefin.example", industry="Health care", target=True, priority=2)
    copperleaf = org("Copperleaf Logistics", website="https://copperleaf.example", industry="Logistics")
    org("Lumen Labs", website="https://lumen.example", industry="Developer tools", target=True, priority=2)

    def person(name: str, org_id: int, title: str, roles: list[Role], **fields: Any) -> int:
        return add_person(
            workspace=ws, name=name, organization_id=org_id, title=title, roles=roles, now=now, **fields
        ).pk

    priya = person(
        "Priya Raman",
        northwind,
        "Head of Data Engineering",
        [Role.HIRING_MANAGER],
        emails=["priya.raman@northwind.example"],
        interests="streaming, data quality",
    )
    marcus = person(
        "Marcus Chen",
        northwind,
        "Senior Data Engineer",
        [Role.INTERVIEWER],
        emails=["marcus.chen@northwind.example"],
        linkedin_url="https://www.linkedin.com/in/marcus-chen-demo",
    )
    jordan = person(
        "Jordan Ellis",
        bluefin,
        "Technical Recruiter",
        [Role.RECRUITER],
        emails=["jordan.ellis@bluefin.example"],
        phones=["+1 415 555 0142"],
        linkedin_connected=True,
    )
    sofia = person(
        "Sofia Alvarez",
        copperleaf,
        "Analytics Manager",
        [Role.REFERRER],
        linkedin_url="https://www.linkedin.com/in/sofia-alvarez-demo",
        linkedin_connected=True,
        how_met="worked together at a previous job",
        emails=["sofia@copperleaf.example"],
    )

    def opp(title: str, org_id: int, stage: Stage, parts: list[tuple[int, Role | None]], **fields: Any) -> int:
        return add_opportunity(
            workspace=ws,
            title=title,
            organization_id=org_id,
            stage=stage,
            participants=parts,
            now=now - timedelta(days=14),
            **fields,
        ).pk

    senior = opp(
        "Senior Data Engineer",
        northwind,
        Stage.SCREENING,
        [(priya, Role.HIRING_MANAGER), (marcus, Role.INTERVIEWER)],
        posting_url="https://northwind.example/careers/senior-data-engineer",
        source="company site",
    )
    analytics = opp(
        "Analytics Engineer",
        bluefin,
        Stage.PROSPECT,
        [(jordan, Role.RECRUITER)],
        posting_url="https://bluefin.example/jobs/analytics-engineer",
        source="LinkedIn",
    )
    opp("Data Platform Engineer", copperleaf, Stage.PROSPECT, [(sofia, Role.REFERRER)], source="Sofia mentioned it")

    def log(kind: Kind, people: list[int], at: datetime, **fields: Any) -> None:
        log_interaction(workspace=ws, kind=kind, person_ids=people, at=at, now=now, **fields)

    log(
        Kind.CALL,
        [sofia],
        _at(now - timedelta(days=20), 17),
        channel=Channel.PHONE,
        summary="Catch-up with Sofia; Copperleaf is hiring for its data platform",
    )
    log(
        Kind.APPLICATION,
        [jordan],
        _at(_business_days_before(now, 7), 10),
        opportunity_id=analytics,
        channel=Channel.EMAIL,
        summary="Applied with résumé v3 and a note to Jordan",
    )
    log(
        Kind.CALL,
        [priya],
        _at(_business_days_before(now, 5), 11),
        opportunity_id=senior,
        channel=Channel.PHONE,
        summary="Phone screen with Priya",
        points="team of six; moving batch jobs to streaming",
    )
    log(
        Kind.INTERVIEW,
        [priya, marcus],
        # a few hours ago: the thank-yous are due, not already late, when you first look
        now - timedelta(hours=3),
        opportunity_id=senior,
        channel=Channel.VIDEO,
        summary="Technical interview",
        points="moving the nightly batch jobs to streaming; how the team shares on-call; my dbt testing project",
    )
