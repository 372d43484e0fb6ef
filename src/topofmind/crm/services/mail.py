"""The user's mail account, and sending an approved draft exactly once (issue 13).

A send goes through the outbox: ``queue_send`` checks and records the draft (state queued);
the queue job calls ``deliver``, which claims the row (queued -> sending) in one UPDATE, so a
second run of the same job finds nothing to do; checks again just before sending; sends; and
records the touch with our Message-ID. A process that dies between the server's answer and
our record leaves the row "sending": ``settle_cut_off_sends`` turns it into "unknown", shown
to the user and never retried. The password is stored only encrypted (crm/secrets.py).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q

from topofmind.crm import secrets
from topofmind.crm.errors import Conflict, Invalid, NotFound, TopofmindError
from topofmind.crm.models import FollowUp, Interaction, MailAccount, OutboxMessage, Person, Workspace
from topofmind.crm.planning import AgendaItem, agenda
from topofmind.crm.planning.snapshot import context_of, settings_of
from topofmind.crm.queries import lookup
from topofmind.crm.services.followups import edit_draft, mark_sent
from topofmind.crm.services.transactions import atomic_with_retry
from topofmind.engine.calendar import BusinessCalendar
from topofmind.engine.labels import purpose_label
from topofmind.engine.types import LIVE_STATES, Channel, Direction
from topofmind.integrations import imap, smtp

logger = logging.getLogger(__name__)

Send = OutboxMessage.SendState
_FIELDS = {
    "imap_host": "--imap-host",
    "imap_port": "--imap-port",
    "imap_security": "--imap-security",
    "smtp_host": "--smtp-host",
    "smtp_port": "--smtp-port",
    "smtp_security": "--smtp-security",
    "username": "--username",
    "password": "the password",
    "from_addresses": "--address",
    "from_name": "the name",
}


_WORDS = {
    "from_addresses entry": "send-from address",
    "from_addresses": "send-from addresses",
    "imap_host": "IMAP server",
    "imap_port": "IMAP port",
    "imap_security": "IMAP security",
    "smtp_host": "SMTP server",
    "smtp_port": "SMTP port",
    "smtp_security": "SMTP security",
    "from_name": "name",
}


class SendRefused(TopofmindError):
    """A check before sending failed: the draft was not sent, and why."""


class TryLater(Exception):
    """The server could not be reached or said 4xx before the message went out: the job retries."""


# --- the account ---------------------------------------------------------------------------


def setup_mail_account(
    *,
    user_id: int,
    imap_host: str,
    imap_port: int,
    imap_security: str,
    smtp_host: str,
    smtp_port: int,
    smtp_security: str,
    username: str,
    password: str | None,
    addresses: Iterable[str],
    from_name: str = "",
    now: datetime,
) -> MailAccount:
    """Create or replace the user's mail account; ``password=None`` keeps the stored one."""
    with transaction.atomic():
        if not get_user_model().objects.filter(pk=user_id).exists():
            raise NotFound(f"no user with id {user_id}")
        row = MailAccount.objects.select_for_update().filter(user_id=user_id).first()
        if password is None:
            kept = secrets.decrypt(row.password_token) if row is not None else None
            if not kept:
                raise Invalid("password", "is missing", "give it with TOPOFMIND_MAIL_PASSWORD or --password-stdin")
            password = kept
        wanted = [a.strip() for a in addresses if a.strip()]
        account = _validated(
            imap_host=imap_host.strip(),
            imap_port=imap_port,
            imap_security=imap_security,
            smtp_host=smtp_host.strip(),
            smtp_port=smtp_port,
            smtp_security=smtp_security,
            username=username.strip(),
            password=password,
            from_addresses=tuple(wanted),
            from_name=from_name.strip(),
        )
        row = row or MailAccount(user_id=user_id, created_at=now)
        row.imap_host, row.imap_port, row.imap_security = account.imap_host, account.imap_port, account.imap_security
        row.smtp_host, row.smtp_port, row.smtp_security = account.smtp_host, account.smtp_port, account.smtp_security
        row.username, row.from_name = account.username, account.from_name
        row.addresses = ", ".join(account.from_addresses)
        row.password_token = secrets.encrypt(account.password)
        row.last_check_at, row.last_check_ok, row.last_error, row.last_error_at = None, False, "", None
        row.updated_at = now
        row.save()
    return row


