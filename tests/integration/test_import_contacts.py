"""Google Contacts and vCard imports, and how every import finds and merges duplicates."""

from __future__ import annotations

import io
from datetime import datetime
from pathlib import Path

from topofmind.crm import services
from topofmind.crm.models import Organization, Person, Workspace
from topofmind.crm.services.imports import ImportReport, import_file, name_key, org_key

FIXTURES = Path(__file__).parents[1] / "fixtures" / "imports"


def run(workspace: Workspace, now: datetime, kind: str, name: str, *, dry_run: bool = False) -> ImportReport:
    with open(FIXTURES / name, "rb") as stream:
        return import_file(workspace=workspace, kind=kind, stream=stream, now=now, dry_run=dry_run)


def run_text(workspace: Workspace, now: datetime, kind: str, text: str) -> ImportReport:
    return import_file(workspace=workspace, kind=kind, stream=io.BytesIO(text.encode()), now=now)


def emails_of(person: Person) -> list[tuple[str, str]]:
    return list(person.emails.order_by("id").values_list("label", "address"))


def test_google_old_layout_imports_people_with_typed_emails_and_phones(alice: Workspace, now: datetime) -> None:
    report = run(alice, now, "google", "google/google_old.csv")
    assert (report.new, report.skipped, report.invalid) == (3, 1, 0)
    dana = Person.objects.get(workspace=alice, name="Dana Lee")
    assert emails_of(dana) == [("work", "dana.lee@acme-robotics.example"), ("home", "DANA@example.com")]
    assert list(dana.phones.order_by("id").values_list("label", "number")) == [
        ("mobile", "+1 (555) 010-2000"),
        ("work", "+1 555 010 2001"),
    ]
    assert dana.interests == "hiring managers"  # a contact group, as an interest tag (lower-case)
    assert "Met at PyCon 2024" in dana.notes
    assert "Department: Platform" in dana.notes
    assert "Birthday: 1984-02-29" in dana.notes


def test_google_new_layout_reports_the_bad_row_and_imports_the_rest(alice: Workspace, now: datetime) -> None:
    report = run(alice, now, "google", "google/google_new.csv")
    assert [str(p) for p in report.problems] == [
        "line 4: E-mail 2 - Value: 'not-an-address' is not an e-mail address",
        "line 5: no name and no e-mail address",
    ]
    assert set(Person.objects.filter(workspace=alice).values_list("name", flat=True)) == {"Lena Fischer", "美咲 田中"}


def test_vcards_from_ios_and_google_and_version_4_import(alice: Workspace, now: datetime) -> None:
    for name in ("vcard/ios_contacts.vcf", "vcard/google_contacts.vcf", "vcard/contacts_v4.vcf"):
        report = run(alice, now, "vcard", name)
        assert report.invalid == 0
    names = set(Person.objects.filter(workspace=alice).values_list("name", flat=True))
    assert names == {"Dana Lee", "Lena 🌻 Fischer", "Sam Okafor", "美咲 田中", "José María Núñez", "Priya Raman"}
    dana = Person.objects.get(workspace=alice, name="Dana Lee")
    assert dana.phones.count() == 3
    assert ("old job", "dana.lee@oldjob.example") in emails_of(dana)


def test_duplicates_are_found_by_email_first(alice: Workspace, now: datetime) -> None:
    kept = services.add_person(workspace=alice, name="D. Lee", emails=["dana.lee@acme-robotics.example"], now=now)
    report = run(alice, now, "google", "google/google_old.csv")
    assert report.merged >= 1
    assert report.merges[0].text == (f"Dana Lee → #{kept.pk} D. Lee (same e-mail dana.lee@acme-robotics.example)")
    kept.refresh_from_db()
    assert kept.name == "D. Lee"  # the name the user chose stays, the imported one is noted
    assert "Also known as Dana Lee (Google Contacts)" in kept.notes
    assert Person.objects.filter(workspace=alice, name="Dana Lee").count() == 0


