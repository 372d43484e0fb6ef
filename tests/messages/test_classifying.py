from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest

from topofmind.integrations.messages import AtsCategory, MessageKind, classify, read_message

Eml = Callable[[str], bytes]


def test_a_person_answering_in_the_thread_is_personal(eml: Eml) -> None:
    verdict = classify(read_message(eml("threaded_reply")))

    assert verdict.kind is MessageKind.PERSONAL
    assert verdict.return_date is None and verdict.delivery is None and verdict.ats is None


@pytest.mark.parametrize(
    ("sample", "back_on"),
    [
        ("ooo_gmail_en", date(2031, 3, 24)),  # "will be back on 24 March"
        ("ooo_gmail_es", date(2031, 5, 5)),  # "estaré de vuelta el 5 de mayo"
        ("ooo_outlook_de", date(2031, 6, 3)),  # "ab dem 3. Juni wieder im Büro"
        ("ooo_outlook_fr", date(2031, 9, 2)),  # "de retour le 2 septembre", HTML only
    ],
)
def test_an_out_of_office_reply_says_when_the_person_is_back(eml: Eml, sample: str, back_on: date) -> None:
    verdict = classify(read_message(eml(sample)))

    assert verdict.kind is MessageKind.OUT_OF_OFFICE
    assert verdict.return_date == back_on
    assert any(back_on.isoformat() in reason for reason in verdict.reasons)


def test_an_out_of_office_without_a_date_has_no_return_date() -> None:
    raw = (
        b"From: Kim <kim@example.org>\nSubject: Automatic reply: hello\nAuto-Submitted: auto-generated\n"
        b"Date: Mon, 3 Mar 2031 10:00:00 +0000\n\nI am currently out of the office with limited access to e-mail.\n"
    )

    verdict = classify(read_message(raw))

    assert verdict.kind is MessageKind.OUT_OF_OFFICE
    assert verdict.return_date is None  # the caller then pauses its default 7 days


def test_an_out_of_office_subject_alone_is_enough_to_know_a_machine_answered() -> None:
    raw = (
        b"From: Kim <kim@example.org>\nSubject: Out of Office: hello\nDate: Mon, 3 Mar 2031 10:00:00 +0000\n\n"
        b"I am away and will return on 10/03/2031.\n"
    )

    verdict = classify(read_message(raw))

    assert verdict.kind is MessageKind.OUT_OF_OFFICE
    assert verdict.return_date == date(2031, 10, 3)  # English slashes read month first


def test_an_automatic_acknowledgement_that_is_not_an_absence_is_an_auto_reply(eml: Eml) -> None:
    verdict = classify(read_message(eml("auto_reply_ticket")))

    assert verdict.kind is MessageKind.AUTO_REPLY
    assert "Auto-Submitted: auto-replied" in verdict.reasons


@pytest.mark.parametrize(
    "header",
    [
        b"Auto-Submitted: auto-generated",
        b"X-Autorespond: yes",
        b"Precedence: junk",
        b"Precedence: auto_reply",
        b"X-Auto-Response-Suppress: OOF",
    ],
)
def test_each_auto_reply_header_marks_a_machine(header: bytes) -> None:
    raw = b"From: robot@example.org\nSubject: Re: hello\n" + header + b"\n\nYour message was received.\n"

    assert classify(read_message(raw)).kind is MessageKind.AUTO_REPLY


def test_auto_submitted_no_is_a_person() -> None:
    raw = b"From: Ann <ann@example.org>\nSubject: Re: hello\nAuto-Submitted: no\n\nSounds good, see you then.\n"

    assert classify(read_message(raw)).kind is MessageKind.PERSONAL


def test_a_failed_delivery_report_is_a_bounce_naming_the_address_and_our_message(eml: Eml) -> None:
    verdict = classify(read_message(eml("dsn_failed")))

    assert verdict.kind is MessageKind.BOUNCE
    assert verdict.delivery is not None
    assert verdict.delivery.recipients == ("k.ward@oldco.example",)  # not hr@, which was delivered
    assert verdict.delivery.status == "5.1.1"
    assert "User unknown" in verdict.delivery.diagnostic
    assert verdict.delivery.original_message_id == "20310306.nudge.5@seeker.example"


def test_a_delayed_delivery_report_is_not_a_bounce(eml: Eml) -> None:
    verdict = classify(read_message(eml("dsn_delayed")))

    assert verdict.kind is MessageKind.DELAYED
    assert verdict.delivery is not None
    assert verdict.delivery.recipients == ("ana@slowhost.example",)
    assert verdict.delivery.status == "4.4.7"
    assert verdict.delivery.original_message_id == "20310307.value.3@seeker.example"


def test_a_newsletter_is_list_mail(eml: Eml) -> None:
    verdict = classify(read_message(eml("newsletter")))

    assert verdict.kind is MessageKind.LIST
    assert "list-id header" in verdict.reasons


