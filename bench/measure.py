"""The in-process measurements on one built workspace, each beside its floor.

Run in a child process whose Django points at the benchmark database::

    python -m bench.measure --db URL --workspace ID [--agenda-runs 40] [--log-runs 40]

prints one JSON object: agenda and logging timings (seconds) with their floors.

* **agenda**: ``queries.agenda(workspace, at)`` - the day's items with drafts - at moments
  spread over the benchmark day. Floor: the same rows with the same joined fields (person,
  employer, opening and the opening's employer) fetched by one hand-written query on their
  primary keys - what any implementation must at least read to show them. (The fields come
  from scalar subqueries: with joins PostgreSQL hash-joins all 5000 employers, 1.3 ms.)
* **agenda +6 months**: the same call on the same moments 183 days later (nothing logged in
  between: a workspace that sat unused). Its reference is the benchmark day's agenda.
* **Today page**: ``GET /`` in process (Django's test client, signed in) with the page's
  cache warm, and with the cache emptied before each request. The reference is the warm page.
* **log**: ``services.log_interaction`` of one touch (half of them about an opening the
  person takes part in) with its re-plan, committed. Floor: the same insert (touch and
  participant), a read of the person's live follow-ups, one update, and the commit - in
  hand-written SQL.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import time
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from typing import Any

from bench.generate import BENCH_NOW, setup_django

# "A user back from a long break": the agenda read this long after the benchmark day.
STALE_AFTER = timedelta(days=183)

FLOOR_AGENDA_SQL = """
SELECT f.id, f.key, f.purpose, f.rule, f.channel, f.due, f.due_day, f.actionable_from, f.priority, f.why,
       f.call_window, f.points, f.extra, f.engine_fields, f.state, f.draft_subject, f.draft_body,
       (SELECT name FROM crm_person WHERE id = f.person_id),
       (SELECT name FROM crm_organization WHERE id = f.organization_id),
       (SELECT title FROM crm_opportunity WHERE id = f.opportunity_id),
       (SELECT o.name FROM crm_opportunity op JOIN crm_organization o ON o.id = op.organization_id
        WHERE op.id = f.opportunity_id)
FROM crm_followup f
WHERE f.workspace_id = %s AND f.id IN ({ids})
ORDER BY f.due, f.id
"""


def percentiles(samples: Sequence[float]) -> dict[str, float]:
    ordered = sorted(samples)
    return {
        "p50": statistics.median(ordered),
        "p95": ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))],
        "n": len(ordered),
    }


def timed(fn: Callable[[], Any], runs: int, warmup: int = 3, cpu: list[float] | None = None) -> list[float]:
    """Wall times of ``runs`` calls; ``cpu`` (when given) gets each call's CPU time in this process."""
    for _ in range(warmup):
        fn()
    out = []
    for _ in range(runs):
        started, used = time.perf_counter(), time.process_time()
        fn()
        out.append(time.perf_counter() - started)
        if cpu is not None:
            cpu.append(time.process_time() - used)
    return out


def with_cpu(wall: Sequence[float], cpu: Sequence[float]) -> dict[str, float]:
    """Percentiles of the wall times, and the median CPU time (steadier on a loaded machine)."""
    return {**percentiles(wall), "cpu_p50": statistics.median(cpu)}


def measure_agenda(workspace_id: int, runs: int) -> dict[str, Any]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from topofmind.crm.models import Workspace
    from topofmind.crm.queries import agenda

    workspace = Workspace.objects.get(pk=workspace_id)
    moments = [BENCH_NOW + timedelta(minutes=7 * k) for k in range(runs + 3)]
    state = {"k": 0}

    def one() -> None:
        state["k"] = (state["k"] + 1) % len(moments)
        agenda(workspace=workspace, at=moments[state["k"]])

    service_cpu: list[float] = []
    service = timed(one, runs, cpu=service_cpu)
    with CaptureQueriesContext(connection) as queries:
        items = agenda(workspace=workspace, at=BENCH_NOW)
    ids = [item.followup_id for item in items]
    sql = FLOOR_AGENDA_SQL.format(ids=", ".join(["%s"] * len(ids)) if ids else "NULL")

    def floor() -> None:
        with connection.cursor() as cursor:
            cursor.execute(sql, [workspace_id, *ids])
            rows = cursor.fetchall()
        assert len(rows) == len(ids)

    later = [moment + STALE_AFTER for moment in moments]  # the same day, six months on

    def one_later() -> None:
        state["k"] = (state["k"] + 1) % len(later)
        agenda(workspace=workspace, at=later[state["k"]])

    stale_cpu: list[float] = []
    stale = timed(one_later, runs, cpu=stale_cpu)
    with CaptureQueriesContext(connection) as stale_queries:
        stale_items = agenda(workspace=workspace, at=later[0])
    return {
        "agenda": with_cpu(service, service_cpu),
        "agenda_floor": percentiles(timed(floor, runs)),
        "agenda_items": len(items),
        "agenda_queries": len(queries.captured_queries),
        "actionable_rows": _actionable(workspace_id),
        "agenda_stale": with_cpu(stale, stale_cpu),
        "agenda_stale_items": len(stale_items),
        "agenda_stale_queries": len(stale_queries.captured_queries),
    }