def _validated(**fields: Any) -> smtp.MailAccount:
    try:
        return smtp.MailAccount(**fields)
    except smtp.MailError as error:
        field = next((name for name in _FIELDS if f"The {name}" in error.message), "mail account")
        message = error.message.rstrip(".")
        for name, words in _WORDS.items():
            message = message.replace(f"The {name} ", f"The {words} ")
        raise Invalid(_FIELDS.get(field, field), message) from None


def mail_account_of(user_id: int) -> MailAccount:
    found = MailAccount.objects.filter(user_id=user_id).first()
    if found is None:
        raise NotFound("no mail account is set up", "set one up with: topofmind mail setup (or in Settings)")
    return found


def transport_account(row: MailAccount) -> smtp.MailAccount:
    """The account as the mail transport takes it, with the password decrypted."""
    password = secrets.decrypt(row.password_token)
    if not password and row.username:
        raise Conflict(
            "the mail password cannot be read (it was restored from a backup, or the key changed)",
            "set it again with: topofmind mail setup ... (or in Settings)",
        )
    return smtp.MailAccount(
        imap_host=row.imap_host,
        imap_port=row.imap_port,
        imap_security=row.imap_security,  # type: ignore[arg-type]
        smtp_host=row.smtp_host,
        smtp_port=row.smtp_port,
        smtp_security=row.smtp_security,  # type: ignore[arg-type]
        username=row.username,
        password=password or "",
        from_addresses=tuple(a.strip() for a in row.addresses.split(",") if a.strip()),
        from_name=row.from_name,
    )


def set_digest(*, user_id: int, hour: int | None, now: datetime) -> MailAccount:
    """The morning digest at ``hour`` (0-23, the user's zone) on business days; None turns it off."""
    if hour is not None and not 0 <= hour <= 23:
        raise Invalid("digest hour", f"{hour} is not an hour of the day", "give a whole number from 0 to 23")
    with transaction.atomic():
        row = mail_account_of(user_id)
        row.digest_hour, row.updated_at = hour, now
        row.save(update_fields=["digest_hour", "updated_at"])
    return row


@dataclass(frozen=True)
class MailCheck:
    ok: bool
    lines: list[str]  # one sentence per server, then any advice


def check_mail_account(*, user_id: int, now: datetime, timeout: float = 20.0) -> MailCheck:
    """Log in to both servers (sending nothing), find Sent, and keep the outcome as the status."""
    row = mail_account_of(user_id)
    account = transport_account(row)
    lines: list[str] = []
    errors: list[str] = []
    oauth = smtp.oauth_requirement(account)
    if oauth is not None:
        errors.append(oauth)
    else:
        try:
            smtp.check_login(account, timeout=timeout)
            lines.append(f"SMTP: signed in to {account.smtp.where} as {account.username or 'nobody (no login)'}.")
        except smtp.MailError as error:
            errors.append(f"SMTP: {error.message}")
        try:
            with imap.open_mailbox(account, timeout=timeout) as box:
                folder = box.sent_folder()
            lines.append(f"IMAP: signed in to {account.imap.where}; sent mail is filed in “{folder}”.")
        except imap.MailError as error:
            errors.append(f"IMAP: {error.message}")
    advice = smtp.app_password_advice(account)
    if errors and advice:
        errors.append(advice)
    with transaction.atomic():
        fresh = MailAccount.objects.select_for_update().get(pk=row.pk)
        fresh.last_check_at, fresh.last_check_ok = now, not errors
        if errors:
            first = errors[0].removeprefix("SMTP: ").removeprefix("IMAP: ")
            fresh.last_error, fresh.last_error_at = first, now
        fresh.save(update_fields=["last_check_at", "last_check_ok", "last_error", "last_error_at"])
    return MailCheck(ok=not errors, lines=lines + errors)


# --- sending -------------------------------------------------------------------------------


def recipient_of(person: Person | None) -> str:
    if person is None:
        return ""
    first = person.emails.filter(bad=False).order_by("pk").first()
    return first.address if first is not None else ""


