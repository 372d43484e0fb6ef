"""Mail status in words: the account, the queue, the last send and the last error (issue 13)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from topofmind.crm.models import MailAccount, MailReview, OutboxMessage, Person, PersonEmail, PersonPhone, Workspace
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
    """Which of these people have an e-mail address that has not bounced (the Send button needs one)."""
    if not person_ids:
        return set()
    found = PersonEmail.objects.filter(person__workspace=workspace, person_id__in=person_ids, bad=False)
    return set(found.values_list("person_id", flat=True))


# --- the mailbox sync's review list (issue 14) ----------------------------------------------


@dataclass(frozen=True)
class ReviewView:
    """One mail the sync left for the user: an unknown sender, or an ATS rejection / invitation."""

    id: int
    kind: str  # "unmatched" or "ats"
    received_at: datetime
    sender_name: str
    sender_address: str
    subject: str
    summary: str
    question: str  # what accepting does, in words
    organization: str
    opportunity_id: int | None
    opportunity: str
    proposed_stage: str
    ats_system: str
    ats_category: str
    can_accept: bool


def _question(row: MailReview) -> str:
    if row.kind == MailReview.ReviewKind.UNMATCHED:
        who = row.sender_name or row.sender_address
        return f"{who} answered your mail. Add {who} as a person and log the reply?"
    what = "turned you down" if row.proposed_stage == "rejected" else "invites you to an interview"
    org = row.organization.name if row.organization else "The employer"
    if row.opportunity is None:
        return f"{org} {what} (by {row.ats_system}), but no opening matches: add it, or dismiss this."
    stage = row.proposed_stage.replace("_", " ")
    owed = "a gracious reply is owed (R9)" if row.proposed_stage == "rejected" else "a reply is owed (R7)"
    return f"{org} {what} (by {row.ats_system}): move “{row.opportunity.title}” to {stage}; {owed}?"


def mail_reviews(workspace: Workspace) -> list[ReviewView]:
    """The open review items, newest mail first."""
    rows = (
        MailReview.objects.filter(workspace=workspace, state=MailReview.ReviewState.OPEN)
        .select_related("organization", "opportunity")
        .order_by("-received_at", "-pk")
    )
    return [
        ReviewView(
            id=row.pk,
            kind=row.kind,
            received_at=row.received_at,
            sender_name=row.sender_name,
            sender_address=row.sender_address,
            subject=row.subject,
            summary=row.summary,
            question=_question(row),
            organization=row.organization.name if row.organization else "",
            opportunity_id=row.opportunity_id,
            opportunity=row.opportunity.title if row.opportunity else "",
            proposed_stage=row.proposed_stage,
            ats_system=row.ats_system,
            ats_category=row.ats_category,
            can_accept=row.kind == MailReview.ReviewKind.UNMATCHED or row.opportunity_id is not None,
        )
        for row in rows
    ]


def open_review_count(workspace: Workspace) -> int:
    return MailReview.objects.filter(workspace=workspace, state=MailReview.ReviewState.OPEN).count()


@dataclass(frozen=True)
class SyncStatus:
    last_sync_at: datetime | None
    report: dict[str, object]
    window_days: int


def sync_status(user_id: int) -> SyncStatus | None:
    row = MailAccount.objects.filter(user_id=user_id).first()
    if row is None:
        return None
    return SyncStatus(
        last_sync_at=row.last_sync_at, report=dict(row.last_sync_report), window_days=row.sync_window_days
    )
@dataclass(frozen=True)
class Reach:
    """How to reach a person from Today: their first e-mail address, phone number and profile."""

    email: str = ""
    phone: str = ""
    linkedin: str = ""


def reach_of(workspace: Workspace, person_ids: list[int]) -> dict[int, Reach]:
    """Each person's first address, number and LinkedIn profile (those who have any)."""
    ids = sorted(set(person_ids))
    if not ids:
        return {}
    emails: dict[int, str] = {}
    for pid, address in (
        PersonEmail.objects.filter(person__workspace=workspace, person_id__in=ids)
        .order_by("id")
        .values_list("person_id", "address")
    ):
        emails.setdefault(pid, address)
    phones: dict[int, str] = {}
    for pid, number in (
        PersonPhone.objects.filter(person__workspace=workspace, person_id__in=ids)
        .order_by("id")
        .values_list("person_id", "number")
    ):
        phones.setdefault(pid, number)
    profiles = dict(
        Person.objects.filter(workspace=workspace, pk__in=ids).exclude(linkedin_url="").values_list("pk", "linkedin_url")
    )
    return {
        pid: Reach(emails.get(pid, ""), phones.get(pid, ""), profiles.get(pid, ""))
        for pid in ids
        if pid in emails or pid in phones or pid in profiles
    }