def test_an_ats_confirmation_names_the_system_company_job_and_says_received(eml: Eml) -> None:
    verdict = classify(read_message(eml("ats_greenhouse_received")))

    assert verdict.kind is MessageKind.ATS
    assert verdict.ats is not None
    assert (verdict.ats.system, verdict.ats.company, verdict.ats.job_title) == (
        "Greenhouse",
        "Acme",
        "Senior Platform Engineer",
    )
    # "If your experience fits, we would like to invite you" is a promise, not an invitation.
    assert verdict.ats.category is AtsCategory.RECEIVED


def test_an_ats_rejection_is_a_rejection_even_though_it_thanks_you_for_applying(eml: Eml) -> None:
    verdict = classify(read_message(eml("ats_lever_rejection")))

    assert verdict.kind is MessageKind.ATS  # not list mail, despite its List-Unsubscribe
    assert verdict.ats is not None
    assert (verdict.ats.system, verdict.ats.company, verdict.ats.job_title) == ("Lever", "Lumen Labs", "Data Analyst")
    assert verdict.ats.category is AtsCategory.REJECTION


def test_an_interview_invitation_from_an_ats_is_an_interview(eml: Eml) -> None:
    verdict = classify(read_message(eml("ats_ashby_interview")))

    assert verdict.ats is not None
    assert (verdict.ats.system, verdict.ats.company, verdict.ats.job_title) == ("Ashby", "Orbit", "Product Designer")
    assert verdict.ats.category is AtsCategory.INTERVIEW


def test_a_german_ats_confirmation_is_understood(eml: Eml) -> None:
    verdict = classify(read_message(eml("ats_personio_received_de")))

    assert verdict.ats is not None
    assert (verdict.ats.system, verdict.ats.company, verdict.ats.job_title) == (
        "Personio",
        "Nordlicht GmbH",
        "Backend-Entwickler",
    )
    assert verdict.ats.category is AtsCategory.RECEIVED


def test_a_german_rejection_from_workday_is_a_rejection() -> None:
    raw = (
        "From: Talent Acquisition <acme@myworkday.com>\nSubject: Ihre Bewerbung bei Acme\n"
        "Content-Type: text/plain; charset=utf-8\n\n"
        "Vielen Dank für Ihr Interesse. Leider müssen wir Ihnen mitteilen, dass wir uns für andere Kandidaten "
        "entschieden haben.\n"
    ).encode()

    verdict = classify(read_message(raw))

    assert verdict.ats is not None
    assert verdict.ats.system == "Workday"
    assert verdict.ats.company == "Acme"  # the display name is generic; the subject names it
    assert verdict.ats.category is AtsCategory.REJECTION


def test_mail_from_an_ats_that_says_nothing_known_is_other() -> None:
    raw = b"From: Acme Careers <jobs@acme.smartrecruiters.com>\nSubject: New jobs you may like\n\nSee our openings.\n"

    verdict = classify(read_message(raw))

    assert verdict.ats is not None and verdict.ats.category is AtsCategory.OTHER
    assert verdict.ats.company == "Acme"


@pytest.mark.parametrize(
    "header",
    [b"Precedence: list", b"List-Unsubscribe: <mailto:leave@lists.example.org>", b"List-Id: <jobs.lists.example.org>"],
)
def test_each_list_header_marks_list_mail(header: bytes) -> None:
    raw = b"From: Jobs Digest <digest@lists.example.org>\nSubject: This week\n" + header + b"\n\nTen new openings.\n"

    assert classify(read_message(raw)).kind is MessageKind.LIST


def test_an_old_style_bounce_without_a_report_is_still_a_bounce() -> None:
    raw = (
        b"From: MAILER-DAEMON@mx.example.org\nSubject: Undeliverable: Following up\n"
        b"Date: Mon, 3 Mar 2031 10:00:00 +0000\n\nYour message to kim@oldco.example could not be delivered.\n"
    )

    verdict = classify(read_message(raw))

    assert verdict.kind is MessageKind.BOUNCE
    assert verdict.delivery is not None and verdict.delivery.recipients == ()  # unknown without a report


def _report(action: str, status: str) -> bytes:
    return (
        "From: MAILER-DAEMON@mx.example.org\nSubject: Delivery Status Notification\n"
        'Content-Type: multipart/report; report-type=delivery-status; boundary="b"\n\n'
        "--b\nContent-Type: text/plain\n\nAbout your message.\n"
        "--b\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; mx.example.org\n\n"
        f"Final-Recipient: rfc822; kim@oldco.example\nAction: {action}\nStatus: {status}\n"
        "--b--\n"
    ).encode()


@pytest.mark.parametrize(
    ("action", "status", "kind"),
    [
        ("failed", "5.2.2", MessageKind.BOUNCE),
        ("failed", "4.2.2", MessageKind.DELAYED),  # a temporary status is not final, whatever the action
        ("delayed", "4.4.1", MessageKind.DELAYED),
        ("delivered", "2.0.0", MessageKind.AUTO_REPLY),  # a machine reporting success is no one's answer
    ],
)
def test_only_a_permanent_failure_is_a_bounce(action: str, status: str, kind: MessageKind) -> None:
    assert classify(read_message(_report(action, status))).kind is kind
