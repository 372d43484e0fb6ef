"""Settings › API and calendar: make and revoke your API tokens and your calendar feed.
A new secret is shown once, on the page that made it, and never again."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from topofmind.crm import queries, services
from topofmind.crm.errors import TopofmindError
from topofmind.web.common import describe, now, page, workspace_of


@require_http_methods(["GET", "POST"])
def access(request: HttpRequest) -> HttpResponse:
    workspace = workspace_of(request)
    user_id = int(request.user.pk or 0)
    new_secret = ""
    new_scope = ""
    status = 200
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action in ("create_api", "create_feed"):
                scope = "api" if action == "create_api" else "feed"
                made = services.create_token(
                    user_id=user_id, workspace=workspace, scope=scope, name=request.POST.get("name", ""), now=now()
                )
                new_secret, new_scope = made.secret, scope
            elif action == "revoke":
                raw = request.POST.get("token", "")
                if not raw.isdigit():
                    return HttpResponse("That token does not exist.", status=404)
                services.revoke_token(workspace=workspace, token_id=int(raw), user_id=user_id, now=now())
                messages.success(request, "Revoked. Requests with it are refused from now on.")
                return HttpResponseRedirect(reverse("web:access"))
            else:
                status = 400
                messages.error(request, "Unknown action.")
        except TopofmindError as exc:
            if exc.message.startswith("no token"):
                return HttpResponse("That token does not exist.", status=404)
            messages.error(request, describe(exc))
            status = 400
    tokens = list(queries.tokens_of(workspace=workspace, user_id=user_id))
    feed_url = ""
    if new_scope == "feed":
        feed_url = request.build_absolute_uri(f"/api/feeds/{new_secret}.ics")
    context = {
        "api_tokens": [t for t in tokens if t.scope == "api"],
        "feeds": [t for t in tokens if t.scope == "feed"],
        "new_secret": new_secret,
        "new_scope": new_scope,
        "feed_url": feed_url,
        "api_base": request.build_absolute_uri("/api/"),
    }
    return page(request, "web/access.html", context, section="settings", status=status)
