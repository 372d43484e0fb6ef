"""Sending mail over SMTP, and the mail account and error shared with ``integrations.imap``.

What it offers:

* ``MailAccount`` (validated on creation; a bad field raises ``MailError`` naming it),
  ``default_port``, ``oauth_requirement`` / ``require_password_login`` (Microsoft mail takes
  only OAuth) and ``app_password_advice`` (Gmail, iCloud, Fastmail, Yahoo);
* ``compose(OutgoingMail(...), now=...) -> ComposedMail``: a plain-text message with our own
  Message-ID (``.message_id``, to record), threading headers, no header injection;
* ``send(composed, account=..., ssl_context=None, timeout=30) -> SendReceipt``;
* ``check_login(account, ssl_context=None, timeout=30)``: connect and log in, send nothing;
* ``MailError``: ``.reason`` (a code), a one-sentence message, ``.may_have_been_sent``,
  ``.temporary``, ``.last_uid``.

How a service sends an approved draft, exactly once::

    composed = compose(OutgoingMail(from_address=account.default_from, from_name=...,
                                    to_address=..., to_name=..., subject=..., body=...,
                                    in_reply_to=..., references=...), now=now)
    # record composed.message_id and mark the send "in flight" in one transaction, then:
    try:
        send(composed, account=account)
    except MailError as error:
        if error.may_have_been_sent: ...   # never retry; ask the user to check
        elif error.temporary: ...          # retry later
        else: ...                          # show error.message to the user
    # then file our copy where the user's mail client will show it:
    with imap.open_mailbox(account) as box:
        box.append_sent(composed.raw, when=now)

No Django, no ORM, no policy here: the caller decides when and whether to send.
"""

from topofmind.integrations.smtp.account import SECURITY_MODES, Endpoint, MailAccount, Security, default_port
from topofmind.integrations.smtp.compose import ComposedMail, OutgoingMail, compose
from topofmind.integrations.smtp.errors import MailError, Reason
from topofmind.integrations.smtp.providers import app_password_advice, oauth_requirement, require_password_login
from topofmind.integrations.smtp.send import SendReceipt, check_login, send

__all__ = [
    "SECURITY_MODES",
    "ComposedMail",
    "Endpoint",
    "MailAccount",
    "MailError",
    "OutgoingMail",
    "Reason",
    "Security",
    "SendReceipt",
    "app_password_advice",
    "check_login",
    "compose",
    "default_port",
    "oauth_requirement",
    "require_password_login",
    "send",
]
