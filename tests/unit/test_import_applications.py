"""Applications CSV from another tracker, with a guessed and adjustable mapping (item 3)."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pytest

from topofmind.engine.types import Stage
from topofmind.integrations.applications import guess_mapping, parse_applications, stage_for
from topofmind.integrations.records import ApplicationRecord, ImportFileError, RowProblem

FIXTURES = Path(__file__).parents[1] / "fixtures" / "imports" / "applications"


def parse(name: str, **options: list[str]) -> list[ApplicationRecord | RowProblem]:
    with open(FIXTURES / name, "rb") as stream:
        return list(parse_applications(stream, **options).rows)  # type: ignore[arg-type]


def test_the_mapping_is_guessed_from_the_header() -> None:
    with open(FIXTURES / "huntr_export.csv", "rb") as stream:
        parsed = parse_applications(stream)
    assert parsed.mapping == {
        "Company": "company",
        "Job Title": "title",
        "Status": "stage",
        "Date Applied": "applied_on",
        "Job URL": "url",
        "Contact": "contact_name",
        "Contact Email": "contact_email",
        "Salary": "",
        "Notes": "notes",
    }
    assert "kept in the notes: Salary" in parsed.notes


def test_rows_keep_applied_dates_stages_and_contacts() -> None:
    first = parse("huntr_export.csv")[0]
    assert first == ApplicationRecord(
        line=2,
        company="Acme Robotics",
        title="Senior Python Engineer",
        stage="applied",
        stage_as_given="Applied",
        applied_on=date(2025, 11, 3),
        url="https://jobs.acme-robotics.example/123",
        contact_name="Dana Lee",
        contact_email="dana.lee@acme-robotics.example",
        notes='Referred by Sam, "strong fit"',
        extra=(("Salary", "$150,000"),),
    )


def test_foreign_status_words_map_to_our_stages() -> None:
    got = {r.company: r.stage for r in parse("huntr_export.csv") if isinstance(r, ApplicationRecord)}
    assert got == {
        "Acme Robotics": "applied",
        "Globex, Inc.": "screening",  # "Phone Screen"
        "Initech GmbH": "rejected",
        "Hooli": "prospect",  # "Wishlist"
    }


def test_an_unknown_status_names_the_column_value_and_the_fix() -> None:
    problems = [r for r in parse("huntr_export.csv") if isinstance(r, RowProblem)]
    assert str(problems[0]) == (
        "line 6: Status: 'Limbo' is not a stage we know — map it with --stage 'Limbo=STAGE' "
        "(stages: prospect, applied, screening, interviewing, offer, accepted, rejected, withdrawn, on_hold)"
    )


def test_a_bad_date_names_the_column_and_line() -> None:
    problems = [r for r in parse("huntr_export.csv") if isinstance(r, RowProblem)]
    assert problems[1].line == 7
    assert problems[1].reason.startswith("Date Applied: '15/13/2025' is not a date")


def test_stage_words_can_be_added() -> None:
    rows = parse("huntr_export.csv", stage_words=["limbo=on hold"])
    vandelay = next(r for r in rows if isinstance(r, ApplicationRecord) and r.company == "Vandelay Industries")
    assert vandelay.stage == "on_hold"


def test_semicolon_separated_export_with_other_column_names() -> None:
    rows = parse("semicolon_export.csv")
    assert [(r.company, r.title, r.stage, r.applied_on) for r in rows if isinstance(r, ApplicationRecord)] == [
        ("Café Studio", "Founding Engineer", "offer", date(2025, 12, 4)),
        ("Stark Industries", "Engineer", "on_hold", date(2025, 1, 8)),
    ]


def test_the_mapping_can_be_corrected_column_by_column() -> None:
    data = b"Outfit,Gig,Where,Comp\nAcme,Engineer,Berlin,100k\n"
    with pytest.raises(ImportFileError, match="no column for 'company' and 'title'"):
        parse_applications(io.BytesIO(data))
    parsed = parse_applications(
        io.BytesIO(data), overrides=["outfit=company", "Gig=title", "Where=location", "Comp=-"]
    )
    (record,) = list(parsed.rows)
    assert isinstance(record, ApplicationRecord)
    assert (record.company, record.title, record.location) == ("Acme", "Engineer", "Berlin")
    assert record.stage == "prospect"  # no status, no date: still a prospect


def test_a_wrong_override_names_the_column_and_lists_the_real_ones() -> None:
    data = b"Company,Title\nAcme,Engineer\n"
    with pytest.raises(ImportFileError, match=r"no column 'Employer' \(its columns: Company, Title\)"):
        parse_applications(io.BytesIO(data), overrides=["Employer=company"])
    with pytest.raises(ImportFileError, match="'salary' is not a field we know"):
        parse_applications(io.BytesIO(data), overrides=["Company=salary"])
    with pytest.raises(ImportFileError, match="'limbo' is not a stage"):
        parse_applications(io.BytesIO(data), stage_words=["Paused=limbo"])


def test_fuzzy_header_names_are_recognized() -> None:
    assert guess_mapping(["Company Name ", "Job-Title", "Application Status", "Date of application"]) == {
        "Company Name ": "company",
        "Job-Title": "title",
        "Application Status": "stage",
        "Date of application": "applied_on",
    }


@pytest.mark.parametrize(
    ("word", "stage"),
    [
        ("Applied", Stage.APPLIED),
        ("Submitted", Stage.APPLIED),
        ("Ghosted", Stage.APPLIED),
        ("Bookmarked", Stage.PROSPECT),
        ("Wishlist", Stage.PROSPECT),
        ("Phone screen", Stage.SCREENING),
        ("Recruiter call", Stage.SCREENING),
        ("Onsite", Stage.INTERVIEWING),
        ("Technical interview", Stage.INTERVIEWING),
        ("Final round", Stage.INTERVIEWING),
        ("Offer received", Stage.OFFER),
        ("Offer declined", Stage.WITHDRAWN),
        ("Withdrew", Stage.WITHDRAWN),
        ("Rejected after interview", Stage.REJECTED),
        ("Not selected", Stage.REJECTED),
        ("Hired", Stage.ACCEPTED),
        ("On-hold", Stage.ON_HOLD),
        ("interviewing", Stage.INTERVIEWING),
    ],
)
def test_status_words(word: str, stage: Stage) -> None:
    assert stage_for(word) == stage


def test_a_file_without_its_header_says_the_first_row_looks_like_data() -> None:
    data = b"Acme,Engineer,Applied,2025-11-03\n"
    with pytest.raises(ImportFileError, match="the file lacks its header line"):
        parse_applications(io.BytesIO(data))


def test_rows_missing_company_or_title_are_invalid_naming_the_column() -> None:
    data = b"Company,Position\n,Engineer\nAcme,\n,\n"
    rows = list(parse_applications(io.BytesIO(data)).rows)
    assert [str(r) for r in rows] == ["line 2: Company is empty", "line 3: Position is empty"]
