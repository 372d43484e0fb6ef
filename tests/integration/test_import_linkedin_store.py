"""Importing LinkedIn's Connections.csv into a workspace (issue 5, items 1, 4 and 5)."""

from __future__ import annotations

import io
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from topofmind.crm import services
from topofmind.crm.models import FollowUp, Interaction, Organization, Person, Workspace
from topofmind.crm.services.imports import ImportFailed, ImportReport, import_file
from topofmind.engine.types import Kind

FIXTURES = Path(__file__).parents[1] / "fixtures" / "imports" / "linkedin"


def run(workspace: Workspace, now: datetime, name: str, *, dry_run: bool = False) -> ImportReport:
    with open(FIXTURES / name, "rb") as stream:
        return import_file(workspace=workspace, kind="linkedin", stream=stream, now=now, dry_run=dry_run)


def counts(workspace: Workspace) -> tuple[int, int, int, int]:
    return (
        Person.objects.filter(workspace=workspace).count(),
        Organization.objects.filter(workspace=workspace).count(),
        Interaction.objects.filter(workspace=workspace).count(),
        FollowUp.objects.filter(workspace=workspace).count(),
    )


def test_connections_become_people_with_their_organizations(alice: Workspace, now: datetime) -> None:
    report = run(alice, now, "connections_current.csv")
    assert (report.new, report.merged, report.unchanged, report.skipped, report.invalid) == (6, 0, 0, 1, 0)
    sam = Person.objects.get(workspace=alice, name="Sam Okafor")
    assert sam.organization is not None and sam.organization.name == "Globex, Inc."
    assert sam.title == "Director, Talent Acquisition"
    assert sam.linkedin_url == "https://www.linkedin.com/in/samokafor"
    assert list(sam.emails.values_list("address", flat=True)) == ["sam.okafor@example.com"]
    assert set(Organization.objects.filter(workspace=alice).values_list("name", flat=True)) == {
        "Acme Robotics",
        "Globex, Inc.",
        "Initech GmbH",
        "株式会社ソフトウェア",
        "Café Studio",
    }
    assert report.organizations_created == 5


def test_connected_on_becomes_a_connection_logged_that_day(alice: Workspace, now: datetime) -> None:
    services.set_config(workspace=alice, key="timezone", value="America/New_York", now=now)
    run(alice, now, "connections_current.csv")
    dana = Person.objects.get(workspace=alice, name="Dana Lee")
    assert dana.linkedin_connected
    (touch,) = Interaction.objects.filter(participants__person=dana)
    assert touch.kind == Kind.CONNECTION.value
    assert touch.channel == "linkedin"
    assert touch.at.astimezone(ZoneInfo("America/New_York")).date() == date(2025, 12, 4)


def test_names_with_emoji_and_other_scripts_come_through(alice: Workspace, now: datetime) -> None:
    run(alice, now, "connections_current.csv")
    names = set(Person.objects.filter(workspace=alice).values_list("name", flat=True))
    assert {"Lena 🌻 Fischer", "美咲 田中", "José Núñez", "Priya Raman, PhD"} <= names


def test_importing_the_same_file_twice_adds_nothing(alice: Workspace, now: datetime) -> None:
    run(alice, now, "connections_current.csv")
    before = counts(alice)
    again = run(alice, now, "connections_current.csv")
    assert counts(alice) == before
    assert (again.new, again.merged, again.unchanged) == (0, 0, 6)


def test_an_older_export_then_the_current_one_merges_by_name_and_company(alice: Workspace, now: datetime) -> None:
    old = 'First Name,Last Name,Email Address,Company,Position,Connected On\nDana,Lee,,Acme Robotics,Manager,"1/8/18, 6:14 PM"\n'
    with io.BytesIO(old.encode()) as stream:
        import_file(workspace=alice, kind="linkedin", stream=stream, now=now)
    report = run(alice, now, "connections_current.csv")
    assert report.merged == 1
    dana = Person.objects.get(workspace=alice, name="Dana Lee")
    assert dana.linkedin_url == "https://www.linkedin.com/in/dana-lee-4b2a1"  # filled in
    assert dana.title == "Manager"  # kept, and the new title is not lost:
    assert "LinkedIn: Engineering Manager" in dana.notes
    days = sorted(i.at.date() for i in Interaction.objects.filter(participants__person=dana))
    assert days == [date(2018, 1, 8), date(2025, 12, 4)]


