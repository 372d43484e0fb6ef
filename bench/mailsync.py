"""Benchmark: the mailbox sync against a real IMAP server on loopback (issue 14, item 8).

    python -m bench.mailsync [--db sqlite,postgresql] [--messages 10000] [--new 100] [--json]

Starts Debian's dovecot (as the tests do: its own config in a temporary folder, maildir), and
builds the mailbox fast by writing Maildir files straight into the user's folders (90 % INBOX,
10 % Sent; dated over the last 60 days): a mix like a job seeker's inbox - answers from the
500 people of the workspace, auto-replies and out-of-office notes, newsletters, ATS mail, mail
from strangers, and now and then a 2 MB attachment. Then, for each database, in a child process
(``os.wait4`` gives its peak RSS):

* the floor: a bare ``imaplib`` session fetching exactly what the sync fetches (INTERNALDATE,
  size, the header and the first 64 KiB of the body, 100 UIDs a command) from both folders;
* the first sync of the whole mailbox (``services.sync_mailbox``: fetch, parse, classify,
  match, store, re-plan);
* ``--new`` new messages arrive, then the floor and the incremental sync of them.

Targets: >= 500 messages/s on the first sync, <= 3x the floor's time, and the peak RSS shown.
Needs root (dovecot runs with its own config) and dovecot-imapd; the databases and the
mailbox are removed afterwards. "CPU s" is the sync's own processor time (this process only:
not dovecot's nor PostgreSQL's), steadier than the wall clock on a shared machine. ``BENCH_PROFILE=first`` (or ``incremental``) prints that
sync's cProfile to standard error.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from typing import Any

from bench.databases import drop_database, new_database
from bench.generate import django_env

ROOT = Path(__file__).resolve().parents[1]
TARGETS = {"messages_per_s": 500.0, "floor_ratio": 3.0}
USER, PASSWORD = "bench@example.test", "bench-password-1"
PEOPLE = 500
CONFIG = """\
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
auth_failure_delay = 0
default_login_user = dovenull
default_internal_user = dovecot
mail_uid = 65534
mail_gid = 65534
mail_location = maildir:{root}/mail/%u
passdb {{
  driver = passwd-file
  args = scheme=PLAIN {root}/users
}}
userdb {{
  driver = static
  args = uid=65534 gid=65534 home={root}/home/%u
}}
namespace inbox {{
  inbox = yes
  separator = /
  mailbox Sent {{
    special_use = \\Sent
    auto = create
  }}
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
"""


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def dovecot() -> Iterator[tuple[Path, int]]:
    """Dovecot on loopback with one user; yields (the user's maildir, the port)."""
    if os.geteuid() != 0 or not Path("/usr/sbin/dovecot").exists():
        raise SystemExit("bench.mailsync needs root and dovecot-imapd (apt-get install -y dovecot-imapd)")
    root = Path(tempfile.mkdtemp(prefix="topofmind-bench-dovecot-"))
    root.chmod(0o755)
    for name in ("run", "state", "mail", "home"):
        (root / name).mkdir(mode=0o777)
        (root / name).chmod(0o777 if name in ("mail", "home") else 0o755)
    (root / "users").write_text(f"{USER}:{{PLAIN}}{PASSWORD}\n")
    port = free_port()
    (root / "dovecot.conf").write_text(CONFIG.format(root=root, port=port))
    process = subprocess.Popen(["/usr/sbin/dovecot", "-F", "-c", str(root / "dovecot.conf")])
    try:
        import socket

        deadline = time.monotonic() + 10
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)
        yield root / "mail" / USER, port
    finally:
        process.terminate()
        process.wait(timeout=10)
        shutil.rmtree(root, ignore_errors=True)


def person_address(n: int) -> str:
    return f"person{n}@employer{n % 50}.example"


def message(n: int, when: datetime, *, sent: bool) -> bytes:
    """The n-th message of the mailbox; the kind cycles so every run builds the same mix."""
    kind = n % 20
    who = n % PEOPLE
    head = {
        "Date": format_datetime(when),
        "Message-ID": f"<bench-{n}@mail.example>",
        "MIME-Version": "1.0",
    }
    body = (f"Hello Alice,\n\nThis is message {n}. " + "Some words about the role and the team. " * 20)[:1500]
    if sent:
        head |= {"From": f"Alice <{USER}>", "To": f"Person {who} <{person_address(who)}>", "Subject": f"Note {n}"}
    elif kind < 6:  # a person of the workspace answers
        head |= {"From": f"Person {who} <{person_address(who)}>", "To": USER, "Subject": f"Re: Note {n}"}
        if n % 3 == 0:
            head["In-Reply-To"] = f"<bench-{n - 1}@mail.example>"
    elif kind == 6:
        head |= {
            "From": person_address(who),
            "To": USER,
            "Subject": "Automatic reply: Note",
            "Auto-Submitted": "auto-replied",
        }
        body = "I am out of the office until next Monday and will reply when I am back."
    elif kind == 7:
        head |= {"From": person_address(who), "To": USER, "Subject": "Auto: received", "X-Autoreply": "yes"}
    elif kind in (8, 9, 10):
        head |= {
            "From": "News <news@list.example>",
            "To": USER,
            "Subject": f"Weekly {n}",
            "List-Id": "<weekly.list.example>",
            "Precedence": "list",
        }
    elif kind == 11:
        head |= {
            "From": "Employer 3 Recruiting <no-reply@hire.lever.co>",
            "To": USER,
            "Subject": "Your application to Employer 3",
        }
        body = "Thank you for applying. We have received your application."
    else:  # strangers and shops
        head |= {"From": f"Someone {n} <someone{n}@elsewhere.example>", "To": USER, "Subject": f"Offer {n}"}
    text = "".join(f"{k}: {v}\r\n" for k, v in head.items())
    if n % 500 == 250:  # now and then a large attachment (2 MB), never read whole
        import base64

