"""Settings: name, time zone, holidays, playbook and its numbers, daily cap, the plan."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from topofmind import playbooks
from topofmind.crm import queries, services
from topofmind.crm.errors import TopofmindError
from topofmind.crm.models import Workspace
from topofmind.crm.planning import snapshot
from topofmind.crm.validation import PLAYBOOK_NUMBER_MAX
from topofmind.engine.types import Policy
from topofmind.web.common import attach_error, now, page, user_id, workspace_of
from topofmind.web.forms import Form, GeneralSettingsForm, PlanForm

# What each playbook number means, in the words of the settings page.
NUMBER_LABELS: dict[str, tuple[str, str]] = {
    "thank_you_hours": ("Thank-you due within (hours)", "R1: after an interview."),
    "linkedin_connect_days": ("LinkedIn invitation after (days)", "R2: to interviewers you are not connected with."),
    "nudge1_days": ("First nudge after (days)", "R3: when a message that asked something gets no answer."),
    "nudge2_days": ("Second nudge after (more days)", "R3"),
    "rest_days": ("Rest after the second nudge (days)", "R3: then one fresh check-in."),
    "status_after_decision_business_days": ("Status inquiry after the decision date (business days)", "R4"),
    "status_after_interview_days": (
        "Status inquiry after the last interview (days)",
        "R4: when no decision date was given.",
    ),
    "keep_warm_open_days": ("Keep warm: people in an open opening, every (days)", "R5"),
    "keep_warm_network_days": ("Keep warm: everyone else, every (days)", "R5: a person's own cadence wins."),
    "guard_days": (
        "At most one message per person every (days)",
        "R6: the pacing guard; thank-yous and replies are exempt.",
    ),
    "guard_in_business_days": ("Count the guard in business days", "R6"),
    "reply_business_days": ("Reply owed within (business days)", "R7"),
    "recruiter_update_days": ("Recruiter update every (days)", "R14"),
    "intake_follow_up_business_days": ("Intake follow-up within (business days)", "Recruiter playbook."),
    "feedback_after_submission_business_days": (
        "Feedback request after a submission (business days)",
        "Recruiter playbook.",
    ),
    "feedback_after_interview_business_days": (
        "Feedback after a candidate interview (business days)",
        "Recruiter playbook.",
    ),
    "candidate_update_days": ("Candidate update every (days)", "Recruiter playbook."),
    "max_words": ("Longest e-mail draft (words)", "R10"),
    "overdue_deadline_days": ("Stop suggesting a missed thank-you or reply after (days)", ""),
    "business_hours_start": ("Calls from (hour, their time)", "R8"),
    "business_hours_end": ("Calls until (hour, their time)", "R8"),
}
NUMBER_KEYS = tuple(k for k in playbooks.TUNABLE if k != "daily_cap")
# The rule each number tunes: a number belongs to a playbook when its rule is on in it; the
# ones not listed (draft length, the stale cut-off) belong to every playbook.
NUMBER_RULES: dict[str, str] = {
    "thank_you_hours": "R1",
    "linkedin_connect_days": "R2",
    "nudge1_days": "R3",
    "nudge2_days": "R3",
    "rest_days": "R3",
    "status_after_decision_business_days": "R4",
    "status_after_interview_days": "R4",
    "keep_warm_open_days": "R5",
    "keep_warm_network_days": "R5",
    "guard_days": "R6",
    "guard_in_business_days": "R6",
    "reply_business_days": "R7",
    "business_hours_start": "R8",
    "business_hours_end": "R8",
    "recruiter_update_days": "R14",
    "intake_follow_up_business_days": "P1",
    "feedback_after_submission_business_days": "P2",
    "feedback_after_interview_business_days": "P3",
    "candidate_update_days": "P4",
}


def numbers_in_use(policy: Policy) -> set[str]:
    """The numbers the active playbook's rules read; the others wait behind a disclosure."""
    return {k for k in NUMBER_KEYS if k not in NUMBER_RULES or policy.enabled(NUMBER_RULES[k])}


