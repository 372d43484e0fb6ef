"""Today: the agenda in the order of the day, and one click to act on an item."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET, require_POST

from topofmind import tasks
from topofmind.crm import queries, services
from topofmind.crm.errors import TopofmindError
from topofmind.crm.models import Person, Workspace
from topofmind.crm.planning import AgendaItem
from topofmind.engine.labels import purpose_label
from topofmind.web.common import describe, form_errors, get_or_404, now, page, user_id, viewer_of, workspace_of
from topofmind.web.forms import DraftForm, SnoozeForm
from topofmind.web.fragments import agenda_item_html, agenda_list_html, checks_html, draft_html

# Stands in for the CSRF token in cached HTML; each request puts its own token in.
_TOKEN_SLOT = "@@csrf-token@@"
AGENDA_CACHE_SECONDS = 300  # a safety net: the fingerprint already follows every change


def agenda_html(request: HttpRequest, workspace: Workspace, moment: datetime) -> tuple[str, int]:
    """Today's items as HTML, and how many there are.

    Rendering the agenda is the costly part of the page, and it is a function of what the
    fingerprint covers (crm.queries.agenda_fingerprint), so it is kept in the process's cache
    under that key. The cached HTML carries a placeholder where each form's CSRF token goes.
    The recipients' addresses, numbers and profiles are not in the fingerprint: the people on
    the agenda are kept under it, their ways to be reached are read on every view (one small
    query) and go into the key, so an address changed a minute ago is the one shown.
    """
    viewer = viewer_of(request)
    mail_ready = queries.has_mail_account(user_id(request))
    fingerprint = queries.agenda_fingerprint(workspace, at=moment, viewer=viewer)
    items: list[AgendaItem] | None = None
    people = cache.get(f"today-people:{fingerprint}")
    if people is None:
        items = queries.agenda(workspace=workspace, at=moment, viewer=viewer)
        people = sorted({i.suggestion.person_id for i in items if i.suggestion.person_id is not None})
        cache.set(f"today-people:{fingerprint}", people, AGENDA_CACHE_SECONDS)
    reach = queries.reach_of(workspace, people)
    stamp = hashlib.sha256(repr(sorted(reach.items())).encode()).hexdigest()[:16]
    key = f"today:{int(mail_ready)}:{fingerprint}:{stamp}"
    found = cache.get(key)
    if found is None:
        if items is None:
            items = queries.agenda(workspace=workspace, at=moment, viewer=viewer)
        emailable = frozenset(pid for pid, r in reach.items() if r.email) if mail_ready else frozenset()
        html = agenda_list_html(items, csrf_token=_TOKEN_SLOT, now=moment, emailable=emailable, reach=reach)
        found = (html, len(items))
        cache.set(key, found, AGENDA_CACHE_SECONDS)
    html, count = found
    return html.replace(_TOKEN_SLOT, get_token(request)), count


def _emailable(
    request: HttpRequest, workspace: Workspace, items: list[AgendaItem], mail_ready: bool | None = None
) -> frozenset[int]:
    """Whom Send can reach: none without a mail account, else the people with an address."""
    ready = queries.has_mail_account(user_id(request)) if mail_ready is None else mail_ready
    ids = [i.suggestion.person_id for i in items if i.suggestion.person_id is not None]
    return frozenset(queries.people_with_email(workspace, ids)) if ready else frozenset()


@require_GET
def today(request: HttpRequest) -> HttpResponse:
    workspace = workspace_of(request)
    if queries.user_settings_of(user_id(request)) is None:
        return HttpResponseRedirect(reverse("web:welcome"))  # a new user's first visit asks first
    moment = now()
    html, count = agenda_html(request, workspace, moment)
    context: dict[str, object] = {
        "agenda": mark_safe(html),
        "count": count,
        "moment": moment,
        "last_action": last_action(request, workspace, moment),
    }
    if not count:
        context["has_people"] = queries.has_people(workspace)
        context["has_organizations"] = queries.has_organizations(workspace)
        context["next_up"] = queries.next_up(workspace, after=moment)
        context["can_explore_demo"] = not workspace.is_demo
    return page(request, "web/today.html", context, section="today")


def _item_or_404(request: HttpRequest, followup_id: int) -> AgendaItem | None:
    """The item as Today shows it (None when it is no longer on today's agenda)."""
    workspace = workspace_of(request)
    get_or_404("follow-up", queries.get_followup, workspace, followup_id)
    for item in queries.agenda(workspace=workspace, at=now(), viewer=viewer_of(request)):
        if item.followup_id == followup_id:
            return item
    return None


UNDONE_AS = {"done": "Done", "sent": "Mark sent", "snoozed": "Snooze", "skipped": "Skip"}


@dataclass(frozen=True)
class LastAction:
    followup_id: int
    text: str
    until: datetime


def last_action(request: HttpRequest, workspace: Workspace, moment: datetime) -> LastAction | None:
    """The user's last one-click action that can still be undone, as Today's notice shows it."""
    entry = queries.last_undoable(workspace, user_id(request), now=moment)
    if entry is None:
        return None
    row = entry.followup
    who = _who(row.person, row.organization.name if row.organization else "")
    return LastAction(
        followup_id=row.pk,
        text=f"{UNDONE_AS[entry.action]}: {purpose_label(row.purpose).lower()} for {who}.",
        until=entry.at + timedelta(minutes=queries.UNDO_MINUTES),
    )


def _answer(
    request: HttpRequest, followup_id: int, text: str, *, error: bool = False, undoable: bool = False
) -> HttpResponse:
    """htmx: replace the item by a one-line note (with Undo after an action); otherwise back to
    Today with a message (Today then offers Undo for the last action)."""
    if request.htmx:  # type: ignore[attr-defined]
        return render(
            request,
            "web/includes/item_gone.html",
            {"text": text, "followup_id": followup_id, "error": error, "undoable": undoable},
            status=200,
        )
    (messages.error if error else messages.success)(request, text)
    return HttpResponseRedirect(reverse("web:today"))


def _who(row_person: Person | None, fallback: str) -> str:
    return row_person.name if row_person is not None else fallback


@require_POST
def done(request: HttpRequest, followup_id: int) -> HttpResponse:
    workspace = workspace_of(request)
    row = get_or_404("follow-up", queries.get_followup, workspace, followup_id)
    moment = now()
    try:
        services.done(workspace=workspace, followup_id=followup_id, at=moment, now=moment, logged_by_id=request.user.pk)
    except TopofmindError as exc:
        return _answer(request, followup_id, describe(exc), error=True)
    who = _who(row.person, row.organization.name if row.organization else "")
    return _answer(
        request,
        followup_id,
        f"Done: {purpose_label(row.purpose).lower()} for {who} is logged as a touch.",
        undoable=True,
    )


@require_POST
def skip(request: HttpRequest, followup_id: int) -> HttpResponse:
    workspace = workspace_of(request)
    row = get_or_404("follow-up", queries.get_followup, workspace, followup_id)
    try:
        services.skip(workspace=workspace, followup_id=followup_id, now=now(), user_id=user_id(request))
    except TopofmindError as exc:
        return _answer(request, followup_id, describe(exc), error=True)
    who = _who(row.person, row.organization.name if row.organization else "")
    return _answer(
        request,
        followup_id,
        f"Skipped: {purpose_label(row.purpose).lower()} for {who}. It will not come back.",
        undoable=True,
    )


def snooze_until(moment: datetime, zone: str, *, days: int = 1, until: date | None = None) -> datetime:
    """Midnight at the start of the chosen day, in the user's zone: the item returns that morning."""
    tz = ZoneInfo(zone)
    day = until if until is not None else moment.astimezone(tz).date() + timedelta(days=days)
    return datetime.combine(day, time(0, 0), tzinfo=tz)


@require_POST
def snooze(request: HttpRequest, followup_id: int) -> HttpResponse:
    workspace = workspace_of(request)
    row = get_or_404("follow-up", queries.get_followup, workspace, followup_id)
    form = SnoozeForm(request.POST)
    moment = now()
    zone = viewer_of(request).timezone
    if not form.is_valid():
        return _answer(
            request, followup_id, "Snooze: pick a day in the future (or a number of days from 1 to 365).", error=True
        )
    until_day = form.cleaned_data.get("until")
    local_today = moment.astimezone(ZoneInfo(zone)).date()
    if until_day is not None and until_day <= local_today:
        return _answer(request, followup_id, "Snooze: the day must be after today.", error=True)
    until = snooze_until(moment, zone, days=form.cleaned_data.get("days") or 1, until=until_day)
    try:
        services.snooze(
            workspace=workspace, followup_id=followup_id, until=until, now=moment, user_id=user_id(request)
        )
    except TopofmindError as exc:
        return _answer(request, followup_id, describe(exc), error=True)
    who = _who(row.person, row.organization.name if row.organization else "")
    return _answer(
        request,
        followup_id,
        f"Snoozed: {purpose_label(row.purpose).lower()} for {who} comes back on {until:%A %-d %B}.",
        undoable=True,
    )


@require_POST
def save_draft(request: HttpRequest, followup_id: int) -> HttpResponse:
    workspace = workspace_of(request)
    get_or_404("follow-up", queries.get_followup, workspace, followup_id)
    form = DraftForm(request.POST)
    error = ""
    if not form.is_valid():
        error = f"Draft not saved: {form_errors(form)}"
    else:
        try:
            services.edit_draft(
                workspace=workspace,
                followup_id=followup_id,
                subject=form.cleaned_data["subject"],
                body=form.cleaned_data["body"],
                now=now(),
            )
        except TopofmindError as exc:
            error = describe(exc)
    item = _item_or_404(request, followup_id)
    if request.htmx:  # type: ignore[attr-defined]
        if item is None:
            return _answer(request, followup_id, error or "Draft saved.", error=bool(error))
        can_send = item.suggestion.person_id in _emailable(request, workspace, [item])
        pid = item.suggestion.person_id
        theirs = queries.reach_of(workspace, [pid]).get(pid) if pid is not None else None
        return HttpResponse(
            draft_html(
                item, csrf_token=get_token(request), saved=not error, error=error, can_send=can_send, reach=theirs
            )
        )
    if error:
        messages.error(request, error)
    else:
        messages.success(request, "Draft saved.")
    return HttpResponseRedirect(reverse("web:today") + f"#item-{followup_id}")


@require_POST
def mark_sent(request: HttpRequest, followup_id: int) -> HttpResponse:
    workspace = workspace_of(request)
    row = get_or_404("follow-up", queries.get_followup, workspace, followup_id)
    form = DraftForm(request.POST)
    if not form.is_valid():
        return _answer(request, followup_id, f"Not sent: {form_errors(form)}", error=True)
    moment = now()
    try:
        services.mark_sent(
            workspace=workspace,
            followup_id=followup_id,
            subject=form.cleaned_data["subject"],
            body=form.cleaned_data["body"],
            at=moment,
            now=moment,
            logged_by_id=request.user.pk,
        )
    except TopofmindError as exc:
        return _answer(request, followup_id, describe(exc), error=True)
    who = _who(row.person, row.organization.name if row.organization else "")
    return _answer(
        request,
        followup_id,
        f"Sent: {purpose_label(row.purpose).lower()} to {who} is logged as a touch.",
        undoable=True,
    )


@require_POST
def undo(request: HttpRequest, followup_id: int) -> HttpResponse:
    """Take back the user's last action on this follow-up (ten minutes long): the item returns."""
    workspace = workspace_of(request)
    row = get_or_404("follow-up", queries.get_followup, workspace, followup_id)
    moment = now()
    try:
        entry = services.undo(workspace=workspace, user_id=user_id(request), now=moment, followup_id=followup_id)
    except TopofmindError as exc:
        return _answer(request, followup_id, describe(exc), error=True)
    who = _who(row.person, row.organization.name if row.organization else "")
    text = f"Undone: {UNDONE_AS[entry.action].lower()} of {purpose_label(row.purpose).lower()} for {who}."
    if request.htmx:  # type: ignore[attr-defined]
        item = _item_or_404(request, followup_id)
        if item is not None:
            emailable = _emailable(request, workspace, [item])
            return HttpResponse(agenda_item_html(item, csrf_token=get_token(request), now=moment, emailable=emailable))
        return _answer(request, followup_id, f"{text} It is not due right now.")
    messages.success(request, text)
    return HttpResponseRedirect(reverse("web:today") + f"#item-{followup_id}")


@require_POST
def send(request: HttpRequest, followup_id: int) -> HttpResponse:
    """Send the draft as shown, by e-mail, once: checked now and again just before it goes."""
    workspace = workspace_of(request)
    get_or_404("follow-up", queries.get_followup, workspace, followup_id)
    form = DraftForm(request.POST)
    if not form.is_valid():
        return _answer(request, followup_id, f"Not sent: {form_errors(form)}", error=True)
    try:
        row = tasks.request_send(
            workspace=workspace,
            user_id=user_id(request),
            followup_id=followup_id,
            subject=form.cleaned_data["subject"],
            body=form.cleaned_data["body"],
        )
    except TopofmindError as exc:
        return _answer(request, followup_id, describe(exc), error=True)
    return _answer(
        request,
        followup_id,
        f"Sending to {row.to_address}: it goes out in a moment and is logged as a touch (see Settings › Mail).",
    )


@require_POST
def choose_value(request: HttpRequest, followup_id: int) -> HttpResponse:
    """R10: carry another item of the library, or nothing, or topofmind's pick again."""
    workspace = workspace_of(request)
    get_or_404("follow-up", queries.get_followup, workspace, followup_id)
    raw = str(request.POST.get("choice", "")).strip()
    choice, _, number = raw.partition(":")
    item_id = int(number) if number.isdigit() else None
    try:
        services.set_value_choice(
            workspace=workspace, followup_id=followup_id, choice=choice, item_id=item_id, now=now()
        )
    except TopofmindError as exc:
        return _answer(request, followup_id, describe(exc), error=True)
    if request.htmx:  # type: ignore[attr-defined]
        item = _item_or_404(request, followup_id)
        if item is None:
            return _answer(request, followup_id, "Saved: it is no longer on today's agenda.")
        emailable = _emailable(request, workspace, [item])
        return HttpResponse(agenda_item_html(item, csrf_token=get_token(request), now=now(), emailable=emailable))
    messages.success(request, "Saved what this follow-up carries.")
    return HttpResponseRedirect(reverse("web:today") + f"#item-{followup_id}")


@require_POST
def check_draft(request: HttpRequest, followup_id: int) -> HttpResponse:
    """The draft checker on the draft as the user is writing it (nothing is saved)."""
    workspace = workspace_of(request)
    get_or_404("follow-up", queries.get_followup, workspace, followup_id)
    item = _item_or_404(request, followup_id)
    if item is None:
        return HttpResponse(f'<div class="draft-checks" id="checks-{followup_id}" aria-live="polite"></div>')
    form = DraftForm(request.POST)
    body = form.cleaned_data["body"] if form.is_valid() else item.draft.body
    checked = queries.check_draft(item, body=body, workspace=workspace)
    return HttpResponse(checks_html(checked))
