"""Workspaces and their members: the first-start questions, the switcher, the team page,
one-time invitation links, and the demo search in a workspace of its own.

What one may not do in a workspace looks exactly like a workspace that is not there: 404,
never 403 (a stranger learns nothing, not even that an id exists).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from topofmind.crm import queries, services
from topofmind.crm.errors import NotFound, TopofmindError
from topofmind.crm.models import Workspace
from topofmind.web.common import attach_error, describe, now, page, user_id, workspace_of
from topofmind.web.forms import InviteForm, JoinForm, WelcomeForm, WorkspaceForm
from topofmind.web.middleware import WORKSPACE_KEY


def _owner_or_404(request: HttpRequest) -> Workspace:
    workspace = workspace_of(request)
    if queries.role_in(workspace, user_id(request)) != "owner":
        raise Http404("That page does not exist.")
    return workspace


@require_http_methods(["GET", "POST"])
def welcome(request: HttpRequest) -> HttpResponse:
    """A new user's first visit: their name, time zone (the browser's, filled in) and holidays."""
    mine = queries.user_settings_of(user_id(request))
    initial = {"name": mine.name, "timezone": mine.timezone, "country": mine.country} if mine else {}
    form = WelcomeForm(request.POST if request.method == "POST" else None, initial=initial or {"timezone": "UTC"})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.save_user_settings(
                user_id=user_id(request),
                name=data["name"],
                timezone=data["timezone"],
                country=data.get("country") or "",
                now=now(),
            )
        except TopofmindError as exc:
            attach_error(form, exc)
        else:
            return HttpResponseRedirect(reverse("web:today"))
    status = 400 if request.method == "POST" else 200
    return page(request, "web/welcome.html", {"form": form, "first": mine is None}, section="", status=status)


@require_POST
def switch(request: HttpRequest, workspace_id: int) -> HttpResponse:
    """Work in another of one's workspaces; kept in the session until switched again."""
    if not any(row.id == workspace_id for row in queries.workspaces_of(user_id(request))):
        raise Http404("That workspace does not exist.")
    request.session[WORKSPACE_KEY] = workspace_id
    return HttpResponseRedirect(reverse("web:today"))


@require_http_methods(["GET", "POST"])
def team(request: HttpRequest) -> HttpResponse:
    """The workspace's members; an owner invites, removes, and starts a new workspace here."""
    workspace = workspace_of(request)
    role = queries.role_in(workspace, user_id(request))
    invite_form = InviteForm(prefix="i")
    new_form = WorkspaceForm(prefix="w")
    link = ""
    status = 200
    if request.method == "POST":
        if request.POST.get("form") == "workspace":
            new_form = WorkspaceForm(request.POST, prefix="w")
            if new_form.is_valid():
                try:
                    made = services.create_workspace(
                        name=new_form.cleaned_data["name"], owner_id=request.user.pk, now=now()
                    )
                except TopofmindError as exc:
                    attach_error(new_form, exc)
                else:
                    request.session[WORKSPACE_KEY] = made.pk
                    messages.success(request, f"Workspace “{made.name}” made: you are working in it now.")
                    return HttpResponseRedirect(reverse("web:today"))
        elif role == "owner":
            invite_form = InviteForm(request.POST, prefix="i")
            if invite_form.is_valid():
                made_link = services.invite(
                    workspace=workspace, by_user_id=user_id(request), role=invite_form.cleaned_data["role"], now=now()
                )
                link = request.build_absolute_uri(reverse("web:join", kwargs={"token": made_link.token}))
        else:
            raise Http404("That page does not exist.")
        status = 200 if link else 400
    return page(
        request,
        "web/team.html",
        {
            "workspace": workspace,
            "role": role,
            "members": queries.members_of(workspace),
            "invite_form": invite_form,
            "new_form": new_form,
            "link": link,
            "days": services.INVITATION_DAYS,
        },
        section="team",
        status=status,
    )


@require_POST
def member_remove(request: HttpRequest, member_id: int) -> HttpResponse:
    workspace = _owner_or_404(request)
    try:
        services.remove_member(workspace=workspace, user_id=member_id, now=now())
    except NotFound:
        raise Http404("That member does not exist.") from None
    except TopofmindError as exc:
        messages.error(request, describe(exc))
    else:
        messages.success(request, f"Removed from “{workspace.name}”: they no longer see anything of it.")
    return HttpResponseRedirect(reverse("web:team"))


@require_POST
def workspace_remove(request: HttpRequest, workspace_id: int) -> HttpResponse:
    """Remove a workspace one owns, with everything in it (one click for the demo)."""
    rows = [row for row in queries.workspaces_of(user_id(request)) if row.id == workspace_id and row.role == "owner"]
    if not rows:
        raise Http404("That workspace does not exist.")
    own = [row for row in queries.workspaces_of(user_id(request)) if row.id != workspace_id]
    if not own:
        messages.error(request, "This is your only workspace: make another one before removing it.")
        return HttpResponseRedirect(reverse("web:team"))
    name = services.remove_workspace(workspace_id=workspace_id)
    request.session.pop(WORKSPACE_KEY, None)
    messages.success(request, f"Removed “{name}” and everything in it.")
    return HttpResponseRedirect(reverse("web:today"))


@require_POST
def demo(request: HttpRequest) -> HttpResponse:
    """Explore a demo search: made on the first click, in a workspace of its own."""
    workspace, _ = services.open_demo(owner_id=request.user.pk, now=now())
    request.session[WORKSPACE_KEY] = workspace.pk
    return HttpResponseRedirect(reverse("web:today"))


@login_not_required
@require_http_methods(["GET", "POST"])
def join(request: HttpRequest, token: str) -> HttpResponse:
    """An invitation link: a new account (username and password), or the signed-in one, joins."""
    try:
        invitation = queries.invitation_for(token, now=now())
    except NotFound:
        raise Http404("That invitation link is not valid: it was used already, has expired, or was mistyped.") from None
    signed_in = request.user.is_authenticated
    form = JoinForm(request.POST if request.method == "POST" and not signed_in else None)
    if request.method == "POST" and (signed_in or form.is_valid()):
        try:
            membership = services.accept_invitation(
                token=token,
                now=now(),
                user_id=user_id(request) if signed_in else None,
                username="" if signed_in else form.cleaned_data["username"],
                password="" if signed_in else form.cleaned_data["password"],
            )
        except NotFound:
            raise Http404("That invitation link is not valid any more.") from None
        except TopofmindError as exc:
            attach_error(form, exc)
        else:
            if not signed_in:
                login(request, membership.user, backend="django.contrib.auth.backends.ModelBackend")
            request.session[WORKSPACE_KEY] = membership.workspace_id
            messages.success(request, f"Welcome to “{invitation.workspace.name}”.")
            return HttpResponseRedirect(reverse("web:today"))
    status = 400 if request.method == "POST" else 200
    return render(
        request, "web/join.html", {"invitation": invitation, "form": form, "signed_in": signed_in}, status=status
    )
