"""One logged-in IMAP session: file our sent copies, and read what arrived since the last sync.

Reading is incremental by UID: the caller keeps (UIDVALIDITY, last UID seen) per folder and asks
for what came after. Each message is fetched as its headers plus the first N bytes of its body
(``BODY.PEEK[TEXT]<0.N>``), so a 20 MB attachment is never pulled over the wire, and PEEK leaves
the user's unread messages unread.
"""

from __future__ import annotations

import contextlib
import imaplib
import queue
import re
import ssl
import threading
from collections.abc import Iterator
from datetime import UTC, date, datetime
from types import TracebackType
from typing import Any

from topofmind.integrations.imap.connection import DEFAULT_TIMEOUT, connect_and_log_in
from topofmind.integrations.imap.folders import choose_sent_folder
from topofmind.integrations.imap.messages import FetchedMessage, FolderState
from topofmind.integrations.imap.responses import FetchedItems, parse_fetch
from topofmind.integrations.smtp.account import Endpoint, MailAccount
from topofmind.integrations.smtp.errors import MailError

DEFAULT_BATCH = 50
DEFAULT_BODY_LIMIT = 64 * 1024
# Servers word it differently; RFC 5530's [NONEXISTENT] and RFC 3501's [TRYCREATE] are the codes.
_MISSING = re.compile(r"NONEXISTENT|TRYCREATE|does ?n.t exist|not found|unknown mailbox", re.IGNORECASE)
_APPENDUID = re.compile(rb"\[APPENDUID \d+ (\d+)\]", re.IGNORECASE)
_LOST = (imaplib.IMAP4.abort, OSError)
_BODY_START = b"BODY[TEXT]<0>"  # how the server labels a partial fetch from offset 0


def open_mailbox(
    account: MailAccount, *, ssl_context: ssl.SSLContext | None = None, timeout: float = DEFAULT_TIMEOUT
) -> Mailbox:
    """Connects and logs in; use it as a context manager so the session is closed."""
    client = connect_and_log_in(account, ssl_context=ssl_context, timeout=timeout)
    return Mailbox(client, account.imap)


