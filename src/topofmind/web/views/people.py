"""People: the list with search and filters, a person's page, add / edit, stop / resume."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from topofmind.crm import queries, services
from topofmind.crm.errors import NotFound, TopofmindError
from topofmind.crm.models import Person, Workspace
from topofmind.crm.queries import lookup
from topofmind.crm.validation import parse_id
from topofmind.engine.types import Channel, Role
from topofmind.web.common import (
    attach_error,
    describe,
    form_errors,
    get_or_404,
    now,
    page,
    query_string,
    safe_next,
    split_names,
    workspace_of,
)
from topofmind.web.forms import ROLE_CHOICES, PersonForm, StopForm


def _int_or_none(text: str | None) -> int | None:
    try:
        return int(text) if text and len(text) < 30 else None
    except ValueError:
        return None


@require_GET
def people(request: HttpRequest) -> HttpResponse:
    workspace = workspace_of(request)
    role = request.GET.get("role", "")
    filters = queries.PeopleFilter(
        search=request.GET.get("q", "").strip(),
        role=role if role in {r.value for r in Role} else "",
        organization_id=parse_id(request.GET.get("org"), field="org"),
        losing_touch=request.GET.get("losing") == "1",
        waiting=request.GET.get("waiting") == "1",
    )
    page_obj = queries.people(workspace, now=now(), filters=filters, page=_int_or_none(request.GET.get("page")) or 1)
    base = query_string(
        q=filters.search,
        role=filters.role,
        org=filters.organization_id,
        losing="1" if filters.losing_touch else "",
        waiting="1" if filters.waiting else "",
    )
    context: dict[str, Any] = {
        "page_obj": page_obj,
        "filters": filters,
        "role_choices": ROLE_CHOICES,
        "organizations": queries.organization_choices(workspace),
        "base_query": base,
    }
    return page(request, "web/people/list.html", context, section="people")


def _organization_id(workspace: Workspace, name: str, *, created: list[str]) -> int | None:
    """The organization typed into a person form; a new name adds it."""
    name = name.strip()
    if not name:
        return None
    try:
        return lookup.find_organization(workspace=workspace, name=name).pk
    except NotFound:
        org = services.add_organization(workspace=workspace, name=name, now=now())
        created.append(org.name)
        return org.pk


def _person_values(workspace: Workspace, form: PersonForm, *, created: list[str]) -> dict[str, Any]:
    data = form.cleaned_data
    return {
        "name": data["name"],
        "organization_id": _organization_id(workspace, data.get("organization", ""), created=created),
        "title": data.get("title", ""),
        "roles": [Role(r) for r in data.get("roles", [])],
        "emails": split_names(data.get("emails", "")),
        "phones": split_names(data.get("phones", "")),
        "linkedin_url": data.get("linkedin_url", ""),
        "linkedin_connected": data.get("linkedin_connected", False),
        "prefers": Channel(data["prefers"]) if data.get("prefers") else None,
        "timezone": data.get("timezone", ""),
        "how_met": data.get("how_met", ""),
        "interests": data.get("interests", ""),
        "notes": data.get("notes", ""),
        "cadence_days": data.get("cadence_days"),
    }


def _email_taken(form: PersonForm, exc: services.EmailTaken) -> services.EmailTaken:
    """Refused: the address is someone else's. The form says so; the page points at them."""
    form.add_error("emails", f"{exc.address} already belongs to {exc.owner_name}.")
    return exc


def _org_names(workspace: Workspace) -> list[str]:
    return queries.organization_names(workspace)


@require_http_methods(["GET", "POST"])
def person_new(request: HttpRequest) -> HttpResponse:
    workspace = workspace_of(request)
    if request.method == "POST":
        form = PersonForm(request.POST)
        taken: services.EmailTaken | None = None
        if form.is_valid():
            created: list[str] = []
            try:
                with transaction.atomic():
                    person = services.add_person(
                        workspace=workspace, now=now(), **_person_values(workspace, form, created=created)
                    )
            except services.EmailTaken as exc:
                taken = _email_taken(form, exc)
            except TopofmindError as exc:
                attach_error(form, exc, default_field="name")
            else:
                text = f"Added {person.name}."
                if created:
                    text += f" Also added the organization {created[0]}."
                messages.success(request, text)
                return HttpResponseRedirect(safe_next(request, reverse("web:person", args=[person.pk])))
        return page(
            request,
            "web/people/form.html",
            {"form": form, "org_names": _org_names(workspace), "taken": taken},
            section="people",
            status=400,
        )
    initial: dict[str, Any] = {}
    org_id = parse_id(request.GET.get("org"), field="org")
    if org_id:
        org = queries.organization_or_none(workspace, org_id)
        if org is not None:
            initial["organization"] = org.name
    form = PersonForm(initial=initial)
    return page(request, "web/people/form.html", {"form": form, "org_names": _org_names(workspace)}, section="people")


@require_GET
def person(request: HttpRequest, person_id: int) -> HttpResponse:
    workspace = workspace_of(request)
    data = get_or_404("person", queries.person_page, workspace, person_id, now=now())
    return page(
        request, "web/people/detail.html", {"p": data, "person": data.person, "stop_form": StopForm()}, section="people"
    )


