"""Shared by the service modules: "leave as it is" for edits, and the field checks and
the workspace-scoped row fetch every use-case needs."""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import TypeAlias, TypeVar, Union

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.core.validators import EmailValidator
from django.db import models
from django.db.models import QuerySet

from topofmind.crm.errors import Invalid, NotFound
from topofmind.crm.models import Workspace
from topofmind.crm.queries.lookup import ID_HINTS
from topofmind.crm.validation import check_day, check_moment, check_url


class _Unset(enum.Enum):
    UNSET = "unset"


UNSET = _Unset.UNSET
T = TypeVar("T")
Maybe: TypeAlias = Union[T, _Unset]  # noqa: UP007 - a generic alias needs Union here


M = TypeVar("M", bound=models.Model)


def get_row(rows: QuerySet[M], workspace: Workspace, pk: int, noun: str) -> M:
    """The row ``pk`` of ``workspace`` (never another workspace's)."""
    try:
        return rows.get(workspace=workspace, pk=pk)
    except ObjectDoesNotExist:
        raise NotFound(f"no {noun} with id {pk}", ID_HINTS.get(noun, "")) from None


def required(value: str, *, field: str) -> str:
    text = " ".join(str(value).split())
    if not text:
        raise Invalid(field, "must not be empty")
    no_nul(text, field=field)
    return text


def no_nul(text: str, *, field: str) -> str:
    """Refuse a NUL character: no one types one, and PostgreSQL text cannot hold it."""
    if "\x00" in text:
        raise Invalid(field, "must not contain a NUL character (\\x00)")
    return text


def web_url(value: str, *, field: str) -> str:
    text = value.strip()
    if not text:
        return ""
    if "://" not in text:
        text = "https://" + text
    try:
        return check_url(text, field=field)
    except Invalid:
        raise Invalid(field, f'"{value}" is not a web address', "use e.g. https://example.com") from None


def email_address(value: str) -> str:
    text = value.strip()
    try:
        EmailValidator()(text)
    except ValidationError:
        raise Invalid("email", f'"{value}" is not an e-mail address', "use e.g. dana@example.com") from None
    return text


def check_dates(**values: object) -> None:
    """Every date and moment given (by field name) is one the product can count with."""
    for name, value in values.items():
        if isinstance(value, datetime):
            check_moment(value, field=name)
        elif isinstance(value, date):
            check_day(value, field=name)
