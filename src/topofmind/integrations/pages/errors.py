"""The one exception the page reader raises."""

from __future__ import annotations

from typing import Literal

from topofmind.integrations.fetch import FetchErrorCode

PageErrorCode = FetchErrorCode | Literal["not_html", "no_content"]


class PageError(Exception):
    """An article page could not be summarised; ``str(error)`` is a sentence naming its address.

    ``code`` is a fetch code ("timeout", "private_address", "http_status", …), "not_html"
    (a PDF, an image, JSON …) or "no_content" (no title and no text to show). ``status``
    is the HTTP status when the server answered with an error.
    """

    def __init__(self, message: str, *, code: PageErrorCode, url: str, status: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.code: PageErrorCode = code
        self.url = url
        self.status = status

    def __str__(self) -> str:
        return self.message
