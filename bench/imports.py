"""Benchmark: imports, backup and restore (issue 5, item 8).

    python -m bench.imports [--db sqlite,postgresql] [--rows 50000] [--people 10000]
                            [--touches 100000] [--json]

For each database, in fresh databases of their own (bench.databases), each step in a child
process whose wall time and peak RSS are measured (os.wait4):

* a generated LinkedIn ``Connections.csv`` of ``--rows`` rows (the current layout with its
  Notes preamble; quoted commas; e-mail on a fifth of the rows; 2 % of the people twice) is
  imported with dedupe into an empty workspace - as a dry run (parse, match, write, roll
  back), for real (the same, committed, then the follow-ups re-planned once), again (every
  row found already: nothing written), and as a dry run into a second empty workspace; the
  import is compared with the mean of the two dry runs around it (issue 12: <= 1.25x);
* the synthetic workspace of ``--people`` people and ``--touches`` touches
  (bench.generate.build_workspace) is backed up to a file, and that file restored into an
  empty database; the row counts of both ends must agree.

Targets: the import <= 5 s; backup and restore <= 30 s each. The databases and files are
removed afterwards.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bench.databases import drop_database, new_database
from bench.generate import django_env

ROOT = Path(__file__).resolve().parents[1]
TARGETS = {"import_s": 5.0, "backup_s": 30.0, "restore_s": 30.0}
PREAMBLE = (
    "Notes:\n"
    '"When exporting your connection data, you may notice that some of the email addresses are missing. '
    "You will only see email addresses for connections who have allowed their connections to see or "
    'download their email address using this setting https://www.linkedin.com/psettings/privacy/email."\n\n'
)
FIRST = ["Dana", "Sam", "Lena", "José", "美咲", "Priya", "Chris", "Aiko", "Tom", "Maria", "Zoë", "Ade"]
LAST = ["Lee", "Okafor", "Fischer", "Núñez", "田中", "Raman", "Park", "Sato", "Becker", "Gonzalez", "Ørsted"]
COMPANIES = ["Acme Robotics", "Globex, Inc.", "Initech GmbH", "Hooli", "Umbrella Corp", "Stark Industries, LLC"]
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def write_connections(path: Path, rows: int) -> int:
    """A Connections.csv of ``rows`` rows; returns the number of distinct people in it."""
    with open(path, "w", encoding="utf-8", newline="") as out:
        out.write(PREAMBLE)
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["First Name", "Last Name", "URL", "Email Address", "Company", "Position", "Connected On"])
        distinct = 0
        for i in range(rows):
            again = i % 50 == 49  # one row in fifty is someone seen earlier in the file
            n = i - 25 if again else i  # row i - 25 is never itself a repeat
            distinct += 0 if again else 1
            company = COMPANIES[n % len(COMPANIES)] if n % 11 else f"Startup {n % 4000}, Inc."
            writer.writerow([
                f"{FIRST[n % len(FIRST)]}{n}",
                LAST[(n // 7) % len(LAST)],
                f"https://www.linkedin.com/in/person-{n}",
                f"person{n}@example.com" if n % 5 == 0 else "",
                company,
                "Engineering Manager, Platform" if n % 3 else "Recruiter",
                f"{1 + n % 28:02d} {MONTHS[n % 12]} {2015 + n % 11}",
            ])  # fmt: skip
    return distinct


CHILD = r"""
import io, json, os, sys, time
import django
django.setup()
from django.core.management import call_command
from django.utils import timezone
from topofmind.crm import services
from topofmind.crm.models import Workspace
step, path = sys.argv[1], sys.argv[2]
now = timezone.now()
if step == "import":
    from topofmind.crm.services.imports import import_file
    call_command("migrate", verbosity=0)
    workspace = services.get_or_create_default_workspace(now=now)
    other = services.create_workspace(name="second empty workspace", now=now)
    out = {}
    # the import between two dry runs (the second into another empty workspace: the same work),
    # so that a load rising or falling during the run moves the reference with it
    for name, dry, where in (("dry_run", True, workspace), ("import", False, workspace),
                             ("again", False, workspace), ("dry_run_after", True, other)):
        started, cpu = time.perf_counter(), time.process_time()
        with open(path, "rb") as stream:
            report = import_file(workspace=where, kind="linkedin", stream=stream, now=now, dry_run=dry)
        out[name] = round(time.perf_counter() - started, 2)
        out[name + "_cpu"] = round(time.process_time() - cpu, 2)
        out[name + "_counts"] = [report.new, report.merged, report.unchanged, report.skipped, report.invalid]
    print(json.dumps(out))
