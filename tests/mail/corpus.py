"""A corpus of mail for the sync tests, written for them: each function gives the bytes of one message.

Dates are given by the test (around its fixed "now"), so the same messages serve a sync at any
moment. Everything a real client or server would put in is there: encoded headers, Latin-1
bodies, Outlook's and Gmail's away notices, Postfix's delivery reports, ATS mail.
"""

from __future__ import annotations

import base64
import os
from datetime import datetime
from email.utils import format_datetime

ME = "Alice Martin <{me}>"


def _date(when: datetime) -> str:
    return format_datetime(when)


def plain(
    *,
    sender: str,
    to: str,
    subject: str,
    body: str,
    when: datetime,
    message_id: str,
    in_reply_to: str | None = None,
    references: str | None = None,
    extra: str = "",
    charset: str = "utf-8",
) -> bytes:
    head = [
        f"From: {sender}",
        f"To: {to}",
        f"Subject: {subject}",
        f"Date: {_date(when)}",
        f"Message-ID: <{message_id}>",
    ]
    if in_reply_to:
        head.append(f"In-Reply-To: <{in_reply_to}>")
        head.append(f"References: {references or f'<{in_reply_to}>'}")
    if extra:
        head += extra.strip("\n").split("\n")
    head += ["MIME-Version: 1.0", f'Content-Type: text/plain; charset="{charset}"', "Content-Transfer-Encoding: 8bit"]
    return ("\r\n".join(head) + "\r\n\r\n").encode("ascii") + body.replace("\n", "\r\n").encode(charset)


def threaded_reply(me: str, when: datetime, *, to_id: str, message_id: str = "dana-reply-1@acme.test") -> bytes:
    return plain(
        sender="Dana Reyes <dana@acme.test>",
        to=me,
        subject="Re: Backend engineer application",
        body=(
            "Hi Alice,\n\nThanks for following up. Could you do a call on Thursday at 10?\n\nDana\n\n"
            f"On Mon, Alice Martin <{me}> wrote:\n> I applied for the backend engineer role last week.\n"
        ),
        when=when,
        message_id=message_id,
        in_reply_to=to_id,
    )


def reply_from_second_address(me: str, when: datetime) -> bytes:
    return plain(
        sender='"Reyes, Dana" <dana.reyes@mailbox.test>',
        to=me,
        subject="Quick question about your portfolio",
        body="Hi Alice,\n\nWriting from my personal address: is your portfolio online?\n\nDana",
        when=when,
        message_id="dana-second-1@mailbox.test",
    )


def ooo_gmail_en(me: str, when: datetime, *, sender: str, back: str) -> bytes:
    return plain(
        sender=sender,
        to=me,
        subject="Out of Office Re: Backend engineer application",
        body=f"Hello,\n\nI am out of the office with limited access to email. I will be back on {back}.\n\nBest",
        when=when,
        message_id="ooo-gmail-en@acme.test",
        extra="Auto-Submitted: auto-replied\nX-Autoreply: yes\nPrecedence: bulk",
    )


def ooo_outlook_de(me: str, when: datetime, *, sender: str, back: str) -> bytes:
    # Outlook: the subject encoded in Latin-1, the body quoted-printable Latin-1.
    body = (
        "Sehr geehrte Damen und Herren,\n\nvielen Dank für Ihre Nachricht. Ich bin derzeit nicht im Büro "
        f"und ab dem {back} wieder erreichbar.\n\nMit freundlichen Grüßen"
    )
    head = [
        f"From: {sender}",
        f"To: {me}",
        "Subject: =?iso-8859-1?Q?Automatische_Antwort:_Bewerbung?=",
        f"Date: {_date(when)}",
        "Message-ID: <ooo-outlook-de@acme.test>",
        "Auto-Submitted: auto-generated",
        "X-Auto-Response-Suppress: All",
        "Content-Language: de-DE",
        "MIME-Version: 1.0",
        'Content-Type: text/plain; charset="iso-8859-1"',
        "Content-Transfer-Encoding: 8bit",
    ]
    return ("\r\n".join(head) + "\r\n\r\n").encode("ascii") + body.replace("\n", "\r\n").encode("latin-1")


def ooo_without_date(me: str, when: datetime, *, sender: str) -> bytes:
    return plain(
        sender=sender,
        to=me,
        subject="Automatic reply: Hello",
        body="Thank you for your message. I am currently out of the office.",
        when=when,
        message_id="ooo-nodate@acme.test",
        extra="Auto-Submitted: auto-replied\nX-Auto-Response-Suppress: All",
    )


def auto_reply(me: str, when: datetime, *, sender: str) -> bytes:
    return plain(
        sender=sender,
        to=me,
        subject="We received your message [ticket 4411]",
        body="This is an automatic confirmation: your message has been received.",
        when=when,
        message_id="autoreply-1@acme.test",
        extra="Auto-Submitted: auto-replied",
    )


