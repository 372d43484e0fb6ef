"""The plain records the IMAP side hands out: a folder's state and the start of one message."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class FolderState:
    """Enough to sync incrementally: UIDs are only comparable while UIDVALIDITY stays the same."""

    folder: str
    uidvalidity: int
    uidnext: int
    messages: int


@dataclass(frozen=True)
class FetchedMessage:
    """The headers and at most ``body_limit`` bytes of one message's body, as the server stored them.

    ``size`` is the whole message's size, so ``truncated`` tells a classifier it saw only a part.
    """

    uid: int
    uidvalidity: int  # of the folder when this UID was read: store the two together
    internal_date: datetime  # when the server received it, aware (UTC)
    size: int
    header: bytes
    body_start: bytes

    @property
    def truncated(self) -> bool:
        return len(self.header) + len(self.body_start) < self.size

    @property
    def raw(self) -> bytes:
        """Headers and the body start together, for an email parser (``email.message_from_bytes``)."""
        return self.header + self.body_start
