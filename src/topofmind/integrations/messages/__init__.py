"""Reading and classifying incoming e-mail (issue 14): pure functions on the bytes of a mail.

What it offers
--------------
``read_message(raw: bytes) -> ParsedMessage``
    Message-ID / In-Reply-To / References (without angle brackets), the Date as an aware
    datetime, From / To / Cc / Reply-To as ``Address(name, address)`` with addresses lower-cased,
    the decoded Subject, the readable body (text/plain, or HTML turned into text), ``new_text``
    (quotes and signature removed) and a ``summary`` of at most ~200 characters, attachments
    listed by name and estimated size but never decoded, and for a delivery report the
    per-recipient statuses and the Message-ID of the returned message. Anything it cannot read
    raises ``MessageError`` (and nothing else) with a sentence saying why.
``classify(msg: ParsedMessage) -> Classification``
    ``kind``: personal, auto_reply, out_of_office (with ``return_date`` or None), bounce and
    delayed (with ``delivery``: recipients, status, diagnostic, the original Message-ID), list,
    ats (with ``ats``: system, company, job title, category received / rejection / interview /
    other). ``reasons`` says which evidence decided it.
``glance(header: bytes) -> Glance | None``
    A first look at the header block only (sender, recipients, the ids it answers, whether it
    is a delivery report or ATS mail), so a mailbox sync can leave strangers' mail unparsed.
``return_date(text, sent, language=None) -> date | None``
    The return date an away text names, in English, German, French and Spanish.
``name_key``, ``same_name``, ``match_name(display_name, candidates)``, ``is_reply_to``,
``replied_ids``
    Matching a sender to known people by name and a mail to the messages we sent.

How the services will call it
-----------------------------
The mailbox sync (issue 14) fetches raw messages and, for each::

    try:
        msg = read_message(raw)
    except MessageError as error:
        ...  # record the skipped message with str(error); carry on with the next one
    verdict = classify(msg)
    ours = replied_ids(msg, sent_message_ids)          # which of our mails it answers
    people = match_name(msg.sender.name, known_people)  # when the address is not known yet

and then decides, in the service, what a kind means (R7: only ``personal`` is an answer; an
out-of-office pauses until ``return_date`` or 7 days; a bounce marks the address). This package
never imports Django or the CRM and decides no policy.
"""

from __future__ import annotations

from .classify import classify
from .errors import MessageError
from .glance import Glance, glance
from .matching import is_reply_to, match_name, name_key, replied_ids, same_name
from .model import (
    Address,
    AtsCategory,
    AtsMail,
    Attachment,
    Classification,
    DeliveryProblem,
    DeliveryStatus,
    MessageKind,
    ParsedMessage,
)
from .reader import read_message
from .return_date import return_date

__all__ = [
    "Address",
    "AtsCategory",
    "AtsMail",
    "Attachment",
    "Classification",
    "DeliveryProblem",
    "DeliveryStatus",
    "Glance",
    "MessageError",
    "MessageKind",
    "ParsedMessage",
    "classify",
    "glance",
    "is_reply_to",
    "match_name",
    "name_key",
    "read_message",
    "replied_ids",
    "return_date",
    "same_name",
]
