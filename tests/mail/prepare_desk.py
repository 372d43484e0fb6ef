"""Run in a fresh process against TOPOFMIND_DATABASE_URL: the owner, Dana (with an e-mail address)
and an interview with her an hour ago, so a thank-you to her is on today's agenda. Prints its id."""

from __future__ import annotations

import os
from datetime import timedelta

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "topofmind.settings")
django.setup()

from django.utils import timezone  # noqa: E402

from topofmind.crm import queries, services  # noqa: E402
from topofmind.crm.auto_migrate import ensure_migrated  # noqa: E402
from topofmind.engine.types import Kind  # noqa: E402

ensure_migrated()
now = timezone.now()
services.ensure_owner(username="alice", password="pw-alice-1", now=now)
workspace = services.get_or_create_default_workspace(now=now)
dana = services.add_person(workspace=workspace, name="Dana Reyes", emails=["dana@acme.test"], now=now)
services.log_touch(workspace=workspace, names=["Dana Reyes"], kind=Kind.INTERVIEW, at=now - timedelta(hours=1), now=now)
item = next(i for i in queries.agenda(workspace=workspace, at=now) if i.suggestion.person_id == dana.pk)
print(item.followup_id)
