"""Storing the plan of a freshly generated workspace: FollowUp rows written in bulk.

The services keep FollowUp rows current one write at a time; a generated workspace has
none yet, so its whole plan is computed once - by the planner the services use, a slice of
people at a time (``planning.plan_everyone``) - and written with the bulk writer.
"""

from __future__ import annotations

from datetime import datetime


def plan_fresh_workspace(*, workspace_id: int, now: datetime) -> int:
    from django.db import connection, transaction

    from bench.tables import TableWriter
    from topofmind.crm import planning
    from topofmind.crm.models import FollowUp, Workspace
    from topofmind.crm.planning.snapshot import row_values

    workspace = Workspace.objects.get(pk=workspace_id)
    writer = TableWriter(connection)
    count = 0
    with transaction.atomic():
        if FollowUp.objects.filter(workspace=workspace).exists():
            raise ValueError(f"workspace {workspace_id} already has a plan")
        for _, suggestions, _ in planning.plan_everyone(workspace=workspace):
            if not suggestions:
                continue
            columns = ["workspace_id", *row_values(suggestions[0]), "state", "state_at", "created_at", "updated_at"]
            rows = [(workspace_id, *row_values(s).values(), "pending", now, now, now) for s in suggestions]
            count += writer.insert(FollowUp, columns, rows, now=now)
        writer.reset_sequences([FollowUp])
        writer.analyze()
    return count