elif step == "backup":
    from topofmind.crm.services.backup import write_backup
    workspace = Workspace.objects.get(pk=int(sys.argv[3]))
    started = time.perf_counter()
    with open(path, "w", encoding="utf-8") as out:
        result = write_backup(out, workspace=workspace, now=now)
    print(json.dumps({"seconds": round(time.perf_counter() - started, 2), "counts": result.counts}))
elif step == "restore":
    from topofmind.crm.services.backup import restore_backup
    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    with open(path, encoding="utf-8") as stream:
        result = restore_backup(stream)
    print(json.dumps({"seconds": round(time.perf_counter() - started, 2), "counts": result.counts,
                      "kept_ids": result.kept_ids}))
"""


def child(args: Sequence[str], url: str) -> tuple[dict[str, Any], float, float]:
    """Run one step in a child process: (its JSON answer, wall seconds, peak RSS in MB)."""
    env = {**os.environ, **django_env(url), "PYTHONPATH": str(ROOT / "src") + os.pathsep + str(ROOT)}
    started = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-c", CHILD, *args], env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    assert proc.stdout is not None and proc.stderr is not None
    out, err = proc.stdout.read(), proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(f"bench.imports {args[0]} failed: {err.decode()[-800:]}")
    return json.loads(out.decode().strip().splitlines()[-1]), wall, usage.ru_maxrss / 1024


def bench_import(kind: str, rows: int, folder: Path) -> dict[str, Any]:
    path = folder / "Connections.csv"
    distinct = write_connections(path, rows)
    url = new_database(kind, "imports")
    try:
        answer, wall, rss = child(["import", str(path)], url)
    finally:
        drop_database(url)
    assert answer["import_counts"][0] == distinct, answer  # every distinct person once
    assert answer["again_counts"][:2] == [0, 0], answer  # a second import adds nothing
    return {
        "rows": rows,
        "file_mb": round(path.stat().st_size / 1e6, 1),
        "people": distinct,
        **{k: v for k, v in answer.items() if not k.endswith("_counts")},
        "rss_mb": round(rss),
        "process_s": round(wall, 1),
    }


def bench_backup(kind: str, people: int, touches: int, folder: Path) -> dict[str, Any]:
    source = new_database(kind, "backup")
    target = new_database(kind, "restore")
    path = folder / "backup.json"
    try:
        env = {**os.environ, **django_env(source), "PYTHONPATH": str(ROOT / "src") + os.pathsep + str(ROOT)}
        args = [sys.executable, "-m", "bench.generate", "--people", str(people), "--touches", str(touches),
                "--db", source, "--json"]  # fmt: skip
        built = json.loads(
            subprocess.run(args, env=env, cwd=ROOT, check=True, capture_output=True, text=True).stdout.splitlines()[-1]
        )
        backed, _, backup_rss = child(["backup", str(path), str(built["workspace_id"])], source)
        restored, _, restore_rss = child(["restore", str(path)], target)
    finally:
        drop_database(source)
        drop_database(target)
    assert restored["counts"] == backed["counts"], (backed["counts"], restored["counts"])
    return {
        "people": people,
        "rows": sum(backed["counts"].values()),
        "file_mb": round(path.stat().st_size / 1e6, 1),
        "backup_s": backed["seconds"],
        "backup_rss_mb": round(backup_rss),
        "restore_s": restored["seconds"],
        "restore_rss_mb": round(restore_rss),
        "kept_ids": restored["kept_ids"],
    }


def dry_reference(i: dict[str, Any]) -> float:
    """The import's reference: the mean of the dry runs taken just before and just after it."""
    return (i["dry_run"] + i.get("dry_run_after", i["dry_run"])) / 2


