"""Data in and out: imports (dry run or for real) and the JSON backup."""

from __future__ import annotations

import io
from typing import Any, Literal

from django.http import HttpRequest, HttpResponse
from ninja import File, Query, Router, Schema
from ninja.files import UploadedFile
from pydantic import Field

from topofmind.api import schemas
from topofmind.api.auth import workspace_of
from topofmind.api.common import PROBLEMS, now
from topofmind.crm.errors import Invalid
from topofmind.crm.services.backup import write_backup
from topofmind.crm.services.imports import MAX_UPLOAD_BYTES, import_file
from topofmind.crm.services.imports.report import report_dict

router = Router(tags=["imports and backup"])

MAX_UPLOAD = MAX_UPLOAD_BYTES


class ImportOptions(Schema):
    dry_run: bool = Field(False, description="Say what would happen; write nothing.")


@router.post(
    "/imports/{kind}",
    response={200: schemas.ImportReport, **PROBLEMS},
    summary="Import a file (LinkedIn, Google Contacts, vCard, applications CSV)",
)
def run_import(
    request: HttpRequest,
    kind: Literal["linkedin", "google", "vcard", "applications"],
    options: Query[ImportOptions],
    file: File[UploadedFile],
) -> dict[str, Any]:
    if file.size is not None and file.size > MAX_UPLOAD:
        raise Invalid("file", f"is larger than {MAX_UPLOAD // (1024 * 1024)} MB")
    stream = io.BytesIO(file.read())
    report = import_file(workspace=workspace_of(request), kind=kind, stream=stream, now=now(), dry_run=options.dry_run)
    return report_dict(report)


@router.get(
    "/backup",
    response={200: dict[str, Any], **PROBLEMS},
    summary="The whole workspace as one JSON document (see docs/backup-format.md)",
)
def backup(request: HttpRequest) -> HttpResponse:
    out = io.StringIO()
    write_backup(out, workspace=workspace_of(request), now=now())
    response = HttpResponse(out.getvalue(), content_type="application/json")
    response["Content-Disposition"] = 'attachment; filename="topofmind-backup.json"'
    return response
