"""Log a touch (three fields, or the full form), and fix or delete one."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from topofmind.crm import queries, services
from topofmind.crm.errors import TopofmindError, Unconfirmed
from topofmind.crm.models import Interaction, Workspace
from topofmind.engine.labels import kind_label
from topofmind.engine.types import Channel, Direction, Kind
from topofmind.web.common import attach_error, get_or_404, now, page, safe_next, split_names, workspace_of
from topofmind.web.forms import QuickTouchForm, TouchForm


def opportunity_choices(workspace: Workspace) -> list[tuple[int, str]]:
    return [(pk, f"{title} — {org}") for pk, title, org in queries.openings_with_employers(workspace)]


def _aware(value: datetime | None) -> datetime:
    """A form's datetime is in the active (the user's) zone; blank means now."""
    if value is None:
        return now()
    if timezone.is_naive(value):
        return timezone.make_aware(value, timezone.get_current_timezone())
    return value


def _logged_message(interaction: Interaction, created: list[str]) -> str:
    names = ", ".join(p.person.name for p in interaction.participants.select_related("person"))
    text = f"Logged: {kind_label(interaction.kind).lower()} with {names}"
    opening = interaction.opportunity
    text += f", about {opening.title} ({opening.organization.name})." if opening is not None else "."
    if created:
        text += " Added as new people: " + ", ".join(created) + "."
    return text + " Today is re-planned."


def _opening_of(workspace: Workspace, choice: str, names: list[str]) -> int | None:
    """The quick form's opening: "auto" guesses (the one open opening the people are in)."""
    if choice == "auto":
        found = queries.open_openings_of(workspace, names)
        return found[0][0] if len(found) == 1 else None
    return int(choice) if choice else None


def _unconfirmed(form: TouchForm, exc: Unconfirmed) -> None:
    """The date is refused until confirmed: say why, and show the box that confirms it."""
    reason = exc.message.removeprefix(f"{exc.field}: ")
    form.add_error("at", f"{reason[:1].upper()}{reason[1:]}. Check the date, or tick “Yes, this date is right” below.")
    form.needs_date_confirmation = True  # type: ignore[attr-defined]


@require_POST
def quick_log(request: HttpRequest) -> HttpResponse:
    """The header's form: who, what kind, when (blank = now), the opening (guessed), key points."""
    workspace = workspace_of(request)
    form = QuickTouchForm(request.POST)
    refused: Unconfirmed | None = None
    opening: int | None = None
    if form.is_valid():
        kind = Kind(form.cleaned_data["kind"])
        names = split_names(form.cleaned_data["people"])
        try:
            opening = _opening_of(workspace, form.cleaned_data.get("opportunity") or "", names)
            interaction, created = services.log_touch(
                workspace=workspace,
                names=names,
                kind=kind,
                at=_aware(form.cleaned_data.get("at")),
                now=now(),
                opportunity_id=opening,
                points=form.cleaned_data.get("points") or "",
                logged_by_id=request.user.pk,
                date_confirmed=False,
            )
        except Unconfirmed as exc:
            refused = exc
        except TopofmindError as exc:
            attach_error(form, exc, default_field="people")
        else:
            messages.success(request, _logged_message(interaction, created))
            return HttpResponseRedirect(safe_next(request, reverse("web:today")))
    # Not logged: the full form, filled in with what was typed, says what to fix.
    full = TouchForm(
        {
            "people": request.POST.get("people", ""),
            "kind": request.POST.get("kind", ""),
            "at": request.POST.get("at", ""),
            "points": request.POST.get("points", ""),
            "opportunity": str(opening) if opening else "",
        },
        opportunities=opportunity_choices(workspace),
    )
    full.is_valid()
    for field, errors in form.errors.items():
        for error in errors:
            full.add_error(field if field in full.fields else None, error)
    if refused is not None:
        _unconfirmed(full, refused)
    return page(request, "web/touches/log.html", {"form": full}, section="touches", status=400)


@require_GET
def opening_options(request: HttpRequest) -> HttpResponse:
    """The quick form's opening, guessed from who it was with as the user types (htmx)."""
    workspace = workspace_of(request)
    names = split_names(request.GET.get("people", ""))[:20]
    found = queries.open_openings_of(workspace, names) if names else []
    return render(request, "web/touches/opening_options.html", {"openings": found, "guessed": len(found) == 1})


def _initial_from_query(request: HttpRequest) -> dict[str, Any]:
    initial: dict[str, Any] = {}
    for key in ("people", "kind", "opportunity", "channel"):
        if request.GET.get(key):
            initial[key] = request.GET[key]
    if "people" not in initial and request.GET.get("person"):
        initial["people"] = request.GET["person"]
    return initial


