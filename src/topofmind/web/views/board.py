"""The pipeline board: openings in columns by stage, with R17's "ghosted?" flags."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from topofmind.crm import queries
from topofmind.crm.models import Workspace
from topofmind.web.common import now, page, workspace_of
from topofmind.web.forms import STAGE_CHOICES


def _context(workspace: Workspace) -> dict[str, object]:
    flags = queries.ghosted_flags(workspace, now=now())
    columns = queries.board(workspace, ghosted=flags)
    return {
        "columns": columns,
        "stage_choices": STAGE_CHOICES,
        "ghosted_count": len(flags),
        "total": sum(len(c.cards) for c in columns),
    }


@require_GET
def board(request: HttpRequest) -> HttpResponse:
    return page(request, "web/board.html", _context(workspace_of(request)), section="board")


def render_board(
    request: HttpRequest, workspace: Workspace, *, message: str, error: bool, focus: int | None
) -> HttpResponse:
    """The board alone (htmx swaps it in place after a move), with a line saying what happened."""
    context = {**_context(workspace), "message": message, "error": error, "focus": focus}
    return render(request, "web/includes/board.html", context)
