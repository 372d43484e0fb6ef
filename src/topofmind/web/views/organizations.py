"""Organizations: the list, a page with people, openings, mutual connections and notes."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from topofmind.crm import queries, services
from topofmind.crm.errors import TopofmindError
from topofmind.crm.models import Organization
from topofmind.web.common import attach_error, get_or_404, now, page, query_string, safe_next, workspace_of
from topofmind.web.forms import OrganizationForm
from topofmind.web.views.people import confirm_delete


@require_GET
def organizations(request: HttpRequest) -> HttpResponse:
    workspace = workspace_of(request)
    search = request.GET.get("q", "").strip()
    try:
        number = int(request.GET.get("page", "1"))
    except ValueError:
        number = 1
    page_obj = queries.organizations(workspace, search=search, page=number)
    return page(
        request,
        "web/organizations/list.html",
        {"page_obj": page_obj, "search": search, "base_query": query_string(q=search)},
        section="organizations",
    )


def _values(form: OrganizationForm) -> dict[str, Any]:
    data = form.cleaned_data
    return {
        "name": data["name"],
        "website": data.get("website", ""),
        "industry": data.get("industry", ""),
        "target": data.get("target", False),
        "priority": data["priority"],
        "tags": data.get("tags", ""),
        "notes": data.get("notes", ""),
    }


@require_http_methods(["GET", "POST"])
def organization_new(request: HttpRequest) -> HttpResponse:
    workspace = workspace_of(request)
    if request.method == "POST":
        form = OrganizationForm(request.POST)
        if form.is_valid():
            try:
                org = services.add_organization(workspace=workspace, now=now(), **_values(form))
            except TopofmindError as exc:
                attach_error(form, exc, default_field="name")
            else:
                messages.success(request, f"Added {org.name}. Next: add a person there or an opening.")
                return HttpResponseRedirect(safe_next(request, reverse("web:organization", args=[org.pk])))
        return page(request, "web/organizations/form.html", {"form": form}, section="organizations", status=400)
    return page(request, "web/organizations/form.html", {"form": OrganizationForm()}, section="organizations")


@require_GET
def organization(request: HttpRequest, organization_id: int) -> HttpResponse:
    workspace = workspace_of(request)
    data = get_or_404("organization", queries.organization_page, workspace, organization_id)
    return page(
        request, "web/organizations/detail.html", {"o": data, "org": data.organization}, section="organizations"
    )


@require_http_methods(["GET", "POST"])
def organization_edit(request: HttpRequest, organization_id: int) -> HttpResponse:
    workspace = workspace_of(request)
    org = get_or_404("organization", queries.get_organization, workspace, organization_id)
    if request.method == "POST":
        form = OrganizationForm(request.POST)
        if form.is_valid():
            try:
                services.edit_organization(workspace=workspace, organization_id=org.pk, now=now(), **_values(form))
            except TopofmindError as exc:
                attach_error(form, exc, default_field="name")
            else:
                messages.success(request, "Saved.")
                return HttpResponseRedirect(reverse("web:organization", args=[org.pk]))
        status = 400
    else:
        form = OrganizationForm(initial=_initial(org))
        status = 200
    return page(
        request, "web/organizations/form.html", {"form": form, "org": org}, section="organizations", status=status
    )


def _initial(org: Organization) -> dict[str, Any]:
    return {
        "name": org.name,
        "website": org.website,
        "industry": org.industry,
        "target": org.target,
        "priority": org.priority,
        "tags": org.tags,
        "notes": org.notes,
    }


@require_http_methods(["GET", "POST"])
def organization_delete(request: HttpRequest, organization_id: int) -> HttpResponse:
    workspace = workspace_of(request)
    removal = get_or_404("organization", queries.organization_removal, workspace, organization_id)
    if request.method == "POST":
        name = services.delete_organization(workspace=workspace, organization_id=removal.row_id, now=now())
        messages.success(request, f"Deleted {name}; its people stay, without an employer.")
        return HttpResponseRedirect(reverse("web:organizations"))
    return confirm_delete(request, removal, back=reverse("web:organization", args=[removal.row_id]))
