"""Sending mail from topofmind against real servers on loopback (aiosmtpd, dovecot), and the queue."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from tests.mailservers.servers import (
    DovecotServer,
    ImapUser,
    SmtpServer,
    client_ssl_context,
    dovecot,
    imap_user,
    mail_certificates,
    smtp_servers,
)

from topofmind.crm import queries, services
from topofmind.crm.models import FollowUp, Person, Workspace
from topofmind.engine.types import Kind

__all__ = ["client_ssl_context", "dovecot", "imap_user", "mail_certificates", "smtp_servers"]


@pytest.fixture
def owner(alice: Workspace) -> AbstractBaseUser:
    user = get_user_model().objects.create_user(username="alice", password="pw-alice-1")
    alice.owner = user
    alice.save(update_fields=["owner"])
    return user


@dataclass
class Desk:
    """Alice's set-up: a mail account on the loopback servers and one nudge due to Dana."""

    workspace: Workspace
    user_id: int
    smtp: SmtpServer
    imap: ImapUser
    dovecot: DovecotServer
    dana: Person
    nudge: FollowUp


def add_account(user_id: int, smtp: SmtpServer, imap: ImapUser, dovecot: DovecotServer, now: datetime) -> None:
    services.setup_mail_account(
        user_id=user_id,
        imap_host=dovecot.host,
        imap_port=dovecot.plain_port,
        imap_security="none",
        smtp_host=smtp.host,
        smtp_port=smtp.port,
        smtp_security=smtp.security,
        username=imap.username,
        password=imap.password,
        addresses=[imap.username],
        from_name="Alice Martin",
        now=now,
    )


@pytest.fixture
def desk(
    alice: Workspace,
    owner: AbstractBaseUser,
    smtp_servers: Callable[..., SmtpServer],
    imap_user: ImapUser,
    dovecot: DovecotServer,
    now: datetime,
) -> Desk:
    smtp = smtp_servers("none", username=imap_user.username, password=imap_user.password)
    add_account(owner.pk, smtp, imap_user, dovecot, now)
    dana = services.add_person(workspace=alice, name="Dana Reyes", emails=["dana@acme.test"], now=now)
    # An application a week ago, unanswered: R3's first nudge is due today (Monday 4 March 2030).
    services.log_touch(
        workspace=alice, names=["Dana Reyes"], kind=Kind.APPLICATION, at=now - timedelta(days=7), now=now
    )
    items = queries.agenda(workspace=alice, at=now)
    nudge = next(i for i in items if i.suggestion.person_id == dana.pk)
    return Desk(alice, owner.pk, smtp, imap_user, dovecot, dana, FollowUp.objects.get(pk=nudge.followup_id))