def queue_send(
    *, workspace: Workspace, user_id: int, followup_id: int, subject: str, body: str, now: datetime
) -> OutboxMessage:
    """Check and record an approved draft for sending (state queued); the caller enqueues the job."""
    subject, body = " ".join(subject.split()), body.strip()
    if not subject:
        raise Invalid("subject", "is empty", "write a subject before sending")
    if not body:
        raise Invalid("body", "is empty", "write the message before sending")
    with transaction.atomic():
        account = mail_account_of(user_id)
        transport_account(account)  # a password that cannot be read stops it here, not in the job
        row = lookup.get_followup(workspace=workspace, followup_id=followup_id)
        FollowUp.objects.select_for_update().filter(pk=row.pk).first()  # one send request at a time
        earlier = OutboxMessage.objects.filter(followup=row).exclude(state=Send.FAILED).order_by("-pk").first()
        if earlier is not None:
            raise Conflict(
                f"follow-up {followup_id} was already sent or is on its way ({earlier.state})",
                "see it with: topofmind mail status",
            )
        to_address = recipient_of(row.person)
        if not to_address:
            who = row.person.name if row.person else "this follow-up"
            raise Invalid("person", f"{who} has no e-mail address", "add one on their page, or send it yourself")
        _check_still_wanted(workspace, row, since=None, now=now)
        if subject != row.draft_subject or body != row.draft_body:
            edit_draft(workspace=workspace, followup_id=followup_id, subject=subject, body=body, now=now)
        return OutboxMessage.objects.create(
            workspace=workspace,
            user_id=user_id,
            followup=row,
            person=row.person,
            to_address=to_address,
            subject=subject,
            body=body,
            queued_at=now,
            updated_at=now,
        )


def fail_send(*, outbox_id: int, error: str, now: datetime) -> None:
    """A queued send that never reached the queue: certainly not sent."""
    row = OutboxMessage.objects.filter(pk=outbox_id, state=Send.QUEUED).first()
    if row is not None:
        _finish(row, Send.FAILED, error, now=now)


def note_send_job(*, outbox_id: int, job_id: str) -> None:
    """Which queue job carries the send, so a job cut off mid-run can be matched to its row."""
    OutboxMessage.objects.filter(pk=outbox_id).update(job_id=job_id)


def _check_still_wanted(workspace: Workspace, row: FollowUp, *, since: datetime | None, now: datetime) -> None:
    """Refuse with the reason when the draft should no longer go out (R9, R7, R6)."""
    person = Person.objects.filter(pk=row.person_id).first() if row.person_id else None
    who = person.name if person else "them"
    if person is not None and person.do_not_contact:
        raise SendRefused(f"not sent: {who} asked not to be contacted", "nothing goes to them any more (R9)")
    if person is not None and since is not None:
        answered = Interaction.objects.filter(
            workspace=workspace, participants__person=person, direction=Direction.IN.value
        ).filter(Q(at__gte=since) | Q(created_at__gte=since))
        if answered.exists():
            raise SendRefused(
                f"not sent: {who} wrote to you after you pressed Send",
                "read their message first; the agenda now shows what is owed (R7)",
            )
    fresh = FollowUp.objects.filter(pk=row.pk).values_list("state", flat=True).first()
    if fresh not in {s.value for s in LIVE_STATES}:
        raise SendRefused(f"not sent: the follow-up to {who} is {fresh or 'gone'} now", "see Today for what is open")
    if not any(item.followup_id == row.pk for item in agenda(workspace=workspace, at=now)):
        raise SendRefused(
            f"not sent: the follow-up to {who} is not on today's agenda any more "
            "(the pacing guard, a rest or the daily cap holds it back)",
            "see Today for what is due",
        )


