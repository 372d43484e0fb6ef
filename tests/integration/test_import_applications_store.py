"""Importing another tracker's applications: organizations, opportunities at their stage,
an application touch on the day applied, the contact as a participant (issue 5, item 3)."""

from __future__ import annotations

import io
from datetime import date, datetime
from pathlib import Path

import pytest

from topofmind.crm import services
from topofmind.crm.models import Interaction, Opportunity, Person, StageChange, Workspace
from topofmind.crm.services.imports import ImportFailed, ImportReport, import_file
from topofmind.engine.types import Kind, Stage

FIXTURES = Path(__file__).parents[1] / "fixtures" / "imports" / "applications"


def run(workspace: Workspace, now: datetime, name: str, **options: list[str]) -> ImportReport:
    with open(FIXTURES / name, "rb") as stream:
        return import_file(workspace=workspace, kind="applications", stream=stream, now=now, **options)  # type: ignore[arg-type]


def test_applications_become_opportunities_at_their_stage(alice: Workspace, now: datetime) -> None:
    report = run(alice, now, "huntr_export.csv")
    assert (report.new, report.invalid) == (4, 2)
    stages = dict(Opportunity.objects.filter(workspace=alice).values_list("organization__name", "stage"))
    assert stages == {
        "Acme Robotics": "applied",
        "Globex, Inc.": "screening",
        "Initech GmbH": "rejected",
        "Hooli": "prospect",
    }


def test_each_application_is_a_touch_on_the_day_applied(alice: Workspace, now: datetime) -> None:
    run(alice, now, "huntr_export.csv")
    acme = Opportunity.objects.get(workspace=alice, organization__name="Acme Robotics")
    (touch,) = Interaction.objects.filter(opportunity=acme)
    assert touch.kind == Kind.APPLICATION.value
    assert touch.at.date() == date(2025, 11, 3)
    assert StageChange.objects.get(opportunity=acme).at.date() == date(2025, 11, 3)
    assert not Interaction.objects.filter(opportunity__organization__name="Hooli").exists()  # no date, no touch


def test_the_contact_becomes_a_participant_and_a_person(alice: Workspace, now: datetime) -> None:
    run(alice, now, "huntr_export.csv")
    acme = Opportunity.objects.get(workspace=alice, organization__name="Acme Robotics")
    dana = Person.objects.get(workspace=alice, name="Dana Lee")
    assert dana.organization is not None and dana.organization.name == "Acme Robotics"
    assert list(dana.emails.values_list("address", flat=True)) == ["dana.lee@acme-robotics.example"]
    assert list(acme.participants.values_list("person_id", flat=True)) == [dana.pk]
    assert list(Interaction.objects.get(opportunity=acme).participants.values_list("person_id", flat=True)) == [dana.pk]


def test_columns_the_mapping_leaves_out_are_kept_in_the_notes(alice: Workspace, now: datetime) -> None:
    run(alice, now, "huntr_export.csv")
    acme = Opportunity.objects.get(workspace=alice, organization__name="Acme Robotics")
    assert acme.notes == 'Referred by Sam, "strong fit"\nSalary: $150,000'
    assert acme.posting_url == "https://jobs.acme-robotics.example/123"
    globex = Opportunity.objects.get(workspace=alice, organization__name="Globex, Inc.")
    assert globex.posting_url == "https://globex.example/careers/42"
    assert "Status in the other tracker: Phone Screen" in globex.notes


def test_importing_applications_twice_adds_nothing(alice: Workspace, now: datetime) -> None:
    run(alice, now, "huntr_export.csv")
    counts = (Opportunity.objects.count(), Interaction.objects.count(), Person.objects.count())
    again = run(alice, now, "huntr_export.csv")
    assert (again.new, again.merged, again.unchanged) == (0, 0, 4)
    assert (Opportunity.objects.count(), Interaction.objects.count(), Person.objects.count()) == counts


def test_an_existing_opening_moves_forward_never_back(alice: Workspace, now: datetime) -> None:
    acme = services.add_organization(workspace=alice, name="Acme Robotics", now=now)
    opp = services.add_opportunity(
        workspace=alice, title="Senior Python Engineer", organization_id=acme.pk, stage=Stage.INTERVIEWING, now=now
    )
    initech = services.add_organization(workspace=alice, name="Initech", now=now)
    prospect = services.add_opportunity(
        workspace=alice, title="Backend Developer", organization_id=initech.pk, now=now
    )
    report = run(alice, now, "huntr_export.csv")
    opp.refresh_from_db()
    assert opp.stage == "interviewing"  # the file says applied: we already know more
    prospect.refresh_from_db()
    assert prospect.stage == "rejected"  # the file knows more: recorded as a stage change
    assert report.new == 2  # Globex and Hooli


def test_stage_words_and_column_overrides(alice: Workspace, now: datetime) -> None:
    report = run(alice, now, "huntr_export.csv", stage_words=["Limbo=on_hold"], overrides=["Salary=-"])
    assert report.new == 5
    assert Opportunity.objects.get(workspace=alice, organization__name="Vandelay Industries").stage == "on_hold"
    acme = Opportunity.objects.get(workspace=alice, organization__name="Acme Robotics")
    assert "Salary" not in acme.notes or acme.notes.count("Salary") == 1


def test_a_wrong_mapping_fails_before_anything_is_written(alice: Workspace, now: datetime) -> None:
    with pytest.raises(ImportFailed, match="no column 'Employer'"):
        run(alice, now, "huntr_export.csv", overrides=["Employer=company"])
    data = io.BytesIO(b"Outfit,Gig\nAcme,Engineer\n")
    with pytest.raises(ImportFailed, match="no column for 'company' and 'title'"):
        import_file(workspace=alice, kind="applications", stream=data, now=now)
    assert Opportunity.objects.count() == 0
