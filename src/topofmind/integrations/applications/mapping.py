"""Which column of another tracker's export means what, and which stage its words mean.

Every tracker names its columns its own way ("Company", "Employer", "Organization";
"Status", "Stage"; "Date Applied", "Applied On"). ``guess_mapping`` matches the header
against synonyms (exactly, then fuzzily with rapidfuzz); the user can correct any of it
(``--map "Job=title"``, ``--map "Salary=-"``). ``stage_for`` turns status words into our
stages ("Phone screen" -> screening, "Ghosted" -> applied), again adjustable
(``--stage "Limbo=on_hold"``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence

from rapidfuzz import fuzz, process

from topofmind.engine.types import Stage
from topofmind.integrations.csv_tables import column_key

# Our fields, in the order the preview shows them, with the names trackers use for them.
FIELDS: dict[str, tuple[str, ...]] = {
    "company": (
        "company",
        "company name",
        "organization",
        "organisation",
        "employer",
        "org",
        "business",
        "firm",
    ),
    "title": (
        "title",
        "job title",
        "position",
        "role",
        "job",
        "job name",
        "position title",
        "opening",
        "job role",
        "vacancy",
    ),
    "stage": (
        "stage",
        "status",
        "state",
        "application status",
        "pipeline stage",
        "progress",
        "current status",
        "outcome",
    ),
    "applied_on": (
        "applied",
        "date applied",
        "applied on",
        "applied date",
        "application date",
        "date",
        "submitted",
        "date submitted",
        "applied at",
        "submission date",
    ),
    "url": (
        "url",
        "link",
        "job url",
        "job link",
        "posting",
        "posting url",
        "job posting",
        "listing",
        "listing url",
        "job description url",
        "source url",
    ),
    "contact_name": (
        "contact",
        "contact name",
        "recruiter",
        "recruiter name",
        "hiring manager",
        "contact person",
        "point of contact",
        "referrer",
    ),
    "contact_email": (
        "contact email",
        "email",
        "e-mail",
        "recruiter email",
        "contact e-mail",
        "hiring manager email",
    ),
    "notes": ("notes", "note", "comments", "comment", "details", "remarks"),
    "location": ("location", "city", "place", "office", "job location"),
}
REQUIRED = ("company", "title")
IGNORE = ("-", "", "ignore", "none", "skip")
FIELD_HELP = ", ".join(FIELDS)
FUZZY_THRESHOLD = 86


class MappingError(ValueError):
    """A mapping the user gave (or we guessed) cannot work; the message names the column."""


def guess_mapping(header: Sequence[str]) -> dict[str, str]:
    """``{column as in the file: our field or ""}`` — each field taken by one column at most."""
    keys = [column_key(h) for h in header]
    result: dict[str, str] = dict.fromkeys(header, "")
    taken: set[str] = set()
    synonyms = {syn: field for field, names in FIELDS.items() for syn in names}
    # Exact names first, so "Date Applied" wins "applied_on" before a fuzzy "Date" does.
    for column, key in zip(header, keys, strict=True):
        field = synonyms.get(key)
        if field and field not in taken:
            result[column] = field
            taken.add(field)
    for column, key in zip(header, keys, strict=True):
        if result[column] or not key:
            continue
        match = process.extractOne(key, list(synonyms), scorer=fuzz.token_sort_ratio)
        if match and match[1] >= FUZZY_THRESHOLD:
            field = synonyms[match[0]]
            if field not in taken:
                result[column] = field
                taken.add(field)
    return result


def apply_overrides(header: Sequence[str], guessed: Mapping[str, str], overrides: Iterable[str]) -> dict[str, str]:
    """Apply ``COLUMN=FIELD`` overrides (``FIELD`` ``-`` drops the column) to a guess.

    Columns are matched case- and space-insensitively; an unknown column or field is a
    ``MappingError`` naming it and listing what exists.
    """
    mapping = dict(guessed)
    by_key = {column_key(h): h for h in header}
    for item in overrides:
        column_text, sep, field = item.rpartition("=")
        if not sep or not column_text.strip():
            raise MappingError(f"--map '{item}': write it as COLUMN=FIELD, e.g. --map 'Employer=company'")
        column = by_key.get(column_key(column_text))
        if column is None:
            raise MappingError(
                f"--map '{item}': the file has no column '{column_text.strip()}' (its columns: {', '.join(header)})"
            )
        field = field.strip().lower().replace(" ", "_")
        if field in IGNORE:
            mapping[column] = ""
            continue
        if field not in FIELDS:
            raise MappingError(f"--map '{item}': '{field}' is not a field we know (fields: {FIELD_HELP}, or - to skip)")
        for other, assigned in mapping.items():
            if assigned == field:
                mapping[other] = ""
        mapping[column] = field
    return mapping


def check_mapping(mapping: Mapping[str, str]) -> None:
    present = set(mapping.values())
    missing = [f for f in REQUIRED if f not in present]
    if missing:
        names = " and ".join(f"'{f}'" for f in missing)
        raise MappingError(
            f"no column for {names}: name it with --map 'COLUMN={missing[0]}' "
            f"(the file's columns: {', '.join(mapping)} — if that is a row of data, "
            "the file lacks its header line)"
        )


# Status words -> our stage. Checked in order: the first pattern found anywhere in the
# (lower-cased) word wins, so "rejected after interview" is a rejection, and "declined
# the offer" is the user withdrawing, not an offer.
STAGE_PATTERNS: tuple[tuple[str, Stage], ...] = (
    (
        r"declined (the )?offer|offer declined|withdr|not interested|i declined|retracted",
        Stage.WITHDRAWN,
    ),
    (
        r"reject|declined|not selected|not moving|no offer|unsuccessful|turned down|dead|denied"
        r"|did not get",
        Stage.REJECTED,
    ),
    (r"accept|hired|signed|joined", Stage.ACCEPTED),
    (r"offer", Stage.OFFER),
    (r"hold|paused|archiv|frozen|on ice", Stage.ON_HOLD),
    (r"screen|phone call|recruiter call|hr call|intro call|first call", Stage.SCREENING),
    (
        r"interview|onsite|on site|final round|round|technical|take home|assessment|panel|challenge",
        Stage.INTERVIEWING,
    ),
    (r"appl|submit|sent|waiting|pending|review|no response|ghost|in progress|awaiting", Stage.APPLIED),
    (
        r"wish|saved|bookmark|interested|to apply|prospect|lead|research|draft|plann|idea|target",
        Stage.PROSPECT,
    ),
)
STAGES_HELP = ", ".join(s.value for s in Stage)


def stage_word_overrides(items: Iterable[str]) -> dict[str, Stage]:
    """``WORD=STAGE`` options -> ``{normalized word: Stage}``; bad ones raise MappingError."""
    result: dict[str, Stage] = {}
    for item in items:
        word, sep, stage = item.rpartition("=")
        if not sep or not word.strip():
            raise MappingError(f"--stage '{item}': write it as WORD=STAGE, e.g. --stage 'Limbo=on_hold'")
        value = stage.strip().lower().replace(" ", "_").replace("-", "_")
        try:
            result[_word(word)] = Stage(value)
        except ValueError:
            raise MappingError(f"--stage '{item}': '{stage.strip()}' is not a stage (stages: {STAGES_HELP})") from None
    return result


def stage_for(word: str, overrides: Mapping[str, Stage] | None = None) -> Stage | None:
    """Our stage for another tracker's status word; None if we cannot tell."""
    key = _word(word)
    if overrides and key in overrides:
        return overrides[key]
    try:
        return Stage(key.replace(" ", "_"))
    except ValueError:
        pass
    for pattern, stage in STAGE_PATTERNS:
        if re.search(pattern, key):
            return stage
    return None


def _word(text: str) -> str:
    return re.sub(r"[\s_\-]+", " ", re.sub(r"[^\w\s\-]", " ", text.lower())).strip()
