"""An approved draft goes out once, as written, with our Message-ID on the touch and a copy in Sent."""

from __future__ import annotations

import email
from collections.abc import Callable
from datetime import datetime, timedelta
from email import policy

import pytest
from fast_mail_parser import parse_email
from tests.mail.conftest import Desk, add_account
from tests.mailservers.servers import SmtpServer

from topofmind.crm import queries, services
from topofmind.crm.errors import Conflict
from topofmind.crm.models import Interaction, OutboxMessage
from topofmind.engine.types import Kind

pytestmark = pytest.mark.django_db

SUBJECT = "Following up on my application"
BODY = "Hi Dana,\n\nI wanted to check that my application reached you.\n\nBest,\nAlice"


def queue(desk: Desk, now: datetime) -> OutboxMessage:
    return services.queue_send(
        workspace=desk.workspace, user_id=desk.user_id, followup_id=desk.nudge.pk, subject=SUBJECT, body=BODY, now=now
    )


def sent_folder(desk: Desk) -> list[bytes]:
    client = desk.dovecot.connect(desk.imap)
    try:
        client.select("Sent", readonly=True)
        _, found = client.search(None, "ALL")
        messages = []
        for number in found[0].split():
            _, data = client.fetch(number, "(RFC822)")
            messages.append(data[0][1])
        return messages
    finally:
        client.logout()


def test_an_approved_draft_arrives_once_as_written_and_the_touch_keeps_its_message_id(
    desk: Desk, now: datetime
) -> None:
    row = queue(desk, now)
    done = services.deliver(outbox_id=row.pk, now=now + timedelta(seconds=5))
    assert done.state == "sent"
    [received] = desk.smtp.received
    assert received.recipients == ("dana@acme.test",)
    parsed = parse_email(received.data)
    assert parsed.subject == SUBJECT
    assert "I wanted to check that my application reached you." in parsed.text_plain[0]
    headers = {k.lower(): v for k, v in parsed.headers.items()}
    assert "auto-submitted" not in headers
    touch = Interaction.objects.get(pk=done.interaction_id)
    assert [touch.message_id] == headers["message-id"] == [done.message_id]
    assert (touch.direction, touch.channel, touch.summary) == ("out", "email", SUBJECT)
    # The nudge is done: not on the agenda any more, and running the job again sends nothing.
    assert all(i.followup_id != desk.nudge.pk for i in queries.agenda(workspace=desk.workspace, at=now))
    again = services.deliver(outbox_id=row.pk, now=now + timedelta(seconds=9))
    assert again.state == "sent" and len(desk.smtp.received) == 1


def test_our_copy_is_filed_in_the_folder_marked_sent(desk: Desk, now: datetime) -> None:
    done = services.deliver(outbox_id=queue(desk, now).pk, now=now)
    [copy] = sent_folder(desk)
    message = email.message_from_bytes(copy, policy=policy.default)
    assert message["Message-ID"] == done.message_id
    assert message["Subject"] == SUBJECT


def test_a_second_send_of_the_same_follow_up_is_refused(desk: Desk, now: datetime) -> None:
    queue(desk, now)
    with pytest.raises(Conflict) as refused:
        queue(desk, now)
    assert "already sent or is on its way" in str(refused.value)


def test_a_person_who_asked_not_to_be_contacted_meanwhile_gets_nothing(desk: Desk, now: datetime) -> None:
    row = queue(desk, now)
    services.stop_contact(workspace=desk.workspace, person_id=desk.dana.pk, reason="asked me to stop", at=now, now=now)
    done = services.deliver(outbox_id=row.pk, now=now + timedelta(minutes=1))
    assert done.state == "failed"
    assert "asked not to be contacted" in done.error
    assert desk.smtp.received == []


def test_a_reply_logged_after_send_was_pressed_stops_the_send(desk: Desk, now: datetime) -> None:
    row = queue(desk, now)
    services.log_touch(
        workspace=desk.workspace,
        names=["Dana Reyes"],
        kind=Kind.REPLY,
        at=now + timedelta(seconds=30),
        now=now + timedelta(seconds=30),
    )
    done = services.deliver(outbox_id=row.pk, now=now + timedelta(minutes=1))
    assert done.state == "failed"
    assert "wrote to you after you pressed Send" in done.error
    assert desk.smtp.received == []
    assert sent_folder(desk) == []


def test_send_is_refused_up_front_for_someone_who_asked_not_to_be_contacted(desk: Desk, now: datetime) -> None:
    services.stop_contact(workspace=desk.workspace, person_id=desk.dana.pk, reason="no thanks", at=now, now=now)
    with pytest.raises(services.SendRefused) as refused:
        queue(desk, now)
    assert "asked not to be contacted" in str(refused.value)
    assert OutboxMessage.objects.count() == 0


def test_a_message_logged_to_them_meanwhile_holds_the_nudge_back_by_the_pacing_guard(desk: Desk, now: datetime) -> None:
    row = queue(desk, now)
    later = now + timedelta(seconds=30)
    services.log_touch(workspace=desk.workspace, names=["Dana Reyes"], kind=Kind.MESSAGE, at=later, now=later)
    done = services.deliver(outbox_id=row.pk, now=now + timedelta(minutes=1))
    assert done.state == "failed"
    assert "not on today's agenda any more" in done.error or "is cancelled now" in done.error
    assert desk.smtp.received == []


def test_a_server_that_takes_the_message_but_drops_the_line_leaves_it_unknown(
    desk: Desk, now: datetime, smtp_servers: Callable[..., SmtpServer]
) -> None:
    dropping = smtp_servers("none", username=desk.imap.username, password=desk.imap.password, drop_after_data=True)
    add_account(desk.user_id, dropping, desk.imap, desk.dovecot, now)
    done = services.deliver(outbox_id=queue(desk, now).pk, now=now)
    assert done.state == "unknown"
    assert "may have been sent" in done.error
    assert len(dropping.received) == 1
    again = services.deliver(outbox_id=done.pk, now=now + timedelta(minutes=5))
    assert again.state == "unknown" and len(dropping.received) == 1  # never retried by itself
