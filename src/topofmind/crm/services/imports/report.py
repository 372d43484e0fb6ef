"""What an import did (or would do), and the one error that stops it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from topofmind.crm.errors import TopofmindError
from topofmind.integrations.records import RowProblem

# Enough to show every problem of a file worth importing; a file with more is broken anyway.
MAX_LISTED = 1000


class ImportFailed(TopofmindError):
    """The file cannot be imported at all; nothing was written."""


@dataclass(frozen=True)
class RowNote:
    line: int
    text: str


@dataclass
class ImportReport:
    """What an import did (or, for a dry run, would do)."""

    kind: str
    layout: str
    encoding: str
    dry_run: bool
    notes: list[str] = field(default_factory=list)
    mapping: dict[str, str] = field(default_factory=dict)
    new: int = 0  # people (or, for applications, opportunities) created
    merged: int = 0  # rows that added something to an existing one
    unchanged: int = 0  # rows already fully known
    skipped: int = 0  # empty rows (nothing to import)
    invalid: int = 0
    organizations_created: int = 0
    people_created: int = 0  # applications: contacts created
    interactions_logged: int = 0
    followups_planned: int = 0
    problems: list[RowProblem] = field(default_factory=list)  # invalid and skipped, by line
    merges: list[RowNote] = field(default_factory=list)  # which row went into whom, and why
    remarks: list[RowNote] = field(default_factory=list)  # rows taken, with something to know

    @property
    def rows(self) -> int:
        return self.new + self.merged + self.unchanged + self.skipped + self.invalid

    def problem(self, problem: RowProblem) -> None:
        if problem.skipped:
            self.skipped += 1
        else:
            self.invalid += 1
        if len(self.problems) < MAX_LISTED:
            self.problems.append(problem)

    @property
    def problems_not_listed(self) -> int:
        return self.skipped + self.invalid - len(self.problems)


def report_dict(report: ImportReport) -> dict[str, Any]:
    """The report as JSON: what `import --json` prints and the API answers."""
    return {
        "kind": report.kind,
        "layout": report.layout,
        "encoding": report.encoding,
        "dry_run": report.dry_run,
        "new": report.new,
        "merged": report.merged,
        "unchanged": report.unchanged,
        "skipped": report.skipped,
        "invalid": report.invalid,
        "organizations_created": report.organizations_created,
        "people_created": report.people_created,
        "interactions_logged": report.interactions_logged,
        "followups_planned": report.followups_planned,
        "mapping": dict(report.mapping),
        "notes": list(report.notes),
        "problems": [{"line": p.line, "reason": p.reason, "skipped": p.skipped} for p in report.problems],
        "problems_not_listed": report.problems_not_listed,
        "merges": [{"line": m.line, "what": m.text} for m in report.merges],
        "remarks": [{"line": r.line, "what": r.text} for r in report.remarks],
    }
