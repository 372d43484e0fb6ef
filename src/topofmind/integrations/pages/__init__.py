"""Article pages: a title and a short summary from an HTML page, for values to share.

What it offers::

    fetch_page(url, *, allow_private_addresses=False, timeout=10.0, max_bytes=2 MB,
               summary_chars=300, tls=None) -> PageSummary
    summarize_page(data, *, url, charset=None, summary_chars=300, truncated=False) -> PageSummary
    PageSummary(url, title, summary, site_name, feeds, notes)
    PageError(message, code=..., url=...)        # str(error) is the sentence
    html_to_text(fragment) -> str; shorten(text, limit) -> str

The title is og:title, twitter:title, <title> or the first <h1>; the summary is
og:description, twitter:description, the description meta tag or the first substantial
paragraph outside navigation, headers and footers; both plain text on one line, cut at
a word boundary. The page is decoded in its charset (HTTP header, then <meta charset>,
checked against the bytes), and only its first ``max_bytes`` are read: a long page is
cut, not refused, since what we want is at the top. ``url`` is the canonical address
when the page names one.

Parsing uses the standard library's ``html.parser``: it never fails on broken markup and
these few elements do not call for BeautifulSoup or a readability-style stack.

How the services will call it: when a user adds an article as a value to share, a queue
job does ``fetch_page(url, allow_private_addresses=settings.FETCH_PRIVATE_ADDRESSES)``
and fills the value's title and summary (the user can edit them); on PageError it keeps
the URL alone and shows ``str(error)``. ``PageSummary.feeds`` lets the organisation page
offer "follow this company's news" from its website.
"""

from __future__ import annotations

from topofmind.integrations.pages.errors import PageError, PageErrorCode
from topofmind.integrations.pages.model import PageSummary
from topofmind.integrations.pages.summary import fetch_page, summarize_page
from topofmind.integrations.pages.text import html_to_text, shorten

__all__ = ["PageError", "PageErrorCode", "PageSummary", "fetch_page", "html_to_text", "shorten", "summarize_page"]
