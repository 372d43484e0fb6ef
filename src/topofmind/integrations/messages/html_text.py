"""HTML mail reduced to readable plain text, with the standard library's tolerant HTML parser."""

from __future__ import annotations

from html.parser import HTMLParser

# Tags that end a line of text when they open or close.
_BLOCKS = frozenset(
    {
        "p",
        "div",
        "br",
        "tr",
        "li",
        "ul",
        "ol",
        "table",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "blockquote",
        "section",
        "article",
        "header",
        "footer",
        "hr",
        "pre",
    }
)
_INVISIBLE = frozenset({"script", "style", "head", "title", "template"})


class _TextCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._hidden = 0
        self._quote_depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _INVISIBLE:
            self._hidden += 1
        elif tag == "blockquote":
            self._quote_depth += 1
        if tag in _BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _INVISIBLE and self._hidden:
            self._hidden -= 1
        elif tag == "blockquote" and self._quote_depth:
            self._quote_depth -= 1
        if tag in _BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if self._hidden:
            return
        # Text inside <blockquote> is what was quoted; mark it as a plain-text reply would.
        if self._quote_depth:
            data = "\n".join("> " + line if line.strip() else line for line in data.split("\n"))
        self.parts.append(data)


def html_to_text(html: str) -> str:
    """The visible text of an HTML body, one line per block, white space tidied."""
    collector = _TextCollector()
    try:
        collector.feed(html)
        collector.close()
    except Exception:  # the HTML parser is tolerant, but never let a page break a mail
        pass
    lines = (" ".join(line.split()) for line in "".join(collector.parts).split("\n"))
    out: list[str] = []
    for line in lines:
        if line or (out and out[-1]):
            out.append(line)
    return "\n".join(out).strip()
