"""Export: CSV of each list, vCard of people (all or one role), the .ics of the follow-ups, and
the whole workspace as the JSON backup (what ``topofmind restore`` reads back)."""

from __future__ import annotations

import io

from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.views.decorators.http import require_GET

from topofmind.crm.errors import TopofmindError
from topofmind.crm.queries import calendar, exports
from topofmind.crm.services.backup import write_backup
from topofmind.engine.types import Role
from topofmind.integrations.exports import csv_lines, vcard_lines
from topofmind.web.common import describe, now, page, workspace_of
from topofmind.web.forms import ROLE_CHOICES

LIST_LABELS = {"followups": "Follow-ups"}


@require_GET
def export_page(request: HttpRequest) -> HttpResponse:
    return page(
        request,
        "web/export.html",
        {
            "lists": [(name, LIST_LABELS.get(name, name.capitalize())) for name in exports.TABLES],
            "role_choices": ROLE_CHOICES,
        },
        section="settings",
    )


@require_GET
def download(request: HttpRequest) -> HttpResponse | StreamingHttpResponse:
    """``?format=csv&list=people`` / ``?format=vcard&role=recruiter`` / ``?format=ics``."""
    workspace = workspace_of(request)
    kind = request.GET.get("format", "csv")
    try:
        if kind == "ics":
            body = calendar.calendar_file(workspace, now=now(), host=request.get_host())
            response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
            response["Content-Disposition"] = 'attachment; filename="topofmind-followups.ics"'
            return response
        if kind == "vcard":
            role = request.GET.get("role", "")
            cards = exports.person_cards(workspace, role=role if role in {r.value for r in Role} else "")
            streamed = StreamingHttpResponse(vcard_lines(cards), content_type="text/vcard; charset=utf-8")
            streamed["Content-Disposition"] = f'attachment; filename="topofmind-{role or "people"}.vcf"'
            return streamed
        what = request.GET.get("list", "people")
        header, rows = exports.export_table(workspace, what)
        streamed = StreamingHttpResponse(csv_lines(header, rows, bom=True), content_type="text/csv; charset=utf-8")
        streamed["Content-Disposition"] = f'attachment; filename="topofmind-{what}.csv"'
        return streamed
    except TopofmindError as exc:
        return HttpResponse(describe(exc), status=400, content_type="text/plain; charset=utf-8")


@require_GET
def backup(request: HttpRequest) -> HttpResponse:
    """The workspace as one JSON document (docs/backup-format.md), as GET /api/backup gives it."""
    moment = now()
    out = io.StringIO()
    write_backup(out, workspace=workspace_of(request), now=moment)
    response = HttpResponse(out.getvalue(), content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="topofmind-backup-{moment:%Y-%m-%d}.json"'
    return response
