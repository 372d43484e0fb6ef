"""The one exception the feed reader raises."""

from __future__ import annotations

from typing import Literal

from topofmind.integrations.fetch import FetchErrorCode

FeedErrorCode = FetchErrorCode | Literal["empty", "not_a_feed", "malformed"]


class FeedError(Exception):
    """A feed could not be read; ``str(error)`` is a sentence naming the feed's address.

    ``code`` is a fetch code ("timeout", "private_address", "http_status", …) or one of
    "empty" (the server sent nothing), "not_a_feed" (a web page or other XML) and
    "malformed" (not well-formed XML). ``discovered`` lists feed addresses a web page
    advertised, when a page was given instead of its feed. ``status`` is the HTTP status
    when the server answered with an error (a 410 means the feed is gone for good).
    """

    def __init__(
        self,
        message: str,
        *,
        code: FeedErrorCode,
        url: str,
        status: int | None = None,
        discovered: tuple[str, ...] = (),
    ) -> None:
        super().__init__(message)
        self.message = message
        self.code: FeedErrorCode = code
        self.url = url
        self.status = status
        self.discovered = discovered

    def __str__(self) -> str:
        return self.message
