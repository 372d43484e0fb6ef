"""What the sender wrote now: quoted replies and signatures cut off, then a short summary.

Mail programs mark the start of a quote with a line such as "On Mon, 3 Mar 2031, Ann wrote:",
"Am 03.03.2031 schrieb Ann:", "Le 3 mars 2031, Ann a écrit :", "El 3 mar 2031, Ann escribió:",
or Outlook's "-----Original Message-----" / "From: ..." block; everything from there on is
history, not news.
"""

from __future__ import annotations

import re

_QUOTE_INTRO = re.compile(
    r"""^\s*(
        (on\s.{0,200}\swrote\s*:)                    # English
      | (am\s.{0,200}\sschrieb.{0,80}:)               # German
      | (le\s.{0,200}\sa\s+[ée]crit\s*:)             # French
      | (el\s.{0,200}\sescribi[óo]\s*:)              # Spanish
      | (-{2,}\s*(original\s+message|urspr[üu]ngliche\s+nachricht|message\s+d'origine|mensaje\s+original)\s*-{2,})
      | (_{10,})                                       # Outlook's rule above the quoted header
    )\s*$""",
    re.IGNORECASE | re.VERBOSE,
)
# Outlook and others quote with a header block: "From: ..." then "Sent:" / "Date:" lines.
_QUOTED_HEADER = re.compile(r"^\s*\*?(from|von|de)\s*:\*?\s", re.IGNORECASE)
_QUOTED_HEADER_NEXT = re.compile(r"^\s*\*?(sent|date|gesendet|datum|envoy[ée]|enviado|to|an|à|para)\s*:", re.IGNORECASE)
_SIGNATURE = re.compile(
    r"^\s*(--|sent from my \w+|von meinem \w+ gesendet|envoy[ée] de mon \w+|enviado desde mi \w+)\s*$",
    re.IGNORECASE,
)
_GREETING = re.compile(
    r"^\s*(hi|hello|hey|dear|good (morning|afternoon|evening)|hallo|liebe[rs]?|sehr geehrte[rs]?|guten tag|moin"
    r"|bonjour|bonsoir|cher|ch[èe]re|hola|estimad[oa]|buen[oa]s \w+)\b[^.!?]{0,60}[,!:]?\s*$",
    re.IGNORECASE,
)

# A sign-off on a line of its own ends what is worth summarising.
_CLOSING = re.compile(
    r"^\s*(best(\s+regards|\s+wishes)?|(kind|warm|many)\s+regards|regards|many\s+thanks|thanks(\s+again)?|thank\s+you"
    r"|cheers|all\s+the\s+best|sincerely|yours(\s+sincerely|\s+truly)?"
    r"|mit\s+freundlichen\s+gr[üu](ß|ss)en|(freundliche|viele|beste|liebe|herzliche)\s+gr[üu](ß|ss)e|gru(ß|ss)|lg|vg|mfg"
    r"|(bien\s+)?cordialement|bien\s+[àa]\s+vous|merci|amiti[ée]s|(un\s+)?saludos?|atentamente|un\s+abrazo|gracias)"
    r"[\s,.!]*$",
    re.IGNORECASE,
)

SUMMARY_LENGTH = 200


def new_text(text: str) -> str:
    """The body without quoted history, '>' lines and the signature."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    kept: list[str] = []
    for index, line in enumerate(lines):
        if _QUOTE_INTRO.match(line) or _SIGNATURE.match(line):
            break
        # A quote intro is sometimes wrapped over two lines ("On ..., Ann" / "<ann@x> wrote:").
        if index + 1 < len(lines) and _QUOTE_INTRO.match(line + " " + lines[index + 1]):
            break
        if _QUOTED_HEADER.match(line) and any(_QUOTED_HEADER_NEXT.match(nxt) for nxt in lines[index + 1 : index + 4]):
            break
        if line.lstrip().startswith(">"):
            continue
        kept.append(line.rstrip())
    return "\n".join(kept).strip()


def summarise(fresh: str, limit: int = SUMMARY_LENGTH) -> str:
    """The first meaningful lines of ``fresh`` (greetings skipped), at most ``limit`` characters."""
    lines = [" ".join(line.split()) for line in fresh.split("\n")]
    meaningful = [line for line in lines if line]
    if len(meaningful) > 1 and _GREETING.match(meaningful[0]):
        meaningful = meaningful[1:]
    for index, line in enumerate(meaningful):
        if index and _CLOSING.match(line):
            meaningful = meaningful[:index]
            break
    joined = " ".join(meaningful)
    if len(joined) <= limit:
        return joined
    cut = joined[: limit - 1]
    if " " in cut[limit // 2 :]:
        cut = cut[: cut.rfind(" ")]
    return cut.rstrip(" ,;:-") + "…"