def table(results: list[dict[str, Any]]) -> str:
    lines = [
        "database    rows    MB  dry run  import (with re-plan)  again  peak RSS   "
        "| people  rows    MB  backup  RSS   restore  RSS",
    ]
    for r in results:
        i, b = r["import"], r.get("backup")
        if b is None:
            lines.append(
                f"{r['database']:<10} {i['rows']:>6} {i['file_mb']:>5} {i['dry_run']:>7.1f}s {i['import']:>13.1f}s"
                f"        {i['again']:>5.1f}s {i['rss_mb']:>6} MB  | (no backup run)"
            )
            continue
        lines.append(
            f"{r['database']:<10} {i['rows']:>6} {i['file_mb']:>5} {i['dry_run']:>7.1f}s {i['import']:>13.1f}s"
            f"        {i['again']:>5.1f}s {i['rss_mb']:>6} MB  | {b['people']:>6} {b['rows']:>6} {b['file_mb']:>5}"
            f" {b['backup_s']:>6.1f}s {b['backup_rss_mb']:>4} {b['restore_s']:>7.1f}s {b['restore_rss_mb']:>4}"
        )
    verdicts = []
    for r in results:
        backup = r.get("backup") or {}
        for key, value in (
            ("import_s", r["import"]["import"]),
            ("backup_s", backup.get("backup_s")),
            ("restore_s", backup.get("restore_s")),
        ):
            if value is None:
                continue
            ok = "ok  " if value <= TARGETS[key] else "MISS"
            verdicts.append(f"  {ok} {r['database']:<10} {key:<10} {value:6.1f} s (target <= {TARGETS[key]:g} s)")
    # Issue 12: ratios within this run (the machine's load moves absolute times by up to 2x).
    by = {r["database"]: r["import"] for r in results}
    for kind, i in by.items():
        ratio = i["import"] / dry_reference(i)
        ok = "ok  " if kind != "sqlite" or ratio <= 1.25 else "MISS"
        limit = " (target <= 1.25x on SQLite)" if kind == "sqlite" else ""
        cpu = i["import_cpu"] / ((i["dry_run_cpu"] + i.get("dry_run_after_cpu", i["dry_run_cpu"])) / 2)
        verdicts.append(
            f"  {ok} {kind:<10} import with re-plan / its dry run {ratio:5.2f}x{limit}"
            f"  (dry runs before and after: {i['dry_run']:.1f} s, {i.get('dry_run_after', i['dry_run']):.1f} s;"
            f" this process's CPU time: {cpu:.2f}x)"
        )
    if "sqlite" in by and "postgresql" in by:
        ratio = by["postgresql"]["import"] / by["sqlite"]["import"]
        ok = "ok  " if ratio <= 1.5 else "MISS"
        verdicts.append(f"  {ok} postgresql import / SQLite import {ratio:5.2f}x (target <= 1.5x)")
    return "\n".join([*lines, "", "Targets:", *verdicts])


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.imports", description=__doc__.splitlines()[0])
    parser.add_argument("--db", default="sqlite,postgresql", help="comma-separated: sqlite, postgresql")
    parser.add_argument("--rows", type=int, default=50_000, help="rows of the LinkedIn file")
    parser.add_argument("--people", type=int, default=10_000, help="people of the backed-up workspace")
    parser.add_argument("--touches", type=int, default=100_000, help="touches of the backed-up workspace")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    parser.add_argument("--no-backup", action="store_true", help="only the import (no backup and restore)")
    args = parser.parse_args(argv)
    results = []
    with tempfile.TemporaryDirectory(prefix="topofmind-bench-imports-") as tmp:
        for kind in [k.strip() for k in args.db.split(",") if k.strip()]:
            print(f"... {kind}", file=sys.stderr, flush=True)
            result = {"database": kind, "import": bench_import(kind, args.rows, Path(tmp))}
            if not args.no_backup:
                result["backup"] = bench_backup(kind, args.people, args.touches, Path(tmp))
            results.append(result)
    print(json.dumps(results, indent=2) if args.json else table(results))
    misses = [
        r for r in results
        if r["import"]["import"] > TARGETS["import_s"]
        or r.get("backup", {}).get("backup_s", 0) > TARGETS["backup_s"]
        or r.get("backup", {}).get("restore_s", 0) > TARGETS["restore_s"]
    ]  # fmt: skip
    return 1 if misses else 0


if __name__ == "__main__":
    sys.exit(main())
