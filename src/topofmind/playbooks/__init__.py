"""Playbooks are data: TOML files of rule switches and numbers, with per-workspace overrides."""

from __future__ import annotations

import dataclasses
import tomllib
from collections.abc import Mapping
from functools import lru_cache
from importlib import resources
from typing import Any

from topofmind.engine.types import Policy

PLAYBOOKS = ("jobseeker", "recruiter")
_FIELDS = {f.name: f for f in dataclasses.fields(Policy)}
# Numbers a user may override, with what they mean (documented in docs/settings.md).
TUNABLE = tuple(name for name in _FIELDS if name not in ("name", "enabled_rules"))


class PlaybookError(ValueError):
    """A playbook name or an override that makes no sense; the message names it."""


@lru_cache(maxsize=8)
def _raw(name: str) -> dict[str, Any]:
    if name not in PLAYBOOKS:
        raise PlaybookError(f"unknown playbook {name!r}: choose one of {', '.join(PLAYBOOKS)}")
    text = resources.files(__package__).joinpath(f"{name}.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)


def coerce(key: str, value: object) -> int | bool:
    """Check one override: the key must be a playbook number and the value must fit it."""
    if key not in TUNABLE:
        raise PlaybookError(f"unknown playbook setting {key!r}; known: {', '.join(TUNABLE)}")
    kind = _FIELDS[key].type
    if kind in (bool, "bool"):
        if isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        if text in ("true", "yes", "1", "on"):
            return True
        if text in ("false", "no", "0", "off"):
            return False
        raise PlaybookError(f"{key} must be true or false, not {value!r}")
    try:
        number = int(str(value).strip()) if not isinstance(value, int) else value
    except ValueError:
        raise PlaybookError(f"{key} must be a whole number, not {value!r}") from None
    lowest = 0 if key.endswith("business_days") or key == "overdue_deadline_days" else 1
    if key in ("business_hours_start", "business_hours_end"):
        if not 0 <= number <= 24:
            raise PlaybookError(f"{key} must be an hour from 0 to 24, not {number}")
    elif number < lowest:
        raise PlaybookError(f"{key} must be at least {lowest}, not {number}")
    return number


def load_policy(name: str = "jobseeker", overrides: Mapping[str, object] | None = None) -> Policy:
    """The playbook ``name`` with a workspace's overrides on top."""
    raw = _raw(name)
    values: dict[str, Any] = {"name": raw["name"], "enabled_rules": frozenset(raw["rules"])}
    for key, value in raw.items():
        if key in TUNABLE:
            values[key] = value
    missing = [key for key in TUNABLE if key not in values]
    if missing:  # the file is the only home of the numbers: Policy has no defaults to fall back on
        raise PlaybookError(f"playbook {name!r} does not set {', '.join(missing)}")
    for key, value in (overrides or {}).items():
        if value is None:
            continue
        values[key] = coerce(key, value)
    policy = Policy(**values)
    if policy.business_hours_start >= policy.business_hours_end:
        raise PlaybookError("business_hours_start must be before business_hours_end")
    return policy


def describe(name: str) -> str:
    return str(_raw(name).get("description", ""))
