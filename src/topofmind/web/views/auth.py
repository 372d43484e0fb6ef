"""Sign in and out (Django auth: argon2 hashes, sessions, CSRF)."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpResponse

from topofmind.crm import services
from topofmind.web.common import now


class SignInView(auth_views.LoginView):
    template_name = "web/login.html"
    redirect_authenticated_user = True

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        # A POST: the one place a workspace is made for an account that has none.
        services.ensure_workspace(user=form.get_user(), now=now())
        return super().form_valid(form)


class SignOutView(auth_views.LogoutView):
    pass
