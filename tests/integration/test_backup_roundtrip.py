"""The round trip, as a property: for any workspace, backup -> restore gives back the same data.

Workspaces are drawn table by table from the models themselves (every column by its type,
choices from its choices, foreign keys among the rows drawn so far), so a column or table
the store gains later is covered without touching this test. Rows the database refuses
(a unique or check constraint) or the restore's own checks refuse (the rules the forms apply:
see test_restore_fuzz.py for what happens to those) are simply not part of the drawn workspace. Runs on the
test database: SQLite by default, PostgreSQL when TOPOFMIND_DATABASE_URL points there.
"""

from __future__ import annotations

import io
import json
from datetime import UTC, date, datetime
from typing import Any

import pytest
from django.db import IntegrityError, models, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from topofmind.crm.errors import Invalid
from topofmind.crm.models import Workspace
from topofmind.crm.services.backup import backup_models, restore_backup, write_backup
from topofmind.crm.services.backup_checks import column_check, row_check

pytestmark = pytest.mark.django_db

NOW = datetime(2030, 3, 4, 8, 0, tzinfo=UTC)
# Any text a user could type or paste (PostgreSQL refuses only the zero character).
TEXT = st.text(st.characters(exclude_categories=["Cs"], exclude_characters="\x00"), max_size=40)
JSON_VALUE = st.one_of(
    st.none(), st.booleans(), st.integers(-(2**40), 2**40), st.text(max_size=10).filter(lambda s: "\x00" not in s)
)


# Columns with rules of their own (backup_checks.py): drawn from values the forms accept.
URLS = st.sampled_from(["", "https://example.com", "http://acme.test/jobs/1?ref=a"])
BY_NAME: dict[str, st.SearchStrategy[Any]] = {
    "timezone": st.sampled_from(["", "UTC", "Europe/Berlin", "America/New_York"]),
    "country": st.sampled_from(["", "US", "DE"]),
    "overrides": st.sampled_from([{}, {"nudge1_days": 5}, {"guard_in_business_days": True}]),
    "extra": st.dictionaries(st.text(max_size=8).filter(lambda s: "\x00" not in s), TEXT, max_size=3),
    "engine_fields": st.sampled_from([{}, {"phone_known": True, "org_priority": 2}]),
    # A material's stored name is one topofmind made (never a path): backup_checks refuses others.
    "file_name": st.sampled_from(["", "0123456789abcdef0123456789abcdef.pdf", "fedcba9876543210fedcba9876543210"]),
}


def value_strategy(field: models.Field[Any, Any]) -> st.SearchStrategy[Any]:
    kind = field.get_internal_type()
    if field.attname in BY_NAME:
        return BY_NAME[field.attname]
    if kind == "URLField":
        return URLS
    if field.choices:
        values = [value for value, _ in field.flatchoices]
        return st.sampled_from(values)
    if kind in ("CharField", "TextField", "URLField", "EmailField", "SlugField"):
        limit = field.max_length or 200
        return TEXT.map(lambda s: s[:limit])
    if kind == "BooleanField":
        return st.booleans()
    # Small numbers often (check constraints such as a priority of 1-5 take them), any now and then.
    small = st.integers(0, 9)
    if kind in ("PositiveSmallIntegerField", "SmallIntegerField"):
        return small | st.integers(0, 32767)
    if kind in ("PositiveIntegerField", "IntegerField"):
        return small | st.integers(0 if "Positive" in kind else -(2**31), 2**31 - 1)
    if kind in ("BigIntegerField", "PositiveBigIntegerField"):
        return small | st.integers(0, 2**62)
    if kind == "DateTimeField":
        return st.datetimes(datetime(1990, 1, 1), datetime(2100, 1, 1), timezones=st.just(UTC))
    if kind == "DateField":
        return st.dates(date(1990, 1, 1), date(2100, 1, 1))
    if kind == "JSONField":
        return st.dictionaries(st.text(max_size=8).filter(lambda s: "\x00" not in s), JSON_VALUE, max_size=3)
    raise NotImplementedError(f"no strategy for {field} ({kind}): add one here")


