"""What the layout needs on every page: the choices of the quick "log a touch" form, and the
workspaces of the header's switcher."""

from __future__ import annotations

from django.http import HttpRequest

from topofmind.crm import queries
from topofmind.engine.types import CONVERSATIONS

# The commonest kinds first, in the words of engine.labels (built once, in the forms).
from topofmind.web.forms import KIND_CHOICES

# The kinds whose key points a thank-you recaps: the forms show the key-points box for these only.
POINTS_KINDS = " ".join(sorted(k.value for k in CONVERSATIONS))


def layout(request: HttpRequest) -> dict[str, object]:
    user = getattr(request, "user", None)
    workspace = getattr(request, "workspace", None)
    if user is None or not user.is_authenticated or workspace is None:
        return {"log_kinds": KIND_CHOICES, "points_kinds": POINTS_KINDS}
    return {
        "log_kinds": KIND_CHOICES,
        "points_kinds": POINTS_KINDS,
        "current_workspace": workspace,
        "my_workspaces": queries.workspaces_of(user.pk),
    }
