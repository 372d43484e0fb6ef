"""One pass over an HTML page collecting what a teaser needs: meta tags, the <title>, the
first substantial paragraph, the canonical address and the feeds it advertises.

``html.parser`` from the standard library: it copes with broken markup, needs no
dependency, and these few elements do not call for a readability-style extraction stack.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser

from topofmind.integrations.pages.text import collapse

# Where a page keeps navigation, boilerplate and code rather than its story.
_OUTSIDE_STORY = frozenset(
    {
        "nav",
        "header",
        "footer",
        "aside",
        "form",
        "script",
        "style",
        "noscript",
        "template",
        "svg",
        "button",
        "select",
        "figcaption",
    }
)
_FEED_TYPES = frozenset({"application/rss+xml", "application/atom+xml", "application/feed+json", "application/rdf+xml"})
# A paragraph shorter than this is a caption, a byline or "Share this"; not a summary.
SUBSTANTIAL = 80
_VOID = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
)


@dataclass
class PageFacts:
    """What the page says about itself; empty strings where it says nothing."""

    meta: dict[str, str] = field(default_factory=dict)
    title: str = ""
    first_heading: str = ""
    first_paragraph: str = ""
    canonical: str = ""
    feeds: list[str] = field(default_factory=list)


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.facts = PageFacts()
        self._open: list[str] = []
        self._title: list[str] | None = None
        self._heading: list[str] | None = None
        self._paragraph: list[str] | None = None
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name.lower(): (value or "") for name, value in attrs}
        if tag == "meta":
            self._meta(values)
        elif tag == "link":
            self._link(values)
        if tag in _VOID:
            return
        self._open.append(tag)
        if tag in _OUTSIDE_STORY:
            self._skip += 1
        elif tag == "title" and not self.facts.title and self._title is None:
            self._title = []
        elif tag == "h1" and not self.facts.first_heading and not self._skip:
            self._heading = []
        elif tag == "p" and not self.facts.first_paragraph and not self._skip:
            self._paragraph = []

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("meta", "link"):
            self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag not in self._open:
            return  # a stray closing tag; browsers ignore it too
        # Close everything opened since (unclosed <p>, <li>, … inside it).
        while self._open:
            closed = self._open.pop()
            self._closed(closed)
            if closed == tag:
                break

    def _closed(self, tag: str) -> None:
        if tag in _OUTSIDE_STORY:
            self._skip = max(self._skip - 1, 0)
        elif tag == "title" and self._title is not None:
            self.facts.title = collapse("".join(self._title))
            self._title = None
        elif tag == "h1" and self._heading is not None:
            self.facts.first_heading = collapse("".join(self._heading))
            self._heading = None
        elif tag == "p" and self._paragraph is not None:
            text = collapse("".join(self._paragraph))
            self._paragraph = None
            if len(text) >= SUBSTANTIAL:
                self.facts.first_paragraph = text

    def handle_data(self, data: str) -> None:
        if self._title is not None:
            self._title.append(data)
        if self._skip:
            return
        if self._heading is not None:
            self._heading.append(data)
        if self._paragraph is not None:
            self._paragraph.append(data)

    def _meta(self, values: dict[str, str]) -> None:
        key = (values.get("property") or values.get("name") or "").strip().lower()
        content = collapse(values.get("content", ""))
        if key and content and key not in self.facts.meta:
            self.facts.meta[key] = content

    def _link(self, values: dict[str, str]) -> None:
        rels = values.get("rel", "").lower().split()
        href = values.get("href", "").strip()
        if not href:
            return
        if "canonical" in rels and not self.facts.canonical:
            self.facts.canonical = href
        if (
            "alternate" in rels
            and values.get("type", "").split(";")[0].strip().lower() in _FEED_TYPES
            and href not in self.facts.feeds
        ):
            self.facts.feeds.append(href)


def collect(html: str) -> PageFacts:
    """Everything ``PageFacts`` names, from one pass over ``html``; never raises on bad markup."""
    collector = _Collector()
    collector.feed(html)
    collector.close()
    # A page cut off by the size cap may end inside the title or the first paragraph.
    if collector._title is not None and not collector.facts.title:
        collector.facts.title = collapse("".join(collector._title))
    return collector.facts
