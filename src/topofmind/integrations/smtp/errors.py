"""MailError: the one exception the mail transport (SMTP and IMAP) raises for what a user can cause.

It lives here, beside the account, because both ``smtp`` and ``imap`` raise it and a caller
should catch one class. Its message is a sentence for the user; ``reason`` is a stable code for
the caller (retry later, ask for a new password, …); ``may_have_been_sent`` is True only when
the SMTP server may have accepted the message, so the caller must not send it again;
``temporary`` is True when the same attempt may well work later (the server said 4xx, timed
out, or could not be reached); ``last_uid`` tells an interrupted mailbox read where to resume.
"""

from __future__ import annotations

import socket
import ssl
from typing import Literal

Reason = Literal[
    "invalid_setting",  # the account or the message is malformed: a field is named
    "oauth_required",  # the provider refuses passwords; only OAuth works
    "unknown_host",  # the host name does not resolve
    "unreachable",  # refused, no route, reset while connecting
    "timeout",  # the server did not answer in time
    "certificate_untrusted",  # TLS: the certificate does not verify (or names another host)
    "tls_failed",  # TLS: handshake failed for another reason
    "starttls_unsupported",  # security=starttls but the server does not offer it
    "auth_failed",  # the server refused the user name or password
    "auth_unsupported",  # the server offers no login we can use
    "sender_refused",  # MAIL FROM refused
    "recipient_refused",  # RCPT TO refused
    "message_refused",  # the server refused the message content (after DATA)
    "connection_lost",  # the connection dropped mid-conversation
    "outcome_unknown",  # the connection dropped after the message was handed over: do not resend
    "server_error",  # any other refusal by the server
    "no_sent_folder",  # IMAP: no folder for sent mail could be found
    "folder_missing",  # IMAP: the folder asked for does not exist
    "uidvalidity_changed",  # IMAP: the folder was rebuilt; stored UIDs no longer mean anything
]


class MailError(Exception):
    """A mail problem explained in one sentence, with a machine-readable reason."""

    def __init__(
        self,
        reason: Reason,
        message: str,
        *,
        may_have_been_sent: bool = False,
        temporary: bool = False,
        last_uid: int | None = None,
    ) -> None:
        super().__init__(message)
        self.reason: Reason = reason
        self.message = message
        self.may_have_been_sent = may_have_been_sent
        self.temporary = temporary
        self.last_uid = last_uid

    def __str__(self) -> str:
        return self.message


def describe_connect_failure(exc: BaseException, *, service: str, host: str, port: int, timeout: float) -> MailError:
    """Turns what the socket or TLS layer raised while connecting into a sentence."""
    where = f"{host}:{port}"
    if isinstance(exc, ssl.SSLCertVerificationError):
        detail = (exc.verify_message or "it does not verify").rstrip(".")
        if detail[1:2].islower():  # "Hostname mismatch" reads on in a sentence; "IP address" keeps its capitals
            detail = detail[:1].lower() + detail[1:]
        return MailError(
            "certificate_untrusted",
            f"The {service} server's certificate at {where} is not trusted ({detail}).",
        )
    if isinstance(exc, ssl.SSLError):
        return MailError(
            "tls_failed",
            f"Could not set up a secure connection with the {service} server at {where} ({exc.reason or exc}); "
            "check the port and the security setting.",
        )
    if isinstance(exc, socket.gaierror):
        return MailError("unknown_host", f"Could not find the {service} server {host}: no such host name.")
    if isinstance(exc, TimeoutError):
        return MailError(
            "timeout", f"The {service} server at {where} did not answer within {timeout:g} seconds.", temporary=True
        )
    if isinstance(exc, ConnectionRefusedError):
        return MailError("unreachable", f"Could not reach {where} (connection refused).", temporary=True)
    if isinstance(exc, ConnectionError):
        return MailError("unreachable", f"Could not reach {where} (the connection was closed).", temporary=True)
    if isinstance(exc, OSError):
        why = exc.strerror or str(exc) or type(exc).__name__
        return MailError("unreachable", f"Could not reach {where} ({why.lower()}).", temporary=True)
    return MailError("server_error", f"The {service} server at {where} failed: {exc}.")
