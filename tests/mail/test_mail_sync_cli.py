"""`topofmind mail sync` and `topofmind mail review` in-process, against dovecot on loopback.

The command line runs at the real clock, so the mail is dated around it.
"""

from __future__ import annotations

import json
import signal
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import time_machine
from tests.mail import corpus
from tests.mail.conftest import Desk
from tests.mailservers.servers import closed_port
from typer.testing import CliRunner

from topofmind.cli import app
from topofmind.crm import services
from topofmind.crm.models import Interaction, MailReview, Opportunity
from topofmind.engine.types import Role, Stage

pytestmark = pytest.mark.django_db
__all__ = ["closed_port"]
runner = CliRunner()
COUNTS = ("messages", "logged", "replies", "auto_replies", "out_of_office", "bounces", "ignored", "unmatched")


def run(desk: Desk, *args: str) -> Any:
    result = runner.invoke(app, ["--workspace", str(desk.workspace.pk), *args])
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result


def put(desk: Desk, raw: bytes, when: datetime, folder: str = "INBOX") -> None:
    desk.dovecot.append(desk.imap, raw, folder=folder, when=when.timestamp())


@pytest.fixture
def queue_in_tmp(settings: Any, tmp_path: Any) -> None:
    settings.QUEUE_URL = f"sqlite:///{tmp_path / 'queue.db'}"


def test_sync_json_prints_one_object_with_the_counts_and_a_second_run_logs_nothing(
    desk: Desk, queue_in_tmp: None
) -> None:
    me, now = desk.imap.username, datetime.now(UTC)
    put(desk, corpus.threaded_reply(me, now - timedelta(hours=1), to_id="a@seeker.test"), now - timedelta(hours=1))
    put(desk, corpus.newsletter(me, now - timedelta(hours=1)), now - timedelta(hours=1))
    put(desk, corpus.dsn_failed(me, now, recipient="dana@acme.test"), now)

    done = run(desk, "mail", "sync", "--json")

    assert done.exit_code == 0, done.stderr
    shown = json.loads(done.stdout)
    assert {key: shown[key] for key in COUNTS} == {
        "messages": 3,
        "logged": 2,
        "replies": 1,
        "auto_replies": 0,
        "out_of_office": 0,
        "bounces": 1,
        "ignored": 1,
        "unmatched": 0,
    }
    again = run(desk, "mail", "sync")
    assert again.exit_code == 0 and again.stdout.strip() == "No new mail."
    assert not again.stderr  # no progress bar off a terminal


def test_the_first_sync_reads_only_the_window(desk: Desk, queue_in_tmp: None) -> None:
    me, now = desk.imap.username, datetime.now(UTC)
    old = now - timedelta(days=200)
    put(desk, corpus.threaded_reply(me, old, to_id="a@seeker.test", message_id="old-1@acme.test"), old)
    put(desk, corpus.reply_from_second_address(me, now - timedelta(days=10)), now - timedelta(days=10))
    services.edit_person(
        workspace=desk.workspace, person_id=desk.dana.pk, emails=["dana@acme.test", "dana.reyes@mailbox.test"], now=now
    )

    done = run(desk, "mail", "sync", "--window", "30", "--json")

    assert done.exit_code == 0, done.stderr
    assert json.loads(done.stdout)["messages"] == 1
    assert not Interaction.objects.filter(message_id="old-1@acme.test").exists()


def test_review_lists_an_ats_rejection_and_accept_applies_it_in_one_step(desk: Desk, queue_in_tmp: None) -> None:
    me, now = desk.imap.username, datetime.now(UTC)
    globex = services.add_organization(workspace=desk.workspace, name="Globex", now=now)
    opening = services.add_opportunity(
        workspace=desk.workspace, organization_id=globex.pk, title="Platform Engineer", stage=Stage.APPLIED, now=now
    )
    services.add_participant(
        workspace=desk.workspace, opportunity_id=opening.pk, name="Sam Lee", role=Role.RECRUITER, now=now
    )
    put(desk, corpus.ats_rejection(me, now - timedelta(hours=1)), now - timedelta(hours=1))
    assert run(desk, "mail", "sync").exit_code == 0

    listed = run(desk, "mail", "review", "--json")
    items = json.loads(listed.stdout)
    assert [(i["kind"], i["proposed_stage"], i["organization"]) for i in items] == [("ats", "rejected", "Globex")]
    assert "move “Platform Engineer” to rejected" in run(desk, "mail", "review").stdout

    accepted = run(desk, "mail", "review", "--accept", str(items[0]["id"]))
    assert accepted.exit_code == 0, accepted.stderr
    assert Opportunity.objects.get(pk=opening.pk).stage == Stage.REJECTED.value
    assert "Nothing to review" in run(desk, "mail", "review").stdout

    twice = run(desk, "mail", "review", "--dismiss", str(items[0]["id"]))
    assert twice.exit_code != 0
    assert len(twice.stderr.strip().splitlines()) == 1 and "accepted already" in twice.stderr
    wrong = run(desk, "mail", "review", "--accept", "99999")
    assert wrong.exit_code != 0 and "no review item with id 99999" in wrong.stderr
    assert MailReview.objects.get().state == "accepted"


