"""Sending over a real SMTP server (aiosmtpd on loopback) in each security mode, and every way it fails."""

from __future__ import annotations

import ssl
from datetime import UTC, datetime
from email import message_from_bytes, policy
from email.message import EmailMessage

import fast_mail_parser
import pytest
import trustme
from tests.mailservers.servers import Certificates, RecordingHandler, SmtpFactory, SmtpServer

from topofmind.integrations.smtp import ComposedMail, MailAccount, MailError, OutgoingMail, Security, compose, send

NOW = datetime(2030, 3, 4, 8, 0, tzinfo=UTC)


def account_for(server: SmtpServer, *, security: Security | None = None, password: str | None = None) -> MailAccount:
    return MailAccount(
        imap_host="127.0.0.1",
        imap_port=993,
        imap_security="tls",
        smtp_host=server.host,
        smtp_port=server.port,
        smtp_security=security or server.security,
        username=server.username,
        password=server.password if password is None else password,
        from_addresses=(server.username,),
        from_name="Alice Martin",
    )


def thank_you(to: str = "dana.lee@acme.example") -> ComposedMail:
    return compose(
        OutgoingMail(
            from_address="alice@example.test",
            from_name="Alice Martin",
            to_address=to,
            to_name="Dana Lee",
            subject="Thank you for today",
            body="Hi Dana,\n.\nThank you for the conversation.\n",
        ),
        now=NOW,
    )


@pytest.mark.parametrize("security", ["none", "starttls", "tls"])
def test_a_message_arrives_intact_over_each_security_mode(
    smtp_servers: SmtpFactory, client_ssl_context: ssl.SSLContext, security: Security
) -> None:
    server = smtp_servers(security)
    mail = thank_you()
    receipt = send(mail, account=account_for(server), ssl_context=client_ssl_context, timeout=5)
    assert receipt.message_id == mail.message_id
    assert "Queued" in receipt.reply
    [arrived] = server.received
    assert (arrived.mail_from, arrived.recipients) == ("alice@example.test", ("dana.lee@acme.example",))
    parsed = fast_mail_parser.parse_email(arrived.data)
    assert parsed.headers["Message-ID"] == [mail.message_id]
    assert parsed.headers["To"] == ["Dana Lee <dana.lee@acme.example>"]
    assert parsed.text_plain[0].replace("\r\n", "\n") == "Hi Dana,\n.\nThank you for the conversation.\n"
    stdlib = message_from_bytes(arrived.data, policy=policy.default)
    assert isinstance(stdlib, EmailMessage)
    assert stdlib["Subject"] == "Thank you for today"


def test_a_wrong_password_is_told_as_such(smtp_servers: SmtpFactory, client_ssl_context: ssl.SSLContext) -> None:
    server = smtp_servers("starttls")
    with pytest.raises(MailError) as caught:
        send(thank_you(), account=account_for(server, password="wrong"), ssl_context=client_ssl_context, timeout=5)
    assert caught.value.reason == "auth_failed"
    assert str(caught.value) == "The SMTP server refused the password for alice@example.test."
    assert not caught.value.may_have_been_sent
    assert server.received == []


def test_an_unreachable_port_is_named_with_the_host(smtp_servers: SmtpFactory, closed_port: int) -> None:
    server = smtp_servers("none")
    server.port = closed_port
    with pytest.raises(MailError) as caught:
        send(thank_you(), account=account_for(server), timeout=5)
    assert caught.value.reason == "unreachable"
    assert str(caught.value) == f"Could not reach 127.0.0.1:{closed_port} (connection refused)."
    assert caught.value.temporary and not caught.value.may_have_been_sent


@pytest.mark.parametrize("security", ["starttls", "tls"])
def test_a_certificate_no_public_authority_signed_is_not_trusted_by_default(
    smtp_servers: SmtpFactory, security: Security
) -> None:
    server = smtp_servers(security)
    with pytest.raises(MailError) as caught:
        send(thank_you(), account=account_for(server), timeout=5)  # the system's trust store
    assert caught.value.reason == "certificate_untrusted"
    assert str(caught.value) == (
        f"The SMTP server's certificate at 127.0.0.1:{server.port} is not trusted "
        "(unable to get local issuer certificate)."
    )
    assert server.received == []


def test_a_certificate_from_another_authority_is_not_trusted(
    smtp_servers: SmtpFactory, client_ssl_context: ssl.SSLContext
) -> None:
    stranger = trustme.CA()
    server = smtp_servers("tls", certificates=Certificates(stranger, stranger.issue_cert("127.0.0.1")))
    with pytest.raises(MailError) as caught:
        send(thank_you(), account=account_for(server), ssl_context=client_ssl_context, timeout=5)
    assert caught.value.reason == "certificate_untrusted"


def test_a_certificate_for_another_host_is_not_trusted(
    smtp_servers: SmtpFactory, mail_certificates: Certificates
) -> None:
    other_host = Certificates(mail_certificates.ca, mail_certificates.ca.issue_cert("mail.elsewhere.example"))
    server = smtp_servers("tls", certificates=other_host)
    with pytest.raises(MailError) as caught:
        send(thank_you(), account=account_for(server), ssl_context=mail_certificates.client_context(), timeout=5)
    assert caught.value.reason == "certificate_untrusted"
    assert str(caught.value) == (
        f"The SMTP server's certificate at 127.0.0.1:{server.port} is not trusted "
        "(IP address mismatch, certificate is not valid for '127.0.0.1')."
    )


