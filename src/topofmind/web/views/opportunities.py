"""Openings: the list, a page with participants, stage history, timeline and next steps."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from topofmind.crm import queries, services
from topofmind.crm.errors import TopofmindError
from topofmind.crm.models import Opportunity, Workspace
from topofmind.engine.types import Role, Stage
from topofmind.web.common import attach_error, describe, get_or_404, now, page, query_string, safe_next, workspace_of
from topofmind.web.forms import STAGE_CHOICES, OpportunityForm, ParticipantForm, StageForm
from topofmind.web.views.people import confirm_delete


def organization_choices(workspace: Workspace) -> list[tuple[int, str]]:
    return queries.organization_choices(workspace)


@require_GET
def opportunities(request: HttpRequest) -> HttpResponse:
    workspace = workspace_of(request)
    search = request.GET.get("q", "").strip()
    stage = request.GET.get("stage", "")
    stage = stage if stage in {s.value for s in Stage} else ""
    try:
        number = int(request.GET.get("page", "1"))
    except ValueError:
        number = 1
    page_obj = queries.opportunities(workspace, search=search, stage=stage, page=number)
    return page(
        request,
        "web/opportunities/list.html",
        {
            "page_obj": page_obj,
            "search": search,
            "stage": stage,
            "stage_choices": STAGE_CHOICES,
            "base_query": query_string(q=search, stage=stage),
        },
        section="opportunities",
    )


def _values(form: OpportunityForm) -> dict[str, Any]:
    data = form.cleaned_data
    return {
        "title": data["title"],
        "organization_id": data["organization"],
        "decision_date": data.get("decision_date"),
        "posting_url": data.get("posting_url", ""),
        "posting_text": data.get("posting_text", ""),
        "source": data.get("source", ""),
        "notes": data.get("notes", ""),
    }


@require_http_methods(["GET", "POST"])
def opportunity_new(request: HttpRequest) -> HttpResponse:
    workspace = workspace_of(request)
    choices = organization_choices(workspace)
    if request.method == "POST":
        form = OpportunityForm(request.POST, organizations=choices)
        if form.is_valid():
            try:
                opp = services.add_opportunity(
                    workspace=workspace, now=now(), stage=Stage(form.cleaned_data["stage"]), **_values(form)
                )
            except TopofmindError as exc:
                attach_error(form, exc, default_field="title")
            else:
                messages.success(request, f"Added the opening {opp.title}.")
                return HttpResponseRedirect(safe_next(request, reverse("web:opportunity", args=[opp.pk])))
        return page(
            request,
            "web/opportunities/form.html",
            {"form": form, "no_orgs": not choices},
            section="opportunities",
            status=400,
        )
    initial: dict[str, Any] = {}
    if request.GET.get("org", "").isdigit():
        initial["organization"] = int(request.GET["org"])
    form = OpportunityForm(initial=initial, organizations=choices)
    return page(request, "web/opportunities/form.html", {"form": form, "no_orgs": not choices}, section="opportunities")


@require_GET
def opportunity(request: HttpRequest, opportunity_id: int) -> HttpResponse:
    workspace = workspace_of(request)
    data = get_or_404("opening", queries.opportunity_page, workspace, opportunity_id)
    flags = queries.ghosted_flags(workspace, now=now(), opportunity_ids=[data.opportunity.pk])
    return page(
        request,
        "web/opportunities/detail.html",
        {
            "o": data,
            "opp": data.opportunity,
            "ghosted": flags.get(data.opportunity.pk, ""),
            "participant_form": ParticipantForm(),
            "stage_form": StageForm(initial={"stage": data.opportunity.stage}),
        },
        section="opportunities",
    )


def _get(workspace: Workspace, opportunity_id: int) -> Opportunity:
    return get_or_404("opening", queries.get_opportunity, workspace, opportunity_id)


@require_http_methods(["GET", "POST"])
def opportunity_edit(request: HttpRequest, opportunity_id: int) -> HttpResponse:
    workspace = workspace_of(request)
    opp = _get(workspace, opportunity_id)
    choices = organization_choices(workspace)
    if request.method == "POST":
        form = OpportunityForm(request.POST, organizations=choices)
        if form.is_valid():
            try:
                services.edit_opportunity(
                    workspace=workspace,
                    opportunity_id=opp.pk,
                    now=now(),
                    stage=Stage(form.cleaned_data["stage"]),
                    **_values(form),
                )
            except TopofmindError as exc:
                attach_error(form, exc, default_field="title")
            else:
                messages.success(request, "Saved.")
                return HttpResponseRedirect(reverse("web:opportunity", args=[opp.pk]))
        status = 400
    else:
        form = OpportunityForm(
            initial={
                "title": opp.title,
                "organization": opp.organization_id,
                "stage": opp.stage,
                "decision_date": opp.decision_date,
                "posting_url": opp.posting_url,
                "source": opp.source,
                "posting_text": opp.posting_text,
                "notes": opp.notes,
            },
            organizations=choices,
        )
        status = 200
    return page(
        request, "web/opportunities/form.html", {"form": form, "opp": opp}, section="opportunities", status=status
    )


@require_POST
def participant_add(request: HttpRequest, opportunity_id: int) -> HttpResponse:
    workspace = workspace_of(request)
    opp = _get(workspace, opportunity_id)
    form = ParticipantForm(request.POST)
    if form.is_valid():
        role = Role(form.cleaned_data["role"]) if form.cleaned_data.get("role") else None
        try:
            person = services.add_participant(
                workspace=workspace, opportunity_id=opp.pk, name=form.cleaned_data["person"], role=role, now=now()
            )
        except TopofmindError as exc:
            messages.error(request, f"Not added: {describe(exc)}")
        else:
            messages.success(request, f"{person.name} is now part of {opp.title}.")
    else:
        messages.error(request, "Not added: type the person's name.")
    return HttpResponseRedirect(reverse("web:opportunity", args=[opp.pk]))


@require_POST
def participant_remove(request: HttpRequest, opportunity_id: int, person_id: int) -> HttpResponse:
    workspace = workspace_of(request)
    opp = _get(workspace, opportunity_id)
    try:
        services.edit_opportunity(workspace=workspace, opportunity_id=opp.pk, now=now(), remove_people=[person_id])
    except TopofmindError as exc:
        messages.error(request, describe(exc))
    else:
        messages.success(request, "Removed from the opening.")
    return HttpResponseRedirect(reverse("web:opportunity", args=[opp.pk]))


@require_POST
def stage_move(request: HttpRequest, opportunity_id: int) -> HttpResponse:
    """Move an opening to another stage (the board's drag and drop and its select + button)."""
    workspace = workspace_of(request)
    opp = _get(workspace, opportunity_id)
    form = StageForm(request.POST)
    text, error = "", False
    if form.is_valid():
        stage = Stage(form.cleaned_data["stage"])
        try:
            services.edit_opportunity(workspace=workspace, opportunity_id=opp.pk, now=now(), stage=stage)
        except TopofmindError as exc:
            text, error = describe(exc), True
        else:
            text = f"Moved {opp.title} ({opp.organization.name}) to {stage.value.replace('_', ' ')}."
    else:
        text, error = "Pick a stage to move it to.", True
    if request.htmx:  # type: ignore[attr-defined]
        from topofmind.web.views.board import render_board

        return render_board(request, workspace, message=text, error=error, focus=opp.pk)
    (messages.error if error else messages.success)(request, text)
    return HttpResponseRedirect(safe_next(request, reverse("web:opportunity", args=[opp.pk])))


@require_http_methods(["GET", "POST"])
def opportunity_delete(request: HttpRequest, opportunity_id: int) -> HttpResponse:
    workspace = workspace_of(request)
    removal = get_or_404("opening", queries.opening_removal, workspace, opportunity_id)
    if request.method == "POST":
        label = services.delete_opportunity(workspace=workspace, opportunity_id=removal.row_id, now=now())
        messages.success(request, f"Deleted the opening {label}; touches about it stay.")
        return HttpResponseRedirect(reverse("web:opportunities"))
    return confirm_delete(request, removal, back=reverse("web:opportunity", args=[removal.row_id]))
