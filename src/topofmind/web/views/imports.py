"""Import: choose the kind, upload, see what would happen, then import exactly that file.

The preview is the import's own dry run (it does everything and rolls back), so its counts
are what the import will do; the file waits server-side under a token (web/uploads.py) until
"Import" or "Cancel". The import itself is one transaction: a file that turns out broken
writes nothing.
"""

from __future__ import annotations

import io
import time
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from topofmind.crm.errors import TopofmindError
from topofmind.crm.services.imports import IMPORTERS, KINDS, MAX_UPLOAD_BYTES, import_file
from topofmind.crm.services.imports.report import report_dict
from topofmind.web import uploads
from topofmind.web.common import describe, now, page, user_id, workspace_of

# What each importer takes, in the page's words.
KIND_LABELS = {
    "linkedin": "LinkedIn connections (Connections.csv)",
    "google": "Google Contacts (CSV)",
    "vcard": "Contacts from a phone or mail app (vCard .vcf)",
    "applications": "Applications from a spreadsheet (CSV)",
}
SESSION_KEY = "import_preview"


def _kinds() -> list[tuple[str, str]]:
    return [(kind, KIND_LABELS.get(kind, IMPORTERS[kind].label)) for kind in KINDS]


def _form(request: HttpRequest, *, error: str = "", kind: str = "", status: int = 200) -> HttpResponse:
    return page(
        request,
        "web/import.html",
        {"kinds": _kinds(), "error": error, "kind": kind, "max_mb": MAX_UPLOAD_BYTES // (1024 * 1024)},
        section="settings",
        status=status,
    )


@require_http_methods(["GET", "POST"])
def import_page(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        return _form(request)
    step = request.POST.get("step", "preview")
    if step == "confirm":
        return _confirm(request)
    if step == "cancel":
        _forget(request)
        messages.success(request, "Import cancelled: nothing was written.")
        return HttpResponseRedirect(reverse("web:import"))
    return _preview(request)


def _preview(request: HttpRequest) -> HttpResponse:
    kind = request.POST.get("kind", "")
    if kind not in IMPORTERS:
        return _form(request, error="Kind of file: choose one from the list.", status=400)
    upload = request.FILES.get("file")
    if upload is None or not upload.size:
        return _form(request, error="File: choose the file to import.", kind=kind, status=400)
    if upload.size > MAX_UPLOAD_BYTES:
        limit = MAX_UPLOAD_BYTES // (1024 * 1024)
        return _form(request, error=f"File: {upload.name} is larger than {limit} MB.", kind=kind, status=400)
    data = upload.read()
    workspace = workspace_of(request)
    try:
        report = import_file(workspace=workspace, kind=kind, stream=io.BytesIO(data), now=now(), dry_run=True)
    except TopofmindError as exc:
        return _form(request, error=f"File: {describe(exc)}", kind=kind, status=400)
    _forget(request)
    token = uploads.keep(data)
    request.session[SESSION_KEY] = {
        "token": token,
        "kind": kind,
        "name": str(upload.name or "the file"),
        "workspace": workspace.pk,
        "user": user_id(request),
        "at": time.time(),
    }
    return page(
        request,
        "web/import_preview.html",
        {"report": report_dict(report), "token": token, "name": upload.name, "label": KIND_LABELS.get(kind, kind)},
        section="settings",
    )


def _pending(request: HttpRequest) -> dict[str, Any] | None:
    """The preview this session holds, if it is this user's, in this workspace, with this token."""
    held = request.session.get(SESSION_KEY)
    if not isinstance(held, dict):
        return None
    if held.get("token") != request.POST.get("token") or held.get("workspace") != workspace_of(request).pk:
        return None
    if held.get("user") != user_id(request):
        return None
    if not isinstance(held.get("at"), float) or time.time() - held["at"] > uploads.KEEP_SECONDS:
        return None
    return held


def _forget(request: HttpRequest) -> None:
    held = request.session.pop(SESSION_KEY, None)
    if isinstance(held, dict) and isinstance(held.get("token"), str):
        uploads.drop(held["token"])


def _confirm(request: HttpRequest) -> HttpResponse:
    held = _pending(request)
    data = uploads.read(held["token"]) if held is not None else None
    if held is None or data is None:
        _forget(request)
        return _form(
            request, error="That preview has expired or was already imported: choose the file again.", status=400
        )
    try:
        report = import_file(workspace=workspace_of(request), kind=held["kind"], stream=io.BytesIO(data), now=now())
    except TopofmindError as exc:
        _forget(request)
        return _form(request, error=f"Nothing was imported: {describe(exc)}", kind=held["kind"], status=400)
    _forget(request)
    messages.success(
        request,
        f"Imported {held['name']}: {report.new} new, {report.merged} merged, {report.unchanged} unchanged, "
        f"{report.invalid} invalid, {report.skipped} skipped. Today is re-planned.",
    )
    return HttpResponseRedirect(reverse("web:import"))