class Mailbox:
    def __init__(self, client: Any, endpoint: Endpoint) -> None:
        self._client = client
        self._endpoint = endpoint
        self._ahead: _ReadAhead | None = None  # a fetch running in the background, if any

    def __enter__(self) -> Mailbox:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.close()

    def close(self) -> None:
        self._settle()
        try:
            self._client.logout()
        except (imaplib.IMAP4.error, OSError):
            # The connection is gone already, which is what we wanted.
            with contextlib.suppress(imaplib.IMAP4.error, OSError):
                self._client.shutdown()

    def _settle(self) -> None:
        """Never two threads on one socket: a background fetch the caller left ends first."""
        if self._ahead is not None:
            self._ahead.stop()
            self._ahead = None

    # --- the sent folder ------------------------------------------------------------------

    def sent_folder(self) -> str:
        """The folder for sent mail: the one marked \\Sent, else a folder with a usual name."""
        self._settle()
        listing = self._call("list the folders", lambda: self._client.list_folders())
        found = choose_sent_folder(listing)
        if found is None:
            raise MailError(
                "no_sent_folder",
                f"Could not find a folder for sent mail on {self._endpoint.host} "
                "(none is marked as Sent, and none is called Sent, Sent Items or Sent Messages).",
            )
        return found

    def append_sent(self, raw: bytes, *, when: datetime, folder: str | None = None) -> int | None:
        """Files our copy of a sent message as read; returns its UID when the server tells it (UIDPLUS)."""
        if when.tzinfo is None:
            raise ValueError("append_sent() needs an aware datetime for the message's date")
        self._settle()
        target = folder or self.sent_folder()
        response = self._call(
            f"save the sent message in {target}",
            lambda: self._client.append(target, raw, flags=[b"\\Seen"], msg_time=when),
            folder=target,
        )
        match = _APPENDUID.search(response if isinstance(response, bytes) else b"")
        return int(match.group(1)) if match else None

    # --- reading --------------------------------------------------------------------------

    def folder_state(self, folder: str) -> FolderState:
        """UIDVALIDITY, UIDNEXT and the message count, without selecting the folder."""
        self._settle()
        status = self._call(
            f"read the state of {folder}",
            lambda: self._client.folder_status(folder, [b"UIDVALIDITY", b"UIDNEXT", b"MESSAGES"]),
            folder=folder,
        )
        return FolderState(
            folder=folder,
            uidvalidity=int(status[b"UIDVALIDITY"]),
            uidnext=int(status[b"UIDNEXT"]),
            messages=int(status[b"MESSAGES"]),
        )

    def fetch_new(
        self,
        folder: str,
        *,
        after_uid: int = 0,
        since: date | None = None,
        expected_uidvalidity: int | None = None,
        batch_size: int = DEFAULT_BATCH,
        body_limit: int = DEFAULT_BODY_LIMIT,
        read_ahead: int = 0,
    ) -> Iterator[FetchedMessage]:
        """Messages with UID > ``after_uid`` (and, for a first sync, received on or after ``since``),
        oldest UID first, fetched ``batch_size`` at a time.

        With ``read_ahead`` > 0 a background thread fetches up to that many batches ahead of the
        caller, so the server and the socket work while the caller works on what it has (the
        session is then the thread's until the messages run out or the mailbox is closed).
        Without it, nothing is fetched before the caller asks for it.

        If the connection drops, the MailError carries ``last_uid``: the last UID handed out (or
        ``after_uid``), so the caller can reconnect and resume after it. If the folder's
        UIDVALIDITY is not ``expected_uidvalidity``, nothing is read (reason "uidvalidity_changed").
        """
        if batch_size < 1 or body_limit < 0 or read_ahead < 0:
            raise ValueError("batch_size must be at least 1, body_limit and read_ahead not negative")
        return self._read(folder, after_uid, since, expected_uidvalidity, batch_size, body_limit, read_ahead)

    def _read(
        self,
        folder: str,
        after_uid: int,
        since: date | None,
        expected_uidvalidity: int | None,
        batch_size: int,
        body_limit: int,
        read_ahead: int,
    ) -> Iterator[FetchedMessage]:
        self._settle()
        selected = self._call(
            f"open {folder}",
            lambda: self._client.select_folder(folder, readonly=True),
            folder=folder,
            last_uid=after_uid,
        )
        uidvalidity = int(selected[b"UIDVALIDITY"])
        if expected_uidvalidity is not None and uidvalidity != expected_uidvalidity:
            raise MailError(
                "uidvalidity_changed",
                f"The folder {folder} on {self._endpoint.host} was rebuilt by the server (UIDVALIDITY "
                f"{expected_uidvalidity} became {uidvalidity}), so it has to be read again from the start.",
            )
        criteria: list[object] = ["UID", f"{after_uid + 1}:*"]
        if since is not None:
            criteria += ["SINCE", since]
        found = self._call(f"search {folder}", lambda: self._client.search(criteria), folder=folder, last_uid=after_uid)
        # "n:*" always matches the newest message, even when its UID is below n.
        uids = sorted(uid for uid in map(int, found) if uid > after_uid)
        items = "INTERNALDATE RFC822.SIZE BODY.PEEK[HEADER]"
        if body_limit:
            items += f" BODY.PEEK[TEXT]<0.{body_limit}>"
        batches = [uids[start : start + batch_size] for start in range(0, len(uids), batch_size)]
        fetching = self._batches(folder, uidvalidity, batches, items, after_uid)
        if read_ahead and len(batches) > 1:
            self._ahead = _ReadAhead(fetching, read_ahead)
            fetching = self._ahead.batches()
        for batch in fetching:
            yield from batch

    def _batches(
        self, folder: str, uidvalidity: int, batches: list[list[int]], items: str, after_uid: int
    ) -> Iterator[list[FetchedMessage]]:
        last_uid = after_uid
        for batch in batches:
            response = self._call(
                f"read messages from {folder}",
                lambda: self._fetch(batch, items),  # noqa: B023 (called at once, inside this turn)
                folder=folder,
                last_uid=last_uid,
            )
            # UIDs the answer lacks were expunged since the search.
            fetched = [_fetched(uid, uidvalidity, response[uid]) for uid in batch if uid in response]
            if fetched:
                last_uid = fetched[-1].uid
            yield fetched

    def _fetch(self, uids: list[int], items: str) -> dict[int, FetchedItems]:
        """One UID FETCH through IMAPClient's own ``imaplib`` session, read by ``parse_fetch``
        (IMAPClient's general parser lexes every byte of every literal, a fifth of a sync)."""
        session = self._client._imap
        # IMAPClient turns imaplib's debug output on, which formats every literal it reads with
        # repr() for its logger: about 0.2 s of CPU per 10,000 messages. Off for our own FETCH.
        debug, session.debug = session.debug, 0
        try:
            kind, data = session.uid("FETCH", _uid_set(uids), f"({items})")
        finally:
            session.debug = debug
        if kind != "OK":
            raise imaplib.IMAP4.error(b" ".join(d for d in data if isinstance(d, bytes)).decode("utf-8", "replace"))
        return parse_fetch(data)

    # --- errors ---------------------------------------------------------------------------

    def _call(self, doing: str, action: Any, *, folder: str | None = None, last_uid: int | None = None) -> Any:
        try:
            return action()
        except _LOST:
            resume = f"; messages were read up to UID {last_uid}" if last_uid else ""
            raise MailError(
                "connection_lost",
                f"The connection to the IMAP server {self._endpoint.host} was lost while trying to {doing}{resume}.",
                temporary=True,
                last_uid=last_uid,
            ) from None
        except imaplib.IMAP4.error as exc:
            text = str(exc)
            if folder is not None and _MISSING.search(text):
                raise MailError(
                    "folder_missing",
                    f"There is no folder called {folder!r} on {self._endpoint.host}.",
                    last_uid=last_uid,
                ) from None
            raise MailError(
                "server_error",
                f"The IMAP server {self._endpoint.host} refused to {doing} ({text}).",
                last_uid=last_uid,
            ) from None


