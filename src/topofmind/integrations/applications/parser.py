"""Parse another job tracker's CSV of applications through a column mapping."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import BinaryIO, TypeVar

from topofmind.engine.types import Role, Stage
from topofmind.integrations.applications.mapping import (
    FIELDS,
    STAGES_HELP,
    MappingError,
    apply_overrides,
    check_mapping,
    guess_mapping,
    stage_for,
    stage_word_overrides,
)
from topofmind.integrations.csv_tables import CsvRow, CsvTable, column_key
from topofmind.integrations.normalize import clean, clean_block, is_url, normalize_email, parse_date
from topofmind.integrations.records import ApplicationRecord, ImportFileError, ParsedFile, RowProblem

T = TypeVar("T")
EXPECTED = "Company,Position,Status,Date Applied,URL,Contact,Notes"


def parse_applications(
    stream: BinaryIO,
    *,
    overrides: Iterable[str] = (),
    stage_words: Iterable[str] = (),
) -> ParsedFile:
    """Open an applications CSV (binary stream).

    ``overrides`` are ``COLUMN=FIELD`` corrections of the guessed mapping, ``stage_words``
    ``WORD=STAGE`` additions to the status vocabulary. Raises ImportFileError if the file
    or the mapping cannot work (the message names the column).
    """
    words = _checked(lambda: stage_word_overrides(stage_words))
    overrides = list(overrides)

    # Trackers write no preamble: the first non-blank row is the header, whatever it says;
    # if it is data, the mapping check below says so, listing what it took for columns.
    table = CsvTable(stream, is_header=lambda cells: True, expected=EXPECTED, delimiter=None)
    header = list(table.header)
    mapping = _checked(lambda: apply_overrides(header, guess_mapping(header), overrides))
    _checked(lambda: check_mapping(mapping))
    used = [f"{column} → {field}" for column, field in mapping.items() if field]
    unused = [column for column, field in mapping.items() if not field and column]
    notes = ["columns: " + ", ".join(used)]
    if unused:
        notes.append("kept in the notes: " + ", ".join(unused))
    layout = f"applications CSV ({len(header)} columns, header on line {table.header_line})"
    return ParsedFile("applications", layout, table.encoding_label, _records(table, mapping, words), notes, mapping)


def _checked(make: Callable[[], T]) -> T:
    try:
        return make()
    except MappingError as exc:
        raise ImportFileError(str(exc)) from None


def _records(
    table: CsvTable, mapping: Mapping[str, str], words: Mapping[str, Stage]
) -> Iterator[ApplicationRecord | RowProblem]:
    columns = {field: column for column, field in mapping.items() if field}
    keys = {column: column_key(column) for column in mapping}
    for row in table:
        if row.problem:
            yield RowProblem(row.line, row.problem)
            continue
        yield _record(row, columns, keys, mapping, words)


def _record(
    row: CsvRow,
    columns: Mapping[str, str],
    keys: Mapping[str, str],
    mapping: Mapping[str, str],
    words: Mapping[str, Stage],
) -> ApplicationRecord | RowProblem:
    def value(field: str) -> str:
        column = columns.get(field)
        return row.values.get(keys[column], "") if column else ""

    company = clean(value("company"))
    title = clean(value("title"))
    if not company and not title:
        return RowProblem(row.line, "no company and no job title", skipped=True)
    if not company:
        return RowProblem(row.line, f"{columns['company']} is empty")
    if not title:
        return RowProblem(row.line, f"{columns['title']} is empty")
    try:
        applied_on = parse_date(value("applied_on"))
    except ValueError as exc:
        return RowProblem(row.line, f"{columns['applied_on']}: {exc}")
    raw_stage = clean(value("stage"))
    if raw_stage:
        stage = stage_for(raw_stage, words)
        if stage is None:
            return RowProblem(
                row.line,
                f"{columns['stage']}: '{raw_stage}' is not a stage we know — map it with "
                f"--stage '{raw_stage}=STAGE' (stages: {STAGES_HELP})",
            )
    else:
        stage = Stage.APPLIED if applied_on else Stage.PROSPECT
    url = clean(value("url"))
    if url and not is_url(url):
        if is_url("https://" + url) and "." in url.split("/")[0]:
            url = "https://" + url
        else:
            return RowProblem(row.line, f"{columns['url']}: '{url}' is not a web address")
    raw_email = clean(value("contact_email"))
    email = ""
    if raw_email:
        email = normalize_email(raw_email) or ""
        if not email:
            return RowProblem(row.line, f"{columns['contact_email']}: '{raw_email}' is not an e-mail address")
    extra = tuple(
        (column, row.values.get(keys[column], ""))
        for column, field in mapping.items()
        if not field and column and row.values.get(keys[column], "")
    )
    return ApplicationRecord(
        line=row.line,
        company=company,
        title=title,
        stage=stage.value,
        stage_as_given=raw_stage,
        applied_on=applied_on,
        url=url,
        contact_name=clean(value("contact_name")),
        contact_role=_role_of(columns.get("contact_name", "")),
        contact_email=email,
        notes=clean_block(value("notes")),
        location=clean(value("location")),
        extra=extra,
    )


def _role_of(column: str) -> str:
    """The part the contact column names: "Recruiter" -> recruiter, "Hiring Manager" -> ..."""
    key = column_key(column)
    for word, role in (
        ("recruit", Role.RECRUITER),
        ("hiring manager", Role.HIRING_MANAGER),
        ("referr", Role.REFERRER),
        ("interviewer", Role.INTERVIEWER),
    ):
        if word in key:
            return role.value
    return ""


__all__ = ["FIELDS", "parse_applications"]
