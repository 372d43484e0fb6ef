"""Reading the user's mailbox into the store (issue 14): who wrote, what kind of mail, what it changes.

``sync_mailbox`` reads the Sent folder (found by SPECIAL-USE) and then INBOX, incrementally by
UID. The first sync of a folder, or one whose UIDVALIDITY changed, reads the account's window
(90 days unless set otherwise); the Message-ID, unique per workspace, keeps a message that is
read again from being logged twice. Messages are stored a batch at a time: the batch's touches,
review rows and skipped-message notes and the folder's last UID are written in one transaction,
so a sync cut off anywhere resumes after the last stored batch and nothing is logged twice.

Each message is classified before anything is done with it (``integrations.messages``):

* a person's own mail (from any of their addresses, or by display name at a known employer's
  domain) is logged as a reply: the re-plan then cancels their nudges and owes them a reply (R7);
* an auto-reply is logged as such (not an answer); an out-of-office pauses the person until the
  return date its text names (7 days when it names none);
* a bounce (failed, 5.x.x) marks the address bad, so the plan reaches them another way; a
  delayed-delivery report, list mail and newsletters are left alone;
* applicant-tracking mail: a confirmation is no reply; a rejection or an interview invitation
  becomes a review suggestion the user confirms (``accept_review``), never a silent change;
* mail from someone we do not know that answers our mail is put up for review ("add as a
  person?"); other unknown mail is left alone.

Mail the user sent from another client closes the pending follow-up it stands for, or gives the
touch they logged by hand its Message-ID; it is never logged twice.
"""

from __future__ import annotations

import hashlib
import logging
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from django.db import transaction
from django.db.models import Q

from topofmind.crm.errors import Conflict, Invalid
from topofmind.crm.models import (
    FollowUp,
    Interaction,
    InteractionParticipant,
    MailAccount,
    MailFolderState,
    MailReview,
    MailSkipped,
    Opportunity,
    OpportunityParticipant,
    Organization,
    OutboxMessage,
    Person,
    PersonEmail,
    StrangerMail,
    Workspace,
)
from topofmind.crm.planning import replan
from topofmind.crm.services._fields import get_row
from topofmind.crm.services.followups import mark_sent
from topofmind.crm.services.imports.bulk import insert_rows
from topofmind.crm.services.mail import mail_account_of, transport_account
from topofmind.crm.services.opportunities import edit_opportunity
from topofmind.crm.services.people import add_person
from topofmind.crm.services.touches import log_interaction
from topofmind.crm.services.transactions import atomic_with_retry
from topofmind.engine.types import LIVE_STATES, Channel, Direction, Kind, Stage
from topofmind.integrations import imap
from topofmind.integrations.messages import (
    AtsCategory,
    Classification,
    Glance,
    MessageError,
    MessageKind,
    ParsedMessage,
    classify,
    glance,
    match_name,
    read_message,
)

logger = logging.getLogger(__name__)

DEFAULT_BATCH = 100
# How a failed sync's sentence starts on the account, so the next good sync knows it may clear it.
SYNC_ERROR = "Mail sync: "
# Batches fetched in the background while the sync reads and stores the one before: the server
# and the socket work while we do.
READ_AHEAD = 2
OOO_DEFAULT_DAYS = 7
# A message we sent from another client matches a touch logged by hand this close to it.
_HAND_LOGGED_SLACK = timedelta(days=2)
# Domains many people share: a display name there says nothing about the employer.
_SHARED_DOMAINS = frozenset(
    {
        "gmail.com",
        "googlemail.com",
        "outlook.com",
        "hotmail.com",
        "live.com",
        "yahoo.com",
        "icloud.com",
        "me.com",
        "aol.com",
        "gmx.de",
        "gmx.net",
        "web.de",
        "proton.me",
        "protonmail.com",
        "fastmail.com",
    }
)

Progress = Callable[[int, int], None]  # (messages read so far, messages to read)


@dataclass
class SyncReport:
    """What one sync read and did; ``as_dict`` is the JSON `topofmind mail sync --json` prints."""

    messages: int = 0  # read from the server this time
    logged: int = 0  # touches written (replies, auto-replies, out-of-office, bounces, our sent mail)
    replies: int = 0  # a known person wrote: their nudges stop, a reply is owed (R7)
    auto_replies: int = 0
    out_of_office: int = 0
    bounces: int = 0
    ignored: int = 0  # lists, newsletters, delay reports, confirmations, mail from strangers
    unmatched: int = 0  # strangers answering our mail, put up for review
    ats: int = 0  # rejections and invitations put up for review
    sent: int = 0  # our own mail, from the Sent folder or another client
    closed: int = 0  # follow-ups our own mail from another client closed
    skipped: int = 0  # could not be read; the reason is kept
    seen_before: int = 0  # already logged (a re-read after UIDVALIDITY changed, or our own sends)
    folders: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        return asdict(self)

    def sentence(self) -> str:
        if not self.messages:
            return "No new mail."
        parts = [f"{self.logged} logged"]
        for count, words in (
            (self.replies, "repl{y}"),
            (self.auto_replies, "auto-repl{y}"),
            (self.out_of_office, "out-of-office"),
            (self.bounces, "bounce{s}"),
            (self.ats, "ATS suggestion{s}"),
            (self.unmatched, "unknown sender{s} to review"),
            (self.closed, "follow-up{s} closed"),
            (self.skipped, "unreadable (skipped)"),
        ):
            if count:
                plural = count != 1
                text = words.replace("{y}", "ies" if plural else "y").replace("{s}", "s" if plural else "")
                parts.append(f"{count} {text}")
        parts.append(f"{self.ignored} ignored")
        return f"Read {self.messages} message{'s' if self.messages != 1 else ''}: " + ", ".join(parts) + "."


