"""Mail in the web app: the Send button on Today, and Settings › Mail (set up, test, status in words)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.core.cache import cache
from django.test import Client
from django.utils import timezone
from tests.mail.conftest import add_account
from tests.mailservers.servers import DovecotServer, ImapUser, SmtpServer

from topofmind import tasks
from topofmind.crm import queries, services
from topofmind.crm.models import MailReview, Membership, OutboxMessage, Person, UserSettings, Workspace
from topofmind.engine.types import Kind

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in(alice: Workspace, settings: Any, tmp_path: Path) -> tuple[Client, AbstractBaseUser]:
    settings.QUEUE_URL = f"sqlite:///{tmp_path / 'queue.db'}"
    cache.clear()
    user = get_user_model().objects.create_user(username="alice", password="pw-alice-1")
    alice.owner = user
    alice.save(update_fields=["owner"])
    Membership.objects.create(user=user, workspace=alice, role=Membership.MemberRole.OWNER)
    UserSettings.objects.create(user=user, name="Alice", timezone="UTC", country="")  # past the first-start questions
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    return client, user


def thank_you_to_dana(workspace: Workspace) -> int:
    moment = timezone.now()
    dana = services.add_person(workspace=workspace, name="Dana Reyes", emails=["dana@acme.test"], now=moment)
    services.log_touch(
        workspace=workspace, names=["Dana Reyes"], kind=Kind.INTERVIEW, at=moment - timedelta(hours=1), now=moment
    )
    item = next(i for i in queries.agenda(workspace=workspace, at=moment) if i.suggestion.person_id == dana.pk)
    return item.followup_id


def test_send_appears_only_with_a_mail_account_and_sends_the_draft_once(
    alice: Workspace,
    signed_in: tuple[Client, AbstractBaseUser],
    smtp_servers: Callable[..., SmtpServer],
    imap_user: ImapUser,
    dovecot: DovecotServer,
    django_capture_on_commit_callbacks: Callable[..., object],
) -> None:
    client, user = signed_in
    followup_id = thank_you_to_dana(alice)
    send_url = f"/followups/{followup_id}/send/"
    before = client.get("/")
    assert before.status_code == 200
    assert send_url not in before.content.decode()
    smtp = smtp_servers("none", username=imap_user.username, password=imap_user.password)
    add_account(user.pk, smtp, imap_user, dovecot, timezone.now())
    page = client.get("/").content.decode()
    assert send_url in page and ">Send</button>" in page
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        answer = client.post(
            send_url,
            {"subject": "Thank you for today", "body": "Hi Dana,\n\nThank you for your time.\n\nAlice"},
            HTTP_HX_REQUEST="true",
        )
    assert "Sending to dana@acme.test" in answer.content.decode()
    row = OutboxMessage.objects.get()
    assert row.state == "queued" and row.job_id
    assert tasks.send_outbox(row.pk) == "sent"  # what the consumer runs for that job
    assert [r.recipients for r in smtp.received] == [("dana@acme.test",)]
    assert tasks.send_outbox(row.pk) == "sent"  # a second run of the job sends nothing
    assert len(smtp.received) == 1
    again = client.post(send_url, {"subject": "Thank you for today", "body": "Hi"}, HTTP_HX_REQUEST="true")
    assert "already sent or is on its way (sent)" in again.content.decode()


def test_settings_mail_saves_the_account_names_a_bad_field_and_never_shows_the_password(
    signed_in: tuple[Client, AbstractBaseUser],
) -> None:
    client, _user = signed_in
    empty = client.get("/settings/mail/").content.decode()
    assert "No mail account is set up" in empty
    fields = {
        "imap_host": "imap.fastmail.com",
        "imap_port": "993",
        "imap_security": "tls",
        "smtp_host": "smtp.fastmail.com",
        "smtp_port": "465",
        "smtp_security": "tls",
        "username": "alice@fastmail.test",
        "password": "app-pass-xyz-123",
        "addresses": "alice@fastmail.test",
        "from_name": "Alice",
        "digest_hour": "",
    }
    bad = client.post("/settings/mail/", {**fields, "smtp_host": "smtp fastmail com"}).content.decode()
    assert "is not a server name" in bad
    assert "app-pass-xyz-123" not in bad
    saved = client.post("/settings/mail/", fields, follow=True).content.decode()
    assert "Mail account saved" in saved
    assert "not tested yet" in saved
    assert "app-pass-xyz-123" not in saved
    assert "The queue at" in saved


def waiting_for_review(workspace: Workspace, name: str, address: str) -> MailReview:
    """What the mailbox sync leaves when someone unknown answers (it writes these as it reads mail)."""
    return MailReview.objects.create(
        workspace=workspace,
        kind="unmatched",
        message_id=f"{address.partition('@')[0]}-1@mail.test",
        received_at=timezone.now() - timedelta(hours=1),
        sender_name=name,
        sender_address=address,
        subject="Re: Introduction",
    )


def test_mail_to_review_is_added_or_dismissed_in_one_click_and_a_second_click_says_it_was_done(
    alice: Workspace, signed_in: tuple[Client, AbstractBaseUser]
) -> None:
    client, _user = signed_in
    priya = waiting_for_review(alice, "P. Natarajan", "priya@initech.test")
    deals = waiting_for_review(alice, "Best Deals", "deals@offers.test")
    listed = client.get("/settings/mail/review/").content.decode()
    assert "P. Natarajan" in listed and "Best Deals" in listed

    added = client.post(f"/settings/mail/review/{priya.pk}/accept/", {"name": "Priya Natarajan"}, follow=True)
    assert "Done: the change is made and the agenda follows it." in added.content.decode()
    assert Person.objects.filter(workspace=alice, name="Priya Natarajan", emails__address="priya@initech.test").exists()

    dismissed = client.post(f"/settings/mail/review/{deals.pk}/dismiss/", follow=True).content.decode()
    assert "Dismissed: that mail is left alone." in dismissed
    assert "Best Deals" not in dismissed
    assert not Person.objects.filter(emails__address="deals@offers.test").exists()

    again = client.post(f"/settings/mail/review/{priya.pk}/dismiss/", follow=True).content.decode()
    assert f"review item {priya.pk} was accepted already" in again
    assert MailReview.objects.get(pk=priya.pk).state == "accepted"
    assert client.post("/settings/mail/review/999999/accept/").status_code == 404
