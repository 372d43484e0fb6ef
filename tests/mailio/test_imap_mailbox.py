"""Filing sent copies and reading new mail on a real IMAP server (dovecot on loopback)."""

from __future__ import annotations

import re
import ssl
import tracemalloc
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, date, datetime

import fast_mail_parser
import pytest
import trustme
from tests.mailservers.servers import CuttingProxy, DovecotServer, ImapUser

from topofmind.integrations.imap import FetchedMessage, Mailbox, MailError, choose_sent_folder, open_mailbox
from topofmind.integrations.smtp import MailAccount, OutgoingMail, Security, compose

# In the past: dovecot files a message dated in the future as received now.
NOW = datetime(2025, 3, 3, 8, 0, tzinfo=UTC)  # a Monday morning


def account_for(
    dovecot: DovecotServer, user: ImapUser, security: Security = "tls", *, password: str | None = None
) -> MailAccount:
    return MailAccount(
        imap_host=dovecot.host,
        imap_port=dovecot.tls_port if security == "tls" else dovecot.plain_port,
        imap_security=security,
        smtp_host=dovecot.host,
        smtp_port=465,
        smtp_security="tls",
        username=user.username,
        password=user.password if password is None else password,
        from_addresses=("alice@example.test",),
    )


def letter(number: int, *, body: str = "See you soon.\n") -> bytes:
    return (
        f"From: Dana Lee <dana.lee@acme.example>\r\nTo: alice@example.test\r\n"
        f"Subject: Reply {number}\r\nMessage-ID: <reply{number}@acme.example>\r\n"
        f"Date: Mon, 03 Mar 2025 09:00:00 +0000\r\n\r\n{body}"
    ).encode()


def subjects(messages: list[FetchedMessage]) -> list[str]:
    return [fast_mail_parser.parse_email(m.raw).subject for m in messages]


# --- connecting ----------------------------------------------------------------------------


@pytest.mark.parametrize("security", ["none", "starttls", "tls"])
def test_the_mailbox_opens_over_each_security_mode(
    dovecot: DovecotServer, imap_user: ImapUser, client_ssl_context: ssl.SSLContext, security: Security
) -> None:
    dovecot.append(imap_user, letter(1))
    with open_mailbox(account_for(dovecot, imap_user, security), ssl_context=client_ssl_context, timeout=5) as box:
        assert box.folder_state("INBOX").messages == 1


def test_a_wrong_password_is_told_as_such(
    dovecot: DovecotServer, imap_user: ImapUser, client_ssl_context: ssl.SSLContext
) -> None:
    with pytest.raises(MailError) as caught:
        open_mailbox(account_for(dovecot, imap_user, password="wrong"), ssl_context=client_ssl_context, timeout=5)
    assert caught.value.reason == "auth_failed"
    assert str(caught.value) == f"The IMAP server refused the password for {imap_user.username}."


def test_an_unreachable_port_is_named_with_the_host(
    dovecot: DovecotServer, imap_user: ImapUser, closed_port: int
) -> None:
    settings = replace(account_for(dovecot, imap_user, "none"), imap_port=closed_port)
    with pytest.raises(MailError) as caught:
        open_mailbox(settings, timeout=5)
    assert caught.value.reason == "unreachable"
    assert str(caught.value) == f"Could not reach 127.0.0.1:{closed_port} (connection refused)."


def test_a_server_that_never_answers_is_given_up_on(
    dovecot: DovecotServer, imap_user: ImapUser, silent_port: int
) -> None:
    settings = replace(account_for(dovecot, imap_user, "none"), imap_port=silent_port)
    with pytest.raises(MailError) as caught:
        open_mailbox(settings, timeout=0.5)
    assert caught.value.reason == "timeout"
    assert "did not answer within 0.5 seconds" in str(caught.value)


@pytest.mark.parametrize("security", ["starttls", "tls"])
def test_a_certificate_no_public_authority_signed_is_not_trusted_by_default(
    dovecot: DovecotServer, imap_user: ImapUser, security: Security
) -> None:
    settings = account_for(dovecot, imap_user, security)
    with pytest.raises(MailError) as caught:
        open_mailbox(settings, timeout=5)  # the system's trust store, as in production
    assert caught.value.reason == "certificate_untrusted"
    assert str(caught.value) == (
        f"The IMAP server's certificate at {settings.imap.where} is not trusted "
        "(unable to get local issuer certificate)."
    )


