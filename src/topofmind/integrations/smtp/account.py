"""The mail account a user connects: where their IMAP and SMTP servers are and who they send as.

Both transports read it; every check names the field a form would show, so the web and the CLI
can put the sentence next to the right input.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal, get_args

from topofmind.integrations.smtp.errors import MailError
from topofmind.integrations.smtp.text import check_address, has_control_characters

Security = Literal["none", "starttls", "tls"]
SECURITY_MODES: tuple[Security, ...] = get_args(Security)

# Host names only (no scheme, no port, no spaces); IP literals pass too.
_HOST = re.compile(r"[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?")

_DEFAULT_PORTS: dict[tuple[str, Security], int] = {
    ("imap", "tls"): 993,
    ("imap", "starttls"): 143,
    ("imap", "none"): 143,
    ("smtp", "tls"): 465,
    ("smtp", "starttls"): 587,
    ("smtp", "none"): 25,
}


def default_port(service: Literal["imap", "smtp"], security: Security) -> int:
    """The usual port for a service and security mode, for a form to pre-fill."""
    return _DEFAULT_PORTS[(service, security)]


@dataclass(frozen=True)
class Endpoint:
    """One server to talk to: host, port and how the connection is secured."""

    host: str
    port: int
    security: Security

    @property
    def where(self) -> str:
        return f"{self.host}:{self.port}"


@dataclass(frozen=True)
class MailAccount:
    """A user's mailbox settings. ``from_addresses[0]`` is the address mail goes out from by default.

    An empty ``username`` means "no login" (a local relay); the password is then empty too.
    """

    imap_host: str
    imap_port: int
    imap_security: Security
    smtp_host: str
    smtp_port: int
    smtp_security: Security
    username: str
    password: str = field(repr=False)
    from_addresses: tuple[str, ...]
    from_name: str = ""

    def __post_init__(self) -> None:
        for service in ("imap", "smtp"):
            _check_host(getattr(self, f"{service}_host"), field=f"{service}_host")
            _check_port(getattr(self, f"{service}_port"), field=f"{service}_port")
            _check_security(getattr(self, f"{service}_security"), field=f"{service}_security")
        _check_login(self.username, self.password)
        if isinstance(self.from_addresses, str) or not self.from_addresses:
            raise MailError("invalid_setting", "The from_addresses need at least one address to send from.")
        for address in self.from_addresses:
            check_address(address, field="from_addresses entry")
        if has_control_characters(self.from_name):
            raise MailError("invalid_setting", "The from_name cannot contain line breaks or control characters.")

    @property
    def imap(self) -> Endpoint:
        return Endpoint(self.imap_host, self.imap_port, self.imap_security)

    @property
    def smtp(self) -> Endpoint:
        return Endpoint(self.smtp_host, self.smtp_port, self.smtp_security)

    @property
    def default_from(self) -> str:
        return self.from_addresses[0]


def _check_host(value: object, *, field: str) -> None:
    if not isinstance(value, str) or not _HOST.fullmatch(value) or len(value) > 253:
        raise MailError("invalid_setting", f"The {field} {value!r} is not a server name such as mail.example.com.")


def _check_port(value: object, *, field: str) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 65535:
        raise MailError("invalid_setting", f"The {field} must be a whole number from 1 to 65535 (got {value!r}).")


def _check_security(value: object, *, field: str) -> None:
    if value not in SECURITY_MODES:
        modes = ", ".join(SECURITY_MODES)
        raise MailError("invalid_setting", f"The {field} must be one of {modes} (got {value!r}).")


def _check_login(username: str, password: str) -> None:
    if has_control_characters(username):
        raise MailError("invalid_setting", "The username cannot contain line breaks or control characters.")
    # IMAP sends the password as a quoted string: a line break or NUL cannot travel in it.
    if has_control_characters(password):
        raise MailError("invalid_setting", "The password cannot contain line breaks or control characters.")
    if password and not username:
        raise MailError("invalid_setting", "The username is missing: a password needs the name it belongs to.")
    if username and not password:
        raise MailError("invalid_setting", f"The password for {username} is missing.")