def test_then_by_linkedin_url_in_any_spelling(alice: Workspace, now: datetime) -> None:
    kept = services.add_person(
        workspace=alice, name="Someone", linkedin_url="http://uk.linkedin.com/in/Dana-Lee-4b2a1/", now=now
    )
    run(alice, now, "linkedin", "linkedin/connections_current.csv")
    assert not Person.objects.filter(workspace=alice, name="Dana Lee").exists()
    kept.refresh_from_db()
    assert kept.linkedin_connected


def test_then_by_a_fuzzy_name_at_the_same_organization(alice: Workspace, now: datetime) -> None:
    acme = services.add_organization(workspace=alice, name="ACME Robotics Inc.", now=now)
    kept = services.add_person(workspace=alice, name="Dana  Lee", organization_id=acme.pk, emails=[], now=now)
    elsewhere = services.add_person(workspace=alice, name="Dana Lee", emails=[], now=now)  # no organization
    run(alice, now, "linkedin", "linkedin/connections_current.csv")
    kept.refresh_from_db()
    assert kept.linkedin_url == "https://www.linkedin.com/in/dana-lee-4b2a1"
    elsewhere.refresh_from_db()
    assert elsewhere.linkedin_url == ""  # same name, no organization: not the same person
    assert Organization.objects.filter(workspace=alice, name__icontains="acme").count() == 1


def test_a_similar_name_at_another_organization_is_a_new_person(alice: Workspace, now: datetime) -> None:
    globex = services.add_organization(workspace=alice, name="Globex", now=now)
    services.add_person(workspace=alice, name="Dana Lee", organization_id=globex.pk, emails=[], now=now)
    report = run(alice, now, "linkedin", "linkedin/connections_current.csv")
    assert report.new == 6
    assert Person.objects.filter(workspace=alice, name="Dana Lee").count() == 2


def test_a_merge_never_loses_a_field(alice: Workspace, now: datetime) -> None:
    run(alice, now, "linkedin", "linkedin/connections_current.csv")
    run(alice, now, "google", "google/google_old.csv")
    run(alice, now, "vcard", "vcard/ios_contacts.vcf")
    dana = Person.objects.get(workspace=alice, name="Dana Lee")
    # from LinkedIn
    assert dana.title == "Engineering Manager"
    assert dana.linkedin_connected
    # from Google: every address and number, the department, the notes
    addresses = {a for _, a in emails_of(dana)}
    assert addresses == {"dana.lee@acme-robotics.example", "DANA@example.com", "dana.lee@oldjob.example"}
    assert dana.phones.count() == 3  # Google's two, plus the assistant's from the vCard
    assert "Department: Platform" in dana.notes
    assert "Department: Platform Engineering" in dana.notes
    assert "Prefers mornings." in dana.notes
    assert dana.interests == "hiring managers, robotics"


def test_a_different_company_for_a_known_person_is_noted_not_overwritten(alice: Workspace, now: datetime) -> None:
    run(alice, now, "linkedin", "linkedin/connections_current.csv")
    moved = (
        "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
        "Sam,Okafor,https://www.linkedin.com/in/samokafor,,Umbrella Corp,VP People,17 Nov 2025\n"
    )
    report = run_text(alice, now, "linkedin", moved)
    assert report.merged == 1
    sam = Person.objects.get(workspace=alice, name="Sam Okafor")
    assert sam.organization is not None and sam.organization.name == "Globex, Inc."
    assert "LinkedIn: VP People at Umbrella Corp" in sam.notes


def test_duplicates_inside_one_file_become_one_person(alice: Workspace, now: datetime) -> None:
    text = (
        "First Name,Last Name,Labels,E-mail 1 - Label,E-mail 1 - Value,Phone 1 - Label,Phone 1 - Value\n"
        "Ann,Lee,,Work,ann@example.com,,\n"
        "Ann,Lee,,Home,ANN@EXAMPLE.COM,Mobile,+1 555 0100\n"
    )
    report = run_text(alice, now, "google", text)
    assert (report.new, report.merged) == (1, 1)
    ann = Person.objects.get(workspace=alice)
    assert emails_of(ann) == [("work", "ann@example.com")]
    assert list(ann.phones.values_list("number", flat=True)) == ["+1 555 0100"]