class SyncError(Conflict):
    """The mailbox could not be read (the sentence says why); what was stored before stays."""


# --- who is who: the corner of the store a sync needs, read once ---------------------------


def stored_forms(message_id: str) -> list[str]:
    """A Message-ID as the store may hold it: ours are kept with brackets, read ones without."""
    bare = message_id.strip().strip("<>").strip()
    return [bare, f"<{bare}>"]


def _domain(address: str) -> str:
    return address.rpartition("@")[2].lower().strip()


@dataclass
class _Directory:
    workspace: Workspace
    own: set[str]
    by_address: dict[str, int]
    org_of_person: dict[int, int | None]
    org_by_domain: dict[str, int]
    people_of_org: dict[int, list[tuple[int, str]]]
    org_names: dict[int, str]
    our_ids: set[str]

    @classmethod
    def load(cls, workspace: Workspace, own: Iterable[str]) -> _Directory:
        by_address: dict[str, int] = {}
        org_of_person: dict[int, int | None] = {}
        people_of_org: dict[int, list[tuple[int, str]]] = defaultdict(list)
        org_by_domain: dict[str, int] = {}
        for pk, name, org_id in Person.objects.filter(workspace=workspace).values_list("pk", "name", "organization_id"):
            org_of_person[pk] = org_id
            if org_id is not None:
                people_of_org[org_id].append((pk, name))
        for address, person_id in PersonEmail.objects.filter(person__workspace=workspace).values_list(
            "address", "person_id"
        ):
            by_address.setdefault(address.strip().lower(), person_id)
            employer = org_of_person.get(person_id)
            domain = _domain(address)
            if employer is not None and domain and domain not in _SHARED_DOMAINS:
                org_by_domain.setdefault(domain, employer)
        org_names: dict[int, str] = {}
        for pk, name, website in Organization.objects.filter(workspace=workspace).values_list("pk", "name", "website"):
            org_names[pk] = name
            host = (urlsplit(website).hostname or "").lower().removeprefix("www.") if website else ""
            if host and host not in _SHARED_DOMAINS:
                org_by_domain.setdefault(host, pk)
        ours = Interaction.objects.filter(workspace=workspace, direction=Direction.OUT.value).exclude(message_id="")
        our_ids = {m.strip("<>") for m in ours.values_list("message_id", flat=True)}
        our_ids |= {
            m.strip("<>")
            for m in OutboxMessage.objects.filter(workspace=workspace).values_list("message_id", flat=True)
            if m
        }
        # mail to people we did not know, read by earlier syncs: their answers go to review
        our_ids |= {m.strip("<>") for m in StrangerMail.objects.filter(workspace=workspace).values_list("message_id", flat=True)}
        return cls(
            workspace=workspace,
            own={a.strip().lower() for a in own if "@" in a},
            by_address=by_address,
            org_of_person=org_of_person,
            org_by_domain=org_by_domain,
            people_of_org=people_of_org,
            org_names=org_names,
            our_ids=our_ids,
        )

    def person_for(self, name: str, address: str) -> int | None:
        """Any of their addresses; else their display name at a known employer's domain; else no one."""
        found = self.by_address.get(address.lower())
        if found is not None:
            return found
        org_id = self._org_for_domain(_domain(address))
        if org_id is None or not name:
            return None
        matches = match_name(name, self.people_of_org.get(org_id, []))
        return matches[0] if len(matches) == 1 else None  # two people of that name: never guess

    def may_concern(self, seen: Glance) -> bool:
        """Whether a message is worth reading in full: from us, from someone we know or someone at a
        known employer, an answer to our mail, a delivery report or ATS mail."""
        return (
            not seen.sender  # no sender to be read at a glance: let the full read judge (and name the fault)
            or seen.report
            or seen.ats
            or seen.sender in self.own
            or seen.sender in self.by_address
            or self._org_for_domain(_domain(seen.sender)) is not None
            or any(m.strip("<>") in self.our_ids for m in seen.answers)
        )

    def _org_for_domain(self, domain: str) -> int | None:
        while domain and "." in domain:
            if domain in self.org_by_domain:
                return self.org_by_domain[domain]
            domain = domain.partition(".")[2]  # mail.acme.test -> acme.test
        return None

    def organization_named(self, company: str | None) -> int | None:
        if not company:
            return None
        wanted = " ".join(company.casefold().split())
        exact = [pk for pk, name in self.org_names.items() if " ".join(name.casefold().split()) == wanted]
        if len(exact) == 1:
            return exact[0]
        # "Acme" in the sender for "Acme Corp" in the store (or the other way round): only when unique
        loose = [
            pk
            for pk, name in self.org_names.items()
            if (n := " ".join(name.casefold().split())) and (n.startswith(wanted + " ") or wanted.startswith(n + " "))
        ]
        return loose[0] if len(loose) == 1 else None


