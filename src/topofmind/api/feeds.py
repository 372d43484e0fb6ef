"""The secret calendar feed: ``/api/feeds/<secret>.ics``. The address is the key (calendar apps
cannot send a header), so it is a long random secret, revocable, and only its digest is stored."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from ninja import Router

from topofmind.api.common import now
from topofmind.api.problems import problem
from topofmind.crm import queries, services
from topofmind.crm.models import AccessToken
from topofmind.crm.queries.calendar import calendar_file

router = Router(tags=["calendar"])


@router.get("/feeds/{secret}.ics", auth=None, include_in_schema=False)
def feed(request: HttpRequest, secret: str) -> HttpResponse:
    token = queries.token_for(secret, scope=AccessToken.Scope.FEED)
    if token is None:
        return problem(404, "no calendar feed at this address (it may have been revoked)")
    clock = now()
    services.touch_token(token=token, now=clock)
    body = calendar_file(token.workspace, now=clock, host=request.get_host())
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, max-age=300"
    return response