def _dsn(me: str, when: datetime, *, recipient: str, action: str, status: str, message_id: str) -> bytes:
    return f"""Return-Path: <>
From: Mail Delivery System <MAILER-DAEMON@mx.seeker.test>
To: {me}
Subject: {"Undelivered Mail Returned to Sender" if action == "failed" else "Delayed Mail (still being retried)"}
Date: {_date(when)}
Message-ID: <{message_id}>
Auto-Submitted: auto-replied
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="BOUNDARY-1"

--BOUNDARY-1
Content-Type: text/plain; charset=us-ascii

This is the mail system at host mx.seeker.test.

--BOUNDARY-1
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.seeker.test

Final-Recipient: rfc822; {recipient}
Action: {action}
Status: {status}
Diagnostic-Code: smtp; {"550 5.1.1 User unknown" if action == "failed" else "451 4.4.1 Try again later"}

--BOUNDARY-1
Content-Type: text/rfc822-headers

From: {me}
To: {recipient}
Subject: Backend engineer application
Message-ID: <nudge-out-1@seeker.test>

--BOUNDARY-1--
""".replace("\n", "\r\n").encode("ascii")


def dsn_failed(me: str, when: datetime, *, recipient: str) -> bytes:
    return _dsn(
        me, when, recipient=recipient, action="failed", status="5.1.1", message_id="dsn-failed-1@mx.seeker.test"
    )


def dsn_delayed(me: str, when: datetime, *, recipient: str) -> bytes:
    return _dsn(
        me, when, recipient=recipient, action="delayed", status="4.4.1", message_id="dsn-delayed-1@mx.seeker.test"
    )


def newsletter(me: str, when: datetime) -> bytes:
    return plain(
        sender="Acme News <news@acme.test>",
        to=me,
        subject="This week at Acme",
        body="Our engineering blog has three new posts.",
        when=when,
        message_id="news-1@acme.test",
        extra="List-Id: Acme news <news.acme.test>\nList-Unsubscribe: <mailto:leave@acme.test>\nPrecedence: list",
    )


def ats_confirmation(me: str, when: datetime) -> bytes:
    return plain(
        sender="Globex Recruiting <no-reply@us.greenhouse-mail.io>",
        to=me,
        subject="Thank you for applying to Globex",
        body="Hi Alice,\n\nThanks for applying for the Platform Engineer position. We have received your application.",
        when=when,
        message_id="gh-received-1@us.greenhouse-mail.io",
    )


def ats_rejection(me: str, when: datetime) -> bytes:
    return plain(
        sender="Globex <no-reply@hire.lever.co>",
        to=me,
        subject="Your application to Globex",
        body=(
            "Hi Alice,\n\nThank you for applying for the Platform Engineer role at Globex. Unfortunately we have "
            "decided to move forward with other candidates.\n\nThe Globex team"
        ),
        when=when,
        message_id="lever-rejection-1@hire.lever.co",
        extra="Precedence: bulk",
    )


def latin1(me: str, when: datetime) -> bytes:
    # Declared Latin-1 and written in Latin-1, with an encoded-word name.
    return plain(
        sender="=?iso-8859-1?Q?Jos=E9_Garc=EDa?= <jose@acme.test>",
        to=me,
        subject="=?iso-8859-1?Q?Caf=E9_la_semaine_prochaine?=",
        body="Bonjour Alice,\n\nUn café la semaine prochaine ? Je suis libre à partir de mardi.\n\nJosé",
        when=when,
        message_id="latin1-1@acme.test",
        charset="iso-8859-1",
    )


def malformed() -> bytes:
    return b"\x00\x01\x02 this is not an e-mail at all \xff\xfe\r\n\r\n\x00"


def big_attachment(me: str, when: datetime, *, megabytes: int = 20) -> bytes:
    payload = base64.encodebytes(os.urandom(megabytes * 1024 * 1024))
    head = (
        f"From: Dana Reyes <dana@acme.test>\r\nTo: {me}\r\nSubject: The take-home exercise\r\n"
        f"Date: {_date(when)}\r\nMessage-ID: <big-1@acme.test>\r\nMIME-Version: 1.0\r\n"
        'Content-Type: multipart/mixed; boundary="BIG"\r\n\r\n'
        '--BIG\r\nContent-Type: text/plain; charset="utf-8"\r\n\r\n'
        "Hi Alice, here is the exercise we talked about, with the data set attached.\r\n\r\n"
        '--BIG\r\nContent-Type: application/zip; name="data.zip"\r\nContent-Disposition: attachment; '
        'filename="data.zip"\r\nContent-Transfer-Encoding: base64\r\n\r\n'
    ).encode("ascii")
    return head + payload.replace(b"\n", b"\r\n") + b"\r\n--BIG--\r\n"


def sent_by_me(
    me: str,
    when: datetime,
    *,
    to: str,
    subject: str,
    message_id: str,
    in_reply_to: str | None = None,
    body: str = "Hi,\n\nJust following up on my note.\n\nAlice",
) -> bytes:
    return plain(
        sender=ME.format(me=me),
        to=to,
        subject=subject,
        body=body,
        when=when,
        message_id=message_id,
        in_reply_to=in_reply_to,
    )


def stranger_answer(me: str, when: datetime, *, to_id: str) -> bytes:
    return plain(
        sender="Priya Natarajan <priya@initech.test>",
        to=me,
        subject="Re: Introduction",
        body="Hi Alice,\n\nDana forwarded your note. Happy to talk next week.\n\nPriya",
        when=when,
        message_id="priya-1@initech.test",
        in_reply_to=to_id,
    )


def stranger_spam(me: str, when: datetime) -> bytes:
    return plain(
        sender="Deals <deals@shop.test>",
        to=me,
        subject="50% off",
        body="Buy now.",
        when=when,
        message_id="deal-1@shop.test",
    )