# --- reading the mailbox --------------------------------------------------------------------


@dataclass
class _Item:
    """One fetched message, read and judged, waiting to be stored with its batch."""

    uid: int
    message_id: str
    msg: ParsedMessage | None
    error: str = ""
    ignored: bool = False  # the glance showed it concerns no one we know


def sync_mailbox(
    *,
    user_id: int,
    now: datetime,
    progress: Progress | None = None,
    batch_size: int = DEFAULT_BATCH,
    body_limit: int = imap.DEFAULT_BODY_LIMIT,
    timeout: float = 30.0,
) -> SyncReport:
    """Read what arrived in Sent and INBOX since the last sync and act on it (see the module text)."""
    row = mail_account_of(user_id)
    account = transport_account(row)
    workspace = _workspace_of_user(user_id)
    if workspace is None:
        raise Conflict("the mail account's user has no workspace", "open topofmind once to make one")
    report = SyncReport()
    _recover(row, workspace, now)
    directory = _Directory.load(workspace, [*account.from_addresses, account.username])
    for attempt in (1, 2):
        try:
            with imap.open_mailbox(account, timeout=timeout) as box:
                _read_folders(
                    box,
                    row,
                    directory,
                    report,
                    now=now,
                    progress=progress,
                    batch_size=batch_size,
                    body_limit=body_limit,
                )
            break
        except imap.MailError as error:
            # A line that dropped (or a folder rebuilt under us) is read again once, from the last
            # stored batch on; anything else, or a second failure, is the user's to see.
            if attempt == 1 and (error.temporary or error.reason == "uidvalidity_changed"):
                logger.info("Mail sync of user %s starts again after: %s", user_id, error.message)
                continue
            # What was stored before the failure counts: its people are re-planned now.
            row.refresh_from_db()
            _recover(row, workspace, now)
            MailAccount.objects.filter(pk=row.pk).update(
                last_error=SYNC_ERROR + error.message, last_error_at=now, sync_started_at=None
            )
            raise SyncError(
                error.message.rstrip("."), "what was read before is kept; the next sync goes on from there"
            ) from None
    MailAccount.objects.filter(pk=row.pk).update(
        last_sync_at=now, last_sync_report=report.as_dict(), sync_started_at=None
    )
    # The mailbox answered: a sync's error shown to the user is over (a failed send's stays).
    MailAccount.objects.filter(pk=row.pk, last_error__startswith=SYNC_ERROR).update(last_error="", last_error_at=None)
    return report


def _read_folders(
    box: imap.Mailbox,
    row: MailAccount,
    directory: _Directory,
    report: SyncReport,
    *,
    now: datetime,
    progress: Progress | None,
    batch_size: int,
    body_limit: int,
) -> None:
    # Sent first: what we sent is known before the answers to it are read.
    folders = [("sent", box.sent_folder()), ("inbox", "INBOX")]
    plans = [(role, name, _start(row, box, role, name, now)) for role, name in folders]
    total = sum(plan.expected for _, _, plan in plans)
    done = 0
    stale = _Stale()
    for role, name, plan in plans:
        if name not in report.folders:
            report.folders.append(name)
        steps = _sync_folder(
            box,
            row,
            directory,
            report,
            plan,
            role=role,
            now=now,
            batch_size=batch_size,
            body_limit=body_limit,
            stale=stale,
        )
        for count in steps:
            done += count
            if progress is not None:
                progress(done, max(total, done))
    # One re-plan for the whole sync (not one per folder): a sync cut off before it has it done
    # by the next one's _recover.
    _catch_up(directory.workspace, now, stale)


@dataclass
class _Start:
    state: MailFolderState
    after_uid: int
    since: datetime | None
    expected: int  # about how many messages there are to read, for the progress bar


def _start(row: MailAccount, box: imap.Mailbox, role: str, folder: str, now: datetime) -> _Start:
    status = box.folder_state(folder)
    state = MailFolderState.objects.filter(account=row, folder=folder).first()
    if state is None or state.uidvalidity != status.uidvalidity:
        # First read, or the server rebuilt the folder: read the window again (Message-IDs dedupe).
        state = state or MailFolderState(account=row, folder=folder, role=role)
        state.uidvalidity, state.last_uid = status.uidvalidity, 0
        state.save()
        return _Start(state, 0, now - timedelta(days=row.sync_window_days), status.messages)
    return _Start(state, state.last_uid, None, max(status.uidnext - 1 - state.last_uid, 0))