def test_a_certificate_from_another_authority_is_not_trusted(dovecot: DovecotServer, imap_user: ImapUser) -> None:
    trusting_another_ca = ssl.create_default_context()
    trustme.CA().configure_trust(trusting_another_ca)
    with pytest.raises(MailError) as caught:
        open_mailbox(account_for(dovecot, imap_user), ssl_context=trusting_another_ca, timeout=5)
    assert caught.value.reason == "certificate_untrusted"


def test_an_outlook_account_is_refused_before_connecting(dovecot: DovecotServer, imap_user: ImapUser) -> None:
    outlook = replace(account_for(dovecot, imap_user), imap_host="outlook.office365.com")
    with pytest.raises(MailError) as caught:
        open_mailbox(outlook, timeout=5)
    assert caught.value.reason == "oauth_required"


# --- the sent folder -----------------------------------------------------------------------


def test_our_copy_goes_to_the_folder_marked_sent_and_is_marked_read(
    dovecot: DovecotServer, imap_user: ImapUser, client_ssl_context: ssl.SSLContext
) -> None:
    mail = compose(
        OutgoingMail(
            from_address="alice@example.test",
            to_address="dana.lee@acme.example",
            subject="Thank you for today",
            body="Hi Dana,\nThank you.\n",
        ),
        now=NOW,
    )
    with open_mailbox(account_for(dovecot, imap_user), ssl_context=client_ssl_context, timeout=5) as box:
        assert box.sent_folder() == "Sent"  # dovecot marks it \Sent (SPECIAL-USE)
        uid = box.append_sent(mail.raw, when=NOW)
    # Read back with the standard library's imaplib, independent of the code under test.
    check = dovecot.connect(imap_user)
    try:
        check.select("Sent", readonly=True)
        typ, data = check.uid("FETCH", str(uid), "(FLAGS INTERNALDATE BODY.PEEK[])")
        assert typ == "OK"
        meta, raw = data[0]
        assert b"\\Seen" in meta
        assert b'INTERNALDATE "03-Mar-2025 08:00:00 +0000"' in meta
        assert fast_mail_parser.parse_email(raw).headers["Message-ID"] == [mail.message_id]
    finally:
        check.logout()


@pytest.mark.parametrize(
    ("listing", "expected"),
    [
        ([((b"\\HasNoChildren",), b"/", "INBOX"), ((b"\\HasNoChildren", b"\\Sent"), b"/", "Gesendet")], "Gesendet"),
        ([((), b"/", "INBOX"), ((), b"/", "Sent Messages"), ((), b"/", "Sent Items")], "Sent Items"),
        ([((), b".", "INBOX"), ((), b".", "INBOX.Sent")], "INBOX.Sent"),
        ([((b"\\Noselect",), b"/", "[Gmail]"), ((), b"/", "[Gmail]/Sent Mail")], "[Gmail]/Sent Mail"),
        ([((b"\\Noselect", b"\\Sent"), b"/", "Old"), ((), b"/", "sent")], "sent"),
        ([((), b"/", "INBOX"), ((), b"/", "Archive")], None),
    ],
)
def test_without_a_sent_mark_the_usual_names_are_tried_in_order(
    listing: list[tuple[tuple[bytes, ...], bytes, str]], expected: str | None
) -> None:
    assert choose_sent_folder(listing) == expected


# --- reading -------------------------------------------------------------------------------


def test_folder_state_exposes_uidvalidity_and_uidnext_as_the_server_reports_them(
    dovecot: DovecotServer, imap_user: ImapUser, client_ssl_context: ssl.SSLContext
) -> None:
    dovecot.append(imap_user, letter(1))
    with open_mailbox(account_for(dovecot, imap_user), ssl_context=client_ssl_context, timeout=5) as box:
        before = box.folder_state("INBOX")
        dovecot.append(imap_user, letter(2))
        after = box.folder_state("INBOX")
    check = dovecot.connect(imap_user)
    _typ, data = check.status("INBOX", "(UIDVALIDITY UIDNEXT)")
    check.logout()
    reported = dict(re.findall(rb"(UIDVALIDITY|UIDNEXT) (\d+)", data[0]))
    assert after.uidvalidity == before.uidvalidity == int(reported[b"UIDVALIDITY"])
    assert after.uidnext == int(reported[b"UIDNEXT"]) == before.uidnext + 1
    assert (before.messages, after.messages) == (1, 2)


