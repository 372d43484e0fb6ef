"""What the layout needs on every page: the choices of the quick "log a touch" form, and the
workspaces of the header's switcher."""

from __future__ import annotations

from django.http import HttpRequest

from topofmind.crm import queries

# The commonest kinds first, in the words of engine.labels (built once, in the forms).
from topofmind.web.forms import KIND_CHOICES


def layout(request: HttpRequest) -> dict[str, object]:
    user = getattr(request, "user", None)
    workspace = getattr(request, "workspace", None)
    if user is None or not user.is_authenticated or workspace is None:
        return {"log_kinds": KIND_CHOICES}
    return {
        "log_kinds": KIND_CHOICES,
        "current_workspace": workspace,
        "my_workspaces": queries.workspaces_of(user.pk),
    }