def _sync_folder(
    box: imap.Mailbox,
    row: MailAccount,
    directory: _Directory,
    report: SyncReport,
    plan: _Start,
    *,
    role: str,
    now: datetime,
    batch_size: int,
    body_limit: int,
    stale: _Stale,
) -> Iterator[int]:
    fetched = box.fetch_new(
        plan.state.folder,
        after_uid=plan.after_uid,
        since=plan.since.date() if plan.since is not None else None,
        expected_uidvalidity=plan.state.uidvalidity,
        batch_size=batch_size,
        body_limit=body_limit,
        read_ahead=READ_AHEAD,
    )
    batch: list[_Item] = []
    for message in fetched:
        batch.append(_read(message, directory, role))
        if len(batch) >= batch_size:
            _store_batch(directory, report, plan.state, batch, role=role, now=now, stale=stale)
            yield len(batch)
            batch = []
    if batch:
        _store_batch(directory, report, plan.state, batch, role=role, now=now, stale=stale)
        yield len(batch)
    MailFolderState.objects.filter(pk=plan.state.pk).update(last_sync_at=now)


@dataclass
class _Stale:
    """Whose plan the stored touches have made stale: re-planned once per sync, not per batch."""

    people: set[int] = field(default_factory=set)
    opportunities: set[int] = field(default_factory=set)


@atomic_with_retry("mail sync")
def _catch_up(workspace: Workspace, now: datetime, stale: _Stale) -> None:
    if stale.people or stale.opportunities:
        replan(workspace=workspace, now=now, person_ids=stale.people, opportunity_ids=stale.opportunities)
    stale.people.clear()
    stale.opportunities.clear()


def _recover(row: MailAccount, workspace: Workspace, now: datetime) -> None:
    """A sync cut off before its re-plan (a killed process): re-plan the people it had logged."""
    if row.sync_started_at is not None:
        stale = _Stale()
        logged = Interaction.objects.filter(workspace=workspace, created_at__gte=row.sync_started_at).exclude(
            message_id=""
        )
        stale.people.update(
            InteractionParticipant.objects.filter(interaction__in=logged).values_list("person_id", flat=True)
        )
        stale.opportunities.update(o for o in logged.values_list("opportunity_id", flat=True) if o is not None)
        _catch_up(workspace, now, stale)
    MailAccount.objects.filter(pk=row.pk).update(sync_started_at=now)


def _read(message: imap.FetchedMessage, directory: _Directory, role: str) -> _Item:
    if role != "sent":
        seen = glance(message.header)
        if seen is not None and not directory.may_concern(seen):
            return _Item(message.uid, "", None, ignored=True)  # a stranger's mail: never parsed, never guessed
    try:
        msg = read_message(message.raw)
    except MessageError as error:
        return _Item(message.uid, "", None, str(error))
    message_id = msg.message_id or _made_up_id(message.header)
    return _Item(message.uid, message_id[:480], msg)


def _made_up_id(header: bytes) -> str:
    """A message without a Message-ID still gets one, the same each time it is read."""
    return f"{hashlib.sha256(header).hexdigest()[:32]}@no-message-id.topofmind"


# --- storing one batch ------------------------------------------------------------------------


@dataclass
class _Batch:
    directory: _Directory
    report: SyncReport
    workspace: Workspace
    now: datetime
    touched: set[int] = field(default_factory=set)
    opportunities: set[int] = field(default_factory=set)
    # Touches written together at the end of the batch: (the row, its people, the Message-ID it answers).
    pending: list[tuple[dict[str, Any], list[int], str]] = field(default_factory=list)
    # Our own mail's candidates, read once per batch for the people it went to (see _SentMatch).
    sent_match: _SentMatch | None = None
    # Our mail to people we do not know, written with the touches: Message-ID -> when it was sent.
    to_strangers: dict[str, datetime] = field(default_factory=dict)


@atomic_with_retry("mail sync")
def _store_batch(
    directory: _Directory,
    report: SyncReport,
    state: MailFolderState,
    items: list[_Item],
    *,
    role: str,
    now: datetime,
    stale: _Stale,
) -> None:
    """One transaction: the batch's touches, reviews and skip notes, then the folder's last UID.

    The re-plan of the people it logged waits for the end of the sync (``_catch_up``); a sync
    cut off before then has it done at the start of the next one (``_recover``)."""
    counts = SyncReport()
    work = _Batch(directory, counts, directory.workspace, now)
    ids = [form for item in items if item.msg is not None for form in stored_forms(item.message_id)]
    known = {
        m.strip("<>")
        for m in Interaction.objects.filter(workspace=work.workspace, message_id__in=ids).values_list(
            "message_id", flat=True
        )
    }
    known |= set(
        MailReview.objects.filter(workspace=work.workspace, message_id__in=ids).values_list("message_id", flat=True)
    )
    with transaction.atomic():
        for item in items:
            counts.messages += 1
            if item.ignored:
                counts.ignored += 1
                continue
            if item.msg is None:
                counts.skipped += 1
                MailSkipped.objects.get_or_create(
                    account_id=state.account_id,
                    folder=state.folder,
                    uidvalidity=state.uidvalidity,
                    uid=item.uid,
                    defaults={"reason": item.error, "at": now},
                )
                continue
            if item.message_id in known:
                counts.seen_before += 1
                continue
            known.add(item.message_id)
            if _is_ours(directory, item, role):
                if work.sent_match is None:
                    work.sent_match = _SentMatch.load(work, [i for i in items if _is_ours(directory, i, role)])
                _our_mail(work, item)
            else:
                _their_mail(work, item)
        _write_touches(work)
        _write_strangers(work)
        last = max(item.uid for item in items)
        MailFolderState.objects.filter(pk=state.pk).update(last_uid=last, last_sync_at=now)
    # Counted only once the batch is stored: a re-run after a collision counts afresh.
    stale.people.update(work.touched)
    stale.opportunities.update(work.opportunities)
    for name, value in counts.as_dict().items():
        if isinstance(value, int):
            setattr(report, name, getattr(report, name) + value)


