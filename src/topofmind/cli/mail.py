"""``topofmind mail setup|test|status|sync|review|outbox|resolve``, ``topofmind send ID`` and ``topofmind worker``.

The mail account belongs to the install's owner (the account `topofmind serve` signs in);
the password comes from TOPOFMIND_MAIL_PASSWORD or ``--password-stdin``, never an argument
(it would sit in the shell history and the process list), and is never printed.
"""

from __future__ import annotations

import os
import sys
import time
from typing import TYPE_CHECKING, Annotated

import typer

from topofmind.cli import common, render
from topofmind.crm.errors import Invalid, TopofmindError

if TYPE_CHECKING:
    from topofmind.crm.models import Workspace

mail_app = typer.Typer(help="Your mail account: set it up, test it, see how sending goes.", no_args_is_help=True)

PASSWORD_ENV = "TOPOFMIND_MAIL_PASSWORD"
Security = Annotated[str, typer.Option(metavar="none|starttls|tls", help="How the connection is secured.")]


def _owner(workspace: Workspace) -> int:
    """The user the CLI acts for: the workspace's owner (made now on a fresh install)."""
    if workspace.owner_id is None:
        from topofmind.web.serve import prepare_owner

        prepare_owner()
        workspace.refresh_from_db()
    assert workspace.owner_id is not None
    return workspace.owner_id


@mail_app.command("setup")
def setup(
    imap_host: Annotated[str, typer.Option("--imap-host", metavar="H", help="IMAP server, e.g. imap.fastmail.com.")],
    imap_port: Annotated[int, typer.Option("--imap-port", metavar="N", help="IMAP port (993 for TLS).")],
    imap_security: Annotated[str, typer.Option("--imap-security", metavar="none|starttls|tls")],
    smtp_host: Annotated[str, typer.Option("--smtp-host", metavar="H", help="SMTP server, e.g. smtp.fastmail.com.")],
    smtp_port: Annotated[int, typer.Option("--smtp-port", metavar="N", help="SMTP port (465 TLS, 587 STARTTLS).")],
    smtp_security: Annotated[str, typer.Option("--smtp-security", metavar="none|starttls|tls")],
    username: Annotated[str, typer.Option("--username", metavar="U", help="The login name, often your address.")],
    address: Annotated[
        list[str],
        typer.Option("--address", metavar="A", help="An address you send from (repeat for more; first = default)."),
    ],
    name: Annotated[str, typer.Option("--name", help="Your name as recipients see it.")] = "",
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from standard input.")
    ] = False,
    digest_hour: Annotated[
        int | None,
        typer.Option("--digest-hour", metavar="H", help="Send me the agenda each business day at this hour (0-23)."),
    ] = None,
    no_digest: Annotated[bool, typer.Option("--no-digest", help="Turn the morning digest off.")] = False,
) -> None:
    """Connect your mailbox (an app password works for Gmail, iCloud, Fastmail and Yahoo)."""
    workspace = common.workspace()
    from topofmind.crm import services

    password: str | None
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
        if not password:
            raise Invalid(
                "--password-stdin", "read an empty password", "pipe the password in, e.g. from a password manager"
            )
    else:
        password = os.environ.get(PASSWORD_ENV) or None
    user_id = _owner(workspace)
    now = common.now()
    row = services.setup_mail_account(
        user_id=user_id,
        imap_host=imap_host,
        imap_port=imap_port,
        imap_security=imap_security,
        smtp_host=smtp_host,
        smtp_port=smtp_port,
        smtp_security=smtp_security,
        username=username,
        password=password,
        addresses=address,
        from_name=name,
        now=now,
    )
    if digest_hour is not None or no_digest:
        services.set_digest(user_id=user_id, hour=None if no_digest else digest_hour, now=now)
    typer.echo(f"Mail account saved: {row.username}, sending from {row.addresses.split(',')[0]}.")
    typer.echo("Check it with: topofmind mail test")


