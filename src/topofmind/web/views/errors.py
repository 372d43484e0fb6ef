"""Error pages that say what went wrong in words."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template import loader

from topofmind.crm.errors import TopofmindError
from topofmind.web.common import describe


def _error(
    request: HttpRequest, status: int, title: str, text: str, exception: Exception | None = None
) -> HttpResponse:
    detail = ""
    if exception is not None and status == 404 and exception.args:
        first = str(exception.args[0])
        # Our views raise Http404 with a sentence; Django's resolver gives a dict: not for people.
        if first and first[0].isupper() and first.endswith("."):
            detail = first
    return render(
        request,
        "web/error.html",
        {"status": status, "title": title, "text": text, "detail": detail},
        status=status,
    )


def user_error(request: HttpRequest, exc: TopofmindError) -> HttpResponse:
    """A 400 page for a value a user sent that cannot be used (e.g. ``?org=99999999999999999999``)."""
    return _error(request, 400, "That request could not be understood", describe(exc))


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    return _error(
        request,
        400,
        "That request could not be understood",
        "Something in it was malformed. Go back, check what you typed, and try again.",
    )


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    return _error(
        request,
        403,
        "You may not see this",
        str(exception)
        if str(exception)
        else "This page belongs to another account, or you are not signed in as who you think.",
    )


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    return _error(
        request,
        404,
        "Not found",
        "There is nothing at this address. It may have been deleted, or the link is mistyped.",
        exception,
    )


def server_error(request: HttpRequest) -> HttpResponse:
    # Rendered without the layout or any context processor: whatever broke must not break this.
    return HttpResponse(loader.get_template("500.html").render(), status=500)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return _error(
        request,
        403,
        "This form has expired",
        "For your safety, forms only work from a page that is still fresh. Go back, reload the page, and submit again. (If cookies are blocked for this site, allow them.)",
    )
