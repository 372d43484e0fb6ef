"""Benchmark: the day's agenda with the value chosen (R10) beside the same agenda without it.

    python -m bench.value [--dbs sqlite,postgresql] [--people 100000] [--touches 1000000]
                          [--items 10000] [--runs 30] [--url URL]

Builds the 100k-people workspace (bench/generate.py, the job seeker's playbook), adds a value library of ``--items``
items (company news for the employers, articles on a few dozen subjects, achievements,
materials), interests on a third of the people, a permission for materials on some touches
and a few thousand shares, lets the day hold 100 items (the morning's 16 owed thank-yous and
replies would fill a job seeker's 15, and overdue referral asks come next: they are marked
skipped, as if dealt with), then times ``queries.agenda`` - the day's items with their drafts -
at moments spread over the benchmark day, alternating: with the value chosen (what Today does)
and without it (the library reader switched off, in the same process, on the same data).
Target: with <= 1.2x without. The database is dropped afterwards.

``--url URL`` (a PostgreSQL URL or a SQLite path, one database) builds there instead and keeps
it: the next run with the same ``--url`` finds the workspace with its library and only
measures, so a change can be timed again in seconds rather than after a 100k-people build.
Drop it by hand when done (``bench.databases.drop_database`` refuses names without the
benchmark prefix).
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from datetime import timedelta
from typing import Any

TARGET_RATIO = 1.2
SUBJECTS = (
    "data", "streaming", "sql", "python", "ml", "cloud", "security", "devops", "design", "product",
    "leadership", "hiring", "analytics", "mobile", "frontend", "backend", "testing", "ai", "platform", "sre",
)  # fmt: skip


def add_library(workspace_id: int, *, items: int, seed: int = 0) -> dict[str, int]:
    """A value library of ``items`` items, interests, permissions and shares (bulk inserts)."""
    from django.db import connection, transaction

    from bench.generate import BENCH_NOW
    from topofmind.crm.models import FollowUp, Organization, Person, ValueItem, ValueShare, WorkspaceSettings

    rng = random.Random(seed)
    orgs = list(Organization.objects.filter(workspace_id=workspace_id).values_list("id", flat=True))
    people = list(Person.objects.filter(workspace_id=workspace_id).values_list("id", flat=True))
    today = BENCH_NOW.date()
    rows: list[ValueItem] = []
    for n in range(items):
        roll = rng.random()
        at = BENCH_NOW - timedelta(days=rng.randint(0, 400))
        if roll < 0.35:  # company news, from the feeds of the employers
            rows.append(
                ValueItem(
                    workspace_id=workspace_id, kind="news", title=f"News {n} of the company",
                    url=f"https://news.example/{n}", organization_id=rng.choice(orgs), guid=f"g{n}",
                    happened_on=today - timedelta(days=rng.randint(0, 120)), created_at=at,
                )
            )  # fmt: skip
        elif roll < 0.95:
            tags = ",".join(rng.sample(SUBJECTS, rng.randint(1, 3)))
            rows.append(
                ValueItem(
                    workspace_id=workspace_id, kind="article", title=f"An article on {tags} ({n})",
                    url=f"https://blog.example/{n}", tags=tags, created_at=at,
                )
            )  # fmt: skip
        elif roll < 0.96:
            rows.append(
                ValueItem(
                    workspace_id=workspace_id, kind="achievement", title=f"Finished course {n}",
                    happened_on=today - timedelta(days=rng.randint(0, 300)), created_at=at,
                )
            )  # fmt: skip
        else:
            rows.append(
                ValueItem(
                    workspace_id=workspace_id, kind="material", title=f"Work sample {n}",
                    file_name=f"m{n}.pdf", original_name=f"sample-{n}.pdf", created_at=at,
                )
            )  # fmt: skip
    with transaction.atomic():
        # The benchmark morning owes 16 thank-yous and replies, a job seeker's whole day (15),
        # and the overdue referral asks come next: a day of 100 leaves room for the nudges,
        # status inquiries and keep-warm notes that carry an item. The cap is read when the
        # agenda is, not planned, so no re-plan is needed.
        WorkspaceSettings.objects.filter(workspace_id=workspace_id).update(daily_cap=100)
        # At 100k people the overdue R13 referral asks (first contact: they carry nothing) fill
        # the whole day; the user has dealt with them (skipped), as a job seeker would.
        FollowUp.objects.filter(workspace_id=workspace_id, purpose="referral_ask", state="pending").update(
            state="skipped"
        )
        ValueItem.objects.bulk_create(rows, batch_size=2000)
        with connection.cursor() as cursor:
            for k, subject in enumerate(SUBJECTS):  # a third of the people have interests
                cursor.execute(
                    "UPDATE crm_person SET interests = %s WHERE workspace_id = %s AND id %% 60 = %s",
                    [f"{subject}, {SUBJECTS[(k + 7) % len(SUBJECTS)]}", workspace_id, k],
                )
            cursor.execute(
                "UPDATE crm_interaction SET permission_materials = %s WHERE workspace_id = %s AND id %% 40 = 0",
                [True, workspace_id],
            )
        ids = list(ValueItem.objects.filter(workspace_id=workspace_id).values_list("id", flat=True))
        shares = [
            ValueShare(
                workspace_id=workspace_id, value_item_id=rng.choice(ids), person_id=rng.choice(people),
                shared_at=BENCH_NOW - timedelta(days=rng.randint(1, 300)),
            )
            for _ in range(items)
        ]  # fmt: skip
        ValueShare.objects.bulk_create(shares, batch_size=2000, ignore_conflicts=True)
    return {"items": len(ids), "shares": ValueShare.objects.filter(workspace_id=workspace_id).count()}


def p(samples: Sequence[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def measure(workspace_id: int, runs: int) -> dict[str, Any]:
    """The agenda with and without the value, alternating on the same moments."""
    from bench.generate import BENCH_NOW
    from topofmind.crm.models import Workspace
    from topofmind.crm.planning import library
    from topofmind.crm.queries import agenda

    workspace = Workspace.objects.get(pk=workspace_id)
    real = library.carried
    moments = [BENCH_NOW + timedelta(minutes=7 * k) for k in range(runs + 3)]

    def without(*args: Any, **kwargs: Any) -> dict[str, library.Carried]:
        return {}

    def timed(fn: Callable[[], Any]) -> float:
        started = time.perf_counter()
        fn()
        return time.perf_counter() - started

    with_value: list[float] = []
    no_value: list[float] = []
    items = agenda(workspace=workspace, at=BENCH_NOW)
    for n, moment in enumerate(moments):
        library.carried = without  # type: ignore[assignment]
        plain = timed(lambda m=moment: agenda(workspace=workspace, at=m))  # type: ignore[misc]
        library.carried = real
        valued = timed(lambda m=moment: agenda(workspace=workspace, at=m))  # type: ignore[misc]
        if n >= 3:  # warm-up
            no_value.append(plain)
            with_value.append(valued)
    return {
        "with": {"p50": statistics.median(with_value), "p95": p(with_value, 0.95)},
        "without": {"p50": statistics.median(no_value), "p95": p(no_value, 0.95)},
        "items": len(items),
        "carrying": sum(1 for i in items if i.value is not None),
        "notes": sum(1 for i in items if i.carried is not None and i.carried.note),
    }


def kept(url: str, people: int) -> tuple[int, dict[str, int]] | None:
    """The workspace a previous ``--url`` run left in ``url`` (``people`` people and a
    library), or None when there is none yet."""
    from bench.databases import kind_of

    if kind_of(url) == "sqlite" and not os.path.exists(url):
        return None
    from bench.generate import setup_django

    setup_django(url)
    from django.db.utils import DatabaseError

    from topofmind.crm.models import Person, ValueItem, ValueShare, Workspace

    try:
        for ws in Workspace.objects.order_by("id"):
            if ValueItem.objects.filter(workspace_id=ws.id).exists() and (
                Person.objects.filter(workspace_id=ws.id).count() == people
            ):
                return ws.id, {
                    "items": ValueItem.objects.filter(workspace_id=ws.id).count(),
                    "shares": ValueShare.objects.filter(workspace_id=ws.id).count(),
                }
    except DatabaseError:  # not migrated yet
        return None
    return None


def run(db: str, *, people: int, touches: int, items: int, runs: int, url: str | None = None) -> str:
    from bench.databases import drop_database, new_database
    from bench.generate import build_workspace, setup_django

    keep = url is not None
    found = kept(url, people) if url is not None else None
    if url is None:
        url = new_database(db, "value")
    try:
        if found is not None:
            workspace_id, counts = found
        else:
            print(f"building {people} people / {touches} touches on {db} ...", file=sys.stderr, flush=True)
            # the job seeker's playbook: their day is nudges, status inquiries and keep-warm notes,
            # the follow-ups that carry an item (the recruiter's day is mostly candidate work)
            built = build_workspace(people=people, touches=touches, database_url=url, playbook="jobseeker")
            setup_django(url)
            counts = add_library(built.workspace_id, items=items)
            workspace_id = built.workspace_id
            from django.db import connection

            if connection.vendor == "postgresql":
                # the statistics autovacuum would gather within a minute of the library's 10k
                # rows (measuring before it has would time plans made on an empty library)
                with connection.cursor() as cursor:
                    cursor.execute("ANALYZE")
        r = measure(workspace_id, runs)
    finally:
        from django.db import connections

        connections.close_all()
        if not keep:
            drop_database(url)
    size = f"{people // 1000}k"
    w, o = r["with"], r["without"]
    ratio = w["p50"] / o["p50"]
    return (
        f"{db:<10} {size:<5} {'agenda with value ms':<24} {w['p50'] * 1000:>9.1f} {w['p95'] * 1000:>9.1f} "
        f"{o['p50'] * 1000:>10.1f} {ratio:>6.2f}x  {r['items']} items, {r['carrying']} carry an item, "
        f"{r['notes']} say nothing fits; {counts['items']} library items, {counts['shares']} shares; "
        f"ref: the same agenda without the value  target <= {TARGET_RATIO}x: "
        f"{'met' if ratio <= TARGET_RATIO else 'MISSED'}"
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.value", description=__doc__.split("\n\n")[0])
    parser.add_argument("--dbs", default="sqlite,postgresql")
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--touches", type=int, default=1_000_000)
    parser.add_argument("--items", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--url", help="build in this database and keep it; reuse what a previous run left there")
    args = parser.parse_args(argv)
    if args.url is not None:
        from bench.databases import kind_of

        args.dbs = kind_of(args.url)
    header = f"{'db':<10} {'size':<5} {'what':<24} {'p50':>9} {'p95':>9} {'no value':>10} {'ratio':>7}  notes"
    rows = []
    for db in [d.strip() for d in args.dbs.split(",") if d.strip()]:
        # Django is configured once per process: each database in a child of its own
        if len(args.dbs.split(",")) > 1:
            import subprocess

            child = [sys.executable, "-m", "bench.value", "--dbs", db, "--people", str(args.people),
                     "--touches", str(args.touches), "--items", str(args.items), "--runs", str(args.runs)]  # fmt: skip
            out = subprocess.run(child, check=False, capture_output=True, text=True)
            lines = [line for line in out.stdout.splitlines() if line.startswith(db)]
            rows += lines or [f"{db:<10} failed: {(out.stderr.strip().splitlines() or ['?'])[-1]}"]
        else:
            rows.append(
                run(db, people=args.people, touches=args.touches, items=args.items, runs=args.runs, url=args.url)
            )
    print(header)
    print("-" * len(header))
    for row in rows:
        print(row, flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
