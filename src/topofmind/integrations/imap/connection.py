"""Opening an IMAP session: connect in the account's security mode, then log in.

IMAPClient does the protocol; this module turns everything the socket, TLS and the server can
throw while opening into one MailError sentence naming the host.
"""

from __future__ import annotations

import contextlib
import imaplib
import ssl
from typing import Any

from imapclient import IMAPClient  # type: ignore[import-untyped]
from imapclient.exceptions import LoginError  # type: ignore[import-untyped]

from topofmind.integrations.smtp.account import Endpoint, MailAccount
from topofmind.integrations.smtp.errors import MailError, describe_connect_failure
from topofmind.integrations.smtp.providers import require_password_login

DEFAULT_TIMEOUT = 30.0


def connect_and_log_in(account: MailAccount, *, ssl_context: ssl.SSLContext | None, timeout: float) -> Any:
    """A logged-in IMAPClient (typed Any: IMAPClient ships no type information)."""
    require_password_login(account)
    endpoint = account.imap
    # Loading the system's certificates takes tens of milliseconds: only when TLS is used.
    context = ssl_context or (ssl.create_default_context() if endpoint.security != "none" else None)
    try:
        client = IMAPClient(
            endpoint.host,
            port=endpoint.port,
            ssl=endpoint.security == "tls",
            ssl_context=context,
            timeout=timeout,
        )
    except imaplib.IMAP4.error as exc:
        raise _greeting_failed(endpoint, exc) from None
    except OSError as exc:
        raise describe_connect_failure(
            exc, service="IMAP", host=endpoint.host, port=endpoint.port, timeout=timeout
        ) from None
    try:
        if endpoint.security == "starttls":
            if not client.has_capability("STARTTLS"):
                raise MailError(
                    "starttls_unsupported",
                    f"The IMAP server at {endpoint.where} does not offer STARTTLS; "
                    "choose the security setting it supports.",
                )
            client.starttls(context)
        client.login(account.username, account.password)
    except LoginError:
        _shut(client)
        raise MailError("auth_failed", f"The IMAP server refused the password for {account.username}.") from None
    except MailError:
        _shut(client)
        raise
    except imaplib.IMAP4.abort:
        _shut(client)
        raise MailError(
            "connection_lost", f"The IMAP server at {endpoint.where} closed the connection.", temporary=True
        ) from None
    except imaplib.IMAP4.error as exc:
        _shut(client)
        raise _greeting_failed(endpoint, exc) from None
    except OSError as exc:
        _shut(client)
        raise describe_connect_failure(
            exc, service="IMAP", host=endpoint.host, port=endpoint.port, timeout=timeout
        ) from None
    # INTERNALDATE as aware datetimes, not converted to this machine's local time.
    client.normalise_times = False
    return client


def _greeting_failed(endpoint: Endpoint, exc: Exception) -> MailError:
    return MailError("server_error", f"The IMAP server at {endpoint.where} refused to go on ({exc}).")


def _shut(client: Any) -> None:
    with contextlib.suppress(OSError, imaplib.IMAP4.error):
        client.shutdown()
