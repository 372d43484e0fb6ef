"""Read a large JSON document piece by piece, in bounded memory (standard library only).

``json.load`` needs the whole document in memory, and a backup of a recruiter's workspace
is hundreds of megabytes. ``JsonReader`` walks objects and arrays as a stream of keys and
elements and decodes each *leaf* value (a row of a table: a small object) with the
standard decoder, keeping only that value and one buffer of text in memory. It reads any
valid JSON (one row a line as we write it, pretty-printed, or minified).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any, TextIO

CHUNK_CHARS = 1 << 16
# One value (a row) larger than this is not something we wrote.
MAX_VALUE_CHARS = 64 * 1024 * 1024
_WS = " \t\r\n"


class JsonStreamError(ValueError):
    """The text is not the JSON expected; the message names the place (line and column)."""


class JsonReader:
    def __init__(self, stream: TextIO) -> None:
        self._stream = stream
        self._buf = ""
        self._pos = 0
        self._eof = False
        self._decoder = json.JSONDecoder(parse_constant=_no_constant)
        # Where self._buf starts in the document, for messages.
        self._line = 1
        self._col = 1

    # -- low level -----------------------------------------------------------------------

    def _fill(self) -> bool:
        """Read more text into the buffer; False at the end of the stream."""
        if self._eof:
            return False
        chunk = self._stream.read(CHUNK_CHARS)
        if not chunk:
            self._eof = True
            return False
        if self._pos:
            self._advance_position(self._buf[: self._pos])
            self._buf = self._buf[self._pos :]
            self._pos = 0
        self._buf += chunk
        return True

    def _advance_position(self, consumed: str) -> None:
        newlines = consumed.count("\n")
        if newlines:
            self._line += newlines
            self._col = len(consumed) - consumed.rfind("\n")
        else:
            self._col += len(consumed)

    def where(self) -> str:
        consumed = self._buf[: self._pos]
        newlines = consumed.count("\n")
        line = self._line + newlines
        col = (len(consumed) - consumed.rfind("\n")) if newlines else self._col + len(consumed)
        return f"line {line}, column {col}"

    def _skip_ws(self) -> None:
        while True:
            while self._pos < len(self._buf) and self._buf[self._pos] in _WS:
                self._pos += 1
            if self._pos < len(self._buf) or not self._fill():
                return

    def peek(self) -> str:
        """The next non-blank character ('' at the end)."""
        self._skip_ws()
        return self._buf[self._pos] if self._pos < len(self._buf) else ""

    def expect(self, char: str, what: str) -> None:
        found = self.peek()
        if found != char:
            shown = repr(found) if found else "the end of the file"
            raise JsonStreamError(f"{self.where()}: expected {what} ('{char}'), found {shown}")
        self._pos += 1

    def value(self) -> Any:
        """Decode the next complete JSON value."""
        self.peek()
        while True:
            try:
                result, end = self._decoder.raw_decode(self._buf, self._pos)
            except RecursionError:
                raise JsonStreamError(f"{self.where()}: a value nested too deeply") from None
            except ValueError as exc:
                if isinstance(exc, JsonStreamError):
                    raise JsonStreamError(f"{self.where()}: {exc}") from None
                if not isinstance(exc, json.JSONDecodeError):  # a number of thousands of digits
                    raise JsonStreamError(f"{self.where()}: a number too long to read") from None
                if len(self._buf) - self._pos > MAX_VALUE_CHARS:
                    raise JsonStreamError(f"{self.where()}: a value larger than 64 MB") from exc
                if self._fill():
                    continue
                raise JsonStreamError(f"{self.where()}: {self._explain(exc)}") from exc
            # A number (or a literal) that ends exactly at the end of the buffer may go on.
            if end == len(self._buf) and not isinstance(result, dict | list | str) and self._fill():
                continue
            self._pos = end
            return result

    def _explain(self, exc: json.JSONDecodeError) -> str:
        if self._eof and exc.pos >= len(self._buf) - 1:
            return "the file ends in the middle of a value: it looks cut short"
        return exc.msg

    # -- structure -----------------------------------------------------------------------

    def object_items(self) -> Iterator[str]:
        """Walk an object: yields each key; the caller must consume its value before the next."""
        self.expect("{", "an object")
        if self.peek() == "}":
            self._pos += 1
            return
        while True:
            if self.peek() != '"':
                raise JsonStreamError(f"{self.where()}: expected a key in quotes")
            key = self.value()
            self.expect(":", "a colon after the key")
            yield key
            nxt = self.peek()
            self._pos += 1
            if nxt == "}":
                return
            if nxt != ",":
                self._pos -= 1
                self.expect(",", "a comma or the end of the object")

    def array_items(self) -> Iterator[int]:
        """Walk an array: yields each index; the caller consumes the element before the next."""
        self.expect("[", "a list")
        if self.peek() == "]":
            self._pos += 1
            return
        index = 0
        while True:
            yield index
            index += 1
            nxt = self.peek()
            self._pos += 1
            if nxt == "]":
                return
            if nxt != ",":
                self._pos -= 1
                self.expect(",", "a comma or the end of the list")

    def end(self) -> None:
        if self.peek():
            raise JsonStreamError(f"{self.where()}: unexpected text after the end of the document")


def _no_constant(name: str) -> Any:
    raise JsonStreamError(f"{name} is not a number JSON allows")


def dumps_row(row: Any) -> str:
    """A value (a row) as one line of compact JSON (non-ASCII kept readable)."""
    return json.dumps(row, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
