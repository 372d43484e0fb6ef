"""Run (under the test's moved clock) against TOPOFMIND_DATABASE_URL: the owner in Paris (French
holidays), Dana whom she interviewed with an hour ago (a thank-you due) and Sam to whom she
applied a week ago (a nudge due): two items, each with its why, for the morning digest."""

from __future__ import annotations

import os
from datetime import timedelta

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "topofmind.settings")
django.setup()

from django.utils import timezone  # noqa: E402

from topofmind.crm import services  # noqa: E402
from topofmind.crm.auto_migrate import ensure_migrated  # noqa: E402
from topofmind.engine.types import Kind  # noqa: E402

ensure_migrated()
now = timezone.now()
services.ensure_owner(username="alice", password="pw-alice-1", now=now)
workspace = services.get_or_create_default_workspace(now=now)
services.set_config(workspace=workspace, key="timezone", value="Europe/Paris", now=now)
services.set_config(workspace=workspace, key="country", value="FR", now=now)
services.add_person(workspace=workspace, name="Dana Reyes", emails=["dana@acme.test"], now=now)
services.add_person(workspace=workspace, name="Sam Okafor", emails=["sam@globex.test"], now=now)
services.log_touch(workspace=workspace, names=["Dana Reyes"], kind=Kind.INTERVIEW, at=now - timedelta(hours=1), now=now)
services.log_touch(workspace=workspace, names=["Sam Okafor"], kind=Kind.APPLICATION, at=now - timedelta(days=7), now=now)
print("ready")