@mail_app.command("test")
def test() -> None:
    """Sign in to the IMAP and SMTP servers (nothing is sent) and find the Sent folder."""
    workspace = common.workspace()
    from topofmind.crm import services

    check = services.check_mail_account(user_id=_owner(workspace), now=common.now())
    for line in check.lines:
        typer.echo(line)
    if not check.ok:
        raise TopofmindError("the mail account does not work yet", "fix what is said above, then run it again")
    typer.echo("Both servers work: drafts can be sent from Today or with `topofmind send ID`.")


@mail_app.command("status")
def status(
    json_: Annotated[bool, typer.Option("--json", help="Print only JSON (schema in docs/cli.md).")] = False,
) -> None:
    """The account, the queue, the last send and the last error, in words."""
    workspace = common.workspace()
    from topofmind import tasks

    found = tasks.mail_status(user_id=_owner(workspace), workspace=workspace)
    if json_:
        render.print_json(render.mail_status_dict(found))
        return
    render.print_mail_status(found)


@mail_app.command("sync")
def sync(
    json_: Annotated[bool, typer.Option("--json", help="Print only JSON (schema in docs/cli.md).")] = False,
    window: Annotated[
        int | None,
        typer.Option("--window", metavar="DAYS", help="How far back a first sync reads (kept; default 90)."),
    ] = None,
    batch_size: Annotated[int, typer.Option("--batch-size", hidden=True, min=1, max=1000)] = 100,
) -> None:
    """Read new mail in INBOX and Sent: log replies, pause for out-of-office, mark bounces."""
    workspace = common.workspace()
    from topofmind.crm import services

    user_id = _owner(workspace)
    if window is not None:
        services.set_sync_window(user_id=user_id, days=window, now=common.now())
    from topofmind import tasks

    with tasks.holding_mailbox(user_id), render.sync_progress(quiet=json_) as tick:
        report = services.sync_mailbox(user_id=user_id, now=common.now(), progress=tick, batch_size=batch_size)
    if json_:
        render.print_json(render.sync_report_dict(report))
        return
    typer.echo(report.sentence())
    if report.unmatched or report.ats:
        typer.echo("Some mail waits for you: topofmind mail review")


@mail_app.command("review")
def review(
    accept: Annotated[int | None, typer.Option("--accept", metavar="ID", help="Do what item ID proposes.")] = None,
    dismiss: Annotated[int | None, typer.Option("--dismiss", metavar="ID", help="Leave item ID alone.")] = None,
    name: Annotated[str, typer.Option("--name", help="With --accept: the new person's name, if not as sent.")] = "",
    json_: Annotated[bool, typer.Option("--json", help="Print only JSON (schema in docs/cli.md).")] = False,
) -> None:
    """Mail the sync left for you: strangers answering your mail, ATS rejections and invitations."""
    workspace = common.workspace()
    from topofmind.crm import queries, services

    if accept is not None and dismiss is not None:
        raise Invalid("--accept", "cannot go with --dismiss", "give one of them")
    if accept is not None:
        services.accept_review(workspace=workspace, review_id=accept, now=common.now(), name=name)
        typer.echo(f"Done: review item {accept} accepted.")
    elif dismiss is not None:
        services.dismiss_review(workspace=workspace, review_id=dismiss, now=common.now())
        typer.echo(f"Dismissed: review item {dismiss}.")
    items = queries.mail_reviews(workspace)
    if json_:
        render.print_json([render.review_dict(item) for item in items])
        return
    if (accept is None and dismiss is None) or items:
        render.print_reviews(items)


@mail_app.command("outbox")
def outbox_(
    limit: Annotated[int, typer.Option("--limit", metavar="N", help="How many sends to list, newest first.")] = 20,
    json_: Annotated[bool, typer.Option("--json", help="Print only JSON (schema in docs/cli.md).")] = False,
) -> None:
    """Your sends, newest first, each with its state in words (and the ones waiting for your check)."""
    workspace = common.workspace()
    from topofmind.crm import queries

    if limit < 1:
        raise Invalid("--limit", f"{limit} is not a positive number", "give 1 or more")
    sends = queries.outbox(user_id=_owner(workspace), workspace=workspace, limit=limit)
    if json_:
        render.print_json([render.send_dict(s) for s in sends])
        return
    render.print_outbox(sends)