def restorable(model: type[models.Model], values: dict[str, Any]) -> bool:
    try:
        for field in model._meta.concrete_fields:
            check = column_check(model, field)
            value = values.get(field.attname)
            if check is not None and value is not None and not isinstance(field, models.ForeignKey):
                check(value)
        row_check(model, values)
    except Invalid:
        return False
    return True


def draw_workspace(data: st.DataObject) -> Workspace:
    workspace = Workspace.objects.create(name=data.draw(TEXT.filter(str.strip), label="name"), created_at=NOW)
    rows: dict[type[models.Model], list[models.Model]] = {Workspace: [workspace]}
    for model in backup_models():
        one_only = any(
            isinstance(f, models.OneToOneField) and f.related_model is Workspace for f in model._meta.concrete_fields
        )
        count = data.draw(st.integers(0, 1 if one_only else 4), label=model._meta.label)
        made = rows.setdefault(model, [])
        for _ in range(count):
            values: dict[str, Any] = {}
            possible = True
            for field in model._meta.concrete_fields:
                if field.primary_key:
                    continue
                if isinstance(field, models.ForeignKey):
                    choices = rows.get(field.related_model, [])
                    if field.null and (not choices or data.draw(st.booleans())):
                        values[field.name] = None
                    elif choices:
                        values[field.name] = data.draw(st.sampled_from(choices))
                    else:
                        possible = False
                    continue
                if field.null and data.draw(st.booleans()):
                    values[field.attname] = None
                else:
                    values[field.attname] = data.draw(value_strategy(field), label=field.name)
            if not possible or not restorable(model, values):
                continue
            try:
                with transaction.atomic():
                    made.append(model._default_manager.create(**values))
            except IntegrityError:
                pass  # a constraint said no: this row is not part of the workspace
    return workspace


def backup_doc(workspace: Workspace) -> dict[str, Any]:
    out = io.StringIO()
    write_backup(out, workspace=workspace, now=NOW)
    doc: dict[str, Any] = json.loads(out.getvalue())
    doc.pop("created_at")
    return doc


def canonical(doc: dict[str, Any]) -> dict[str, Any]:
    """The document with every id replaced by the row's position in its table."""
    position: dict[str, dict[int, int]] = {"crm.workspace": {doc["workspace"]["id"]: 0}}
    fks: dict[str, dict[str, str]] = {}
    for model in backup_models():
        label = model._meta.label_lower
        fks[label] = {
            f.attname: f.related_model._meta.label_lower
            for f in model._meta.concrete_fields
            if isinstance(f, models.ForeignKey) and f.related_model is not None
        }
        position[label] = {row["id"]: i for i, row in enumerate(doc["tables"].get(label, []))}
    tables = {}
    for label, table in doc["tables"].items():
        out = []
        for row in table:
            row = dict(row, id=position[label][row["id"]])
            for column, target in fks[label].items():
                if row.get(column) is not None and target in position:
                    row[column] = position[target][row[column]]
            out.append(row)
        tables[label] = out
    workspace = dict(doc["workspace"], id=0)
    return {**doc, "workspace": workspace, "tables": tables}


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow], deadline=None)
@given(data=st.data())
def test_restore_into_an_empty_database_gives_back_the_same_data(data: st.DataObject) -> None:
    with transaction.atomic():
        workspace = draw_workspace(data)
        before = backup_doc(workspace)
        Workspace.objects.all().delete()
        result = restore_backup(io.StringIO(json.dumps(before | {"created_at": NOW.isoformat()})))
        assert result.kept_ids
        assert backup_doc(Workspace.objects.get(pk=result.workspace_id)) == before
        transaction.set_rollback(True)


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow], deadline=None)
@given(data=st.data())
def test_restore_beside_the_original_gives_the_same_data_under_new_ids(data: st.DataObject) -> None:
    with transaction.atomic():
        workspace = draw_workspace(data)
        before = backup_doc(workspace)
        result = restore_backup(io.StringIO(json.dumps(before | {"created_at": NOW.isoformat()})))
        assert result.workspace_id != workspace.pk
        after = backup_doc(Workspace.objects.get(pk=result.workspace_id))
        assert canonical(after) == canonical(before)
        assert backup_doc(workspace) == before  # the original is untouched
        transaction.set_rollback(True)
