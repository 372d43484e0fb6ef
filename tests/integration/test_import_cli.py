"""``topofmind import ...`` as a user runs it (issue 5, item 7)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cli_helpers import FIXTURES, cli, ok

from topofmind.crm.models import Opportunity, Person

pytestmark = pytest.mark.django_db

def fails(*args: str) -> str:
    result = cli(*args)
    assert result.exit_code == 2, (result.stdout, result.stderr)
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr
    return str(lines[0])


def test_import_linkedin_then_person_list_shows_who_came_in() -> None:
    out = ok("import", "linkedin", str(FIXTURES / "linkedin" / "connections_current.csv"))
    assert "6 new, 0 merged, 0 unchanged (already known), 1 skipped, 0 invalid" in out
    assert "line 7: the row is empty but for the date" in out
    people = json.loads(ok("person", "list", "--json"))
    assert {p["name"] for p in people} == {
        "Dana Lee", "Sam Okafor", "Lena 🌻 Fischer", "美咲 田中", "José Núñez", "Priya Raman, PhD",
    }


def test_dry_run_shows_the_preview_and_writes_nothing() -> None:
    out = ok("import", "linkedin", str(FIXTURES / "linkedin" / "connections_current.csv"), "--dry-run")
    assert "6 new" in out
    assert "Dry run: nothing was written." in out
    assert Person.objects.count() == 0


def test_json_report_for_scripts() -> None:
    out = ok("import", "google", str(FIXTURES / "google" / "google_new.csv"), "--json")
    report = json.loads(out)
    assert (report["new"], report["invalid"], report["skipped"]) == (2, 1, 1)
    assert report["problems"][0] == {
        "line": 4,
        "reason": "E-mail 2 - Value: 'not-an-address' is not an e-mail address",
        "skipped": False,
    }


def test_vcard_import_reports_merges_into_people_already_known() -> None:
    ok("import", "linkedin", str(FIXTURES / "linkedin" / "connections_current.csv"))
    out = ok("import", "vcard", str(FIXTURES / "vcard" / "ios_contacts.vcf"))
    assert "Merged into people you have:" in out
    assert "Dana Lee → #" in out


def test_applications_with_a_mapping_and_stage_words() -> None:
    file = str(FIXTURES / "applications" / "huntr_export.csv")
    preview = ok("import", "applications", file, "--dry-run")
    assert "Company → company, Job Title → title, Status → stage" in preview
    assert "--stage 'Limbo=STAGE'" in preview
    ok("import", "applications", file, "--stage", "Limbo=on_hold", "--map", "Salary=-")
    assert Opportunity.objects.get(organization__name="Vandelay Industries").stage == "on_hold"


def test_a_hand_made_contacts_file_with_its_columns_mapped(tmp_path: Path) -> None:
    file = tmp_path / "mine.csv"
    file.write_text("Name,Surname,Employer,Since\nAnn,Lee,Acme,2025-12-04\n", encoding="utf-8")
    first = fails("import", "linkedin", str(file))
    assert "name your columns with --map" in first
    maps = ["--map", "Name=First Name", "--map", "Surname=Last Name", "--map", "Employer=Company"]
    out = ok("import", "linkedin", str(file), *maps, "--map", "Since=Connected On")
    assert "1 new" in out
    assert Person.objects.get().organization.name == "Acme"  # type: ignore[union-attr]


def test_a_truncated_file_is_one_error_line_naming_file_and_line() -> None:
    line = fails("import", "linkedin", str(FIXTURES / "linkedin" / "connections_truncated.csv"))
    assert line.startswith("error: connections_truncated.csv: line 8: the last row stops after 1 of the 7 columns")
    assert "nothing was imported" in line
    assert Person.objects.count() == 0


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("linkedin", "no-such-file.csv"), "error: FILE: no-such-file.csv does not exist"),
        (("linkedin", str(FIXTURES)), "is a folder"),
        (("vcard", str(FIXTURES / "linkedin" / "binary.csv")), "this is not a text file"),
        (("google", str(FIXTURES / "linkedin" / "connections_no_header.csv")), "no header row found"),
        (("applications", str(FIXTURES / "applications" / "huntr_export.csv"), "--map", "Pay=notes"), "no column 'Pay'"),
    ],
)
def test_bad_input_is_one_clear_line(args: tuple[str, ...], expected: str) -> None:
    assert expected in fails("import", *args)


def test_linkedin_members_who_hide_their_address_come_in_without_an_e_mail() -> None:
    file = str(FIXTURES / "linkedin" / "connections_hidden_emails.csv")
    preview = ok("import", "linkedin", file, "--dry-run")
    assert "3 new, 0 merged, 0 unchanged (already known), 0 skipped, 1 invalid" in preview
    assert "line 5: imported without an e-mail: LinkedIn gives 'urn:li:member:418829301'" in preview
    assert "line 7: imported without an e-mail" in preview
    report = json.loads(ok("import", "linkedin", file, "--json"))
    assert [r["line"] for r in report["remarks"]] == [5, 7]
    marta = Person.objects.get(name="Marta Kowalska")
    assert not marta.emails.exists()
    assert marta.linkedin_url == "https://www.linkedin.com/in/marta-kowalska-8841b2"
