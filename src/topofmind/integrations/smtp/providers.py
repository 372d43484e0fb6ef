"""What the big mail providers accept as a login, recognised from the account's hosts and addresses.

Microsoft's consumer and business mail (Outlook.com, Hotmail, Live, MSN, Microsoft 365) turned
password logins off for IMAP and SMTP: only an OAuth sign-in works there, so a password would be
refused with an unhelpful error. Gmail, iCloud, Fastmail and Yahoo still take an app password
(not the account password), which users often do not know about.
"""

from __future__ import annotations

from dataclasses import dataclass

from topofmind.integrations.smtp.account import MailAccount
from topofmind.integrations.smtp.errors import MailError
from topofmind.integrations.smtp.text import domain_of

_MICROSOFT_HOSTS = frozenset(
    {"smtp.office365.com", "outlook.office365.com", "smtp-mail.outlook.com", "imap-mail.outlook.com"}
)
_MICROSOFT_DOMAINS = frozenset({"outlook.com", "live.com", "msn.com"})


@dataclass(frozen=True)
class AppPasswordProvider:
    name: str
    hosts: frozenset[str]
    domains: frozenset[str]
    where: str  # where in their settings an app password is made


_APP_PASSWORD_PROVIDERS = (
    AppPasswordProvider(
        "Gmail",
        frozenset({"imap.gmail.com", "smtp.gmail.com"}),
        frozenset({"gmail.com", "googlemail.com"}),
        "your Google account's security page (2-Step Verification must be on)",
    ),
    AppPasswordProvider(
        "iCloud Mail",
        frozenset({"imap.mail.me.com", "smtp.mail.me.com"}),
        frozenset({"icloud.com", "me.com", "mac.com"}),
        "the sign-in and security page of your Apple account",
    ),
    AppPasswordProvider(
        "Fastmail",
        frozenset({"imap.fastmail.com", "smtp.fastmail.com"}),
        frozenset({"fastmail.com", "fastmail.fm"}),
        "Fastmail's privacy and security settings",
    ),
    AppPasswordProvider(
        "Yahoo Mail",
        frozenset({"imap.mail.yahoo.com", "smtp.mail.yahoo.com"}),
        frozenset(),  # yahoo.* domains are matched by prefix below
        "your Yahoo account's security page",
    ),
)


def oauth_requirement(account: MailAccount) -> str | None:
    """A sentence saying the provider only takes OAuth (and what gave it away), or None."""
    clue = _microsoft_clue(account)
    if clue is None:
        return None
    return (
        f"Microsoft mail (Outlook.com, Hotmail, Live, Microsoft 365) accepts only an OAuth sign-in for IMAP "
        f"and SMTP, not a password or an app password, so this account cannot be connected with a password "
        f"({clue})."
    )


def require_password_login(account: MailAccount) -> None:
    """Raises MailError(reason="oauth_required") for a provider that refuses password logins."""
    sentence = oauth_requirement(account)
    if sentence is not None:
        raise MailError("oauth_required", sentence)


def app_password_advice(account: MailAccount) -> str | None:
    """For providers that want an app password instead of the account password: how to get one."""
    for provider in _APP_PASSWORD_PROVIDERS:
        if _uses(account, provider):
            return (
                f"{provider.name} takes an app password here, not the password you sign in with: "
                f"create one in {provider.where}."
            )
    return None


def _microsoft_clue(account: MailAccount) -> str | None:
    for field in ("smtp_host", "imap_host"):
        host = str(getattr(account, field)).lower()
        if host in _MICROSOFT_HOSTS:
            return f"{field} is {host}"
    for field, address in _addresses(account):
        domain = domain_of(address)
        if domain in _MICROSOFT_DOMAINS or domain.startswith("hotmail."):
            return f"{field} is at {domain}"
    return None


def _uses(account: MailAccount, provider: AppPasswordProvider) -> bool:
    if account.smtp_host.lower() in provider.hosts or account.imap_host.lower() in provider.hosts:
        return True
    for _field, address in _addresses(account):
        domain = domain_of(address)
        if domain in provider.domains or (provider.name == "Yahoo Mail" and domain.startswith("yahoo.")):
            return True
    return False


def _addresses(account: MailAccount) -> list[tuple[str, str]]:
    found = [("from address", address) for address in account.from_addresses]
    if "@" in account.username:
        found.insert(0, ("username", account.username))
    return found
