"""`topofmind mail setup|test|status` in-process: the contract of docs/cli.md, errors in one line."""

from __future__ import annotations

import json
from typing import Any

import pytest
from typer.testing import CliRunner

from topofmind.cli import app
from topofmind.crm.models import MailAccount

pytestmark = pytest.mark.django_db
runner = CliRunner()

SETUP = [
    *("mail", "setup", "--imap-host", "imap.fastmail.com", "--imap-port", "993", "--imap-security", "tls"),
    *("--smtp-host", "smtp.fastmail.com", "--smtp-port", "465", "--smtp-security", "tls"),
    *("--username", "alice@fastmail.test", "--address", "alice@fastmail.test"),
]


def run(*args: str, env: dict[str, str] | None = None, stdin: str | None = None) -> Any:
    result = runner.invoke(app, list(args), env=env, input=stdin)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result


@pytest.fixture
def queue_in_tmp(settings: Any, tmp_path: Any) -> None:
    settings.QUEUE_URL = f"sqlite:///{tmp_path / 'queue.db'}"


def test_setup_takes_the_password_from_the_environment_and_never_prints_it(queue_in_tmp: None) -> None:
    done = run(*SETUP, env={"TOPOFMIND_MAIL_PASSWORD": "app-pass-xyz-123"})
    assert done.exit_code == 0, done.stderr
    assert "Mail account saved: alice@fastmail.test" in done.stdout
    status = run("mail", "status", "--json")
    assert status.exit_code == 0, status.stderr
    shown = json.loads(status.stdout)
    assert shown["account"]["addresses"] == ["alice@fastmail.test"]
    assert shown["account"]["password_set"] is True
    assert shown["queue"].startswith("The queue at ") and "nothing waiting" in shown["queue"]
    assert "app-pass-xyz-123" not in done.stdout + done.stderr + status.stdout
    words = run("mail", "status")
    assert "not tested yet" in words.stdout


def test_setup_reads_the_password_from_stdin(queue_in_tmp: None) -> None:
    done = run(*SETUP, "--password-stdin", stdin="from-stdin-456\n")
    assert done.exit_code == 0, done.stderr
    assert MailAccount.objects.get().password_token


def test_a_bad_security_mode_is_one_line_naming_the_option_and_saves_nothing(queue_in_tmp: None) -> None:
    bad = [*SETUP]
    bad[bad.index("--smtp-security") + 1] = "ssl"
    done = run(*bad, env={"TOPOFMIND_MAIL_PASSWORD": "app-pass-xyz-123"})
    assert done.exit_code == 2
    assert done.stderr.startswith("error: --smtp-security: The SMTP security must be one of none, starttls, tls")
    assert done.stderr.count("\n") == 1
    assert not MailAccount.objects.exists()


def test_setup_without_any_password_says_where_to_give_it(queue_in_tmp: None) -> None:
    done = run(*SETUP, env={"TOPOFMIND_MAIL_PASSWORD": ""})
    assert done.exit_code == 2
    assert "TOPOFMIND_MAIL_PASSWORD or --password-stdin" in done.stderr


def test_mail_test_tells_a_microsoft_account_it_needs_oauth(queue_in_tmp: None) -> None:
    microsoft = [*SETUP]
    microsoft[microsoft.index("--smtp-host") + 1] = "smtp.office365.com"
    assert run(*microsoft, env={"TOPOFMIND_MAIL_PASSWORD": "pw-123"}).exit_code == 0
    tested = run("mail", "test")
    assert tested.exit_code == 2
    assert "accepts only an OAuth sign-in" in tested.stdout
    assert "Traceback" not in tested.stdout + tested.stderr
