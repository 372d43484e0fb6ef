"""Reading an uploaded text file of unknown encoding, line by line, in bounded memory.

The encoding is decided once, from a byte-order mark or a bounded sample at the head of
the file (charset-normalizer for anything that is not UTF-8); then the file is decoded
as a stream and handed out one physical line at a time with its number. Nothing here
ever holds more than the sample and one line.

Bytes that do not decode are not fatal on their own: the line is remembered in
``TextLines.bad_lines`` (with a message naming the byte) and handed out with U+FFFD in
place, so a parser can reject just the rows that contain it. A file cut short in the
middle of a character, binary data, or an endless line are fatal (``ImportFileError``).
"""

from __future__ import annotations

import codecs
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO

from charset_normalizer import from_bytes

from topofmind.integrations.records import ImportFileError

SAMPLE_BYTES = 64 * 1024
# One physical line may be long (a vCard PHOTO that was not folded) but not endless:
# a file without line breaks is not a CSV or a vCard, and reading it whole would not
# keep memory bounded.
MAX_LINE_CHARS = 4 * 1024 * 1024

_MAGIC = (
    (
        b"PK\x03\x04",
        "a ZIP archive (an .xlsx workbook or a LinkedIn data export?) — unzip it "
        "or save the sheet as CSV, then import the .csv file",
    ),
    (b"%PDF", "a PDF document"),
    (b"\xd0\xcf\x11\xe0", "an old Excel/Word document — save it as CSV first"),
    (b"\x1f\x8b", "a gzip archive — unpack it first"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"SQLite format 3\x00", "an SQLite database"),
)

_BOMS = (
    # UTF-32 first: its little-endian BOM begins with UTF-16's.
    (codecs.BOM_UTF32_LE, "utf-32-le", "UTF-32 (little-endian)"),
    (codecs.BOM_UTF32_BE, "utf-32-be", "UTF-32 (big-endian)"),
    (codecs.BOM_UTF8, "utf-8", "UTF-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "UTF-16 (little-endian)"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "UTF-16 (big-endian)"),
)

# Western single-byte encodings charset-normalizer cannot tell apart on a short sample;
# for those we settle on Windows-1252 (a superset of Latin-1's printable characters),
# which is what Excel and most Western tools write.
_WESTERN = {"cp1252", "latin_1", "iso8859_15", "iso8859_1"}

_SURROGATES = re.compile("[\udc80-\udcff]")
_CONTROL = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f]")
# A UTF-8 BOM that was decoded as Windows-1252 and written back as UTF-8.
_MOJIBAKE_BOM = "\u00ef\u00bb\u00bf"


@dataclass(frozen=True)
class Encoding:
    codec: str  # a Python codec name
    label: str  # for people: "UTF-16 (little-endian)"
    skip: int = 0  # bytes of byte-order mark to drop before decoding


def detect_encoding(sample: bytes) -> Encoding:
    """Decide the encoding of a file from its first bytes (the head, or the whole file).

    A multi-byte character cut at the end of the sample does not count against an
    encoding: the sample may end mid-character, and a file cut short mid-character is
    reported as cut short while it is read, not misread as another encoding.
    """
    if not sample:
        raise ImportFileError("the file is empty")
    for magic, what in _MAGIC:
        if sample.startswith(magic):
            raise ImportFileError(f"this is not a text file: it looks like {what}")
    for bom, codec, label in _BOMS:
        if sample.startswith(bom):
            if codec == "utf-8" and not _decodes(sample[len(bom) :], "utf-8"):
                # A UTF-8 mark in front of bytes that are not UTF-8: some tools prepend it
                # to Latin-1 text. Trust the bytes, not the mark.
                guess = _guess_without_bom(sample[len(bom) :])
                return Encoding(guess.codec, f"{guess.label} after a UTF-8 byte-order mark", len(bom))
            return Encoding(codec, f"{label} with byte-order mark", len(bom))
    return _guess_without_bom(sample)


def _guess_without_bom(sample: bytes) -> Encoding:
    utf16 = _utf16_without_bom(sample)
    if utf16 is not None:
        return utf16
    nul = sample.find(b"\x00")
    if nul >= 0:
        raise ImportFileError(f"this is not a text file: it contains binary data (a zero byte at offset {nul})")
    if _decodes(sample, "utf-8") or _mostly_utf8(sample):
        return _text_or_binary(sample, Encoding("utf-8", "UTF-8"))
    best = None
    matches = from_bytes(sample[:SAMPLE_BYTES])
    if matches:
        best = matches.best()
    if best is None:
        raise ImportFileError("this is not a text file: its bytes do not read as text in any known encoding")
    codec = best.encoding
    least_chaos = best.chaos
    for match in matches:
        if match.chaos <= least_chaos + 0.01 and _WESTERN & set(match.could_be_from_charset):
            codec = "cp1252"
            break
    label = "Windows-1252 / Latin-1" if codec == "cp1252" else codecs.lookup(codec).name
    return _text_or_binary(sample, Encoding(codec, label))


def _utf16_without_bom(sample: bytes) -> Encoding | None:
    """Text in UTF-16 without a mark has a zero in every other byte for Latin script."""
    head = sample[:4096]
    if len(head) < 4:
        return None
    even_zero = head[0::2].count(0) / len(head[0::2])
    odd_zero = head[1::2].count(0) / len(head[1::2])
    if odd_zero > 0.4 and even_zero < 0.05:
        return Encoding("utf-16-le", "UTF-16 (little-endian) without byte-order mark")
    if even_zero > 0.4 and odd_zero < 0.05:
        return Encoding("utf-16-be", "UTF-16 (big-endian) without byte-order mark")
    return None


