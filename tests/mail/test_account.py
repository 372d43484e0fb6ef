"""The mail account: checked field by field, its password encrypted at rest and never in a backup,
tested against the real servers with the outcome in words, and the morning digest."""

from __future__ import annotations

import io
import json
from datetime import datetime, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from fast_mail_parser import parse_email
from tests.mail.conftest import Desk
from tests.mailservers.servers import DovecotServer, ImapUser

from topofmind import tasks
from topofmind.crm import queries, secrets, services
from topofmind.crm.errors import Invalid
from topofmind.crm.models import MailAccount, Workspace
from topofmind.crm.services.backup import restore_backup, write_backup

pytestmark = pytest.mark.django_db


def account_fields(**changes: object) -> dict[str, object]:
    fields: dict[str, object] = {
        "imap_host": "imap.fastmail.com",
        "imap_port": 993,
        "imap_security": "tls",
        "smtp_host": "smtp.fastmail.com",
        "smtp_port": 465,
        "smtp_security": "tls",
        "username": "alice@fastmail.test",
        "password": "app-pass-xyz-123",
        "addresses": ["alice@fastmail.test"],
    }
    fields.update(changes)
    return fields


def test_the_password_is_stored_only_encrypted(owner: AbstractBaseUser, now: datetime) -> None:
    services.setup_mail_account(user_id=owner.pk, now=now, **account_fields())  # type: ignore[arg-type]
    row = MailAccount.objects.get(user=owner)
    assert "app-pass-xyz-123" not in row.password_token
    assert "app-pass-xyz-123" not in repr(services.transport_account(row))
    assert secrets.decrypt(row.password_token) == "app-pass-xyz-123"


def test_a_bad_field_is_named_and_nothing_is_saved(owner: AbstractBaseUser, now: datetime) -> None:
    with pytest.raises(Invalid) as bad_port:
        services.setup_mail_account(user_id=owner.pk, now=now, **account_fields(smtp_port=70000))  # type: ignore[arg-type]
    assert bad_port.value.field == "--smtp-port"
    with pytest.raises(Invalid) as bad_security:
        services.setup_mail_account(user_id=owner.pk, now=now, **account_fields(imap_security="ssl"))  # type: ignore[arg-type]
    assert bad_security.value.field == "--imap-security"
    assert not MailAccount.objects.exists()


def test_a_backup_says_the_account_exists_but_never_holds_its_password(
    alice: Workspace, owner: AbstractBaseUser, now: datetime
) -> None:
    services.setup_mail_account(user_id=owner.pk, now=now, **account_fields())  # type: ignore[arg-type]
    out = io.StringIO()
    write_backup(out, workspace=alice, now=now)
    text = out.getvalue()
    assert "app-pass-xyz-123" not in text
    assert MailAccount.objects.get().password_token not in text
    assert json.loads(text)["mail_account"]["username"] == "alice@fastmail.test"
    # Restored for someone else (a new laptop's owner): the account comes back, asking for the password.
    bob_user = get_user_model().objects.create_user(username="bob", password="pw-bob-1")
    empty = services.create_workspace(name="Bob's", now=now)
    empty.owner = bob_user
    empty.save(update_fields=["owner"])
    result = restore_backup(io.StringIO(text), workspace=empty)
    assert result.mail_account == "alice@fastmail.test"
    restored = MailAccount.objects.get(user=bob_user)
    assert (restored.smtp_host, restored.password_token) == ("smtp.fastmail.com", "")
    status = tasks.mail_status(user_id=bob_user.pk, workspace=empty)
    assert "needs its password again" in status.account_sentence


def test_mail_test_signs_in_to_both_servers_and_finds_sent(desk: Desk, now: datetime) -> None:
    check = services.check_mail_account(user_id=desk.user_id, now=now)
    assert check.ok, check.lines
    assert any("sent mail is filed in “Sent”" in line for line in check.lines)


