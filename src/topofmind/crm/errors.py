"""Errors a user can cause. Pure Python: the CLI imports this without Django.

Every error carries a one-line ``message`` and a one-line ``hint`` telling the user what
to do next. Entry points print ``error: <message> (hint: <hint>)`` and never a traceback.
"""

from __future__ import annotations


class TopofmindError(Exception):
    """Base of every error a user can cause."""

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.message = _one_line(message)
        self.hint = _one_line(hint)

    def one_line(self) -> str:
        if self.hint:
            return f"error: {self.message} (hint: {self.hint})"
        return f"error: {self.message}"


class NotFound(TopofmindError):
    """No row by that name or id; ``matches`` holds close names, best first."""

    def __init__(self, message: str, hint: str = "", *, matches: list[str] | None = None) -> None:
        super().__init__(message, hint)
        self.matches = matches or []


class Ambiguous(TopofmindError):
    """Several rows answer to that name; ``candidates`` lists them."""

    def __init__(self, message: str, hint: str = "", *, candidates: list[str] | None = None) -> None:
        super().__init__(message, hint)
        self.candidates = candidates or []


class Invalid(TopofmindError):
    """A value that cannot be accepted; ``field`` names it."""

    def __init__(self, field: str, message: str, hint: str = "") -> None:
        super().__init__(f"{field}: {message}", hint)
        self.field = field


class Unconfirmed(Invalid):
    """A value that may well be a slip (a touch a year back, or not yet happened): accepted
    once the user confirms it (a checkbox on the web, ``--force`` in the CLI)."""


class Conflict(TopofmindError):
    """The write would duplicate or contradict what is stored."""


def _one_line(text: str) -> str:
    return " ".join(text.split())


class Busy(TopofmindError):
    """The database stayed locked (or kept colliding) through every retry: nothing was saved."""

    def __init__(self, what: str) -> None:
        super().__init__(f"topofmind is busy, your {what} was not saved: try again")