def _touch(
    work: _Batch,
    item: _Item,
    *,
    kind: Kind,
    direction: Direction,
    person_ids: Iterable[int],
    summary: str,
    in_reply_to: str = "",
    ooo_until: date | None = None,
) -> None:
    msg = item.msg
    assert msg is not None
    people = list(dict.fromkeys(person_ids))
    # The row's columns as insert_rows takes them (the ones left out keep their defaults): a
    # plain dict, since building 5,000 model instances was a tenth of a first sync's store.
    touch: dict[str, Any] = {
        "workspace_id": work.workspace.pk,
        "at": msg.date or work.now,
        "kind": kind.value,
        "channel": Channel.EMAIL.value,
        "direction": direction.value,
        "opportunity_id": None,
        "summary": summary[:2000],
        "message_id": item.message_id,
        "in_reply_to": in_reply_to[:480],
        "ooo_until": ooo_until,
        "created_at": work.now,
    }
    work.pending.append((touch, people, in_reply_to))
    work.touched.update(people)
    work.report.logged += 1


def _write_strangers(work: _Batch) -> None:
    """The batch's mail to people we do not know, in one statement (a folder read again after a
    new UIDVALIDITY meets it again: kept once)."""
    if work.to_strangers:
        StrangerMail.objects.bulk_create(
            [StrangerMail(workspace=work.workspace, message_id=m, sent_at=at) for m, at in work.to_strangers.items()],
            ignore_conflicts=True,
        )
        work.to_strangers = {}


def _write_touches(work: _Batch) -> None:
    """The batch's touches in two statements; a reply joins the opening of the mail it answers."""
    if not work.pending:
        return
    parents = {m.strip("<>") for _, _, m in work.pending if m}
    opening: dict[str, int | None] = {touch["message_id"]: None for touch, _, _ in work.pending}
    if parents:
        forms = [form for m in parents for form in stored_forms(m)]
        found = Interaction.objects.filter(workspace=work.workspace, message_id__in=forms).values_list(
            "message_id", "opportunity_id"
        )
        opening |= {m.strip("<>"): o for m, o in found}
    for touch, _, parent in work.pending:  # in order: a reply to a mail earlier in the batch too
        if parent:
            touch["opportunity_id"] = opening.get(parent.strip("<>"))
            opening[touch["message_id"]] = touch["opportunity_id"]
            if touch["opportunity_id"] is not None:
                work.opportunities.add(touch["opportunity_id"])
    # insert_rows, not bulk_create: Django's per-field preparation of 5,000 touches was a tenth of a first sync.
    ids = insert_rows(Interaction, [touch for touch, _, _ in work.pending], returning=True)
    insert_rows(
        InteractionParticipant,
        [
            {"interaction_id": pk, "person_id": person}
            for (_, people, _), pk in zip(work.pending, ids, strict=True)
            for person in people
        ],
    )
    work.pending = []


def _line(msg: ParsedMessage) -> str:
    subject = " ".join(msg.subject.split())
    return f"{subject} — {msg.summary}" if subject and msg.summary else subject or msg.summary


def _their_mail(work: _Batch, item: _Item) -> None:
    msg = item.msg
    assert msg is not None
    verdict = classify(msg)
    sender_name = msg.sender.name if msg.sender else ""
    sender = msg.sender.address if msg.sender else ""
    answers = _answers(msg, work.directory.our_ids)
    if verdict.kind is MessageKind.LIST or verdict.kind is MessageKind.DELAYED:
        work.report.ignored += 1
        return
    if verdict.kind is MessageKind.BOUNCE:
        _bounce(work, item, verdict)
        return
    if verdict.kind is MessageKind.ATS:
        _ats(work, item, verdict)
        return
    person = work.directory.person_for(sender_name, sender) if sender else None
    if person is None:
        if verdict.kind is MessageKind.PERSONAL and answers:
            _review(work, item, MailReview.ReviewKind.UNMATCHED, in_reply_to=answers[0])
            work.report.unmatched += 1
        else:
            work.report.ignored += 1  # never guessed: a stranger's mail is none of our business
        return
    parent = answers[0] if answers else (msg.in_reply_to or "")
    if verdict.kind is MessageKind.OUT_OF_OFFICE:
        back = verdict.return_date or ((msg.date or work.now) + timedelta(days=OOO_DEFAULT_DAYS)).date()
        _touch(
            work,
            item,
            kind=Kind.OUT_OF_OFFICE,
            direction=Direction.IN,
            person_ids=[person],
            summary=f"Out of office until {back.isoformat()}: {_line(msg)}",
            in_reply_to=parent,
            ooo_until=back,
        )
        work.report.out_of_office += 1
    elif verdict.kind is MessageKind.AUTO_REPLY:
        _touch(
            work,
            item,
            kind=Kind.AUTO_REPLY,
            direction=Direction.IN,
            person_ids=[person],
            summary=_line(msg),
            in_reply_to=parent,
        )
        work.report.auto_replies += 1
    else:
        _touch(
            work,
            item,
            kind=Kind.REPLY,
            direction=Direction.IN,
            person_ids=[person],
            summary=_line(msg),
            in_reply_to=parent,
        )
        work.report.replies += 1


