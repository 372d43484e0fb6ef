"""Errors as RFC 9457 problem details (``application/problem+json``), never a traceback."""

from __future__ import annotations

import logging
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.errors import Throttled as NinjaThrottled
from pydantic import BaseModel, Field

from topofmind.crm.errors import Ambiguous, Conflict, Invalid, NotFound, TopofmindError

log = logging.getLogger(__name__)

PROBLEM_TYPE = "application/problem+json"
TITLES = {
    400: "Bad request",
    401: "Not signed in",
    404: "Not found",
    405: "Method not allowed",
    409: "Conflict",
    422: "Invalid input",
    429: "Too many requests",
    500: "Server error",
}


class FieldProblem(BaseModel):
    field: str
    message: str


class Problem(BaseModel):
    """One error: ``detail`` in words; ``errors`` names each field at fault."""

    type: str = "about:blank"
    title: str
    status: int
    detail: str
    errors: list[FieldProblem] = Field(default_factory=list)


def problem(status: int, detail: str, errors: list[dict[str, str]] | None = None) -> HttpResponse:
    import json

    body: dict[str, Any] = {
        "type": "about:blank",
        "title": TITLES.get(status, "Error"),
        "status": status,
        "detail": detail,
        "errors": errors or [],
    }
    return HttpResponse(json.dumps(body), status=status, content_type=PROBLEM_TYPE)


def _field_of(loc: list[Any] | tuple[Any, ...]) -> str:
    # ninja's locations start with where the value came from (body, query, path, file) and the
    # schema's parameter name; the user knows the field by its last names only.
    parts = [str(p) for p in loc]
    if parts and parts[0] in {"body", "query", "path", "file", "form", "header"}:
        parts = parts[1:]
    if len(parts) > 1 and parts[0] in {"payload", "filters", "paging"}:
        parts = parts[1:]
    return ".".join(parts) or "request"


def _validation(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors = [{"field": _field_of(e.get("loc", ())), "message": str(e.get("msg", "is not valid"))} for e in exc.errors]
    detail = "; ".join(f"{e['field']}: {e['message']}" for e in errors) or "the request is not valid"
    return problem(422, detail, errors)


def _topofmind(request: HttpRequest, exc: TopofmindError) -> HttpResponse:
    detail = exc.message
    if isinstance(exc, NotFound):
        if exc.matches:
            detail += " (did you mean " + " or ".join(exc.matches) + "?)"
        return problem(404 if " id " in f" {exc.message} " else 422, detail)
    if isinstance(exc, Ambiguous):
        if exc.candidates:
            detail += " (which one: " + "; ".join(exc.candidates) + "?)"
        return problem(422, detail)
    if isinstance(exc, Invalid):
        message = exc.message.removeprefix(f"{exc.field}: ")
        return problem(422, detail, [{"field": exc.field, "message": message}])
    if isinstance(exc, Conflict):
        return problem(409, detail)
    return problem(400, detail)


def _authentication(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    response = problem(401, "send a valid token: Authorization: Bearer TOKEN")
    response["WWW-Authenticate"] = 'Bearer realm="topofmind"'
    return response


def _throttled(request: HttpRequest, exc: NinjaThrottled) -> HttpResponse:
    response = problem(429, "too many requests with this token; wait a little")
    if exc.wait is not None:
        response["Retry-After"] = str(int(exc.wait) + 1)
    return response


def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return problem(exc.status_code, exc.message)


def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return problem(404, "no such address or row")


def _server_error(request: HttpRequest, exc: Exception) -> HttpResponse:
    log.exception("API request failed: %s %s", request.method, request.path)
    return problem(500, "something went wrong on the server; it has been logged")


def install(api: NinjaAPI) -> None:
    handlers: list[tuple[type[Exception], Any]] = [
        (ValidationError, _validation),
        (TopofmindError, _topofmind),
        (AuthenticationError, _authentication),
        (NinjaThrottled, _throttled),
        (HttpError, _http_error),
        (Http404, _not_found),
        (Exception, _server_error),
    ]
    for kind, handler in handlers:
        api.add_exception_handler(kind, handler)