def test_a_second_sync_gets_only_the_messages_that_arrived_since_and_leaves_them_unread(
    dovecot: DovecotServer, imap_user: ImapUser, client_ssl_context: ssl.SSLContext
) -> None:
    for number in (1, 2, 3):
        dovecot.append(imap_user, letter(number))
    settings = account_for(dovecot, imap_user)
    with open_mailbox(settings, ssl_context=client_ssl_context, timeout=5) as box:
        state_before = box.folder_state("INBOX")
        first = list(box.fetch_new("INBOX", batch_size=2))
    assert subjects(first) == ["Reply 1", "Reply 2", "Reply 3"]
    assert [m.uid for m in first] == sorted(m.uid for m in first)
    assert first[0].body_start == b"See you soon.\r\n" and not first[0].truncated
    assert first[0].internal_date.tzinfo is not None
    assert {m.uidvalidity for m in first} == {state_before.uidvalidity}

    dovecot.append(imap_user, letter(4))
    dovecot.append(imap_user, letter(5))
    with open_mailbox(settings, ssl_context=client_ssl_context, timeout=5) as box:
        state = box.folder_state("INBOX")
        second = list(box.fetch_new("INBOX", after_uid=first[-1].uid, expected_uidvalidity=state.uidvalidity))
        nothing_new = list(box.fetch_new("INBOX", after_uid=second[-1].uid))
    assert subjects(second) == ["Reply 4", "Reply 5"]
    assert nothing_new == []

    check = dovecot.connect(imap_user)
    check.select("INBOX", readonly=True)
    _typ, unseen = check.search(None, "UNSEEN")
    check.logout()
    assert len(unseen[0].split()) == 5


def test_a_first_sync_can_start_from_a_date(
    dovecot: DovecotServer, imap_user: ImapUser, client_ssl_context: ssl.SSLContext
) -> None:
    dovecot.append(imap_user, letter(1), when=datetime(2025, 2, 3, 12, tzinfo=UTC).timestamp())
    dovecot.append(imap_user, letter(2), when=datetime(2025, 3, 3, 12, tzinfo=UTC).timestamp())
    dovecot.append(imap_user, letter(3), when=datetime(2025, 3, 5, 12, tzinfo=UTC).timestamp())
    with open_mailbox(account_for(dovecot, imap_user), ssl_context=client_ssl_context, timeout=5) as box:
        recent = list(box.fetch_new("INBOX", since=date(2025, 3, 3)))
    assert subjects(recent) == ["Reply 2", "Reply 3"]
    assert recent[0].internal_date == datetime(2025, 3, 3, 12, tzinfo=UTC)


def test_a_changed_uidvalidity_stops_the_read_before_anything_is_handed_out(
    dovecot: DovecotServer, imap_user: ImapUser, client_ssl_context: ssl.SSLContext
) -> None:
    dovecot.append(imap_user, letter(1))
    with open_mailbox(account_for(dovecot, imap_user), ssl_context=client_ssl_context, timeout=5) as box:
        real = box.folder_state("INBOX").uidvalidity
        with pytest.raises(MailError) as caught:
            list(box.fetch_new("INBOX", after_uid=7, expected_uidvalidity=real + 1))
    assert caught.value.reason == "uidvalidity_changed"
    assert "read again from the start" in str(caught.value)


def test_a_missing_folder_is_named(
    dovecot: DovecotServer, imap_user: ImapUser, client_ssl_context: ssl.SSLContext
) -> None:
    with open_mailbox(account_for(dovecot, imap_user), ssl_context=client_ssl_context, timeout=5) as box:
        with pytest.raises(MailError) as caught:
            box.folder_state("Job search")
        assert caught.value.reason == "folder_missing"
        assert str(caught.value) == "There is no folder called 'Job search' on 127.0.0.1."
        with pytest.raises(MailError) as caught:
            list(box.fetch_new("Job search"))
        assert caught.value.reason == "folder_missing"


