"""Signs that a machine answered: RFC 3834 and the headers mail programs add, and away texts."""

from __future__ import annotations

import re

from .model import ParsedMessage

# Subjects an auto-responder writes in front of the original subject.
_AWAY_SUBJECT = re.compile(
    r"^\s*(out\s+of\s+(the\s+)?office|automatic\s+reply|auto(matic)?[-\s]?reply|autoreply|auto\s+response"
    r"|abwesenheit(snotiz)?|automatische\s+antwort|nicht\s+im\s+b[üu]ro"
    r"|absence\s+du\s+bureau|r[ée]ponse\s+automatique|absent(e)?\s+du\s+bureau"
    r"|respuesta\s+autom[áa]tica|fuera\s+de\s+la\s+oficina|ausencia|vacation\s+reply|on\s+vacation)\b",
    re.IGNORECASE,
)
# Sentences that say the writer is away, in the four languages.
_AWAY_PHRASES = (
    r"out\s+of\s+(the\s+)?office",
    r"\bi\s+am\s+(currently\s+)?(away|out|on\s+(vacation|holiday|leave|parental\s+leave))",
    r"\bi'm\s+(currently\s+)?(away|out|on\s+(vacation|holiday|leave))",
    r"\bon\s+(annual\s+)?leave\b",
    r"limited\s+access\s+to\s+(my\s+)?e-?mail",
    r"\bwill\s+be\s+back\b",
    r"\bnicht\s+im\s+b[üu]ro\b",
    r"\babwesend\b",
    r"\bim\s+urlaub\b",
    r"\bau[ßs]er\s+haus\b",
    r"\bwieder\s+im\s+b[üu]ro\b",
    r"\babsent(e)?\b",
    r"\ben\s+cong[ée]\b",
    r"\ben\s+vacances\b",
    r"\bde\s+retour\b",
    r"\bausente\b",
    r"\bde\s+vacaciones\b",
    r"\bfuera\s+de\s+la\s+oficina\b",
    r"\bde\s+vuelta\b",
)


def _letter_first(phrase: str) -> str:
    """``\\bx...`` written as ``x(?<=\\bx)...``: the same matches, but at each place in the text
    the engine compares one letter before it looks for a word boundary, which halves the time
    of a search through a text that says none of the phrases (most auto-replies' texts)."""
    if phrase.startswith("\\b") and phrase[2:3].isalpha():
        return f"{phrase[2]}(?<=\\b{phrase[2]}){phrase[3:]}"
    return phrase


_AWAY_TEXT = re.compile("(" + "|".join(_letter_first(phrase) for phrase in _AWAY_PHRASES) + ")", re.IGNORECASE)


def auto_reply_headers(msg: ParsedMessage) -> list[str]:
    """Reasons, one per header, that say this mail was sent by a program in answer to ours."""
    reasons: list[str] = []
    submitted = (msg.header("auto-submitted") or "").split(";")[0].strip().lower()
    if submitted and submitted != "no":
        reasons.append(f"Auto-Submitted: {submitted}")
    for name in ("x-autoreply", "x-autorespond", "x-auto-response-suppress"):
        if msg.header(name) is not None:
            reasons.append(f"{name} header")
    precedence = (msg.header("precedence") or "").strip().lower()
    if precedence in ("bulk", "junk", "auto_reply"):
        reasons.append(f"Precedence: {precedence}")
    return reasons


def explicit_auto_reply(msg: ParsedMessage) -> bool:
    """True when the headers say this is an answer (not a notification or a newsletter)."""
    submitted = (msg.header("auto-submitted") or "").split(";")[0].strip().lower()
    return (
        submitted == "auto-replied"
        or msg.header("x-autoreply") is not None
        or msg.header("x-autorespond") is not None
        or (msg.header("precedence") or "").strip().lower() == "auto_reply"
    )


def away_subject(subject: str) -> bool:
    return bool(_AWAY_SUBJECT.match(subject))


def says_away(msg: ParsedMessage) -> bool:
    """True when the subject or the new text says the writer is away."""
    return away_subject(msg.subject) or bool(_AWAY_TEXT.search(msg.new_text or msg.text))
