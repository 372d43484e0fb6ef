"""The loopback mail servers (tests/mailservers/servers.py) for the mail transport tests."""

from __future__ import annotations

from tests.mailservers.servers import (
    client_ssl_context,
    closed_port,
    cutting_proxy,
    dovecot,
    imap_user,
    mail_certificates,
    silent_port,
    smtp_servers,
)

__all__ = [
    "client_ssl_context",
    "closed_port",
    "cutting_proxy",
    "dovecot",
    "imap_user",
    "mail_certificates",
    "silent_port",
    "smtp_servers",
]
