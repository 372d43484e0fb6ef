"""The mail account: every bad setting is named, and providers that refuse passwords are recognised."""

from __future__ import annotations

from typing import Any

import pytest

from topofmind.integrations.smtp import (
    MailAccount,
    MailError,
    app_password_advice,
    default_port,
    oauth_requirement,
    require_password_login,
)


def account(**changes: Any) -> MailAccount:
    fields: dict[str, Any] = {
        "imap_host": "imap.example.com",
        "imap_port": 993,
        "imap_security": "tls",
        "smtp_host": "smtp.example.com",
        "smtp_port": 587,
        "smtp_security": "starttls",
        "username": "alice@example.com",
        "password": "app-password-1",
        "from_addresses": ("alice@example.com",),
        "from_name": "Alice Martin",
    }
    fields.update(changes)
    return MailAccount(**fields)


def test_a_complete_account_offers_its_two_servers_and_its_default_address() -> None:
    settings = account(from_addresses=("alice@example.com", "alice@work.example"))
    assert (settings.smtp.host, settings.smtp.port, settings.smtp.security) == ("smtp.example.com", 587, "starttls")
    assert settings.imap.where == "imap.example.com:993"
    assert settings.default_from == "alice@example.com"


def test_the_password_never_shows_in_the_accounts_repr() -> None:
    assert "app-password-1" not in repr(account())


@pytest.mark.parametrize(
    ("changes", "named"),
    [
        ({"imap_host": ""}, "imap_host"),
        ({"smtp_host": "smtp://mail.example.com"}, "smtp_host"),
        ({"smtp_host": "mail example.com"}, "smtp_host"),
        ({"imap_port": 0}, "imap_port"),
        ({"smtp_port": 70000}, "smtp_port"),
        ({"smtp_port": "587"}, "smtp_port"),
        ({"imap_security": "ssl"}, "imap_security"),
        ({"smtp_security": "STARTTLS"}, "smtp_security"),
        ({"password": ""}, "password"),
        ({"username": "", "password": "secret"}, "username"),
        ({"password": "pass\r\nword"}, "password"),
        ({"from_addresses": ()}, "from_addresses"),
        ({"from_addresses": ("alice at example.com",)}, "from_addresses"),
        ({"from_addresses": "alice@example.com"}, "from_addresses"),
        ({"from_name": "Alice\nBcc: eve@example.net"}, "from_name"),
    ],
)
def test_a_bad_setting_is_refused_with_a_sentence_naming_the_field(changes: dict[str, Any], named: str) -> None:
    with pytest.raises(MailError) as caught:
        account(**changes)
    assert caught.value.reason == "invalid_setting"
    assert named in str(caught.value)
    assert str(caught.value).endswith(".")


def test_a_local_relay_may_be_used_without_a_login() -> None:
    relay = account(username="", password="", smtp_host="localhost", smtp_port=25, smtp_security="none")
    assert relay.username == ""


def test_usual_ports_are_offered_for_each_security_mode() -> None:
    assert default_port("smtp", "starttls") == 587
    assert default_port("smtp", "tls") == 465
    assert default_port("imap", "tls") == 993
    assert default_port("imap", "starttls") == 143


@pytest.mark.parametrize(
    "changes",
    [
        {"smtp_host": "smtp.office365.com"},
        {"imap_host": "outlook.office365.com"},
        {"smtp_host": "smtp-mail.outlook.com"},
        {"from_addresses": ("alice@outlook.com",)},
        {"from_addresses": ("alice@hotmail.co.uk",)},
        {"username": "alice@hotmail.com"},
        {"from_addresses": ("alice@live.com",)},
        {"from_addresses": ("alice@msn.com",)},
    ],
)
def test_microsoft_mail_is_recognised_as_needing_oauth(changes: dict[str, Any]) -> None:
    settings = account(**changes)
    sentence = oauth_requirement(settings)
    assert sentence is not None and "OAuth" in sentence
    with pytest.raises(MailError) as caught:
        require_password_login(settings)
    assert caught.value.reason == "oauth_required"
    assert app_password_advice(settings) is None


def test_the_oauth_sentence_names_what_gave_the_provider_away() -> None:
    sentence = oauth_requirement(account(smtp_host="smtp.office365.com"))
    assert sentence is not None and "smtp_host is smtp.office365.com" in sentence


@pytest.mark.parametrize(
    ("changes", "provider"),
    [
        ({"smtp_host": "smtp.gmail.com", "imap_host": "imap.gmail.com"}, "Gmail"),
        ({"from_addresses": ("alice@icloud.com",)}, "iCloud"),
        ({"username": "alice@fastmail.com"}, "Fastmail"),
        ({"from_addresses": ("alice@yahoo.fr",)}, "Yahoo"),
    ],
)
def test_providers_that_take_app_passwords_get_advice_and_no_oauth_warning(
    changes: dict[str, Any], provider: str
) -> None:
    settings = account(**changes)
    assert oauth_requirement(settings) is None
    advice = app_password_advice(settings)
    assert advice is not None and provider in advice and "app password" in advice
    require_password_login(settings)  # does not raise


def test_an_ordinary_host_gets_neither_warning_nor_advice() -> None:
    assert oauth_requirement(account()) is None
    assert app_password_advice(account()) is None