def _answers(msg: ParsedMessage, ours: set[str]) -> list[str]:
    """Which of our Message-IDs it answers, In-Reply-To first (``ours`` is kept without brackets,
    so a lookup is a set's, not a pass over every mail we ever sent)."""
    found: list[str] = []
    for value in (msg.in_reply_to, *reversed(msg.references)):
        bare = value.strip().strip("<>").strip() if value else ""
        if bare and bare in ours and bare not in found:
            found.append(bare)
    return found


def _bounce(work: _Batch, item: _Item, verdict: Classification) -> None:
    """The address is marked bad and the person's plan moves to another channel; a bounce is no answer."""
    msg = item.msg
    assert msg is not None and verdict.delivery is not None
    recipients = [r.strip().lower() for r in verdict.delivery.recipients if r.strip()]
    if not recipients and verdict.delivery.original_message_id:
        # An old-style bounce: the message it returns tells us whom we wrote to.
        original = Interaction.objects.filter(
            workspace=work.workspace, message_id__in=stored_forms(verdict.delivery.original_message_id)
        ).first()
        if original is not None:
            recipients = list(
                PersonEmail.objects.filter(person__interaction_parts__interaction=original, bad=False).values_list(
                    "address", flat=True
                )[:1]
            )
    wanted = Q(pk__in=[])
    for recipient in recipients:
        wanted |= Q(address__iexact=recipient)
    rows = list(PersonEmail.objects.filter(wanted, person__workspace=work.workspace).order_by("pk"))
    if not rows:
        work.report.ignored += 1
        return
    reason = f"{verdict.delivery.status or 'failed'}: {verdict.delivery.diagnostic}".strip(": ")[:500]
    for address in rows:
        if not address.bad:
            address.bad, address.bad_reason, address.bad_at = True, reason, work.now
            address.save(update_fields=["bad", "bad_reason", "bad_at"])
    _touch(
        work,
        item,
        kind=Kind.BOUNCE,
        direction=Direction.IN,
        person_ids=[r.person_id for r in rows],
        summary=f"Mail to {', '.join(sorted({r.address for r in rows}))} bounced ({reason})",
        in_reply_to=verdict.delivery.original_message_id or "",
    )
    work.report.bounces += 1


def _ats(work: _Batch, item: _Item, verdict: Classification) -> None:
    """A confirmation is no reply; a rejection or an invitation waits for the user's word."""
    ats = verdict.ats
    assert ats is not None
    if ats.category not in (AtsCategory.REJECTION, AtsCategory.INTERVIEW):
        work.report.ignored += 1
        return
    org_id = work.directory.organization_named(ats.company)
    if org_id is None:
        work.report.ignored += 1  # an employer we do not follow
        return
    opportunity = _opening(org_id, ats.job_title)
    stage = Stage.REJECTED if ats.category is AtsCategory.REJECTION else Stage.INTERVIEWING
    _review(
        work,
        item,
        MailReview.ReviewKind.ATS,
        ats_system=ats.system,
        ats_category=ats.category.value,
        organization_id=org_id,
        opportunity_id=opportunity,
        proposed_stage=stage.value,
    )
    work.report.ats += 1


def _opening(org_id: int, title: str | None) -> int | None:
    openings = list(Opportunity.objects.filter(organization_id=org_id).values_list("pk", "title", "stage"))
    if title:
        wanted = " ".join(title.casefold().split())
        same = [pk for pk, t, _ in openings if " ".join(t.casefold().split()) == wanted]
        if len(same) == 1:
            return same[0]
        close = [pk for pk, t, _ in openings if wanted in t.casefold() or t.casefold() in wanted]
        if len(close) == 1:
            return close[0]
    live = [pk for pk, _, stage in openings if stage not in (Stage.REJECTED, Stage.WITHDRAWN, Stage.ACCEPTED)]
    return live[0] if len(live) == 1 else None  # the only opening there: it can only be that one


def _review(work: _Batch, item: _Item, kind: str, *, in_reply_to: str = "", **fields: object) -> None:
    msg = item.msg
    assert msg is not None
    MailReview.objects.create(
        workspace=work.workspace,
        kind=kind,
        message_id=item.message_id,
        in_reply_to=in_reply_to[:480],
        received_at=msg.date or work.now,
        sender_name=(msg.sender.name if msg.sender else "")[:200],
        sender_address=(msg.sender.address if msg.sender else "")[:320],
        subject=" ".join(msg.subject.split())[:300],
        summary=msg.summary,
        created_at=work.now,
        **fields,
    )


def _is_ours(directory: _Directory, item: _Item, role: str) -> bool:
    if item.msg is None:
        return False
    sender = item.msg.sender.address if item.msg.sender else ""
    return role == "sent" or sender in directory.own


