"""Setting long base64 runs aside before parsing, so a big attachment is never walked line by line.

The standard parser feeds every line of a message through its state machine: 20 MB of base64 is
~350,000 lines and more than a second. We cut every run of at least ``MIN_LINES`` base64 lines
out of the bytes first (one regex pass), leave a one-line token in its place, and keep the runs:
an attachment is then measured from the run's length, and a text part that happened to be that
long gets its run back before it is decoded, so nothing is lost.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

MIN_LINES = 2000  # ~150 KB of base64: smaller parts cost the parser nothing worth saving
_RUN = re.compile(rb"(?:[A-Za-z0-9+/=]{40,100}\r?\n){%d,}" % MIN_LINES)
_TOKEN = re.compile(r"!set-aside-(\d+)!")


@dataclass
class SetAside:
    runs: list[bytes] = field(default_factory=list)

    def restore(self, payload: str) -> str:
        """``payload`` with every token replaced by the base64 run it stands for."""
        if not self.runs or "!set-aside-" not in payload:
            return payload
        return _TOKEN.sub(self._run_text, payload)

    def _run_text(self, match: re.Match[str]) -> str:
        index = int(match[1])
        # The same words can occur in a mail by chance; only our own tokens are replaced.
        return self.runs[index].decode("ascii") if index < len(self.runs) else match[0]

    def encoded_length(self, payload: str) -> int:
        """The length of ``payload`` as sent, counting the runs behind its tokens (no line ends)."""
        extra = 0
        for match in _TOKEN.finditer(payload):
            if int(match[1]) >= len(self.runs):
                continue
            run = self.runs[int(match[1])]
            extra += len(run) - run.count(b"\n") - run.count(b"\r") - len(match[0])
        return len(payload) - payload.count("\n") - payload.count("\r") + extra


def set_aside(raw: bytes) -> tuple[bytes, SetAside]:
    """``raw`` with its long base64 runs replaced by tokens, and the runs to put them back."""
    kept = SetAside()

    def token(match: re.Match[bytes]) -> bytes:
        kept.runs.append(match[0])
        return b"!set-aside-%d!\n" % (len(kept.runs) - 1)

    return _RUN.sub(token, raw), kept