def _mostly_utf8(sample: bytes) -> bool:
    """UTF-8 with a few stray bytes (a Latin-1 edit in a UTF-8 file) is still UTF-8.

    Text in a single-byte encoding almost never forms valid multi-byte UTF-8 sequences,
    so many of them against a few bad bytes settle it; the bad rows are reported alone.
    """
    text = codecs.getincrementaldecoder("utf-8")(errors="surrogateescape").decode(sample, final=False)
    bad = len(_SURROGATES.findall(text))
    good = sum(1 for c in text if c > "\x7f") - bad
    return good >= 2 * bad


def _decodes(data: bytes, codec: str) -> bool:
    decoder = codecs.getincrementaldecoder(codec)()
    try:
        decoder.decode(data, final=False)
    except UnicodeDecodeError:
        return False
    return True


def _text_or_binary(sample: bytes, encoding: Encoding) -> Encoding:
    decoder = codecs.getincrementaldecoder(encoding.codec)(errors="replace")
    text = decoder.decode(sample, final=False)
    if text and len(_CONTROL.findall(text)) > max(2, len(text) // 100):
        raise ImportFileError("this is not a text file: it is full of control characters (binary data?)")
    return encoding


class _Rejoined(io.RawIOBase):
    """The sample we already read, then the rest of the stream, as one raw stream."""

    def __init__(self, head: bytes, rest: BinaryIO) -> None:
        self._head = memoryview(head)
        self._rest = rest

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        if self._head:
            n = min(len(buffer), len(self._head))
            buffer[:n] = self._head[:n]
            self._head = self._head[n:]
            return n
        data = self._rest.read(len(buffer))
        n = len(data)
        buffer[:n] = data
        return n


class TextLines:
    """A binary stream as numbered lines of text (line endings kept, as ``csv`` wants).

    Iterate it for the lines; ``line_no`` is the number of the line last handed out
    (from 1); ``bad_lines`` maps line numbers to what did not decode on them;
    ``ended_with_newline`` tells, once exhausted, whether the last line was complete.
    """

    def __init__(self, stream: BinaryIO) -> None:
        head = stream.read(SAMPLE_BYTES)
        if not isinstance(head, bytes):
            raise TypeError("TextLines needs a binary stream (open the file with 'rb')")
        self.encoding = detect_encoding(head)
        raw = _Rejoined(head[self.encoding.skip :], stream)
        self._text = io.TextIOWrapper(
            io.BufferedReader(raw, buffer_size=SAMPLE_BYTES),
            encoding=self.encoding.codec,
            errors="surrogateescape",
            newline="",
        )
        self.line_no = 0
        self.bad_lines: dict[int, str] = {}
        self.ended_with_newline = True

    def __iter__(self) -> Iterator[str]:
        return self._lines()

    def _lines(self) -> Iterator[str]:
        while True:
            try:
                line = self._text.readline(MAX_LINE_CHARS)
            except UnicodeDecodeError as exc:
                raise ImportFileError(
                    f"the file ends in the middle of a character ({self.encoding.label}): "
                    "it looks cut short — export it again",
                    line=self.line_no + 1,
                ) from exc
            if not line:
                return
            self.line_no += 1
            if len(line) >= MAX_LINE_CHARS and not line.endswith(("\n", "\r")):
                raise ImportFileError(
                    f"the line is longer than {MAX_LINE_CHARS // (1024 * 1024)} million characters: "
                    "this does not look like a CSV or vCard file",
                    line=self.line_no,
                )
            if self.line_no == 1:
                line = line.removeprefix("\ufeff").removeprefix(_MOJIBAKE_BOM)
            self.ended_with_newline = line.endswith(("\n", "\r"))
            line = self._clean(line)
            yield line

    def _clean(self, line: str) -> str:
        bad = _SURROGATES.search(line)
        if bad:
            if not self.ended_with_newline and self._cut_character(line):
                raise ImportFileError(
                    f"the file ends in the middle of a character ({self.encoding.label}): "
                    "it looks cut short — export it again",
                    line=self.line_no,
                )
            byte = ord(bad.group()) - 0xDC00
            self.bad_lines[self.line_no] = (
                f"byte 0x{byte:02X} at column {bad.start() + 1} is not valid {self.encoding.label} "
                "(save the file as UTF-8 and import it again)"
            )
            line = _SURROGATES.sub("\ufffd", line)
        if "\x00" in line:
            self.bad_lines.setdefault(self.line_no, "the line contains binary data (zero bytes)")
            line = line.replace("\x00", "")
        return line

    def _cut_character(self, last_line: str) -> bool:
        """Does the last line end with the first bytes of a character and nothing more?"""
        tail = re.search("[\udc80-\udcff]+$", last_line)
        if tail is None:
            return False
        raw = bytes(ord(c) - 0xDC00 for c in tail.group())
        decoder = codecs.getincrementaldecoder(self.encoding.codec)()
        try:
            return decoder.decode(raw, final=False) == ""
        except UnicodeDecodeError:
            return False

    def problem_between(self, first: int, last: int) -> str | None:
        """What did not decode on lines first..last, if anything; forgets lines before last."""
        found = None
        for number in [n for n in self.bad_lines if n <= last]:
            reason = self.bad_lines.pop(number)
            if number >= first and found is None:
                found = f"line {number}: {reason}" if number != first else reason
        return found
