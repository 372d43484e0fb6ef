"""Playbooks are data: the numbers of the rulebook, with a workspace's overrides on top."""

from __future__ import annotations

import dataclasses
import re
import tomllib
from importlib import resources

import pytest

from topofmind.engine.types import Policy
from topofmind.playbooks import PLAYBOOKS, TUNABLE, PlaybookError, coerce, describe, load_policy

KNOWN_RULES = {f"R{n}" for n in range(1, 18)} | {"P1", "P2", "P3", "P4"}


def test_the_job_seeker_playbook_carries_the_numbers_of_the_rulebook() -> None:
    p = load_policy("jobseeker")
    assert (p.thank_you_hours, p.nudge1_days, p.nudge2_days, p.rest_days) == (24, 7, 7, 30)
    assert (p.guard_days, p.guard_in_business_days, p.daily_cap) == (7, False, 15)
    assert (p.reply_business_days, p.recruiter_update_days) == (1, 14)
    assert (p.keep_warm_open_days, p.keep_warm_network_days) == (7, 30)
    assert (p.status_after_decision_business_days, p.status_after_interview_days) == (1, 7)
    assert p.max_words == 120
    for rule in ("R1", "R2", "R3", "R4", "R5", "R6", "R7", "R8", "R9", "R13", "R14", "R15", "R16", "R17"):
        assert p.enabled(rule), rule
    assert not p.enabled("P1")


def test_the_recruiter_playbook_guards_two_business_days_and_adds_p1_to_p4() -> None:
    p = load_policy("recruiter")
    assert (p.guard_days, p.guard_in_business_days) == (2, True)
    assert p.intake_follow_up_business_days == 1
    assert p.feedback_after_submission_business_days == 2
    assert p.feedback_after_interview_business_days == 1
    assert p.candidate_update_days == 7
    for rule in ("P1", "P2", "P3", "P4", "R3", "R7", "R9"):
        assert p.enabled(rule), rule
    assert not p.enabled("R1")
    assert not p.enabled("R15")


@pytest.mark.parametrize("name", PLAYBOOKS)
def test_every_playbook_key_is_a_policy_number_and_every_rule_id_is_known(name: str) -> None:
    raw = tomllib.loads(resources.files("topofmind.playbooks").joinpath(f"{name}.toml").read_text())
    fields = {f.name for f in dataclasses.fields(Policy)}
    assert set(raw) - {"name", "description", "rules"} <= fields
    assert set(raw["rules"]) <= KNOWN_RULES
    assert describe(name)


def test_workspace_overrides_win_and_text_values_are_coerced() -> None:
    p = load_policy("jobseeker", {"daily_cap": "20", "guard_in_business_days": "yes", "rest_days": 45})
    assert (p.daily_cap, p.guard_in_business_days, p.rest_days) == (20, True, 45)
    assert load_policy("jobseeker", {"daily_cap": None}).daily_cap == 15


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("daily_kap", 3, "unknown playbook setting 'daily_kap'"),
        ("daily_cap", "many", "daily_cap must be a whole number"),
        ("daily_cap", 0, "daily_cap must be at least 1"),
        ("guard_in_business_days", "maybe", "guard_in_business_days must be true or false"),
        ("business_hours_end", 25, "business_hours_end must be an hour from 0 to 24"),
        ("name", "x", "unknown playbook setting 'name'"),
    ],
)
def test_a_bad_override_is_refused_with_a_message_naming_it(key: str, value: object, message: str) -> None:
    with pytest.raises(PlaybookError, match=re.escape(message)):
        coerce(key, value)


def test_business_hours_must_start_before_they_end() -> None:
    with pytest.raises(PlaybookError, match="business_hours_start must be before"):
        load_policy("jobseeker", {"business_hours_start": 18})


def test_an_unknown_playbook_names_the_choices() -> None:
    with pytest.raises(PlaybookError, match="jobseeker, recruiter"):
        load_policy("salesman")


def test_zero_business_days_is_allowed_where_it_means_the_same_day() -> None:
    assert coerce("reply_business_days", "0") == 0
    assert "reply_business_days" in TUNABLE


@pytest.mark.parametrize("name", PLAYBOOKS)
def test_every_playbook_states_every_number_itself(name: str) -> None:
    raw = tomllib.loads(resources.files("topofmind.playbooks").joinpath(f"{name}.toml").read_text())
    assert set(TUNABLE) <= set(raw)