def _uid_set(uids: list[int]) -> str:
    """``1:4,7,9:10``: a batch's UIDs in as few characters as the command line needs."""
    runs: list[str] = []
    ordered = sorted(uids)
    start = previous = ordered[0]
    for uid in [*ordered[1:], None]:
        if uid is not None and uid == previous + 1:
            previous = uid
            continue
        runs.append(str(start) if start == previous else f"{start}:{previous}")
        if uid is not None:
            start = previous = uid
    return ",".join(runs)


def _fetched(uid: int, uidvalidity: int, data: FetchedItems) -> FetchedMessage:
    return FetchedMessage(
        uid=uid,
        uidvalidity=uidvalidity,
        # A server that leaves INTERNALDATE out: the moment it was read is the best we know.
        internal_date=data.internal_date or datetime.now(UTC),
        size=data.size,
        header=data.sections.get(b"BODY[HEADER]", b""),
        body_start=data.sections.get(_BODY_START, b""),
    )


class _ReadAhead:
    """Runs a batch iterator in a thread, at most ``depth`` batches ahead of the consumer.

    The batches come out in order; an error the iterator raised comes out where it happened,
    after every batch fetched before it. ``stop`` (the consumer left early, or the session is
    wanted for something else) lets the thread finish the command it is in and waits for it.
    """

    def __init__(self, source: Iterator[list[FetchedMessage]], depth: int) -> None:
        self._source = source
        # A batch, the error that ended the reading, or None when every batch is out.
        self._queue: queue.Queue[list[FetchedMessage] | Exception | None] = queue.Queue(maxsize=depth)
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._run, name="imap-read-ahead", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            for batch in self._source:
                if not self._put(batch):
                    return
        except Exception as error:  # handed to the consumer, raised there
            self._put(error)
            return
        self._put(None)

    def _put(self, item: list[FetchedMessage] | Exception | None) -> bool:
        while not self._stopping.is_set():
            try:
                self._queue.put(item, timeout=0.05)
                return True
            except queue.Full:
                continue
        return False

    def batches(self) -> Iterator[list[FetchedMessage]]:
        try:
            while (item := self._queue.get()) is not None:
                if isinstance(item, Exception):
                    raise item
                yield item
        finally:
            self.stop()

    def stop(self) -> None:
        self._stopping.set()
        if self._thread is not threading.current_thread():
            self._thread.join()