def test_a_dry_run_counts_everything_and_writes_nothing(alice: Workspace, now: datetime) -> None:
    before = counts(alice)
    report = run(alice, now, "connections_current.csv", dry_run=True)
    assert report.dry_run
    assert (report.new, report.skipped, report.organizations_created, report.interactions_logged) == (6, 1, 5, 6)
    assert counts(alice) == before
    assert run(alice, now, "connections_current.csv").new == 6  # the real thing does what was shown


def test_a_truncated_file_changes_nothing_and_names_the_line(alice: Workspace, now: datetime) -> None:
    before = counts(alice)
    with pytest.raises(ImportFailed) as err:
        run(alice, now, "connections_truncated.csv")
    assert err.value.message.startswith("line 8: ")
    assert "nothing was imported" in err.value.hint
    assert counts(alice) == before


@pytest.mark.parametrize(
    "name",
    ["connections_utf16.csv", "connections_utf8_bom.csv", "connections_latin1.csv", "connections_2018.csv"],
)
def test_other_encodings_and_layouts_import(alice: Workspace, now: datetime, name: str) -> None:
    report = run(alice, now, name)
    assert report.invalid == 0
    assert report.new >= 3


@pytest.mark.parametrize("name", ["binary.csv", "connections.zip", "connections_no_header.csv"])
def test_files_that_are_not_connections_are_refused_whole(alice: Workspace, now: datetime, name: str) -> None:
    with pytest.raises(ImportFailed):
        run(alice, now, name)
    assert counts(alice) == (0, 0, 0, 0)


def test_the_import_replans_follow_ups_once(alice: Workspace, now: datetime) -> None:
    services.add_person(workspace=alice, name="Sam Okafor", emails=["sam.okafor@example.com"], now=now)
    sam = Person.objects.get(workspace=alice, name="Sam Okafor")
    services.log_interaction(
        workspace=alice, kind=Kind.MESSAGE, person_ids=[sam.pk], at=now - timedelta(days=2000), now=now
    )  # in 2024: the connection of Nov 2025 restarts Sam's clock
    report = run(alice, now, "connections_current.csv")
    planned = FollowUp.objects.filter(workspace=alice, state="pending")
    # Sam, already talked to, is kept warm; a bare LinkedIn connection starts no cadence
    assert {f.person.name for f in planned} == {"Sam Okafor"}
    assert report.followups_planned == planned.count()


def test_an_import_into_one_workspace_never_touches_another(alice: Workspace, bob: Workspace, now: datetime) -> None:
    services.add_person(workspace=bob, name="Dana Lee", emails=["sam.okafor@example.com"], now=now)
    run(alice, now, "connections_current.csv")
    assert Person.objects.filter(workspace=bob).count() == 1
    assert Person.objects.get(workspace=bob).emails.count() == 1
    assert Person.objects.filter(workspace=alice, name="Sam Okafor").exists()


def test_people_who_arrive_with_a_connection_alone_leave_the_plan_as_a_full_replan_makes_it(
    alice: Workspace, now: datetime
) -> None:
    # the import skips re-planning people it creates with nothing but a connection; what is
    # stored must still be what planning the whole workspace gives: R15 picks its contact at
    # a target employer among everyone there, R13 asks the peer, R9-style roles are read
    from topofmind import engine
    from topofmind.crm.planning.snapshot import build_snapshot, row_values
    from topofmind.engine.types import Role

    acme = services.add_organization(workspace=alice, name="Acme Robotics", target=True, now=now)
    initech = services.add_organization(workspace=alice, name="Initech GmbH", now=now)
    services.add_opportunity(workspace=alice, title="Staff Engineer", organization_id=initech.pk, now=now)
    services.add_person(workspace=alice, name="Pat Kim", organization_id=initech.pk, roles=[Role.PEER], now=now)
    services.set_plan(workspace=alice, targets=10, weeks=2, now=now)
    prospects = FollowUp.objects.filter(workspace=alice, state="pending", purpose="prospect_outreach")
    assert {(f.organization_id, f.person_id) for f in prospects} == {(acme.pk, None)}  # no one there yet
    report = run(alice, now, "connections_current.csv")
    assert report.new > 3
    stored = {
        row["key"]: row for row in FollowUp.objects.filter(workspace=alice, state__in=["pending", "snoozed"]).values()
    }
    planned = {s.key: row_values(s) for s in engine.plan(build_snapshot(workspace=alice))}
    assert stored.keys() == planned.keys()
    for key, values in planned.items():
        assert {k: stored[key][k] for k in values if k != "key"} == {k: v for k, v in values.items() if k != "key"}
    # the prospect at Acme now names someone who works there: Dana Lee came with the import
    assert {(f.organization_id, f.person.name if f.person else None) for f in prospects.all()} == {
        (acme.pk, "Dana Lee")
    }
