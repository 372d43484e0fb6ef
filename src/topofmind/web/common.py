"""What every view needs: the workspace, the clock, and words for errors."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any, ParamSpec, TypeVar
from urllib.parse import urlencode

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme

from topofmind.crm.errors import Ambiguous, Invalid, NotFound, TopofmindError
from topofmind.crm.models import Workspace

P = ParamSpec("P")
T = TypeVar("T")

# Service field names -> the form field that shows the error.
FIELD_ALIASES = {"with": "people", "linkedin": "linkedin_url", "url": "posting_url", "email": "emails", "key": "name"}


def workspace_of(request: HttpRequest) -> Workspace:
    """The signed-in user's workspace (set by WorkspaceTimezoneMiddleware); every query goes through it."""
    workspace: Workspace | None = getattr(request, "workspace", None)
    if workspace is None:
        raise PermissionDenied("This account has no workspace yet. Sign out and sign in again to create one.")
    return workspace


def user_id_of(request: HttpRequest) -> int:
    """The signed-in user's id (every view but sign-in runs behind LoginRequiredMiddleware)."""
    user_id = request.user.pk
    if not isinstance(user_id, int):
        raise PermissionDenied("Sign in first.")
    return user_id


def now() -> datetime:
    """The wall clock (UTC); one place, so tests can move it."""
    return timezone.now()


def get_or_404(what: str, lookup: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
    """``lookup(*args, **kwargs)``, or a 404 page saying "That <what> does not exist."

    The read model raises NotFound for a row outside the signed-in user's workspace exactly
    as for one that was never there, so another account's ids look like dead links.
    """
    try:
        return lookup(*args, **kwargs)
    except NotFound:
        raise Http404(f"That {what} does not exist.") from None


def describe(exc: TopofmindError) -> str:
    """A user's error in words, without the CLI's command hints."""
    text = exc.message
    if isinstance(exc, NotFound) and exc.matches:
        text += " — did you mean " + " or ".join(f"“{m}”" for m in exc.matches) + "?"
    elif isinstance(exc, Ambiguous) and exc.candidates:
        text += " — which one: " + "; ".join(exc.candidates) + "? (You can type #id, e.g. #12.)"
    elif exc.hint and "topofmind " not in exc.hint:
        text += f" ({exc.hint})"
    return text


def form_errors(form: forms.Form) -> str:
    """A form's errors in one line, each after the label of its field ("Subject: ...")."""
    parts = []
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else None
        text = " ".join(str(e) for e in errors)
        parts.append(f"{label}: {text}" if label else text)
    return " ".join(parts)


def attach_error(form: forms.Form, exc: TopofmindError, *, default_field: str | None = None) -> None:
    """Show a service's error next to the field it names (else at the top of the form)."""
    field = None
    if isinstance(exc, Invalid):
        field = FIELD_ALIASES.get(exc.field, exc.field)
        message = describe(exc)
        prefix = f"{exc.field}: "
        if message.startswith(prefix):
            message = message[len(prefix) :]
    else:
        field = default_field
        message = describe(exc)
    if field in form.fields:
        form.add_error(field, message)
    else:
        form.add_error(None, message)


def page(
    request: HttpRequest, template: str, context: dict[str, Any], *, section: str, status: int = 200
) -> HttpResponse:
    return render(request, template, {"section": section, **context}, status=status)


def safe_next(request: HttpRequest, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


def query_string(**params: Any) -> str:
    clean = {k: v for k, v in params.items() if v not in (None, "", False)}
    return urlencode(clean, doseq=True)


def split_names(text: str) -> list[str]:
    """ "Dana Lee, Sam Park" -> ["Dana Lee", "Sam Park"] (also one a line)."""
    parts = [p.strip() for chunk in text.splitlines() for p in chunk.split(",")]
    return [p for p in parts if p]
