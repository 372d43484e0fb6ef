"""Benchmark: search (issue 11, point 5) at 100k people and a million touches, on each database.

    python -m bench.search [--db sqlite,postgresql] [--people 100000] [--touches 1000000] [--repeat 20]
    python -m bench.search --url URL_OR_PATH     # a database python -m bench.generate built; kept

Builds the synthetic workspace (bench/generate.py) in a fresh database per kind, gives one
touch in twenty a line of notes (the generator writes key points only), then times
``queries.search`` - what the web page, the CLI and the API all call - for a mix of what a
user types: a last name, a full name, an employer, an opening's words, words from touch notes
(common and rare), a word found nowhere, and a two-letter start of a name. Each database runs in
a process of its own (Django is set up once per process) and is dropped afterwards.
Target: p95 <= 100 ms over every query.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_P95_MS = 100.0
SIZE_LABELS = {1_000: "1k", 10_000: "10k", 100_000: "100k"}

TOPICS = ("Kubernetes migration", "pricing page redesign", "Rust rewrite", "Series B hiring plan", "Berlin office")
FOLLOW = ("send the portfolio link", "ask about relocation", "intro to their CTO", "mentioned a referral bonus")


def enrich_notes(workspace_id: int) -> list[int]:
    """One touch in twenty gets a line of notes, as a user writes them; returns their ids."""
    from django.db import connection, transaction

    with connection.cursor() as cursor:
        cursor.execute("SELECT id FROM crm_interaction WHERE workspace_id = %s ORDER BY id", [workspace_id])
        ids = [row[0] for row in cursor.fetchall() if row[0] % 20 == 0]
    rows = [(f"Talked about the {TOPICS[i % len(TOPICS)]}; {FOLLOW[(i // 7) % len(FOLLOW)]} (ref {i})", i) for i in ids]
    with transaction.atomic(), connection.cursor() as cursor:
        for start in range(0, len(rows), 5000):
            cursor.executemany("UPDATE crm_interaction SET notes = %s WHERE id = %s", rows[start : start + 5000])
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return ids


def queries_to_time(rare_ref: int) -> list[str]:
    from bench.generate import FIRST, LAST, ORG_A

    return [
        LAST[7],  # a last name: about one person in a hundred
        "engineer",  # a word in a third of the people's titles
        f"{FIRST[5]} {LAST[11]}",  # a full name
        ORG_A[2],  # an employer
        "platform engineer",  # an opening's words
        "kubernetes",  # a topic in one touch note in a hundred
        "kafka",  # a word in interviews' key points
        f"ref {rare_ref}",  # one touch's notes
        "zeppelin",  # nothing
        "ma",  # two letters: names starting with them
    ]


def one(kind: str, people: int, touches: int, repeat: int, *, existing: str = "") -> int:
    """Build (or, with ``existing``, reuse a database python -m bench.generate built), time, drop."""
    from bench.databases import drop_database, kind_of, new_database
    from bench.generate import build_workspace, setup_django

    url = existing or new_database(kind, "search")
    kind = kind_of(url) if existing else kind
    try:
        started = time.perf_counter()
        if existing:
            setup_django(url)
            from topofmind.crm import models

            workspace_id = models.Workspace.objects.order_by("pk").values_list("pk", flat=True)[0]
            touches = models.Interaction.objects.filter(workspace_id=workspace_id).count()
        else:
            print(f"{kind}: building {people} people / {touches} touches ...", file=sys.stderr, flush=True)
            built = build_workspace(people=people, touches=touches, database_url=url)
            setup_django(url)
            workspace_id, touches = built.workspace_id, built.touches
        from topofmind.crm import queries
        from topofmind.crm.models import Interaction, Workspace

        noted = list(
            Interaction.objects.filter(workspace_id=workspace_id).exclude(notes="").values_list("pk", flat=True)
        )
        if not noted:
            noted = enrich_notes(workspace_id)
        build_s = time.perf_counter() - started
        workspace = Workspace.objects.get(pk=workspace_id)
        samples: list[float] = []
        worst = ("", 0.0)
        texts = queries_to_time(rare_ref=noted[len(noted) // 2])
        found: dict[str, int] = {}
        for text in texts:
            queries.search(workspace, text)  # warm
            mine = []
            for _ in range(repeat):
                t0 = time.perf_counter()
                result = queries.search(workspace, text)
                mine.append((time.perf_counter() - t0) * 1000)
            found[text] = result.total
            samples += mine
            p95_one = statistics.quantiles(mine, n=20)[18]
            if p95_one > worst[1]:
                worst = (text, p95_one)
        p50 = statistics.median(samples)
        p95 = statistics.quantiles(samples, n=20)[18]
        size = SIZE_LABELS.get(people, str(people))
        verdict = "PASS" if p95 <= TARGET_P95_MS else "FAIL"
        print(
            f"search | {kind} | {size} people, {touches} touches ({len(noted)} with notes) | "
            f"{len(texts)} queries x {repeat} | p50 {p50:.1f} ms | p95 {p95:.1f} ms | "
            f"slowest '{worst[0]}' p95 {worst[1]:.1f} ms | target p95 <= {TARGET_P95_MS:.0f} ms: {verdict} | "
            f"{'reused' if existing else 'build'} {build_s:.0f} s",
            flush=True,
        )
        print("  found per query: " + ", ".join(f"'{t}' {n}" for t, n in found.items()), file=sys.stderr, flush=True)
        return 0 if verdict == "PASS" else 1
    finally:
        from django.db import connections

        connections.close_all()
        if not existing:
            drop_database(url)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.search", description=__doc__.splitlines()[0])
    parser.add_argument("--db", default="sqlite,postgresql", help="comma-separated: sqlite, postgresql")
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--touches", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--url", default="", help="time a database bench.generate built (kept) instead")
    args = parser.parse_args(argv)
    if args.url:
        return one("", args.people, args.touches, args.repeat, existing=args.url)
    code = 0
    for kind in args.db.split(","):
        run = subprocess.run(
            [sys.executable, "-m", "bench.search", "_one", kind, str(args.people), str(args.touches), str(args.repeat)],
            cwd=ROOT,
            check=False,
        )
        code = code or run.returncode
    return code


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "_one":
        kind, people, touches, repeat = sys.argv[2:6]
        sys.exit(one(kind, int(people), int(touches), int(repeat)))
    sys.exit(main())