def _save_touch(
    request: HttpRequest, form: TouchForm, *, interaction_id: int | None, stored_at: datetime | None = None
) -> HttpResponse | None:
    workspace = workspace_of(request)
    data = form.cleaned_data
    kind = Kind(data["kind"])
    channel = Channel(data["channel"]) if data.get("channel") else None
    direction = Direction(data["direction"]) if data.get("direction") else None
    # What the form says about the touch, the same whether it is logged new or corrected.
    touch: dict[str, Any] = {
        "workspace": workspace,
        "names": split_names(data["people"]),
        "kind": kind,
        "at": _aware(data.get("at")),
        "now": now(),
        "create_missing": data.get("create_missing", False),
        "opportunity_id": data.get("opportunity"),
        "channel": channel,
        "direction": direction,
        "summary": data.get("summary", ""),
        "points": data.get("points", ""),
        "notes": data.get("notes", ""),
        "permission_materials": data.get("permission_materials", False),
    }
    # A date more than a year back or in the future waits for the box that confirms it; a
    # correction that leaves the date as it was does not ask again.
    confirmed = bool(data.get("confirm_date")) or (stored_at is not None and touch["at"] == stored_at)
    try:
        if interaction_id is None:
            interaction, created = services.log_touch(**touch, logged_by_id=request.user.pk, date_confirmed=confirmed)
            messages.success(request, _logged_message(interaction, created))
        else:
            services.edit_touch(interaction_id=interaction_id, **touch, date_confirmed=confirmed)
            messages.success(request, "Touch saved. Today is re-planned from the corrected history.")
    except Unconfirmed as exc:
        _unconfirmed(form, exc)
        return None
    except TopofmindError as exc:
        attach_error(form, exc, default_field="people")
        return None
    return HttpResponseRedirect(safe_next(request, reverse("web:today")))


@require_http_methods(["GET", "POST"])
def log(request: HttpRequest) -> HttpResponse:
    """The full form: everything a touch can carry, key points for interviews."""
    workspace = workspace_of(request)
    choices = opportunity_choices(workspace)
    if request.method == "POST":
        form = TouchForm(request.POST, opportunities=choices)
        if form.is_valid():
            done = _save_touch(request, form, interaction_id=None)
            if done is not None:
                return done
        return page(request, "web/touches/log.html", {"form": form}, section="touches", status=400)
    form = TouchForm(initial=_initial_from_query(request), opportunities=choices)
    return page(request, "web/touches/log.html", {"form": form}, section="touches")


@require_GET
def touch_list(request: HttpRequest) -> HttpResponse:
    workspace = workspace_of(request)
    return page(
        request,
        "web/touches/list.html",
        {"touches": queries.recent_touches(workspace, limit=200)},
        section="touches",
    )


@require_http_methods(["GET", "POST"])
def touch_edit(request: HttpRequest, touch_id: int) -> HttpResponse:
    workspace = workspace_of(request)
    touch = get_or_404("touch", queries.get_touch, workspace, touch_id)
    choices = opportunity_choices(workspace)
    if request.method == "POST":
        form = TouchForm(request.POST, opportunities=choices)
        if form.is_valid():
            done = _save_touch(request, form, interaction_id=touch.pk, stored_at=touch.at)
            if done is not None:
                return done
        status = 400
    else:
        form = TouchForm(
            initial={
                "kind": touch.kind,
                "people": ", ".join(
                    p.person.name if _unique_name(workspace, p.person.name) else f"#{p.person_id}"
                    for p in touch.participants.all()
                ),
                "at": timezone.localtime(touch.at).replace(tzinfo=None),
                "opportunity": touch.opportunity_id,
                "channel": touch.channel,
                "direction": touch.direction,
                "summary": touch.summary,
                "points": touch.points,
                "notes": touch.notes,
                "permission_materials": touch.permission_materials,
            },
            opportunities=choices,
        )
        status = 200
    return page(request, "web/touches/edit.html", {"form": form, "touch": touch}, section="touches", status=status)


def _unique_name(workspace: Workspace, name: str) -> bool:
    return queries.names_one_person(workspace, name)


@require_POST
def touch_delete(request: HttpRequest, touch_id: int) -> HttpResponse:
    workspace = workspace_of(request)
    touch = get_or_404("touch", queries.get_touch, workspace, touch_id)
    label = kind_label(touch.kind).lower()
    try:
        services.delete_interaction(workspace=workspace, interaction_id=touch.pk, now=now())
    except TopofmindError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, f"Deleted the touch ({label}, {timezone.localtime(touch.at):%d %b %Y %H:%M}). Today is re-planned."
        )
    return HttpResponseRedirect(safe_next(request, reverse("web:touches")))


@require_GET
def person_options(request: HttpRequest) -> HttpResponse:
    """<option>s for the "who" box as the user types (htmx); the last comma-separated name counts."""
    workspace = workspace_of(request)
    typed = request.GET.get("people", "") or request.GET.get("person", "") or request.GET.get("q", "")
    before, _, last = typed.rpartition(",")
    prefix = (before + ", ") if before else ""
    found = queries.person_suggestions(workspace, last)
    return render(request, "web/includes/person_options.html", {"people": found, "prefix": prefix})