def deliver(
    *, outbox_id: int, now: datetime, retry_in: float | None = None, attempt: int = 1, attempts: int = 1
) -> OutboxMessage:
    """Send one queued draft, at most once.

    Raises TryLater (the row back to queued, with a sentence saying when it is tried again) when
    the server may take it later and ``retry_in`` seconds are given (another try is left); else
    such a failure is final ("failed"). ``attempt`` of ``attempts`` only words the sentence.
    """
    claimed = OutboxMessage.objects.filter(pk=outbox_id, state=Send.QUEUED).update(state=Send.SENDING, updated_at=now)
    row = OutboxMessage.objects.select_related("workspace", "followup").get(pk=outbox_id)
    if not claimed:
        logger.info("Outbox %s is %s already; nothing to do.", outbox_id, row.state)
        return row
    try:
        if row.followup is None:
            raise SendRefused("not sent: its follow-up was deleted")
        _check_still_wanted(row.workspace, row.followup, since=row.queued_at, now=now)
        account = transport_account(mail_account_of(row.user_id))
        person = row.person
        composed = smtp.compose(
            smtp.OutgoingMail(
                from_address=account.default_from,
                from_name=account.from_name,
                to_address=row.to_address,
                to_name=person.name if person else "",
                subject=row.subject,
                body=row.body,
            ),
            now=now,
        )
    except (TopofmindError, smtp.MailError) as error:
        return _finish(row, Send.FAILED, _sentence(error), now=now)
    OutboxMessage.objects.filter(pk=row.pk).update(message_id=composed.message_id)
    try:
        smtp.send(composed, account=account)
    except smtp.MailError as error:
        if error.may_have_been_sent:
            return _finish(row, Send.UNKNOWN, error.message, now=now)
        if error.temporary and retry_in is not None:
            next_try = (now + timedelta(seconds=retry_in)).astimezone(
                ZoneInfo(settings_of(row.workspace).timezone or "UTC")
            )
            sentence = (
                f"{error.message} The server asked to try later: try {attempt + 1} of {attempts} "
                f"{_in_words(retry_in)}, at {next_try:%H:%M}."
            )
            OutboxMessage.objects.filter(pk=row.pk).update(state=Send.QUEUED, error=sentence, updated_at=now)
            _note_error(row.user_id, sentence, now)
            raise TryLater(sentence) from None
        if error.temporary and attempts > 1:
            message = f"{error.message} It was tried {attempts} times; send it again when the server takes mail."
            return _finish(row, Send.FAILED, message, now=now)
        return _finish(row, Send.FAILED, error.message, now=now)
    with transaction.atomic():
        row.message_id = composed.message_id
        _log_sent(row, at=now, now=now)
    copy_error = ""
    try:
        with imap.open_mailbox(account) as box:
            box.append_sent(composed.raw, when=now)
    except imap.MailError as error:
        copy_error = f"Sent, but the copy could not be filed in Sent: {error.message}"
        OutboxMessage.objects.filter(pk=row.pk).update(copy_error=copy_error)
        _note_error(row.user_id, copy_error, now)
    row.refresh_from_db()
    return row


def _log_sent(row: OutboxMessage, *, at: datetime, now: datetime, error: str = "") -> None:
    """Inside the caller's transaction: the touch (with our Message-ID) once, and the row "sent"."""
    interaction = None
    if row.followup_id is not None:
        live = FollowUp.objects.filter(pk=row.followup_id, state__in=[s.value for s in LIVE_STATES]).exists()
        if live:
            interaction = mark_sent(
                workspace=row.workspace,
                followup_id=row.followup_id,
                subject=row.subject,
                body=row.body,
                at=at,
                now=now,
                undoable=False,  # what left the mailbox cannot be taken back
            )
            interaction.message_id, interaction.channel = row.message_id, Channel.EMAIL.value
            interaction.save(update_fields=["message_id", "channel"])
    OutboxMessage.objects.filter(pk=row.pk).update(
        state=Send.SENT, interaction=interaction, sent_at=at, updated_at=now, error=error
    )


def _in_words(seconds: float) -> str:
    if seconds < 90:
        return f"in {seconds:g} seconds"
    if seconds < 5400:
        return f"in {round(seconds / 60)} minutes"
    return f"in {seconds / 3600:.1f} hours"


def _sentence(error: Exception) -> str:
    if isinstance(error, TopofmindError):
        text = error.message[:1].upper() + error.message[1:]
        return f"{text}." if not error.hint else f"{text} ({error.hint})."
    return str(error)


def _finish(row: OutboxMessage, state: str, error: str, *, now: datetime) -> OutboxMessage:
    OutboxMessage.objects.filter(pk=row.pk).update(state=state, error=error, updated_at=now)
    _note_error(row.user_id, error, now)
    row.refresh_from_db()
    return row


def _note_error(user_id: int, sentence: str, now: datetime) -> None:
    MailAccount.objects.filter(user_id=user_id).update(last_error=sentence, last_error_at=now)


def settle_cut_off_sends(*, job_ids: Iterable[str], now: datetime) -> int:
    """Sends whose job was cut off mid-run: the server may have taken them, so "unknown", never retried."""
    ids = [j for j in job_ids if j]
    if not ids:
        return 0
    return OutboxMessage.objects.filter(job_id__in=ids, state=Send.SENDING).update(
        state=Send.UNKNOWN,
        error="The app stopped while this message was being sent, so it may have gone out: "
        "check your Sent folder, then mark the follow-up sent or send it again yourself.",
        updated_at=now,
    )


NOT_SENT_CHECKED = "You checked: it was not sent. The follow-up is back on Today; send it again when you like."
SENT_CHECKED = "You checked: it was sent."


