"""What a restore checks beyond "the column can hold it": the same rules the forms and the CLI
apply (crm/validation.py), so a restored workspace works on every page and command.

``column_check(model, field)`` gives a check for one column (a converted value in, the same
value out, or ``Invalid`` naming the column); ``row_check(model, values)`` checks what only
a whole row can say (the playbook with its overrides, a follow-up the agenda can read).
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable
from typing import Any

from django.db import models

from topofmind import playbooks
from topofmind.crm.errors import Invalid
from topofmind.crm.models import FollowUp, Organization, Person, Plan, ValueItem, WorkspaceSettings
from topofmind.crm.planning.snapshot import OTHER_FIELDS
from topofmind.crm.validation import (
    LIMITS,
    MAX_ID,
    check_day,
    check_material_name,
    check_moment,
    check_playbook_number,
    check_url,
    parse_timezone,
)
from topofmind.engine.types import Suggestion

Check = Callable[[Any], Any]

# Whole-number columns by type: what every supported database stores (PostgreSQL's limits).
_INT_RANGES = {
    "PositiveSmallIntegerField": (0, 2**15 - 1),
    "SmallIntegerField": (-(2**15), 2**15 - 1),
    "PositiveIntegerField": (0, 2**31 - 1),
    "IntegerField": (-(2**31), 2**31 - 1),
    "PositiveBigIntegerField": (0, MAX_ID),
    "BigIntegerField": (-MAX_ID - 1, MAX_ID),
    "AutoField": (1, 2**31 - 1),
    "BigAutoField": (1, MAX_ID),
}
# Numbers a user sets, checked against the same LIMITS as the forms and the CLI.
_LIMITED: dict[tuple[type[models.Model], str], str] = {
    (Organization, "priority"): "priority",
    (Person, "cadence_days"): "cadence_days",
    (Plan, "targets"): "targets",
    (Plan, "weeks"): "weeks",
    (Plan, "calls_per_day"): "calls_per_day",
    (WorkspaceSettings, "daily_cap"): "daily_cap",
}
MAX_JSON_DEPTH = 16
_SUGGESTION_TYPES = {f.name: str(f.type) for f in dataclasses.fields(Suggestion)}


def column_check(model: type[models.Model], field: models.Field[Any, Any]) -> Check | None:
    """The checks for one column, or None when converting it says all there is to say."""
    name = field.attname
    special = _SPECIAL.get((model, name))
    checks: list[Check] = []
    kind = field.get_internal_type()
    if special is not None:  # first: its message names the setting (nudge1_days), not the column
        checks.append(special)
    if field.choices:
        checks.append(_choice_check(field))
    if isinstance(field, models.URLField):  # (its internal type is CharField)
        checks.append(lambda v: check_url(v, field=name))
    if kind in ("CharField", "TextField", "URLField", "EmailField", "SlugField"):
        checks.append(lambda v: _text(v, field=name))
    if kind in _INT_RANGES:
        limit = _LIMITED.get((model, name))
        low, high = LIMITS[limit] if limit else _INT_RANGES[kind]
        checks.append(lambda v: _within(v, low, high, field=name))
    if kind == "DateTimeField":
        checks.append(lambda v: check_moment(v, field=name))
    if kind == "DateField":
        checks.append(lambda v: check_day(v, field=name))
    if kind == "JSONField":
        checks.append(lambda v: _plain_json(v, field=name))
    if not checks:
        return None

    def run(value: Any) -> Any:
        for check in checks:
            check(value)
        return value

    return run


def row_check(model: type[models.Model], values: dict[str, Any]) -> None:
    """Checks across the columns of one row; raises Invalid naming the column."""
    if model is WorkspaceSettings:
        try:
            playbooks.load_policy(values.get("playbook") or "jobseeker", values.get("overrides") or {})
        except playbooks.PlaybookError as exc:
            raise Invalid("overrides", str(exc)) from None


def _choice_check(field: models.Field[Any, Any]) -> Check:
    allowed = {str(value) for value, _ in field.flatchoices}
    if field.blank:
        allowed.add("")
    known = ", ".join(sorted(v for v in allowed if v))

    def check(value: Any) -> None:
        if value not in allowed:
            raise Invalid(field.attname, f"{value!r} is not one I know", f"use one of: {known}")

    return check


def _text(value: str, *, field: str) -> None:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise Invalid(field, "contains a broken character (a lone surrogate)") from None


def _within(value: int, low: int, high: int, *, field: str) -> None:
    if not low <= value <= high:
        shown = str(value) if len(str(value)) <= 24 else f"{str(value)[:12]}..."
        raise Invalid(field, f"{shown} is out of range", f"use a number from {low} to {high}")


def _plain_json(value: Any, *, field: str, depth: int = 0) -> None:
    """JSON every database stores and reads back the same: bounded depth, finite numbers,
    whole text."""
    if depth > MAX_JSON_DEPTH:
        raise Invalid(field, f"nested more than {MAX_JSON_DEPTH} levels deep")
    if isinstance(value, dict):
        for key, item in value.items():
            _text(key, field=field)
            _plain_json(item, field=field, depth=depth + 1)
    elif isinstance(value, list):
        for item in value:
            _plain_json(item, field=field, depth=depth + 1)
    elif isinstance(value, str):
        _text(value, field=field)
    elif isinstance(value, float) and not math.isfinite(value):
        raise Invalid(field, "holds a number that is not finite")
    elif isinstance(value, int) and not isinstance(value, bool):
        _within(value, -MAX_ID - 1, MAX_ID, field=field)


def _workspace_timezone(value: str) -> None:
    parse_timezone(value, field="timezone")


def _person_timezone(value: str) -> None:
    if value:  # "" means the user's own
        parse_timezone(value, field="timezone")


def _country(value: str) -> None:
    if not value:
        return
    import holidays  # as the settings service does: only this needs it

    if value not in holidays.list_supported_countries():
        raise Invalid("country", f"{value!r} is not a country code with known holidays", "use e.g. US, GB, DE")


def _overrides(value: Any) -> None:
    if not isinstance(value, dict):
        raise Invalid("overrides", "should be an object of playbook setting: number")
    for key, number in value.items():
        if number is not None:
            check_playbook_number(key, number)


def _followup_extra(value: Any) -> None:
    if not isinstance(value, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in value.items()):
        raise Invalid("extra", "should be an object of text: text")


def _engine_fields(value: Any) -> None:
    if not isinstance(value, dict):
        raise Invalid("engine_fields", "should be an object")
    for key, item in value.items():
        if key not in OTHER_FIELDS:
            raise Invalid("engine_fields", f"{key!r} is not a follow-up detail I know")
        expected = _SUGGESTION_TYPES[key]
        if expected == "bool" and not isinstance(item, bool):
            raise Invalid("engine_fields", f"{key} should be true or false")
        if expected == "int" and (isinstance(item, bool) or not isinstance(item, int)):
            raise Invalid("engine_fields", f"{key} should be a whole number")
        if expected == "int":
            _within(item, -(2**31), 2**31 - 1, field=f"engine_fields.{key}")


_SPECIAL: dict[tuple[type[models.Model], str], Check] = {
    (WorkspaceSettings, "timezone"): _workspace_timezone,
    (WorkspaceSettings, "country"): _country,
    (WorkspaceSettings, "overrides"): _overrides,
    (Person, "timezone"): _person_timezone,
    (ValueItem, "file_name"): lambda v: check_material_name(v, field="file_name"),
    (FollowUp, "extra"): _followup_extra,
    (FollowUp, "engine_fields"): _engine_fields,
}