@require_http_methods(["GET", "POST"])
def person_edit(request: HttpRequest, person_id: int) -> HttpResponse:
    workspace = workspace_of(request)
    person_row = get_or_404("person", queries.get_person, workspace, person_id)
    taken: services.EmailTaken | None = None
    if request.method == "POST":
        form = PersonForm(request.POST)
        if form.is_valid():
            created: list[str] = []
            try:
                with transaction.atomic():
                    services.edit_person(
                        workspace=workspace,
                        person_id=person_row.pk,
                        now=now(),
                        **_person_values(workspace, form, created=created),
                    )
            except services.EmailTaken as exc:
                taken = _email_taken(form, exc)
            except TopofmindError as exc:
                attach_error(form, exc, default_field="name")
            else:
                messages.success(request, "Saved.")
                return HttpResponseRedirect(reverse("web:person", args=[person_row.pk]))
        status = 400
    else:
        form = PersonForm(initial=_person_initial(person_row))
        status = 200
    return page(
        request,
        "web/people/form.html",
        {"form": form, "person": person_row, "org_names": _org_names(workspace), "taken": taken},
        section="people",
        status=status,
    )


def _person_initial(p: Person) -> dict[str, Any]:
    return {
        "name": p.name,
        "organization": p.organization.name if p.organization else "",
        "title": p.title,
        "roles": [r.role for r in p.roles.all()],
        "emails": ", ".join(e.address for e in p.emails.all()),
        "phones": ", ".join(ph.number for ph in p.phones.all()),
        "linkedin_url": p.linkedin_url,
        "linkedin_connected": p.linkedin_connected,
        "prefers": p.prefers,
        "timezone": p.timezone,
        "cadence_days": p.cadence_days,
        "how_met": p.how_met,
        "interests": p.interests,
        "notes": p.notes,
    }


@require_POST
def person_stop(request: HttpRequest, person_id: int) -> HttpResponse:
    workspace = workspace_of(request)
    person_row = get_or_404("person", queries.get_person, workspace, person_id)
    form = StopForm(request.POST)
    if not form.is_valid():
        messages.error(request, f"Not stopped: {form_errors(form)}")
        return HttpResponseRedirect(reverse("web:person", args=[person_row.pk]))
    moment = now()
    services.stop_contact(
        workspace=workspace, person_id=person_row.pk, at=moment, now=moment, reason=form.cleaned_data.get("reason", "")
    )
    messages.success(request, f"Stopped: nothing will be suggested for {person_row.name} until you resume contact.")
    return HttpResponseRedirect(reverse("web:person", args=[person_row.pk]))


@require_POST
def person_resume(request: HttpRequest, person_id: int) -> HttpResponse:
    workspace = workspace_of(request)
    person_row = get_or_404("person", queries.get_person, workspace, person_id)
    services.resume_contact(workspace=workspace, person_id=person_row.pk, now=now())
    messages.success(request, f"Resumed: {person_row.name} may be contacted again.")
    return HttpResponseRedirect(reverse("web:person", args=[person_row.pk]))


def confirm_delete(request: HttpRequest, removal: queries.Removal, *, back: str) -> HttpResponse:
    """The confirmation page of a delete: what goes with the row, what stays (shared by the nouns)."""
    pronoun = "them" if removal.noun == "person" else "it"
    section = {"person": "people", "organization": "organizations", "opening": "opportunities"}[removal.noun]
    return page(request, "web/confirm_delete.html", {"removal": removal, "back": back, "pronoun": pronoun}, section=section)


@require_http_methods(["GET", "POST"])
def person_delete(request: HttpRequest, person_id: int) -> HttpResponse:
    workspace = workspace_of(request)
    removal = get_or_404("person", queries.person_removal, workspace, person_id)
    if request.method == "POST":
        name = services.delete_person(workspace=workspace, person_id=removal.row_id, now=now())
        messages.success(request, f"Deleted {name}; the agenda is re-planned.")
        return HttpResponseRedirect(reverse("web:people"))
    return confirm_delete(request, removal, back=reverse("web:person", args=[removal.row_id]))


@require_http_methods(["GET", "POST"])
def person_merge(request: HttpRequest, person_id: int) -> HttpResponse:
    """Merge another record into this person: pick them, see what moves, confirm."""
    workspace = workspace_of(request)
    person_row = get_or_404("person", queries.get_person, workspace, person_id)
    if request.method == "POST":
        other_id = _int_or_none(request.POST.get("other"))
        if other_id is None or other_id == person_row.pk:
            messages.error(request, "Not merged: pick another person to merge with.")
            return HttpResponseRedirect(reverse("web:person_merge", args=[person_row.pk]))
        try:
            services.merge_people(workspace=workspace, keep_id=person_row.pk, other_id=other_id, now=now())
        except NotFound:
            messages.error(request, "Not merged: that person does not exist (any more).")
            return HttpResponseRedirect(reverse("web:person_merge", args=[person_row.pk]))
        messages.success(request, f"Merged into {person_row.name}; the agenda is re-planned.")
        return HttpResponseRedirect(reverse("web:person", args=[person_row.pk]))
    wanted = request.GET.get("with", "").strip()[:200]
    context: dict[str, Any] = {
        "person": person_row,
        "wanted": wanted,
        "names": [n for n in queries.person_names(workspace) if n != person_row.name],
    }
    if wanted:
        try:
            other = lookup.find_person(workspace=workspace, name=wanted)
        except TopofmindError as exc:
            context["error"] = describe(exc)
        else:
            if other.pk == person_row.pk:
                context["error"] = f"That is {person_row.name}: pick the other record."
            else:
                context["preview"] = queries.merge_preview(workspace, person_row.pk, other.pk)
    return page(request, "web/people/merge.html", context, section="people", status=400 if "error" in context else 200)