def test_a_20_mb_message_is_read_only_up_to_the_body_limit(
    dovecot: DovecotServer, imap_user: ImapUser, client_ssl_context: ssl.SSLContext
) -> None:
    attachment_line = b"QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWZnaGlqa2xtbm9wcXJzdHV2d3h5ejAxMjM0NTY3\r\n"
    big = (
        b"From: Dana Lee <dana.lee@acme.example>\r\nTo: alice@example.test\r\nSubject: Our offer\r\n"
        b'MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="b1"\r\n\r\n'
        b"--b1\r\nContent-Type: text/plain\r\n\r\nPlease find the offer attached.\r\n"
        b"--b1\r\nContent-Type: application/pdf\r\nContent-Transfer-Encoding: base64\r\n\r\n"
        + attachment_line * (20 * 1024 * 1024 // len(attachment_line))
        + b"--b1--\r\n"
    )
    dovecot.append(imap_user, big)
    del big
    with open_mailbox(account_for(dovecot, imap_user), ssl_context=client_ssl_context, timeout=10) as box:
        tracemalloc.start()
        try:
            [message] = list(box.fetch_new("INBOX", body_limit=16 * 1024))
            _current, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    assert message.size > 20 * 1000 * 1000
    assert len(message.body_start) == 16 * 1024 and message.truncated
    assert b"Please find the offer attached." in message.body_start
    assert fast_mail_parser.parse_email(message.header).subject == "Our offer"
    assert peak < 2 * 1024 * 1024  # a few buffers of 16 KiB, never the 20 MB


def test_a_connection_dropped_mid_read_says_where_to_resume_and_resuming_loses_nothing(
    dovecot: DovecotServer, imap_user: ImapUser, client_ssl_context: ssl.SSLContext
) -> None:
    for number in range(1, 6):
        dovecot.append(imap_user, letter(number))
    settings = account_for(dovecot, imap_user)
    handed_out: list[FetchedMessage] = []

    def read_while_the_server_restarts_after_two(box: Mailbox) -> None:
        for message in box.fetch_new("INBOX", batch_size=2):
            handed_out.append(message)
            if len(handed_out) == 2:
                dovecot.kick(imap_user)  # the server ends the session, as on a restart

    with (
        open_mailbox(settings, ssl_context=client_ssl_context, timeout=5) as box,
        pytest.raises(MailError) as caught,
    ):
        read_while_the_server_restarts_after_two(box)
    assert caught.value.reason == "connection_lost"
    assert caught.value.temporary
    assert caught.value.last_uid == handed_out[-1].uid
    assert f"read up to UID {handed_out[-1].uid}" in str(caught.value)
    with open_mailbox(settings, ssl_context=client_ssl_context, timeout=5) as box:
        rest = list(box.fetch_new("INBOX", after_uid=caught.value.last_uid or 0))
    assert subjects(handed_out + rest) == [f"Reply {n}" for n in range(1, 6)]


def test_reading_ahead_hands_out_the_same_messages_in_order_and_leaves_the_session_usable(
    dovecot: DovecotServer, imap_user: ImapUser, client_ssl_context: ssl.SSLContext
) -> None:
    for number in range(1, 12):
        dovecot.append(imap_user, letter(number))
    with open_mailbox(account_for(dovecot, imap_user), ssl_context=client_ssl_context, timeout=5) as box:
        ahead = list(box.fetch_new("INBOX", batch_size=2, read_ahead=2))
        in_step = list(box.fetch_new("INBOX", batch_size=2))
        # Left half-way, the background read gives the session back before the next command.
        partly = box.fetch_new("INBOX", batch_size=2, read_ahead=2)
        first = [next(partly), next(partly), next(partly)]
        state = box.folder_state("INBOX")
    assert subjects(ahead) == subjects(in_step) == [f"Reply {n}" for n in range(1, 12)]
    assert [m.uid for m in ahead] == [m.uid for m in in_step]
    assert subjects(first) == ["Reply 1", "Reply 2", "Reply 3"] and state.messages == 11


def test_a_connection_dropped_while_reading_ahead_says_where_to_resume_and_resuming_loses_nothing(
    dovecot: DovecotServer, imap_user: ImapUser, client_ssl_context: ssl.SSLContext
) -> None:
    for number in range(1, 41):
        dovecot.append(imap_user, letter(number))
    settings = account_for(dovecot, imap_user)
    handed_out: list[FetchedMessage] = []

    def read_while_the_server_restarts_after_two(box: Mailbox) -> None:
        for message in box.fetch_new("INBOX", batch_size=2, read_ahead=1):
            handed_out.append(message)
            if len(handed_out) == 2:
                dovecot.kick(imap_user)

    with (
        open_mailbox(settings, ssl_context=client_ssl_context, timeout=5) as box,
        pytest.raises(MailError) as caught,
    ):
        read_while_the_server_restarts_after_two(box)
    assert caught.value.reason == "connection_lost"
    # Whatever was fetched ahead before the line dropped was handed out first, and no more.
    assert 2 <= len(handed_out) < 40
    assert caught.value.last_uid == handed_out[-1].uid
    with open_mailbox(settings, ssl_context=client_ssl_context, timeout=5) as box:
        rest = list(box.fetch_new("INBOX", after_uid=caught.value.last_uid or 0, read_ahead=2))
    assert subjects(handed_out + rest) == [f"Reply {n}" for n in range(1, 41)]


def test_a_dropped_connection_before_anything_was_read_resumes_from_the_start(
    dovecot: DovecotServer, imap_user: ImapUser, client_ssl_context: ssl.SSLContext
) -> None:
    dovecot.append(imap_user, letter(1))
    with open_mailbox(account_for(dovecot, imap_user), ssl_context=client_ssl_context, timeout=5) as box:
        box.folder_state("INBOX")
        dovecot.kick(imap_user)
        with pytest.raises(MailError) as caught:
            list(box.fetch_new("INBOX", after_uid=0))
    assert caught.value.reason == "connection_lost"
    assert caught.value.last_uid == 0


@pytest.mark.parametrize("security", ["none", "tls"])
def test_a_connection_cut_in_the_middle_of_a_message_is_a_resumable_loss(
    dovecot: DovecotServer,
    imap_user: ImapUser,
    client_ssl_context: ssl.SSLContext,
    cutting_proxy: Callable[[int], CuttingProxy],
    security: Security,
) -> None:
    for number in (1, 2, 3):
        dovecot.append(imap_user, letter(number, body="x" * 100 + "\r\n" * 100_000))
    direct = account_for(dovecot, imap_user, security)
    proxy = cutting_proxy(direct.imap_port)
    through_proxy = replace(direct, imap_port=proxy.port)
    handed_out: list[FetchedMessage] = []

    def read_while_the_line_is_cut_during_the_second_message(box: Mailbox) -> None:
        for message in box.fetch_new("INBOX", batch_size=1, body_limit=150_000):
            handed_out.append(message)
            proxy.cut_after(20_000)  # the next reply stops 20 kB in, inside the body

    with (
        open_mailbox(through_proxy, ssl_context=client_ssl_context, timeout=5) as box,
        pytest.raises(MailError) as caught,
    ):
        read_while_the_line_is_cut_during_the_second_message(box)
    assert caught.value.reason == "connection_lost"
    assert caught.value.last_uid == handed_out[0].uid and len(handed_out) == 1
    assert len(handed_out[0].body_start) == 150_000
    with open_mailbox(direct, ssl_context=client_ssl_context, timeout=5) as box:
        rest = list(box.fetch_new("INBOX", after_uid=caught.value.last_uid or 0))
    assert subjects(handed_out + rest) == ["Reply 1", "Reply 2", "Reply 3"]


def test_a_body_limit_of_zero_reads_the_headers_alone(
    dovecot: DovecotServer, imap_user: ImapUser, client_ssl_context: ssl.SSLContext
) -> None:
    dovecot.append(imap_user, letter(1))
    with open_mailbox(account_for(dovecot, imap_user), ssl_context=client_ssl_context, timeout=5) as box:
        [message] = list(box.fetch_new("INBOX", body_limit=0))
    assert message.body_start == b"" and message.truncated
    assert fast_mail_parser.parse_email(message.header).subject == "Reply 1"