def test_duplicates_across_batches_of_a_long_file_are_found(alice: Workspace, now: datetime) -> None:
    rows = [f"Person{i},Test,,p{i}@example.com,Org {i % 7},Engineer,04 Dec 2025" for i in range(2500)]
    rows.append("Person3,Test,,p3@example.com,Org 3,Engineer,05 Dec 2025")  # row 3 again, a day later
    text = "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n" + "\n".join(rows) + "\n"
    report = run_text(alice, now, "linkedin", text)
    assert (report.new, report.merged) == (2500, 1)
    assert Person.objects.filter(workspace=alice).count() == 2500
    assert Organization.objects.filter(workspace=alice).count() == 7


def test_the_keys_that_decide_sameness() -> None:
    assert name_key("Lena 🌻 Fischer") == name_key("lena fischer")
    assert name_key("José Núñez") == name_key("Jose Nunez")
    assert org_key("Globex, Inc.") == org_key("GLOBEX") == "globex"
    assert org_key("Initech GmbH") == "initech"
    assert org_key("Inc.") == "inc"  # nothing but a legal form: keep it


def test_namesakes_at_one_company_with_two_profiles_stay_two_people(alice: Workspace, now: datetime) -> None:
    text = (
        "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
        "Chris,Park,https://www.linkedin.com/in/chrispark,,Google,SWE,04 Dec 2025\n"
        "Chris,Park,https://www.linkedin.com/in/chris-park-2,,Google,PM,05 Dec 2025\n"
        "Chris,Parks,https://www.linkedin.com/in/chrisparks,,Google,TPM,06 Dec 2025\n"
    )
    report = run_text(alice, now, "linkedin", text)
    assert report.new == 3
    assert Person.objects.filter(workspace=alice).count() == 3


def test_a_typo_in_a_company_is_the_same_organization_another_number_is_not(
    alice: Workspace, now: datetime
) -> None:
    text = (
        "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
        "Ann,Lee,,,Acme Robotics,CTO,04 Dec 2025\n"
        "Bob,Ray,,,Acme Robotcs,CEO,04 Dec 2025\n"
        "Cy,Oh,,,Startup 110 Inc.,CEO,04 Dec 2025\n"
        "Di,Ng,,,Startup 1100 Inc.,CEO,04 Dec 2025\n"
    )
    run_text(alice, now, "linkedin", text)
    assert sorted(Organization.objects.filter(workspace=alice).values_list("name", flat=True)) == [
        "Acme Robotics", "Startup 110 Inc.", "Startup 1100 Inc.",
    ]
    assert run_text(alice, now, "linkedin", text).unchanged == 4


def test_a_typo_in_a_name_at_the_same_company_is_the_same_person(alice: Workspace, now: datetime) -> None:
    acme = services.add_organization(workspace=alice, name="Acme Robotics", now=now)
    for name in ("Jonathan Smith", "Maria Gonzalez", "Priya Raman"):
        services.add_person(workspace=alice, name=name, organization_id=acme.pk, emails=[], now=now)
    text = (
        "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
        "Jonathon,Smith,,,Acme Robotics,CTO,04 Dec 2025\n"  # a typo mid-word
        "Maria,Gonzales,,,ACME Robotics Inc.,VP,04 Dec 2025\n"  # a typo at the end
        "Priya,Raman,,,Acme Robotics,Engineer,04 Dec 2025\n"
        "Maria,Gonzalez,,,Globex,VP,04 Dec 2025\n"  # the same name elsewhere: someone else
    )
    report = run_text(alice, now, "linkedin", text)
    assert (report.new, report.merged) == (1, 3)
    assert Person.objects.filter(workspace=alice).count() == 4
    jonathan = Person.objects.get(workspace=alice, name="Jonathan Smith")
    assert "Also known as Jonathon Smith (LinkedIn)" in jonathan.notes
