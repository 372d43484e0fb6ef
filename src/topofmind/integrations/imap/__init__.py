"""Reading and filing mail over IMAP (IMAPClient), for the mailbox sync and for sent copies.

What it offers:

* ``open_mailbox(account, ssl_context=None, timeout=30) -> Mailbox`` (a context manager):
  connects in the account's security mode (none / STARTTLS / TLS) and logs in;
* ``Mailbox.sent_folder() -> str``: the folder marked ``\\Sent`` (SPECIAL-USE), else one named
  Sent, Sent Items, Sent Messages or [Gmail]/Sent Mail (``choose_sent_folder`` is the pure rule);
* ``Mailbox.append_sent(raw, when=..., folder=None) -> int | None``: files our copy as read,
  returning its UID when the server reports it;
* ``Mailbox.folder_state(folder) -> FolderState(uidvalidity, uidnext, messages)``;
* ``Mailbox.fetch_new(folder, after_uid=0, since=None, expected_uidvalidity=None,
  batch_size=50, body_limit=65536) -> Iterator[FetchedMessage]``: uid, internal date, size,
  header bytes and at most ``body_limit`` bytes of the body, oldest first, in batches (the
  FETCH answers are read by ``responses.parse_fetch``, not by IMAPClient's general parser).

Every failure is ``topofmind.integrations.smtp.MailError`` (re-exported here), with a sentence
naming the host or folder. How a mailbox sync will call it::

    with open_mailbox(account) as box:
        state = box.folder_state("INBOX")
        if state.uidvalidity != stored.uidvalidity:   # first sync, or the folder was rebuilt
            messages = box.fetch_new("INBOX", since=first_day)
        else:
            messages = box.fetch_new("INBOX", after_uid=stored.last_uid,
                                     expected_uidvalidity=stored.uidvalidity)
        try:
            for message in messages:
                classify_and_log(message)            # the service's job, not ours
                stored.last_uid = message.uid
        except MailError as error:                   # reason "connection_lost": resume later
            resume_after = error.last_uid            # after error.last_uid

No Django, no ORM, no policy here.
"""

from topofmind.integrations.imap.folders import FALLBACK_SENT_NAMES, choose_sent_folder
from topofmind.integrations.imap.mailbox import DEFAULT_BATCH, DEFAULT_BODY_LIMIT, Mailbox, open_mailbox
from topofmind.integrations.imap.messages import FetchedMessage, FolderState
from topofmind.integrations.smtp.errors import MailError

__all__ = [
    "DEFAULT_BATCH",
    "DEFAULT_BODY_LIMIT",
    "FALLBACK_SENT_NAMES",
    "FetchedMessage",
    "FolderState",
    "MailError",
    "Mailbox",
    "choose_sent_folder",
    "open_mailbox",
]
