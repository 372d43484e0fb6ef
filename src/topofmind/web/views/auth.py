"""Sign in and out (Django auth: argon2 hashes, sessions, CSRF), the account page, and the
sign-in throttle's answer (django-axes)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from topofmind.crm import services
from topofmind.web.common import now, page


class SignInView(auth_views.LoginView):
    template_name = "web/login.html"
    redirect_authenticated_user = True

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        # A POST: the one place a workspace is made for an account that has none.
        services.ensure_workspace(user=form.get_user(), now=now())
        return super().form_valid(form)


class SignOutView(auth_views.LogoutView):
    pass


def lockout_minutes() -> int:
    return int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)


@login_not_required
def locked_out(request: HttpRequest, response: HttpResponse | None = None, credentials: Any = None) -> HttpResponse:
    """Too many wrong passwords for this user name from this address: say so, and for how long."""
    # unbound: checking a bound form would try the password again
    form = AuthenticationForm(request, initial={"username": request.POST.get("username", "")})
    context = {
        "form": form,
        "locked_out": True,
        "lockout_minutes": lockout_minutes(),
        "next": request.POST.get("next", ""),
    }
    return render(request, "web/login.html", context, status=429)


def client_ip(request: HttpRequest) -> str:
    """The address the throttle counts by: behind the HTTPS proxy (TOPOFMIND_BEHIND_PROXY), the
    client the proxy names last in X-Forwarded-For; otherwise the connection's own address."""
    if settings.BEHIND_PROXY:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if hops:
            return str(hops[-1])
    return str(request.META.get("REMOTE_ADDR", ""))


@require_http_methods(["GET", "POST"])
def account(request: HttpRequest) -> HttpResponse:
    """Change the password (asks the current one) and sign out everywhere."""
    assert request.user.is_authenticated  # LoginRequiredMiddleware
    form = PasswordChangeForm(request.user, data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        ended = services.change_password(
            user_id=request.user.pk,
            password=form.cleaned_data["new_password1"],
            now=now(),
            keep=request.session.session_key,
        )
        request.user.refresh_from_db()
        update_session_auth_hash(request, request.user)  # this browser stays signed in
        others = f" {ended} other session{'s' if ended != 1 else ''} signed out." if ended else ""
        messages.success(request, f"Password changed.{others}")
        return HttpResponseRedirect(reverse("web:account"))
    status = 400 if request.method == "POST" else 200
    return page(request, "web/account.html", {"form": form}, section="account", status=status)


@require_POST
def sign_out_everywhere(request: HttpRequest) -> HttpResponse:
    """End every session of this user, this browser's too."""
    assert request.user.is_authenticated
    ended = services.end_sessions(user_id=request.user.pk, now=now())
    logout(request)
    messages.success(
        request, f"Signed out everywhere ({ended} session{'s' if ended != 1 else ''}). Sign in again to continue."
    )
    return HttpResponseRedirect(reverse("web:login"))