def test_starttls_asked_of_a_server_without_it_is_refused_before_any_password_goes_out(
    smtp_servers: SmtpFactory, client_ssl_context: ssl.SSLContext
) -> None:
    server = smtp_servers("none")
    with pytest.raises(MailError) as caught:
        send(thank_you(), account=account_for(server, security="starttls"), ssl_context=client_ssl_context, timeout=5)
    assert caught.value.reason == "starttls_unsupported"
    assert "does not offer STARTTLS" in str(caught.value)


def test_a_refused_recipient_is_named_and_nothing_is_sent(
    smtp_servers: SmtpFactory, client_ssl_context: ssl.SSLContext
) -> None:
    server = smtp_servers("tls", refuse=("gone@acme.example",))
    with pytest.raises(MailError) as caught:
        send(thank_you(to="gone@acme.example"), account=account_for(server), ssl_context=client_ssl_context, timeout=5)
    assert caught.value.reason == "recipient_refused"
    assert str(caught.value).startswith("The server refused the recipient gone@acme.example (it said 550")
    assert not caught.value.may_have_been_sent and not caught.value.temporary
    assert server.received == []


def test_a_connection_lost_after_the_message_went_out_may_have_sent_it(
    smtp_servers: SmtpFactory, client_ssl_context: ssl.SSLContext
) -> None:
    server = smtp_servers("starttls", drop_after_data=True)
    mail = thank_you()
    with pytest.raises(MailError) as caught:
        send(mail, account=account_for(server), ssl_context=client_ssl_context, timeout=5)
    assert caught.value.reason == "outcome_unknown"
    assert caught.value.may_have_been_sent
    assert "may have been sent" in str(caught.value)
    # And indeed it had: the server holds it, which is why the caller must not send it again.
    assert [fast_mail_parser.parse_email(r.data).headers["Message-ID"] for r in server.received] == [[mail.message_id]]


def test_an_outlook_account_is_refused_before_connecting_with_the_oauth_sentence(
    smtp_servers: SmtpFactory,
) -> None:
    server = smtp_servers("none")
    outlook = MailAccount(
        imap_host="outlook.office365.com",
        imap_port=993,
        imap_security="tls",
        smtp_host="smtp.office365.com",
        smtp_port=587,
        smtp_security="starttls",
        username="alice@outlook.com",
        password="app-password-1",
        from_addresses=("alice@outlook.com",),
    )
    with pytest.raises(MailError) as caught:
        send(thank_you(), account=outlook, timeout=5)
    assert caught.value.reason == "oauth_required"
    assert "OAuth" in str(caught.value)
    assert server.received == []


def test_a_server_that_never_answers_is_given_up_on_after_the_timeout(silent_port: int) -> None:
    hung = SmtpServer("127.0.0.1", silent_port, "none", "alice@example.test", "app-password-1", RecordingHandler())
    with pytest.raises(MailError) as caught:
        send(thank_you(), account=account_for(hung), timeout=0.5)
    assert caught.value.reason == "timeout"
    assert str(caught.value) == f"The SMTP server at 127.0.0.1:{silent_port} did not answer within 0.5 seconds."
    assert caught.value.temporary


def test_a_message_the_server_rejects_is_reported_as_not_sent(
    smtp_servers: SmtpFactory, client_ssl_context: ssl.SSLContext
) -> None:
    server = smtp_servers("tls", refuse_content=True)
    with pytest.raises(MailError) as caught:
        send(thank_you(), account=account_for(server), ssl_context=client_ssl_context, timeout=5)
    assert caught.value.reason == "message_refused"
    assert "rejected as spam" in str(caught.value)
    assert not caught.value.may_have_been_sent and not caught.value.temporary


def test_a_local_relay_without_login_takes_the_message(smtp_servers: SmtpFactory) -> None:
    server = smtp_servers("none")
    relay = MailAccount(
        imap_host="127.0.0.1",
        imap_port=143,
        imap_security="none",
        smtp_host=server.host,
        smtp_port=server.port,
        smtp_security="none",
        username="",
        password="",
        from_addresses=("alice@example.test",),
    )
    send(thank_you(), account=relay, timeout=5)
    assert len(server.received) == 1


def test_no_security_on_a_server_that_logs_in_only_over_tls_says_so(smtp_servers: SmtpFactory) -> None:
    server = smtp_servers("starttls")  # like most port-587 servers: AUTH only after STARTTLS
    with pytest.raises(MailError) as caught:
        send(thank_you(), account=account_for(server, security="none"), timeout=5)
    assert caught.value.reason == "auth_unsupported"
    assert str(caught.value) == (
        f"The SMTP server at 127.0.0.1:{server.port} does not offer a password login over an unencrypted "
        "connection; try STARTTLS or TLS."
    )
