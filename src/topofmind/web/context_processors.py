"""What the layout needs on every page: the choices of the quick "log a touch" form."""

from __future__ import annotations

from django.http import HttpRequest

# The commonest kinds first, in the words of engine.labels (built once, in the forms).
from topofmind.web.forms import KIND_CHOICES


def layout(request: HttpRequest) -> dict[str, object]:
    return {"log_kinds": KIND_CHOICES}
