"""Mail status in words: the account, the queue, the last send and the last error (issue 13)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from topofmind.crm.models import MailAccount, OutboxMessage, PersonEmail, Workspace
from topofmind.crm.planning.snapshot import settings_of


@dataclass(frozen=True)
class MailAccountView:
    """What the user set up; the password is never part of it."""

    imap: str  # host:port (security)
    smtp: str
    username: str
    addresses: list[str]
    from_name: str
    password_set: bool
    digest_hour: int | None
    imap_host: str
    imap_port: int
    imap_security: str
    smtp_host: str
    smtp_port: int
    smtp_security: str


@dataclass(frozen=True)
class SendView:
    id: int
    followup_id: int | None
    to: str
    subject: str
    state: str
    message_id: str
    queued_at: datetime
    sent_at: datetime | None
    error: str
    copy_error: str
    sentence: str


@dataclass(frozen=True)
class MailStatus:
    account: MailAccountView | None
    account_sentence: str
    queue_sentence: str
    last_send: SendView | None
    last_error: str  # a sentence with its time, "" when none
    needs_attention: list[SendView]  # sends whose outcome is unknown: the user decides


def _clock(moment: datetime, zone: str) -> str:
    local = moment.astimezone(ZoneInfo(zone))
    return f"{local:%Y-%m-%d %H:%M}"


def _send_view(row: OutboxMessage, zone: str) -> SendView:
    when = _clock(row.sent_at or row.updated_at, zone)
    waiting = f"Waiting in the queue to go to {row.to_address} (since {_clock(row.queued_at, zone)})."
    if row.state == "queued" and row.error:
        waiting = f"Not sent yet to {row.to_address} ({_clock(row.updated_at, zone)}): {row.error}"
    sentence = {
        "queued": waiting,
        "sending": f"Being sent to {row.to_address} (started {when}).",
        "sent": f"Sent to {row.to_address} at {when}." + (f" {row.error}" if row.error else ""),
        "failed": f"Not sent to {row.to_address} ({when}): {row.error}",
        "unknown": f"Perhaps sent to {row.to_address} ({when}): {row.error}",
    }[row.state]
    if row.copy_error:
        sentence += f" {row.copy_error}"
    return SendView(
        id=row.pk,
        followup_id=row.followup_id,
        to=row.to_address,
        subject=row.subject,
        state=row.state,
        message_id=row.message_id,
        queued_at=row.queued_at,
        sent_at=row.sent_at,
        error=row.error,
        copy_error=row.copy_error,
        sentence=sentence,
    )


def account_view(row: MailAccount) -> MailAccountView:
    return MailAccountView(
        imap=f"{row.imap_host}:{row.imap_port} ({row.imap_security})",
        smtp=f"{row.smtp_host}:{row.smtp_port} ({row.smtp_security})",
        username=row.username,
        addresses=[a.strip() for a in row.addresses.split(",") if a.strip()],
        from_name=row.from_name,
        password_set=bool(row.password_token),
        digest_hour=row.digest_hour,
        imap_host=row.imap_host,
        imap_port=row.imap_port,
        imap_security=row.imap_security,
        smtp_host=row.smtp_host,
        smtp_port=row.smtp_port,
        smtp_security=row.smtp_security,
    )


def has_mail_account(user_id: int | None) -> bool:
    return user_id is not None and MailAccount.objects.filter(user_id=user_id).exclude(password_token="").exists()


def mail_status(
    *, user_id: int, workspace: Workspace, queue_where: str, queue_waiting: int, queue_error: str
) -> MailStatus:
    zone = settings_of(workspace).timezone or "UTC"
    row = MailAccount.objects.filter(user_id=user_id).first()
    account = account_view(row) if row is not None else None
    if row is None:
        account_sentence = "No mail account is set up: drafts are sent by copy and paste."
    elif not row.password_token:
        account_sentence = f"The mail account {row.username} needs its password again (it is never kept in a backup)."
    elif row.last_check_at is None:
        account_sentence = f"Mail goes out from {account.addresses[0] if account else row.addresses}; not tested yet."
    elif row.last_check_ok:
        account_sentence = (
            f"Mail goes out from {account.addresses[0] if account else row.addresses}; "
            f"both servers answered at {_clock(row.last_check_at, zone)}."
        )
    else:
        account_sentence = f"The last test failed at {_clock(row.last_check_at, zone)}."
    if queue_error:
        queue_sentence = f"The queue does not answer: {queue_error}"
    else:
        waiting = "nothing waiting" if queue_waiting == 0 else f"{queue_waiting} job(s) waiting"
        queue_sentence = f"The queue at {queue_where} answers, {waiting}."
    sends = OutboxMessage.objects.filter(workspace=workspace, user_id=user_id)
    last = sends.order_by("-queued_at", "-pk").first()
    unknown = [_send_view(r, zone) for r in sends.filter(state=OutboxMessage.SendState.UNKNOWN).order_by("pk")]
    last_error = ""
    if row is not None and row.last_error:
        text = row.last_error.rstrip(".")
        last_error = f"{text} at {_clock(row.last_error_at, zone)}." if row.last_error_at else f"{text}."
    return MailStatus(
        account=account,
        account_sentence=account_sentence,
        queue_sentence=queue_sentence,
        last_send=_send_view(last, zone) if last is not None else None,
        last_error=last_error,
        needs_attention=unknown,
    )


def outbox(*, user_id: int, workspace: Workspace, limit: int = 50) -> list[SendView]:
    """The user's sends in this workspace, newest first: what `mail outbox` and Settings › Mail list."""
    zone = settings_of(workspace).timezone or "UTC"
    rows = OutboxMessage.objects.filter(workspace=workspace, user_id=user_id).order_by("-queued_at", "-pk")
    return [_send_view(row, zone) for row in rows[: max(limit, 0)]]


def people_with_email(workspace: Workspace, person_ids: list[int]) -> set[int]:
    """Which of these people have an e-mail address (the Send button needs one)."""
    if not person_ids:
        return set()
    found = PersonEmail.objects.filter(person__workspace=workspace, person_id__in=person_ids)
    return set(found.values_list("person_id", flat=True))