@atomic_with_retry("send")
def resolve_unknown_send(
    *, workspace: Workspace, user_id: int, send_id: int, sent: bool, now: datetime
) -> OutboxMessage:
    """The user looked in their Sent folder for a send whose outcome is unknown.

    ``sent=True``: it went out: the touch is logged once, carrying the outbox's Message-ID, and
    the follow-up is done. ``sent=False``: it did not: the row is "failed" (certainly not sent),
    so the follow-up is back on the agenda and Send works again. A send that is not "unknown"
    any more (settled already, by this or another tab) is a Conflict, and nothing changes.
    """
    row = (
        OutboxMessage.objects.select_for_update()
        .select_related("workspace")
        .filter(pk=send_id, workspace=workspace, user_id=user_id)
        .first()
    )
    if row is None:
        raise NotFound(f"no send #{send_id}", "see your sends with: topofmind mail outbox")
    if row.state != Send.UNKNOWN:
        raise Conflict(
            f"send #{send_id} is {row.state}, so there is nothing to check",
            "only a send whose outcome is unknown waits for your check",
        )
    if sent:
        _log_sent(row, at=min(row.updated_at, now), now=now, error=SENT_CHECKED)
    else:
        OutboxMessage.objects.filter(pk=row.pk).update(state=Send.FAILED, error=NOT_SENT_CHECKED, updated_at=now)
    row.refresh_from_db()
    return row


# --- the morning digest --------------------------------------------------------------------


def send_due_digests(*, now: datetime, base_url: str) -> int:
    """Send each user whose digest hour has come, on a business day in their zone, today's agenda.

    Once per local day: the day is claimed with one UPDATE before the mail goes out, so two
    consumers (or a retry) never send the same morning twice; a failed send is not retried that day.
    """
    sent = 0
    for row in MailAccount.objects.filter(digest_hour__isnull=False).select_related("user"):
        workspace = _workspace_of_user(row.user_id)
        if workspace is None or row.digest_hour is None:
            continue
        calendar = _calendar_of(workspace)
        local = now.astimezone(calendar.tz)
        day = local.date()
        if local.hour < row.digest_hour or not calendar.is_business_day(day):
            continue
        claimed = (
            MailAccount.objects.filter(pk=row.pk)
            .filter(Q(digest_last_day__isnull=True) | Q(digest_last_day__lt=day))
            .update(digest_last_day=day)
        )
        if not claimed:
            continue
        try:
            account = transport_account(row)
            items = agenda(workspace=workspace, at=now)
            composed = smtp.compose(
                smtp.OutgoingMail(
                    from_address=account.default_from,
                    from_name="topofmind",
                    to_address=account.default_from,
                    to_name=account.from_name,
                    subject=f"Today, {local:%A %-d %B}: {_count(len(items))}",
                    body=digest_text(items, base_url=base_url),
                ),
                now=now,
            )
            smtp.send(composed, account=account)
            sent += 1
        except (TopofmindError, smtp.MailError) as error:
            _note_error(row.user_id, f"The morning digest was not sent: {_sentence(error)}", now)
    return sent


def _count(n: int) -> str:
    return "nothing due" if n == 0 else ("1 thing to do" if n == 1 else f"{n} things to do")


def digest_text(items: list[AgendaItem], *, base_url: str) -> str:
    lines = ["Good morning. Here is what is due today, in the order of the day.", ""]
    if not items:
        lines.append("Nothing is due today: a good day to add the next employers to your list.")
    for number, item in enumerate(items, start=1):
        suggestion = item.suggestion
        who = suggestion.person_name or suggestion.organization_name or "someone"
        lines.append(f"{number}. {purpose_label(suggestion.purpose)}: {who}")
        lines.append(f"   Why: {' '.join(str(suggestion.why).split())}")
        if item.value is not None:  # R10: what the draft weaves in
            link = f" <{item.value.url}>" if item.value.url else ""
            lines.append(f"   Carries: {item.value.title}{link}")
        elif item.carried is not None and item.carried.note:
            lines.append(f"   {item.carried.note_sentence()}")
    lines += ["", f"Open Today: {base_url.rstrip('/')}/", ""]
    return "\n".join(lines)


def _workspace_of_user(user_id: int) -> Workspace | None:
    owned = Workspace.objects.filter(owner_id=user_id).order_by("pk").first()
    return owned or Workspace.objects.filter(memberships__user_id=user_id).order_by("pk").first()


def _calendar_of(workspace: Workspace) -> BusinessCalendar:
    context = context_of(settings_of(workspace))
    return BusinessCalendar(context.timezone, context.holidays)
