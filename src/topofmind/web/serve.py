"""``topofmind serve``: start the web app with a production server (gunicorn).

On the very first start it creates the owner account, links it to the workspace the CLI
uses, and prints the address and how to sign in. It listens on 127.0.0.1 unless told
otherwise: a job search is private.
"""

from __future__ import annotations

import getpass
import os
import re
import secrets
import socket
import sys
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils import timezone

LOOPBACK = {"127.0.0.1", "localhost", "::1"}


@dataclass(frozen=True)
class Account:
    username: str
    password: str | None  # a password to print (a new account, or a reset); None = unchanged


def default_username() -> str:
    try:
        name = getpass.getuser()
    except (KeyError, OSError):  # no login name in a container
        name = ""
    name = re.sub(r"[^\w.@+-]", "", name or "")[:150]
    return name if name and name != "root" else "me"


def new_password() -> str:
    """Three groups of letters and digits: easy to type from a terminal, ~71 bits."""
    alphabet = "abcdefghijkmnpqrstuvwxyz23456789"
    return "-".join("".join(secrets.choice(alphabet) for _ in range(5)) for _ in range(3))


def prepare_owner(*, reset_password: bool = False, username: str | None = None) -> Account:
    """The owner account exists and owns the default workspace; a password to print if new."""
    from topofmind.crm import services

    password = new_password()
    owner = services.ensure_owner(username=username or default_username(), password=password, now=timezone.now())
    if owner.password is not None:
        return Account(owner.username, owner.password)
    if reset_password:
        services.set_password(username=owner.username, password=password)
        return Account(owner.username, password)
    return Account(owner.username, None)


def refuse_open_host_without_settings(host: str, environ: dict[str, str]) -> None:
    """Listening beyond this machine needs a secret key and the names it is reached by, set on
    purpose: a key generated on the fly and a guessed host list are fine for a laptop only."""
    if host in LOOPBACK:
        return
    missing = [
        name for name in ("TOPOFMIND_SECRET_KEY", "TOPOFMIND_ALLOWED_HOSTS") if not environ.get(name, "").strip()
    ]
    if missing:
        raise OSError(
            f"--host {host} makes topofmind reachable from other machines: set {' and '.join(missing)} first "
            "(see docs/settings.md)"
        )


def port_is_free(host: str, port: int) -> bool:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            return False
    return True


def banner(*, host: str, port: int, account: Account) -> str:
    shown = f"[{host}]" if ":" in host else host
    lines = [
        "",
        f"  topofmind is running at http://{shown}:{port}/",
        "",
        f"  Sign in as:  {account.username}",
    ]
    if account.password is not None:
        lines += [
            f"  Password:    {account.password}",
            "  (shown this once: keep it somewhere safe; `topofmind serve --reset-password` makes a new one)",
        ]
    else:
        lines.append(
            "  Password:    the one printed on the first start (`topofmind serve --reset-password` for a new one)"
        )
    if host not in LOOPBACK:
        lines += ["", f"  Note: listening on {host}, so other machines on your network can reach the sign-in page."]
    lines += ["", "  Press Ctrl+C to stop.", ""]
    return "\n".join(lines)


def run(
    *,
    host: str = "127.0.0.1",
    port: int = 8000,
    workers: int = 2,
    threads: int = 4,
    reset_password: bool = False,
    username: str | None = None,
    quiet: bool = False,
) -> None:
    """Prepare the owner account and serve until interrupted (Django must be set up, DB migrated)."""
    refuse_open_host_without_settings(host, dict(os.environ))
    account = prepare_owner(reset_password=reset_password, username=username)
    if not port_is_free(host, port):
        raise OSError(
            f"port {port} on {host} is busy: is topofmind already running at http://{host}:{port}/ ? "
            "(or pick another port with --port)"
        )
    allowed = list(settings.ALLOWED_HOSTS)
    if host in LOOPBACK and host not in allowed and "*" not in allowed:
        settings.ALLOWED_HOSTS = [*allowed, host]
    shown = f"[{host}]" if ":" in host else host
    # Links in our mail (the digest) point here unless TOPOFMIND_BASE_URL says otherwise.
    settings.LOCAL_BASE_URL = f"http://{shown}:{port}"
    if not quiet:
        print(banner(host=host, port=port, account=account), flush=True)
    serve_wsgi(host=host, port=port, workers=workers, threads=threads, extra=queue_hooks())


def queue_hooks() -> dict[str, Any]:
    """gunicorn hooks that run the queue's consumer in the serving (master) process.

    Only there: the web workers gunicorn forks only enqueue, and an autoreloader's parent
    never gets here. TOPOFMIND_QUEUE_IN_PROCESS=0 leaves the jobs to `topofmind worker`.
    """
    if not settings.QUEUE_IN_PROCESS:
        return {}
    from topofmind import tasks

    handles: list[Any] = []

    def when_ready(server: Any) -> None:
        try:
            handles.append(tasks.start_in_process_consumer())
        except tasks.QueueError as exc:
            print(f"  Background jobs are not running: {exc}", file=sys.stderr, flush=True)

    def on_exit(server: Any) -> None:
        for handle in handles:
            handle.stop()

    return {"when_ready": when_ready, "on_exit": on_exit}


def serve_wsgi(*, host: str, port: int, workers: int, threads: int, extra: dict[str, Any] | None = None) -> None:
    from gunicorn.app.base import BaseApplication

    from topofmind.wsgi import application

    bind = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
    options: dict[str, Any] = {
        "bind": bind,
        "workers": workers,
        "threads": threads,
        "worker_class": "gthread",
        "accesslog": None,
        "errorlog": "-",
        "loglevel": "warning",
        "timeout": 60,
        "graceful_timeout": 5,
        **(extra or {}),
    }

    class App(BaseApplication):  # type: ignore[misc]
        def load_config(self) -> None:
            for key, value in options.items():
                self.cfg.set(key, value)

        def load(self) -> Any:
            return application

    # gunicorn parses sys.argv; give it none of ours.
    sys.argv = [sys.argv[0]]
    App().run()
