"""Handing one composed message to the user's SMTP server, and saying exactly how it went.

The transaction is driven step by step (MAIL, RCPT, DATA, the content, the final reply) rather
than through ``smtplib.send_message`` so that a failure can be placed: before the content went
out the message was certainly not sent and may be retried; once the content went out and no
"250" came back, the server may have accepted it, and the error says so
(``may_have_been_sent=True``) so that a queue never sends the same note twice.
"""

from __future__ import annotations

import re
import smtplib
import ssl
from dataclasses import dataclass

from topofmind.integrations.smtp.account import Endpoint, MailAccount
from topofmind.integrations.smtp.compose import ComposedMail
from topofmind.integrations.smtp.errors import MailError, describe_connect_failure
from topofmind.integrations.smtp.providers import require_password_login

DEFAULT_TIMEOUT = 30.0
_LINE_ENDING = re.compile(rb"\r\n|\r|\n")
_LEADING_DOT = re.compile(rb"^\.", re.MULTILINE)


@dataclass(frozen=True)
class SendReceipt:
    """The server took the message: ``reply`` is what it said (often a queue id)."""

    message_id: str
    recipient: str
    reply: str


def send(
    mail: ComposedMail,
    *,
    account: MailAccount,
    ssl_context: ssl.SSLContext | None = None,
    timeout: float = DEFAULT_TIMEOUT,
) -> SendReceipt:
    """Sends ``mail`` through the account's SMTP server; every failure is a MailError."""
    require_password_login(account)
    endpoint = account.smtp
    context = ssl_context or ssl.create_default_context()
    client = _connect(endpoint, context, timeout)
    try:
        _secure_and_log_in(client, endpoint, account, context, timeout)
        reply = _transmit(client, endpoint, mail)
    finally:
        _close(client)
    return SendReceipt(message_id=mail.message_id, recipient=mail.recipient, reply=reply)


def check_login(
    account: MailAccount, *, ssl_context: ssl.SSLContext | None = None, timeout: float = DEFAULT_TIMEOUT
) -> None:
    """Connects, secures and logs in as ``send`` would, then says goodbye: sends nothing.

    For ``topofmind mail test``; every failure is the same MailError a send would raise.
    """
    require_password_login(account)
    endpoint = account.smtp
    context = ssl_context or ssl.create_default_context()
    client = _connect(endpoint, context, timeout)
    try:
        _secure_and_log_in(client, endpoint, account, context, timeout)
    finally:
        _close(client)


def _connect(endpoint: Endpoint, context: ssl.SSLContext, timeout: float) -> smtplib.SMTP:
    try:
        if endpoint.security == "tls":
            return smtplib.SMTP_SSL(endpoint.host, endpoint.port, timeout=timeout, context=context)
        return smtplib.SMTP(endpoint.host, endpoint.port, timeout=timeout)
    except smtplib.SMTPConnectError as exc:
        raise MailError(
            "server_error",
            f"The SMTP server at {endpoint.where} would not take a connection ({_said(exc.smtp_code, exc.smtp_error)}).",
            temporary=_is_temporary(exc.smtp_code),
        ) from None
    except smtplib.SMTPServerDisconnected as exc:
        if _timed_out(exc):
            raise _no_answer(endpoint, timeout) from None
        raise MailError(
            "connection_lost",
            f"The SMTP server at {endpoint.where} closed the connection before greeting us; "
            "check the port and the security setting.",
        ) from None
    except OSError as exc:
        raise describe_connect_failure(
            exc, service="SMTP", host=endpoint.host, port=endpoint.port, timeout=timeout
        ) from None