def _recipients(directory: _Directory, msg: ParsedMessage) -> list[int]:
    return list(dict.fromkeys(p for a in (*msg.to, *msg.cc) if (p := directory.by_address.get(a.address)) is not None))


_Live = tuple[int, datetime, datetime, str]  # follow-up id, due, actionable from, its cause's Message-ID


@dataclass
class _SentMatch:
    """What our own mail in a batch may stand for, read in two queries for the whole batch:
    touches logged by hand without a Message-ID, and the live follow-ups of the people it went to."""

    workspace: Workspace
    by_hand: dict[int, list[tuple[datetime, int]]]
    live: dict[int, list[_Live]]
    used: set[int] = field(default_factory=set)

    @classmethod
    def load(cls, work: _Batch, items: list[_Item]) -> _SentMatch:
        people: set[int] = set()
        moments: list[datetime] = []
        for item in items:
            if item.msg is not None:
                people.update(_recipients(work.directory, item.msg))
                moments.append(item.msg.date or work.now)
        found = cls(work.workspace, defaultdict(list), {})
        if not people:
            return found
        rows = (
            InteractionParticipant.objects.filter(
                person_id__in=people,
                interaction__workspace=work.workspace,
                interaction__direction=Direction.OUT.value,
                interaction__message_id="",
                interaction__at__gte=min(moments) - _HAND_LOGGED_SLACK,
                interaction__at__lte=max(moments) + _HAND_LOGGED_SLACK,
            )
            .filter(Q(interaction__channel=Channel.EMAIL.value) | Q(interaction__channel=""))
            .values_list("person_id", "interaction_id", "interaction__at")
        )
        for person, touch, at in rows:
            found.by_hand[person].append((at, touch))
        found.reload(people)
        return found

    def reload(self, people: Iterable[int]) -> None:
        wanted = list(people)
        for person in wanted:
            self.live[person] = []
        rows = (
            FollowUp.objects.filter(
                workspace=self.workspace, person_id__in=wanted, state__in=[s.value for s in LIVE_STATES]
            )
            .exclude(channel__in=[Channel.PHONE.value, Channel.LINKEDIN.value])
            .values_list("person_id", "pk", "due", "actionable_from", "cause_interaction__message_id")
        )
        for person, pk, due, actionable_from, cause in rows:
            self.live[person].append((pk, due, actionable_from, (cause or "").strip("<>")))

    def hand_logged(self, people: list[int], at: datetime) -> int | None:
        near = sorted(
            (when, touch)
            for person in people
            for when, touch in self.by_hand.get(person, [])
            if touch not in self.used and abs(when - at) <= _HAND_LOGGED_SLACK
        )
        if not near:
            return None
        self.used.add(near[0][1])
        return near[0][1]

    def followup(self, people: list[int], at: datetime, answers: set[str]) -> int | None:
        """The reply to the mail it answers; else the live one due soonest that was already
        actionable when it was sent (a nudge, a thank-you...)."""
        rows = sorted(
            (due, pk, start, cause) for person in people for pk, due, start, cause in self.live.get(person, [])
        )
        for _, pk, _, cause in rows:
            if cause and cause in answers:
                return pk
        for _, pk, start, _ in rows:
            if start <= at + timedelta(days=1):
                return pk
        return None


def _our_mail(work: _Batch, item: _Item) -> None:
    """Mail the user sent: the touch logged by hand gets its Message-ID, or the follow-up it does is
    closed, or it is logged as a message; never twice."""
    msg = item.msg
    assert msg is not None and work.sent_match is not None
    work.report.sent += 1
    work.directory.our_ids.add(item.message_id)
    people = _recipients(work.directory, msg)
    if not people:
        # to someone we do not know: remembered (above for this sync, stored for later ones), so
        # their answer can be put up for review
        work.to_strangers.setdefault(item.message_id.strip("<>"), msg.date or work.now)
        return
    at = msg.date or work.now
    by_hand = work.sent_match.hand_logged(people, at)
    if by_hand is not None:
        Interaction.objects.filter(pk=by_hand).update(message_id=item.message_id, channel=Channel.EMAIL.value)
        return
    answers = {m.strip("<>") for m in (msg.in_reply_to, *msg.references) if m}
    followup = work.sent_match.followup(people, at, answers)
    if followup is not None:
        touch = mark_sent(workspace=work.workspace, followup_id=followup, subject="", body="", at=at, now=work.now)
        touch.message_id, touch.channel = item.message_id, Channel.EMAIL.value
        touch.summary = _line(msg) or touch.summary
        touch.in_reply_to = (msg.in_reply_to or "")[:480]
        touch.save(update_fields=["message_id", "channel", "summary", "in_reply_to"])
        work.sent_match.reload(people)  # closing it re-planned them
        work.touched.update(people)  # and again once the batch's touches are in
        work.report.logged += 1
        work.report.closed += 1
        return
    _touch(
        work,
        item,
        kind=Kind.MESSAGE,
        direction=Direction.OUT,
        person_ids=people,
        summary=_line(msg),
        in_reply_to=msg.in_reply_to or "",
    )