class NumbersForm(Form):
    def __init__(self, *args: Any, policy: Policy, defaults: Policy, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.in_use = numbers_in_use(policy)
        for key in NUMBER_KEYS:
            label, rule = NUMBER_LABELS.get(key, (key.replace("_", " ").capitalize(), ""))
            current = getattr(policy, key)
            default = getattr(defaults, key)
            shown = ("yes" if default else "no") if isinstance(default, bool) else str(default)
            help_text = f"{rule} Playbook: {shown}.".strip()
            if isinstance(current, bool):
                self.fields[key] = forms.BooleanField(label=label, required=False, initial=current, help_text=help_text)
            else:
                self.fields[key] = forms.IntegerField(
                    label=label,
                    required=True,
                    min_value=0,
                    max_value=PLAYBOOK_NUMBER_MAX,
                    initial=current,
                    help_text=help_text,
                )

    def active_fields(self) -> list[forms.BoundField]:
        return [self[k] for k in self.fields if k in self.in_use]

    def other_fields(self) -> list[forms.BoundField]:
        return [self[k] for k in self.fields if k not in self.in_use]


def _general_initial(workspace: Workspace, user_id: int) -> dict[str, Any]:
    values = queries.config_values(workspace=workspace)
    mine = queries.viewer_of(user_id, workspace)  # name, zone and country are the user's own
    return {
        "name": mine.name,
        "timezone": mine.timezone,
        "country": mine.country,
        "playbook": values["playbook"],
        "daily_cap": values["daily_cap"],
    }


def _plan_initial(workspace: Workspace) -> dict[str, Any]:
    plan = queries.plan_row(workspace)
    if plan is None:
        return {"calls_per_day": 1}
    return {"targets": plan.targets, "weeks": plan.weeks, "calls_per_day": plan.calls_per_day, "start": plan.start}


@require_http_methods(["GET", "POST"])
def settings_page(request: HttpRequest) -> HttpResponse:
    workspace = workspace_of(request)
    policy = queries.policy_of(workspace)
    defaults = playbooks.load_policy(snapshot.settings_of(workspace).playbook)
    general = GeneralSettingsForm(initial=_general_initial(workspace, user_id(request)), prefix="g")
    numbers = NumbersForm(policy=policy, defaults=defaults, prefix="n")
    plan = PlanForm(initial=_plan_initial(workspace), prefix="p")
    status = 200
    if request.method == "POST":
        which = request.POST.get("form")
        if which == "general":
            general = GeneralSettingsForm(request.POST, prefix="g")
            if general.is_valid() and _save_general(request, workspace, general):
                return HttpResponseRedirect(reverse("web:settings"))
        elif which == "numbers":
            numbers = NumbersForm(request.POST, policy=policy, defaults=defaults, prefix="n")
            if numbers.is_valid() and _save_numbers(request, workspace, numbers, policy):
                return HttpResponseRedirect(reverse("web:settings") + "#numbers")
        elif which == "plan":
            plan = PlanForm(request.POST, prefix="p")
            if plan.is_valid() and _save_plan(request, workspace, plan):
                return HttpResponseRedirect(reverse("web:settings") + "#plan")
        else:
            messages.error(request, "That form was not recognised; nothing was saved.")
        status = 400
    return page(
        request,
        "web/settings.html",
        {
            "general": general,
            "numbers": numbers,
            "plan": plan,
            "playbook_description": playbooks.describe(snapshot.settings_of(workspace).playbook),
            "playbook_name": snapshot.settings_of(workspace).playbook,
        },
        section="settings",
        status=status,
    )


def _save_general(request: HttpRequest, workspace: Workspace, form: GeneralSettingsForm) -> bool:
    """Name, zone and country go to the user's own settings; playbook and cap to the workspace."""
    data = form.cleaned_data
    before = queries.viewer_of(user_id(request), workspace)
    changes = {
        "playbook": data["playbook"],
        "daily_cap": "" if data.get("daily_cap") is None else str(data["daily_cap"]),
    }
    mine = (" ".join(data.get("name", "").split()), data["timezone"], data.get("country") or "")
    try:
        with transaction.atomic():
            changed = services.save_settings(workspace=workspace, changes=changes, now=now())
            if (
                mine != (before.name, before.timezone, before.country)
                or queries.user_settings_of(user_id(request)) is None
            ):
                services.save_user_settings(
                    user_id=user_id(request), name=mine[0], timezone=mine[1], country=mine[2], now=now()
                )
                changed.append("you")
    except TopofmindError as exc:
        attach_error(form, exc)
        return False
    messages.success(request, "Settings saved; today is re-planned." if changed else "Nothing changed.")
    return True


def _save_numbers(request: HttpRequest, workspace: Workspace, form: NumbersForm, policy: Policy) -> bool:
    changes = {}
    for key in NUMBER_KEYS:
        value = form.cleaned_data.get(key)
        if value != getattr(policy, key):
            changes[key] = str(value).lower() if isinstance(value, bool) else str(value)
    try:
        changed = services.save_settings(workspace=workspace, changes=changes, now=now())
    except TopofmindError as exc:
        attach_error(form, exc)
        return False
    messages.success(request, "Playbook numbers saved; today is re-planned." if changed else "Nothing changed.")
    return True


def _save_plan(request: HttpRequest, workspace: Workspace, form: PlanForm) -> bool:
    data = form.cleaned_data
    try:
        services.set_plan(
            workspace=workspace,
            targets=data["targets"],
            weeks=data["weeks"],
            calls_per_day=data["calls_per_day"] if data.get("calls_per_day") is not None else 1,
            start=data.get("start"),
            now=now(),
        )
    except TopofmindError as exc:
        attach_error(form, exc)
        return False
    messages.success(request, "Plan saved; today is re-planned.")
    return True
