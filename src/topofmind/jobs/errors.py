"""The one exception the queue package raises for problems a user or an operator can fix."""

from __future__ import annotations


class QueueError(Exception):
    """Something about the background queue is wrong; the message says what and where, in one sentence."""


class LockBusy(QueueError):
    """Another job holds the lock that was asked for."""