def measure_today_page(workspace_id: int, runs: int) -> dict[str, Any]:
    """GET / (Today) in process, signed in, with the page's cache warm and with it emptied."""
    import time_machine
    from django.core.cache import cache
    from django.test import Client

    from bench.serving import bench_owner

    user = bench_owner(workspace_id, "bench-page")  # has answered the first-start questions
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    with time_machine.travel(BENCH_NOW, tick=False):

        def get() -> None:
            response = client.get("/")
            assert response.status_code == 200 and b'class="item"' in response.content, response.status_code

        cached_cpu: list[float] = []
        cached = timed(get, runs, cpu=cached_cpu)

        def get_uncached() -> None:
            cache.clear()
            get()

        uncached_cpu: list[float] = []
        uncached = timed(get_uncached, runs, cpu=uncached_cpu)
    return {"page_cached": with_cpu(cached, cached_cpu), "page_uncached": with_cpu(uncached, uncached_cpu)}


def _actionable(workspace_id: int) -> int:
    from zoneinfo import ZoneInfo

    from topofmind.crm.models import FollowUp

    today = BENCH_NOW.astimezone(ZoneInfo("America/New_York")).date()
    return FollowUp.objects.filter(
        workspace_id=workspace_id, state__in=["pending", "snoozed"], due_day__lte=today
    ).count()


def measure_logging(workspace_id: int, runs: int, seed: int = 0) -> dict[str, Any]:
    from django.db import connection, transaction

    from topofmind.crm import services
    from topofmind.crm.models import Interaction, OpportunityParticipant, Person, Workspace
    from topofmind.engine.types import Kind

    workspace = Workspace.objects.get(pk=workspace_id)
    rng = random.Random(seed)
    people = list(
        Person.objects.filter(workspace=workspace, do_not_contact=False).order_by("id").values_list("id", flat=True)
    )
    parts = list(
        OpportunityParticipant.objects.filter(opportunity__workspace=workspace)
        .order_by("id")
        .values_list("person_id", "opportunity_id")
    )
    kinds = [Kind.CHECK_IN, Kind.VALUE_SHARE, Kind.CALL, Kind.REPLY, Kind.MESSAGE]
    plans = []
    for k in range(runs + 3):
        if k % 2 and parts:
            person, opp = rng.choice(parts)
        else:
            person, opp = rng.choice(people), None
        plans.append((person, opp, rng.choice(kinds), BENCH_NOW - timedelta(minutes=90 - k)))
    state = {"k": 0}

    def one() -> None:
        person, opp, kind, at = plans[state["k"]]
        state["k"] += 1
        services.log_interaction(
            workspace=workspace, kind=kind, person_ids=[person], at=at, now=BENCH_NOW, opportunity_id=opp
        )

    service = timed(one, runs)
    ops = connection.ops
    at = ops.adapt_datetimefield_value(BENCH_NOW)
    quoted = ", ".join(
        f.column for f in Interaction._meta.concrete_fields if f.column != "id"
    )  # every column: the floor writes the same row the service writes
    values = {
        "workspace_id": workspace_id, "at": at, "kind": "check_in", "channel": "", "direction": "out",
        "opportunity_id": None, "summary": "", "points": "", "notes": "", "permission_materials": False,
        "message_id": "", "ooo_until": None, "created_at": at,
    }  # fmt: skip
    fields = [f for f in Interaction._meta.concrete_fields if f.column != "id"]
    columns = [f.column for f in fields]
    row = [values[f.column] if f.column in values else f.get_default() for f in fields]  # a new column: its default
    insert = f"INSERT INTO crm_interaction ({quoted}) VALUES ({', '.join(['%s'] * len(columns))})"
    targets = iter(rng.choice(people) for _ in range(runs + 10))

    def floor() -> None:
        person = next(targets)
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(insert + (" RETURNING id" if connection.vendor == "postgresql" else ""), row)
            touch_id = cursor.fetchone()[0] if connection.vendor == "postgresql" else cursor.lastrowid
            cursor.execute(
                "INSERT INTO crm_interactionparticipant (interaction_id, person_id) VALUES (%s, %s)", [touch_id, person]
            )
            cursor.execute(
                "SELECT id, key, state, due FROM crm_followup WHERE workspace_id = %s AND person_id = %s "
                "AND state IN ('pending', 'snoozed')",
                [workspace_id, person],
            )
            found = cursor.fetchall()
            if found:
                cursor.execute("UPDATE crm_followup SET updated_at = %s WHERE id = %s", [at, found[0][0]])

    return {"log": percentiles(service), "log_floor": percentiles(timed(floor, runs))}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.measure")
    parser.add_argument("--db", required=True)
    parser.add_argument("--workspace", type=int, required=True)
    parser.add_argument("--agenda-runs", type=int, default=40)
    parser.add_argument("--log-runs", type=int, default=40)
    args = parser.parse_args(argv)
    setup_django(args.db)
    out: dict[str, Any] = {"measured_at": datetime.now().isoformat(timespec="seconds")}
    out.update(measure_agenda(args.workspace, args.agenda_runs))
    out.update(measure_today_page(args.workspace, max(10, args.agenda_runs // 2)))
    out.update(measure_logging(args.workspace, args.log_runs))
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