@mail_app.command("resolve")
def resolve(
    send_id: Annotated[int, typer.Argument(metavar="ID", help="The send's id (first column of `mail outbox`).")],
    sent: Annotated[bool, typer.Option("--sent", help="I checked my Sent folder: it was sent.")] = False,
    not_sent: Annotated[bool, typer.Option("--not-sent", help="I checked: it was not sent.")] = False,
) -> None:
    """Settle a send whose outcome is unknown, once you have looked in your Sent folder."""
    if sent == not_sent:
        raise Invalid("--sent/--not-sent", "give exactly one of them", "e.g. topofmind mail resolve 3 --sent")
    workspace = common.workspace()
    from topofmind.crm import services

    row = services.resolve_unknown_send(
        workspace=workspace, user_id=_owner(workspace), send_id=send_id, sent=sent, now=common.now()
    )
    if row.state == "sent":
        logged = f", logged as touch #{row.interaction_id}" if row.interaction_id else ""
        typer.echo(f"Send #{row.pk} to {row.to_address} marked sent{logged} (Message-ID {row.message_id or 'none'}).")
    else:
        followup = f"#{row.followup_id}" if row.followup_id else "its follow-up"
        typer.echo(
            f"Send #{row.pk} marked not sent: {followup} is back on Today (send it again with `topofmind send`)."
        )


def send(
    followup_id: Annotated[int, typer.Argument(metavar="ID", help="The follow-up's id (first column of `today`).")],
    wait: Annotated[
        float, typer.Option("--wait", metavar="SECONDS", help="How long to wait for the outcome (0: do not wait).")
    ] = 20.0,
) -> None:
    """Send a follow-up's draft (as `today --drafts` shows it) by e-mail, once."""
    workspace = common.workspace()
    from topofmind import tasks
    from topofmind.crm import queries

    item = next((i for i in queries.agenda(workspace=workspace, at=common.now()) if i.followup_id == followup_id), None)
    if item is None:
        queries.get_followup(workspace, followup_id)  # NotFound for a wrong id
        raise TopofmindError(
            f"follow-up {followup_id} is not on today's agenda, so it is not sent",
            "see what is due with: topofmind today",
        )
    row = tasks.request_send(
        workspace=workspace,
        user_id=_owner(workspace),
        followup_id=followup_id,
        subject=item.draft.subject,
        body=item.draft.body,
    )
    deadline = time.monotonic() + max(wait, 0.0)
    while row.state in ("queued", "sending") and time.monotonic() < deadline:
        time.sleep(0.25)
        row.refresh_from_db()
    if row.state == "sent":
        typer.echo(f"Sent: #{followup_id} to {row.to_address}, logged as touch #{row.interaction_id}.")
        if row.copy_error:
            typer.echo(row.copy_error)
    elif row.state in ("failed", "unknown"):
        word = "Not sent" if row.state == "failed" else "Perhaps sent"
        raise TopofmindError(f"{word}: {row.error}", "see: topofmind mail status")
    elif row.error:  # the server said "try later": the sentence says when
        typer.echo(f"Not sent yet: {row.error}")
    else:
        typer.echo(
            f"Queued: #{followup_id} to {row.to_address}. It goes out when `topofmind serve` or "
            "`topofmind worker` runs; see `topofmind mail status`."
        )


def worker(
    workers: Annotated[int, typer.Option(help="Jobs run at once in this process.")] = 2,
    heartbeat: Annotated[float, typer.Option(hidden=True)] = 5.0,
    stale_after: Annotated[float, typer.Option(hidden=True)] = 30.0,
) -> None:
    """Run background jobs (sending mail, the digest) until Ctrl+C: for a server; `serve` runs its own."""
    common.setup_django()
    from topofmind import tasks

    typer.echo(f"topofmind worker: running jobs from {tasks.queue_state().where} (Ctrl+C to stop).")
    try:
        tasks.run_worker(workers, heartbeat_seconds=heartbeat, stale_after_seconds=stale_after)
    except tasks.QueueError as exc:
        raise TopofmindError(str(exc), "check TOPOFMIND_QUEUE_URL (see docs/settings.md)") from None