def test_a_wrong_password_is_one_sentence_with_its_time_in_the_status(
    desk: Desk, dovecot: DovecotServer, imap_user: ImapUser, now: datetime
) -> None:
    services.setup_mail_account(
        user_id=desk.user_id,
        now=now,
        **account_fields(  # type: ignore[arg-type]
            imap_host=dovecot.host,
            imap_port=dovecot.plain_port,
            imap_security="none",
            smtp_host=desk.smtp.host,
            smtp_port=desk.smtp.port,
            smtp_security="none",
            username=imap_user.username,
            password="not-the-password",
            addresses=[imap_user.username],
        ),
    )
    check = services.check_mail_account(user_id=desk.user_id, now=now.replace(hour=9, minute=14))
    assert not check.ok
    assert f"SMTP: The SMTP server refused the password for {imap_user.username}." in check.lines
    status = tasks.mail_status(user_id=desk.user_id, workspace=desk.workspace)
    assert status.last_error == f"The SMTP server refused the password for {imap_user.username} at 2030-03-04 09:14."
    assert "Traceback" not in json.dumps(status.__dict__, default=str)


def test_microsoft_accounts_are_told_they_need_oauth(owner: AbstractBaseUser, now: datetime) -> None:
    services.setup_mail_account(
        user_id=owner.pk,
        now=now,
        **account_fields(  # type: ignore[arg-type]
            imap_host="outlook.office365.com", smtp_host="smtp.office365.com", smtp_port=587, smtp_security="starttls"
        ),
    )
    check = services.check_mail_account(user_id=owner.pk, now=now)
    assert not check.ok
    assert "accepts only an OAuth sign-in" in check.lines[0]


def test_the_morning_digest_goes_once_on_a_business_day_at_the_chosen_hour(desk: Desk, now: datetime) -> None:
    services.set_digest(user_id=desk.user_id, hour=8, now=now)
    monday_7am = now - timedelta(hours=1)  # 4 March 2030, 07:00 UTC: too early
    assert services.send_due_digests(now=monday_7am, base_url="https://tm.example.test") == 0
    assert services.send_due_digests(now=now, base_url="https://tm.example.test") == 1
    assert services.send_due_digests(now=now + timedelta(hours=2), base_url="https://tm.example.test") == 0
    [digest] = desk.smtp.received
    assert digest.recipients == (desk.imap.username,)
    parsed = parse_email(digest.data)
    text = parsed.text_plain[0]
    assert "1. Nudge: Dana Reyes" in text
    assert "Why: " in text
    assert "Open Today: https://tm.example.test/" in text
    saturday = now + timedelta(days=5)
    assert services.send_due_digests(now=saturday, base_url="https://tm.example.test") == 0
    assert len(desk.smtp.received) == 1


def test_the_digest_says_what_each_item_carries(desk: Desk, now: datetime) -> None:
    services.add_achievement(
        workspace=desk.workspace,
        title="Passed the AWS data analytics exam",
        url="https://certs.example.test/aws-da",
        happened_on=(now - timedelta(days=3)).date(),
        now=now,
    )
    services.set_digest(user_id=desk.user_id, hour=8, now=now)
    assert services.send_due_digests(now=now, base_url="https://tm.example.test") == 1
    text = parse_email(desk.smtp.received[0].data).text_plain[0]
    nudge = text.split("1. Nudge: Dana Reyes", 1)[1].split("Open Today", 1)[0]
    assert "Carries: Passed the AWS data analytics exam <https://certs.example.test/aws-da>" in nudge


def test_the_digest_says_when_an_item_has_nothing_new_to_share(desk: Desk, now: datetime) -> None:
    services.set_digest(user_id=desk.user_id, hour=8, now=now)
    assert services.send_due_digests(now=now, base_url="https://tm.example.test") == 1
    text = parse_email(desk.smtp.received[0].data).text_plain[0]
    assert "Nothing new to share with Dana" in text
    assert "Carries:" not in text


def test_the_digest_is_off_by_default(desk: Desk, now: datetime) -> None:
    assert services.send_due_digests(now=now, base_url="http://127.0.0.1:8000") == 0
    assert queries.mail_status  # the account exists, yet nothing was sent
    assert desk.smtp.received == []
