"""A send whose outcome is unknown waits for the user: "I checked: it was sent" or "It was not sent".

The unknown send is made the real way: a loopback SMTP server takes the message and drops the
line before its "250", so topofmind cannot know whether it went out.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import pytest
from tests.mail.conftest import Desk, add_account
from tests.mailservers.servers import SmtpServer
from typer.testing import CliRunner

from topofmind.cli import app
from topofmind.crm import queries, services
from topofmind.crm.errors import Conflict, NotFound
from topofmind.crm.models import Interaction, OutboxMessage

pytestmark = pytest.mark.django_db
runner = CliRunner()


def unknown_send(desk: Desk, now: datetime, smtp_servers: Callable[..., SmtpServer]) -> OutboxMessage:
    dropping = smtp_servers("none", username=desk.imap.username, password=desk.imap.password, drop_after_data=True)
    add_account(desk.user_id, dropping, desk.imap, desk.dovecot, now)
    row = services.queue_send(
        workspace=desk.workspace,
        user_id=desk.user_id,
        followup_id=desk.nudge.pk,
        subject="Following up",
        body="Hi Dana, did my application reach you?",
        now=now,
    )
    done = services.deliver(outbox_id=row.pk, now=now + timedelta(seconds=5))
    assert done.state == "unknown"
    return done


def on_agenda(desk: Desk, now: datetime) -> bool:
    return any(i.followup_id == desk.nudge.pk for i in queries.agenda(workspace=desk.workspace, at=now))


def run(*args: str, workspace_id: int) -> Any:
    result = runner.invoke(app, list(args), env={"TOPOFMIND_WORKSPACE": str(workspace_id)})
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result


def test_i_checked_it_was_sent_logs_the_touch_once_with_our_message_id(
    desk: Desk, now: datetime, smtp_servers: Callable[..., SmtpServer]
) -> None:
    row = unknown_send(desk, now, smtp_servers)
    later = now + timedelta(minutes=30)
    done = services.resolve_unknown_send(
        workspace=desk.workspace, user_id=desk.user_id, send_id=row.pk, sent=True, now=later
    )
    assert done.state == "sent"
    touch = Interaction.objects.get(pk=done.interaction_id)
    assert touch.message_id == row.message_id and touch.message_id.startswith("<")
    assert (touch.direction, touch.channel, touch.summary) == ("out", "email", "Following up")
    assert not on_agenda(desk, later)
    status = queries.mail_status(
        user_id=desk.user_id, workspace=desk.workspace, queue_where="here", queue_waiting=0, queue_error=""
    )
    assert status.needs_attention == []
    assert status.last_send is not None and "You checked: it was sent." in status.last_send.sentence
    # Pressing it again (a second tab) changes nothing and says why.
    with pytest.raises(Conflict, match="is sent, so there is nothing to check"):
        services.resolve_unknown_send(
            workspace=desk.workspace, user_id=desk.user_id, send_id=row.pk, sent=True, now=later
        )
    assert Interaction.objects.filter(message_id=row.message_id).count() == 1


def test_it_was_not_sent_puts_the_follow_up_back_and_send_works_again(
    desk: Desk, now: datetime, smtp_servers: Callable[..., SmtpServer]
) -> None:
    row = unknown_send(desk, now, smtp_servers)
    with pytest.raises(Conflict):  # while unknown, Send is refused
        services.queue_send(
            workspace=desk.workspace, user_id=desk.user_id, followup_id=desk.nudge.pk, subject="s", body="b", now=now
        )
    done = services.resolve_unknown_send(
        workspace=desk.workspace, user_id=desk.user_id, send_id=row.pk, sent=False, now=now + timedelta(minutes=1)
    )
    assert done.state == "failed" and "not sent" in done.error
    assert done.interaction_id is None
    assert on_agenda(desk, now + timedelta(minutes=1))
    add_account(desk.user_id, desk.smtp, desk.imap, desk.dovecot, now)
    again = services.queue_send(
        workspace=desk.workspace,
        user_id=desk.user_id,
        followup_id=desk.nudge.pk,
        subject="Following up",
        body="Hi Dana, did my application reach you?",
        now=now + timedelta(minutes=2),
    )
    assert services.deliver(outbox_id=again.pk, now=now + timedelta(minutes=2)).state == "sent"
    assert len(desk.smtp.received) == 1


def test_another_users_send_is_not_found(desk: Desk, now: datetime, smtp_servers: Callable[..., SmtpServer]) -> None:
    row = unknown_send(desk, now, smtp_servers)
    with pytest.raises(NotFound):
        services.resolve_unknown_send(
            workspace=desk.workspace, user_id=desk.user_id + 1000, send_id=row.pk, sent=True, now=now
        )
    row.refresh_from_db()
    assert row.state == "unknown"


def test_mail_outbox_and_resolve_on_the_command_line(
    desk: Desk, now: datetime, smtp_servers: Callable[..., SmtpServer], settings: Any, tmp_path: Any
) -> None:
    settings.QUEUE_URL = f"sqlite:///{tmp_path / 'queue.db'}"
    row = unknown_send(desk, now, smtp_servers)
    listed = run("mail", "outbox", workspace_id=desk.workspace.pk)
    assert listed.exit_code == 0, listed.stderr
    assert f"#{row.pk}  unknown" in listed.stdout
    assert "topofmind mail resolve ID --sent (or --not-sent)" in listed.stdout
    shown = json.loads(run("mail", "outbox", "--json", workspace_id=desk.workspace.pk).stdout)
    assert [(s["id"], s["state"]) for s in shown] == [(row.pk, "unknown")]

    both = run("mail", "resolve", str(row.pk), "--sent", "--not-sent", workspace_id=desk.workspace.pk)
    assert both.exit_code == 2 and both.stderr.count("\n") == 1 and "--sent/--not-sent" in both.stderr

    done = run("mail", "resolve", str(row.pk), "--sent", workspace_id=desk.workspace.pk)
    assert done.exit_code == 0, done.stderr
    assert f"Send #{row.pk} to dana@acme.test marked sent, logged as touch #" in done.stdout
    assert row.message_id in done.stdout

    again = run("mail", "resolve", str(row.pk), "--not-sent", workspace_id=desk.workspace.pk)
    assert again.exit_code == 2 and "nothing to check" in again.stderr and "Traceback" not in again.stderr
    assert OutboxMessage.objects.get(pk=row.pk).state == "sent"
