"""The one exception this package raises for input a user (or a mail server) can get wrong."""

from __future__ import annotations


class MessageError(ValueError):
    """An e-mail could not be read; the message says why, in a sentence a user understands."""