def _workspace_of_user(user_id: int) -> Workspace | None:
    owned = Workspace.objects.filter(owner_id=user_id, is_demo=False).order_by("pk").first()
    return owned or Workspace.objects.filter(memberships__user_id=user_id, is_demo=False).order_by("pk").first()


# --- the review list: the user decides ------------------------------------------------------


def _open_review(workspace: Workspace, review_id: int) -> MailReview:
    row = get_row(MailReview.objects.select_for_update(), workspace, review_id, "review item")
    if row.state != MailReview.ReviewState.OPEN:
        raise Conflict(
            f"review item {review_id} was {row.state} already", "see what is open with: topofmind mail review"
        )
    return row


@atomic_with_retry("mail review")
def accept_review(*, workspace: Workspace, review_id: int, now: datetime, name: str = "") -> MailReview:
    """Do what the item proposes, in one step.

    Unknown sender: add them as a person (at the employer their domain belongs to) and log their
    mail as a reply. ATS rejection: the opening moves to rejected and a gracious reply is owed
    (R9); ATS invitation: the opening moves to interviewing and a reply is owed (R7).
    """
    with transaction.atomic():
        row = _open_review(workspace, review_id)
        if row.kind == MailReview.ReviewKind.UNMATCHED:
            _accept_unmatched(workspace, row, now, name)
        else:
            _accept_ats(workspace, row, now)
        row.state, row.decided_at = MailReview.ReviewState.ACCEPTED, now
        row.save(update_fields=["state", "decided_at", "person", "interaction"])
    return row


def _accept_unmatched(workspace: Workspace, row: MailReview, now: datetime, name: str) -> None:
    who = " ".join((name or row.sender_name or row.sender_address.partition("@")[0]).split())
    if not who:
        raise Invalid("name", "is missing", "give the person's name")
    directory = _Directory.load(workspace, [])
    org_id = directory._org_for_domain(_domain(row.sender_address))
    existing = directory.by_address.get(row.sender_address.lower())
    if existing is not None:
        person = Person.objects.get(pk=existing)
    else:
        person = add_person(workspace=workspace, name=who, organization_id=org_id, emails=[row.sender_address], now=now)
    opportunity_id = (
        Interaction.objects.filter(workspace=workspace, message_id__in=stored_forms(row.in_reply_to))
        .values_list("opportunity_id", flat=True)
        .first()
        if row.in_reply_to
        else None
    )
    row.person = person
    row.interaction = log_interaction(
        workspace=workspace,
        kind=Kind.REPLY,
        person_ids=[person.pk],
        at=row.received_at,
        now=now,
        opportunity_id=opportunity_id,
        channel=Channel.EMAIL,
        direction=Direction.IN,
        summary=f"{row.subject} — {row.summary}" if row.subject and row.summary else row.subject or row.summary,
        message_id=row.message_id,
    )


def _accept_ats(workspace: Workspace, row: MailReview, now: datetime) -> None:
    if row.opportunity_id is None:
        raise Conflict(
            f"review item {row.pk} is not tied to an opening",
            "add the opening to the employer (or dismiss it), then accept",
        )
    stage = Stage(row.proposed_stage)
    people = list(
        OpportunityParticipant.objects.filter(opportunity_id=row.opportunity_id)
        .order_by("pk")
        .values_list("person_id", flat=True)
    )
    summary = f"{row.subject} — {row.summary}" if row.subject and row.summary else row.subject or row.summary
    if people:
        # A rejection logged as such moves the opening and owes R9's gracious reply; an invitation
        # is their answer: a reply is owed (R7). The touch carries the mail's Message-ID.
        row.interaction = log_interaction(
            workspace=workspace,
            kind=Kind.REJECTION if stage is Stage.REJECTED else Kind.REPLY,
            person_ids=list(dict.fromkeys(people)),
            at=row.received_at,
            now=now,
            opportunity_id=row.opportunity_id,
            channel=Channel.EMAIL,
            direction=Direction.IN,
            summary=summary,
            message_id=row.message_id,
        )
    edit_opportunity(
        workspace=workspace, opportunity_id=row.opportunity_id, now=now, stage=stage, stage_at=row.received_at
    )


@atomic_with_retry("mail review")
def dismiss_review(*, workspace: Workspace, review_id: int, now: datetime) -> MailReview:
    """Leave the mail alone: nothing changes, and the item leaves the list."""
    with transaction.atomic():
        row = _open_review(workspace, review_id)
        row.state, row.decided_at = MailReview.ReviewState.DISMISSED, now
        row.save(update_fields=["state", "decided_at"])
    return row


def set_sync_window(*, user_id: int, days: int, now: datetime) -> MailAccount:
    """How many days back the first sync of a folder reads (1 to 3650)."""
    if not 1 <= days <= 3650:
        raise Invalid("sync window", f"{days} days is out of range", "give a number of days from 1 to 3650")
    row = mail_account_of(user_id)
    MailAccount.objects.filter(pk=row.pk).update(sync_window_days=days, updated_at=now)
    row.refresh_from_db()
    return row


def accounts_to_sync() -> list[int]:
    """The users whose mailbox the periodic job reads: every account with a password."""
    return list(MailAccount.objects.exclude(password_token="").order_by("pk").values_list("user_id", flat=True))
