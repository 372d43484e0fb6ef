"""``classify``: what kind of mail a read message is, with the evidence for it.

The order matters and is the point of this module:
1. a delivery-status report is a bounce (failed, 5.x.x) or a delay (delayed, 4.x.x);
2. an auto-reply (by its headers or an auto-responder's subject) that says the person is away is
   an out-of-office, with the return date when its text names one;
3. mail from an applicant-tracking system is ``ats`` even though such systems mark their mail as
   automatic or bulk: it carries news about an application;
4. other explicit auto-replies; 5. mailing lists; 6. other automatic mail (bulk, auto-generated);
7. everything else: a person wrote.
The caller decides what each kind means for the follow-ups; nothing here knows the rulebook.
"""

from __future__ import annotations

import re

from .ats import read_ats
from .autoreply import auto_reply_headers, away_subject, explicit_auto_reply, says_away
from .model import Classification, DeliveryProblem, DeliveryStatus, MessageKind, ParsedMessage
from .return_date import return_date

_BOUNCE_SENDER = re.compile(r"^(mailer-daemon|postmaster)@", re.IGNORECASE)
_BOUNCE_SUBJECT = re.compile(
    r"(undeliver|delivery\s+status\s+notification\s+\(failure\)|returned\s+mail|delivery\s+(has\s+)?failed"
    r"|unzustellbar|non\s+remis|no\s+se\s+puede\s+entregar)",
    re.IGNORECASE,
)


def _problem(statuses: list[DeliveryStatus], msg: ParsedMessage) -> DeliveryProblem:
    return DeliveryProblem(
        recipients=tuple(status.recipient for status in statuses),
        status=statuses[0].status,
        diagnostic=statuses[0].diagnostic,
        original_message_id=msg.original_message_id,
    )


def _delivery(msg: ParsedMessage) -> Classification | None:
    if msg.content_type != "multipart/report" or not msg.delivery:
        if msg.sender and _BOUNCE_SENDER.match(msg.sender.address) and _BOUNCE_SUBJECT.search(msg.subject):
            # An old-style bounce without a report: we know it failed, not for whom.
            return Classification(
                kind=MessageKind.BOUNCE,
                reasons=(f"sent by {msg.sender.address} with subject “{msg.subject}”",),
                delivery=DeliveryProblem((), "", msg.summary, msg.original_message_id),
            )
        return None
    # A bounce is final: failed with a permanent (5.x.x) status, or failed with no status at all.
    failed = [
        s
        for s in msg.delivery
        if (s.action == "failed" and not s.status.startswith("4.")) or (not s.action and s.status.startswith("5."))
    ]
    if failed:
        return Classification(
            kind=MessageKind.BOUNCE,
            reasons=(f"delivery-status report: failed ({failed[0].status or 'no status'})",),
            delivery=_problem(failed, msg),
        )
    delayed = [s for s in msg.delivery if s.action == "delayed" or s.status.startswith("4.")]
    if delayed:
        return Classification(
            kind=MessageKind.DELAYED,
            reasons=(f"delivery-status report: delayed ({delayed[0].status or 'no status'})",),
            delivery=_problem(delayed, msg),
        )
    # Delivered or relayed: a machine reporting success, which is no one's answer.
    actions = ", ".join(sorted({s.action or "no action" for s in msg.delivery}))
    return Classification(kind=MessageKind.AUTO_REPLY, reasons=(f"delivery-status report: {actions}",))


def classify(msg: ParsedMessage) -> Classification:
    """The kind of ``msg`` (see the module docstring for the order of the checks)."""
    delivery = _delivery(msg)
    if delivery is not None:
        return delivery

    auto = auto_reply_headers(msg)
    if away_subject(msg.subject):
        auto.append(f"subject “{msg.subject}”")
    if auto and says_away(msg):
        when = return_date(msg.new_text or msg.text, msg.date, _content_language(msg))
        reasons = (*auto, f"says the person is away, back {when.isoformat()}" if when else "says the person is away")
        return Classification(kind=MessageKind.OUT_OF_OFFICE, reasons=reasons, return_date=when)

    ats = read_ats(msg)
    if ats is not None:
        return Classification(kind=MessageKind.ATS, reasons=(f"sent by {ats.system}",), ats=ats)

    if explicit_auto_reply(msg):
        return Classification(kind=MessageKind.AUTO_REPLY, reasons=tuple(auto))

    listed = [name for name in ("list-id", "list-unsubscribe") if msg.header(name) is not None]
    if (msg.header("precedence") or "").strip().lower() == "list":
        listed.append("precedence")
    if listed:
        return Classification(kind=MessageKind.LIST, reasons=tuple(f"{name} header" for name in listed))

    if auto:
        return Classification(kind=MessageKind.AUTO_REPLY, reasons=tuple(auto))
    return Classification(kind=MessageKind.PERSONAL, reasons=("no sign of a machine",))


def _content_language(msg: ParsedMessage) -> str | None:
    value = (msg.header("content-language") or "").strip().lower()[:2]
    return value if value in ("en", "de", "fr", "es") else None