        blob = base64.encodebytes(os.urandom(2 * 1024 * 1024)).replace(b"\n", b"\r\n")
        return (
            (
                text
                + 'Content-Type: multipart/mixed; boundary="B"\r\n\r\n--B\r\nContent-Type: text/plain\r\n\r\n'
                + body.replace("\n", "\r\n")
                + "\r\n--B\r\nContent-Type: application/pdf; name=cv.pdf\r\n"
                "Content-Transfer-Encoding: base64\r\n\r\n"
            ).encode()
            + blob
            + b"\r\n--B--\r\n"
        )
    return (text + "Content-Type: text/plain; charset=utf-8\r\n\r\n" + body.replace("\n", "\r\n")).encode()


def write_maildir(maildir: Path, numbers: Sequence[int], *, now: datetime, fresh: bool = False) -> None:
    """Writes the messages as Maildir files (dovecot gives them UIDs when the folder is next read)."""
    for n in numbers:
        sent = n % 10 == 9
        folder = maildir / ".Sent" if sent else maildir
        for sub in ("cur", "new", "tmp"):
            (folder / sub).mkdir(parents=True, exist_ok=True)
        when = now - timedelta(minutes=5) if fresh else now - timedelta(days=60) + timedelta(seconds=n * 500)
        path = folder / ("new" if fresh else "cur") / f"{int(when.timestamp())}.bench{n}.host{'' if fresh else ':2,S'}"
        path.write_bytes(message(n, when, sent=sent))
        os.utime(path, (when.timestamp(), when.timestamp()))
    for path in [maildir, *maildir.rglob("*")]:
        os.chown(path, 65534, 65534)


CHILD = r"""
import imaplib, json, os, resource, sys, time
from datetime import UTC, datetime
import django
django.setup()
from topofmind.crm.auto_migrate import ensure_migrated
from topofmind.crm import services
from topofmind.crm.models import Interaction
from bench.mailsync import PASSWORD, PEOPLE, USER, person_address, write_maildir

port, maildir, total, new = int(sys.argv[1]), sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
ensure_migrated()
now = datetime.now(UTC)
owner = services.ensure_owner(username="alice", password="bench-pass-1", now=now)
ws = owner.workspace
user_id = ws.owner_id
for n in range(PEOPLE):
    services.add_person(workspace=ws, name=f"Person {n}", emails=[person_address(n)], now=now)
services.setup_mail_account(user_id=user_id, imap_host="127.0.0.1", imap_port=port, imap_security="none",
    smtp_host="127.0.0.1", smtp_port=25, smtp_security="none", username=USER, password=PASSWORD,
    addresses=[USER], from_name="Alice", now=now)

def floor(after):
    client = imaplib.IMAP4("127.0.0.1", port)
    client.login(USER, PASSWORD)
    count = 0
    began = time.perf_counter()
    for folder in ("Sent", "INBOX"):
        client.select(folder, readonly=True)
        typ, data = client.uid("SEARCH", None, f"UID {after.get(folder, 0) + 1}:*")
        uids = [int(u) for u in data[0].split() if int(u) > after.get(folder, 0)]
        for start in range(0, len(uids), 100):
            batch = ",".join(map(str, uids[start:start + 100]))
            typ, rows = client.uid("FETCH", batch, "(INTERNALDATE RFC822.SIZE BODY.PEEK[HEADER] BODY.PEEK[TEXT]<0.65536>)")
            count += sum(1 for row in rows if isinstance(row, tuple))
        after[folder] = max(uids, default=after.get(folder, 0))
    seconds = time.perf_counter() - began
    client.logout()
    return count, seconds

out = {}
seen = {}
count, seconds = floor(seen)  # also lets dovecot index the maildir before anything is timed
count, seconds = floor({})
out["floor_first"] = {"messages": count // 2, "s": seconds}
began, cpu = time.perf_counter(), time.process_time()
def profiled(**kwargs):
    import cProfile, pstats
    profile = cProfile.Profile()
    report = profile.runcall(services.sync_mailbox, **kwargs)
    pstats.Stats(profile, stream=sys.stderr).sort_stats("cumulative").print_stats(45)
    return report

if os.environ.get("BENCH_PROFILE") == "first":
    report = profiled(user_id=user_id, now=now)
else:
    report = services.sync_mailbox(user_id=user_id, now=now)
out["first"] = {"messages": report.messages, "s": time.perf_counter() - began, "logged": report.logged,
                "cpu_s": time.process_time() - cpu,
                "replies": report.replies, "ignored": report.ignored}
write_maildir(__import__("pathlib").Path(maildir), range(total, total + new), now=now, fresh=True)
count, seconds = floor(dict(seen))
out["floor_new"] = {"messages": count // 2, "s": seconds}
began, cpu = time.perf_counter(), time.process_time()
if os.environ.get("BENCH_PROFILE") == "incremental":
    report = profiled(user_id=user_id, now=datetime.now(UTC))
else:
    report = services.sync_mailbox(user_id=user_id, now=datetime.now(UTC))
out["incremental"] = {"messages": report.messages, "s": time.perf_counter() - began, "logged": report.logged,
                      "cpu_s": time.process_time() - cpu}
out["touches"] = Interaction.objects.count()
print(json.dumps(out))
"""


def run_child(db_kind: str, port: int, maildir: Path, total: int, new: int) -> dict[str, Any]:
    url = new_database(db_kind, "mailsync")
    data_dir = Path(tempfile.mkdtemp(prefix="topofmind-bench-mailsync-"))
    env = {**os.environ, **django_env(url), "TOPOFMIND_DATA_DIR": str(data_dir), "PYTHONPATH": f"{ROOT / 'src'}:{ROOT}"}
    try:
        process = subprocess.Popen(
            [sys.executable, "-c", CHILD, str(port), str(maildir), str(total), str(new)],
            env=env,
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        _, status, usage = os.wait4(process.pid, 0)
        stdout, stderr = process.stdout.read(), process.stderr.read()  # type: ignore[union-attr]
        if status != 0:
            raise SystemExit(f"the mail sync child failed:\n{stderr}")
        if os.environ.get("BENCH_PROFILE"):
            print(stderr, file=sys.stderr)
        result: dict[str, Any] = json.loads(stdout.strip().splitlines()[-1])
        result["rss_mb"] = usage.ru_maxrss / 1024
        return result
    finally:
        drop_database(url)
        shutil.rmtree(data_dir, ignore_errors=True)


def rows(db_kind: str, result: dict[str, Any]) -> list[dict[str, Any]]:
    out = []
    for case, floor in (("first", "floor_first"), ("incremental", "floor_new")):
        ours, bare = result[case], result[floor]
        rate = ours["messages"] / ours["s"] if ours["s"] else float("inf")
        out.append({
            "db": db_kind,
            "case": case,
            "messages": ours["messages"],
            "logged": ours["logged"],
            "seconds": round(ours["s"], 3),
            "cpu_s": round(ours["cpu_s"], 3),
            "messages_per_s": round(rate),
            "floor_s": round(bare["s"], 3),
            "floor_ratio": round(ours["s"] / bare["s"], 2) if bare["s"] else None,
            "rss_mb": round(result["rss_mb"]),
        })  # fmt: skip
    return out


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.mailsync", description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", default="sqlite", help="sqlite, postgresql or both (comma-separated)")
    parser.add_argument("--messages", type=int, default=10_000)
    parser.add_argument("--new", type=int, default=100)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    table: list[dict[str, Any]] = []
    now = datetime.now(UTC)
    for db_kind in [d.strip() for d in args.db.split(",") if d.strip()]:
        with dovecot() as (maildir, port):
            write_maildir(maildir, range(args.messages), now=now)
            table += rows(db_kind, run_child(db_kind, port, maildir, args.messages, args.new))
    if args.json:
        print(json.dumps(table))
        return 0
    print(f"Mail sync against dovecot on loopback: {args.messages} messages, then {args.new} new (issue 14)")
    print(
        f"{'db':<11}{'case':<13}{'msgs':>7}{'logged':>8}{'s':>9}{'CPU s':>8}{'msg/s':>8}{'floor s':>9}"
        f"{'x floor':>9}{'RSS MB':>8}"
    )
    for row in table:
        print(
            f"{row['db']:<11}{row['case']:<13}{row['messages']:>7}{row['logged']:>8}{row['seconds']:>9.3f}"
            f"{row['cpu_s']:>8.2f}"
            f"{row['messages_per_s']:>8}{row['floor_s']:>9.3f}{row['floor_ratio']:>9}{row['rss_mb']:>8}"
        )
    first = [r for r in table if r["case"] == "first"]
    ok = all(
        r["messages_per_s"] >= TARGETS["messages_per_s"] and (r["floor_ratio"] or 0) <= TARGETS["floor_ratio"]
        for r in first
    )
    print(
        f"targets: >= {TARGETS['messages_per_s']:g} messages/s and <= {TARGETS['floor_ratio']:g}x the floor "
        f"on the first sync: {'met' if ok else 'NOT met'}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