def test_a_server_that_cannot_be_reached_is_one_line(desk: Desk, queue_in_tmp: None, closed_port: int) -> None:
    from topofmind.crm.models import MailAccount

    MailAccount.objects.update(imap_port=closed_port)
    done = run(desk, "mail", "sync")
    assert done.exit_code != 0
    assert len(done.stderr.strip().splitlines()) == 1 and "Traceback" not in done.stderr


def test_a_sync_from_the_command_line_waits_its_turn_while_the_queue_reads_the_mailbox(
    desk: Desk, queue_in_tmp: None
) -> None:
    from topofmind import tasks
    from topofmind.jobs import queue_lock

    me, now = desk.imap.username, datetime.now(UTC)
    put(desk, corpus.threaded_reply(me, now - timedelta(hours=1), to_id="a@seeker.test"), now - timedelta(hours=1))
    tasks.bind_queue()
    with queue_lock(tasks.jobs.queue, tasks.mail_account_lock(desk.user_id), retry_in=None):
        busy = run(desk, "mail", "sync", "--json")
    assert busy.exit_code == 2
    assert busy.stderr.strip() == (
        "error: a sync of this mailbox is running now (the queue's or another command's) "
        "(hint: try again when it has finished)"
    )
    assert not Interaction.objects.filter(workspace=desk.workspace, message_id__gt="").exists()

    done = run(desk, "mail", "sync", "--json")  # the lock was let go: this one reads the reply
    assert done.exit_code == 0, done.stderr
    assert json.loads(done.stdout)["replies"] == 1
    assert run(desk, "mail", "sync", "--json").exit_code == 0  # and let go of it again


def test_a_command_killed_while_it_held_the_mailbox_does_not_keep_the_next_one_out(
    desk: Desk, queue_in_tmp: None, settings: Any
) -> None:
    from topofmind import tasks
    from topofmind.jobs import is_locked

    tasks.bind_queue()
    key = tasks.mail_account_lock(desk.user_id)
    # a `mail sync` of this machine, killed (-9) while it held the mailbox
    killed = subprocess.run(
        [
            sys.executable,
            "-c",
            "import os, signal\n"
            "from topofmind.jobs import command_lock, make_queue\n"
            f"queue = make_queue({str(settings.QUEUE_URL)!r}, name={tasks.QUEUE_NAME!r}, "
            f"prefix={str(settings.QUEUE_PREFIX)!r})\n"
            f"held = command_lock(queue, {key!r}, ttl_seconds=1800)\n"
            "held.__enter__()\n"
            "os.kill(os.getpid(), signal.SIGKILL)\n",
        ],
        check=False,
    )
    assert killed.returncode == -signal.SIGKILL
    assert is_locked(tasks.jobs.queue, key)

    done = run(desk, "mail", "sync", "--json")

    assert done.exit_code == 0, done.stderr
    assert not is_locked(tasks.jobs.queue, key)


def test_a_command_killed_on_another_machine_holds_the_mailbox_half_an_hour_at_most(
    desk: Desk, queue_in_tmp: None
) -> None:
    from topofmind import tasks
    from topofmind.jobs import LockBusy, queue_lock
    from topofmind.jobs.queues import coordination_of

    tasks.bind_queue()
    key = tasks.mail_account_lock(desk.user_id)
    elsewhere = "command:another-machine:4242:0f0f"
    assert coordination_of(tasks.jobs.queue).claim(
        f"lock:{key}", elsewhere, ttl_seconds=tasks.COMMAND_SYNC_HOLD_SECONDS
    )
    assert run(desk, "mail", "sync").exit_code == 2
    with pytest.raises(LockBusy), queue_lock(tasks.jobs.queue, key, retry_in=None):
        pass  # the queue's job would wait its turn
    later = datetime.now(UTC) + timedelta(seconds=tasks.COMMAND_SYNC_HOLD_SECONDS + 60)
    with time_machine.travel(later), queue_lock(tasks.jobs.queue, key, retry_in=None):
        pass  # half an hour on, the queue reads the mailbox again
