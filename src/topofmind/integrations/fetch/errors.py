"""The one exception the fetcher raises: a sentence for the user and a short code for the code."""

from __future__ import annotations

from typing import Literal

# Short words the services can branch on (retry later, tell the user to fix the address, …)
# without parsing the sentence.
FetchErrorCode = Literal[
    "bad_url",
    "scheme",
    "private_address",
    "dns",
    "connect",
    "tls",
    "timeout",
    "http_status",
    "too_large",
    "too_many_redirects",
    "redirect_loop",
    "bad_response",
]


class FetchError(Exception):
    """A URL could not be fetched; ``str(error)`` is a sentence naming the address.

    ``status`` is the HTTP status when the server answered with an error (404, 503, …).
    """

    def __init__(self, message: str, *, code: FetchErrorCode, url: str, status: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.code: FetchErrorCode = code
        self.url = url
        self.status = status

    def __str__(self) -> str:
        return self.message
