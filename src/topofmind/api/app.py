"""The NinjaAPI object: its routers, its token auth and throttle, its problem handlers."""

from __future__ import annotations

from ninja import NinjaAPI

from topofmind.api import agenda, feeds, openings, people, problems, search, touches, transfer, value
from topofmind.api.auth import BearerToken, throttles

api = NinjaAPI(
    title="topofmind",
    version="1",
    description=(
        "Your follow-ups, people, organizations, openings and touches, for scripts and other tools. "
        "Send `Authorization: Bearer TOKEN` (make a token in Settings or with `topofmind token create`). "
        "Errors are RFC 9457 problem details naming the field."
    ),
    auth=BearerToken(),
    throttle=throttles(),
    urls_namespace="api",
    docs_url=None,  # ninja's page loads Swagger from a CDN; ours (docs.py) is served locally
    openapi_url="/openapi.json",
)

for module in (agenda, people, openings, touches, transfer, value, feeds, search):
    api.add_router("", module.router)
problems.install(api)