def _secure_and_log_in(
    client: smtplib.SMTP, endpoint: Endpoint, account: MailAccount, context: ssl.SSLContext, timeout: float
) -> None:
    try:
        client.ehlo_or_helo_if_needed()
        if endpoint.security == "starttls":
            if not client.has_extn("starttls"):
                raise MailError(
                    "starttls_unsupported",
                    f"The SMTP server at {endpoint.where} does not offer STARTTLS; "
                    "choose the security setting it supports.",
                )
            client.starttls(context=context)
            client.ehlo()
        if account.username:
            client.login(account.username, account.password)
    except smtplib.SMTPAuthenticationError:
        raise MailError("auth_failed", f"The SMTP server refused the password for {account.username}.") from None
    except smtplib.SMTPNotSupportedError:
        hint = " over an unencrypted connection; try STARTTLS or TLS" if endpoint.security == "none" else ""
        raise MailError(
            "auth_unsupported", f"The SMTP server at {endpoint.where} does not offer a password login{hint}."
        ) from None
    except UnicodeEncodeError:
        raise MailError(
            "invalid_setting", "The username or password has characters an SMTP login cannot carry (ASCII only)."
        ) from None
    except smtplib.SMTPResponseException as exc:
        raise MailError(
            "server_error",
            f"The SMTP server at {endpoint.where} refused to go on ({_said(exc.smtp_code, exc.smtp_error)}).",
            temporary=_is_temporary(exc.smtp_code),
        ) from None
    except smtplib.SMTPServerDisconnected as exc:
        if _timed_out(exc):
            raise _no_answer(endpoint, timeout) from None
        raise MailError(
            "connection_lost", f"The SMTP server at {endpoint.where} closed the connection.", temporary=True
        ) from None
    except smtplib.SMTPException as exc:  # no AUTH mechanism we know, among others
        raise MailError(
            "auth_unsupported", f"Could not log in to the SMTP server at {endpoint.where} ({exc})."
        ) from None
    except OSError as exc:
        raise describe_connect_failure(
            exc, service="SMTP", host=endpoint.host, port=endpoint.port, timeout=timeout
        ) from None


def _transmit(client: smtplib.SMTP, endpoint: Endpoint, mail: ComposedMail) -> str:
    handed_over = False
    try:
        code, text = client.mail(mail.sender)
        if code != 250:
            raise MailError(
                "sender_refused",
                f"The server refused the sender {mail.sender} ({_said(code, text)}).",
                temporary=_is_temporary(code),
            )
        code, text = client.rcpt(mail.recipient)
        if code not in (250, 251):
            raise MailError(
                "recipient_refused",
                f"The server refused the recipient {mail.recipient} ({_said(code, text)}).",
                temporary=_is_temporary(code),
            )
        code, text = client.docmd("DATA")
        if code != 354:
            raise MailError(
                "message_refused",
                f"The server would not take the message ({_said(code, text)}).",
                temporary=_is_temporary(code),
            )
        handed_over = True
        client.send(_wire_form(mail.raw))
        code, text = client.getreply()
    except (smtplib.SMTPServerDisconnected, OSError):
        if handed_over:
            raise MailError(
                "outcome_unknown",
                f"The connection to {endpoint.where} was lost after the message to {mail.recipient} was handed "
                "over, so it may have been sent: check the Sent folder before sending it again.",
                may_have_been_sent=True,
            ) from None
        raise MailError(
            "connection_lost",
            f"The connection to {endpoint.where} was lost before the message to {mail.recipient} was sent; "
            "it was not sent.",
            temporary=True,
        ) from None
    if code != 250:
        raise MailError(
            "message_refused",
            f"The server refused the message to {mail.recipient} ({_said(code, text)}).",
            temporary=_is_temporary(code),
        )
    return _text(text)


def _wire_form(raw: bytes) -> bytes:
    """CRLF lines, a leading dot doubled (RFC 5321 §4.5.2), then the lone dot that ends DATA."""
    data = _LINE_ENDING.sub(b"\r\n", raw)
    data = _LEADING_DOT.sub(b"..", data)
    if not data.endswith(b"\r\n"):
        data += b"\r\n"
    return data + b".\r\n"


def _close(client: smtplib.SMTP) -> None:
    # The outcome is settled before QUIT; a server that hangs up rudely changes nothing.
    try:
        client.quit()
    except (smtplib.SMTPException, OSError):
        client.close()


def _timed_out(exc: smtplib.SMTPServerDisconnected) -> bool:
    # smtplib turns a socket timeout into "disconnected"; the timeout is still its context.
    return isinstance(exc.__context__, TimeoutError)


def _no_answer(endpoint: Endpoint, timeout: float) -> MailError:
    return MailError(
        "timeout", f"The SMTP server at {endpoint.where} did not answer within {timeout:g} seconds.", temporary=True
    )


def _is_temporary(code: int) -> bool:
    return 400 <= code < 500


def _text(reply: bytes | str) -> str:
    text = reply.decode("utf-8", "replace") if isinstance(reply, bytes) else reply
    return " ".join(text.split())


def _said(code: int, reply: bytes | str) -> str:
    return f"it said {code} {_text(reply)}".rstrip()
