"""The mailbox sync against Debian's dovecot on loopback, with the corpus in tests/mail/corpus.py.

Alice's desk (conftest): Dana Reyes at dana@acme.test, an application to her a week ago that
she has not answered, so R3's first nudge is due today. Each test puts mail in Alice's real
IMAP mailbox and runs the sync as the periodic job or `topofmind mail sync` would.
"""

from __future__ import annotations

import socket
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from tests.mail import corpus
from tests.mail.conftest import Desk
from tests.mailservers.servers import CuttingProxy, cutting_proxy

from topofmind.crm import queries, services
from topofmind.crm.models import (
    FollowUp,
    Interaction,
    MailAccount,
    MailFolderState,
    MailReview,
    MailSkipped,
    Opportunity,
    Person,
    PersonEmail,
)
from topofmind.engine.types import Channel, Kind, Purpose, Role, Stage

pytestmark = pytest.mark.django_db(transaction=True)
FIXTURES = Path(__file__).parents[1] / "fixtures" / "mail"
__all__ = ["cutting_proxy"]


def put(desk: Desk, raw: bytes, when: datetime, *, folder: str = "INBOX") -> None:
    desk.dovecot.append(desk.imap, raw, folder=folder, when=when.timestamp())


@pytest.fixture(autouse=True)
def _whole_mailbox(desk: Desk, now: datetime) -> None:
    # Dovecot stamps mail "received" at the real clock, years before the tests' fixed 2030 "now":
    # a window of ten years takes it in (test_the_first_sync_reads_only_the_window checks the window).
    services.set_sync_window(user_id=desk.user_id, days=3650, now=now)


def sync(desk: Desk, now: datetime) -> services.SyncReport:
    return services.sync_mailbox(user_id=desk.user_id, now=now, batch_size=3)


def purposes_for(desk: Desk, person: Person, at: datetime) -> list[Purpose]:
    return [
        i.suggestion.purpose
        for i in queries.agenda(workspace=desk.workspace, at=at)
        if i.suggestion.person_id == person.pk
    ]


def touches_of(person: Person) -> list[Interaction]:
    return list(Interaction.objects.filter(participants__person=person).order_by("at", "pk"))


def test_a_threaded_reply_stops_the_nudge_owes_a_reply_and_a_second_sync_logs_nothing(
    desk: Desk, now: datetime
) -> None:
    me = desk.imap.username
    applied = now - timedelta(days=7)
    # The application went out from Alice's phone; she logged it by hand (the desk's touch).
    put(
        desk,
        corpus.sent_by_me(
            me,
            applied,
            to="Dana Reyes <dana@acme.test>",
            subject="Backend engineer application",
            message_id="apply-1@seeker.test",
        ),
        applied,
        folder="Sent",
    )
    put(
        desk, corpus.threaded_reply(me, now - timedelta(hours=2), to_id="apply-1@seeker.test"), now - timedelta(hours=2)
    )
    assert Purpose.NUDGE in purposes_for(desk, desk.dana, now)

    report = sync(desk, now)

    assert (report.messages, report.replies, report.logged) == (2, 1, 1)
    history = touches_of(desk.dana)
    # The hand-logged application got the Message-ID instead of a second touch.
    assert [(t.kind, t.message_id) for t in history] == [
        (Kind.APPLICATION.value, "apply-1@seeker.test"),
        (Kind.REPLY.value, "dana-reply-1@acme.test"),
    ]
    reply = history[1]
    assert reply.channel == Channel.EMAIL.value and reply.in_reply_to == "apply-1@seeker.test"
    assert "call on Thursday" in reply.summary
    assert purposes_for(desk, desk.dana, now) == [Purpose.REPLY]

    again = sync(desk, now + timedelta(minutes=10))
    assert (again.messages, again.logged) == (0, 0)
    assert len(touches_of(desk.dana)) == 2


def test_a_reply_from_her_second_address_in_a_new_thread_cancels_nudges(desk: Desk, now: datetime) -> None:
    services.edit_person(
        workspace=desk.workspace, person_id=desk.dana.pk, emails=["dana@acme.test", "dana.reyes@mailbox.test"], now=now
    )
    put(desk, corpus.reply_from_second_address(desk.imap.username, now - timedelta(hours=1)), now - timedelta(hours=1))

    report = sync(desk, now)

    assert (report.replies, report.logged) == (1, 1)
    assert touches_of(desk.dana)[-1].message_id == "dana-second-1@mailbox.test"
    assert purposes_for(desk, desk.dana, now) == [Purpose.REPLY]


def test_a_reply_by_display_name_at_her_employers_domain_cancels_nudges(desk: Desk, now: datetime) -> None:
    acme = services.add_organization(workspace=desk.workspace, name="Acme", website="https://www.mailbox.test", now=now)
    services.edit_person(workspace=desk.workspace, person_id=desk.dana.pk, organization_id=acme.pk, now=now)
    put(desk, corpus.reply_from_second_address(desk.imap.username, now - timedelta(hours=1)), now - timedelta(hours=1))

    report = sync(desk, now)

    assert report.replies == 1
    assert [t.kind for t in touches_of(desk.dana)][-1] == Kind.REPLY.value
    assert purposes_for(desk, desk.dana, now) == [Purpose.REPLY]


def test_out_of_office_pauses_the_person_until_the_date_it_names_then_the_nudge_comes_back(
    desk: Desk, now: datetime
) -> None:
    me = desk.imap.username
    put(
        desk,
        corpus.ooo_outlook_de(me, now - timedelta(hours=1), sender="Dana Reyes <dana@acme.test>", back="12. März 2030"),
        now - timedelta(hours=1),
    )

    report = sync(desk, now)

    assert (report.out_of_office, report.replies) == (1, 0)
    ooo = touches_of(desk.dana)[-1]
    assert ooo.kind == Kind.OUT_OF_OFFICE.value and ooo.ooo_until == date(2030, 3, 12)
    assert purposes_for(desk, desk.dana, now) == []  # paused, and no reply owed to a machine
    assert Purpose.NUDGE in purposes_for(desk, desk.dana, datetime(2030, 3, 12, 10, 0, tzinfo=now.tzinfo))


def test_gmail_out_of_office_in_english_and_one_without_a_date_pause_seven_days(desk: Desk, now: datetime) -> None:
    me = desk.imap.username
    kim = services.add_person(workspace=desk.workspace, name="Kim Park", emails=["kim@acme.test"], now=now)
    services.log_touch(
        workspace=desk.workspace, names=["Kim Park"], kind=Kind.APPLICATION, at=now - timedelta(days=7), now=now
    )
    put(
        desk,
        corpus.ooo_gmail_en(me, now - timedelta(hours=3), sender="Dana Reyes <dana@acme.test>", back="March 8, 2030"),
        now - timedelta(hours=3),
    )
    put(
        desk,
        corpus.ooo_without_date(me, now - timedelta(hours=2), sender="Kim Park <kim@acme.test>"),
        now - timedelta(hours=2),
    )

    report = sync(desk, now)

    assert report.out_of_office == 2
    assert touches_of(desk.dana)[-1].ooo_until == date(2030, 3, 8)
    assert touches_of(kim)[-1].ooo_until == (now - timedelta(hours=2)).date() + timedelta(days=7)


def test_auto_replies_newsletters_delays_and_strangers_are_not_replies(desk: Desk, now: datetime) -> None:
    me = desk.imap.username
    earlier = now - timedelta(hours=4)
    put(desk, corpus.auto_reply(me, earlier, sender="Dana Reyes <dana@acme.test>"), earlier)
    put(desk, corpus.newsletter(me, earlier), earlier)
    put(desk, corpus.dsn_delayed(me, earlier, recipient="dana@acme.test"), earlier)
    put(desk, corpus.stranger_spam(me, earlier), earlier)

    report = sync(desk, now)

    assert (report.messages, report.auto_replies, report.replies, report.bounces, report.ignored) == (4, 1, 0, 0, 3)
    assert Purpose.NUDGE in purposes_for(desk, desk.dana, now)
    assert not PersonEmail.objects.filter(bad=True).exists()
    assert not MailReview.objects.exists()


def test_a_bounce_marks_the_address_bad_and_moves_the_follow_up_to_another_channel(desk: Desk, now: datetime) -> None:
    services.edit_person(
        workspace=desk.workspace, person_id=desk.dana.pk, linkedin_url="https://www.linkedin.com/in/dana-reyes", now=now
    )
    assert FollowUp.objects.get(pk=desk.nudge.pk).channel == Channel.EMAIL.value
    put(
        desk,
        corpus.dsn_failed(desk.imap.username, now - timedelta(hours=1), recipient="dana@acme.test"),
        now - timedelta(hours=1),
    )

    report = sync(desk, now)

    assert report.bounces == 1
    address = PersonEmail.objects.get(person=desk.dana)
    assert address.bad and "5.1.1" in address.bad_reason
    items = [i for i in queries.agenda(workspace=desk.workspace, at=now) if i.suggestion.person_id == desk.dana.pk]
    assert [(i.suggestion.purpose, i.suggestion.channel) for i in items] == [(Purpose.NUDGE, Channel.LINKEDIN)]
    assert queries.people_with_email(desk.workspace, [desk.dana.pk]) == set()  # no Send button for her


def test_an_ats_rejection_waits_for_the_user_and_one_click_applies_it(desk: Desk, now: datetime) -> None:
    me = desk.imap.username
    globex = services.add_organization(workspace=desk.workspace, name="Globex", now=now)
    opening = services.add_opportunity(
        workspace=desk.workspace, organization_id=globex.pk, title="Platform Engineer", stage=Stage.APPLIED, now=now
    )
    recruiter = services.add_person(workspace=desk.workspace, name="Sam Lee", organization_id=globex.pk, now=now)
    services.add_participant(
        workspace=desk.workspace, opportunity_id=opening.pk, name=recruiter.name, role=Role.RECRUITER, now=now
    )
    put(desk, corpus.ats_confirmation(me, now - timedelta(days=2)), now - timedelta(days=2))
    put(desk, corpus.ats_rejection(me, now - timedelta(hours=1)), now - timedelta(hours=1))

    report = sync(desk, now)

    assert (report.ats, report.replies, report.logged) == (1, 0, 0)
    review = MailReview.objects.get()
    assert (review.kind, review.opportunity_id, review.proposed_stage) == ("ats", opening.pk, Stage.REJECTED.value)
    assert Opportunity.objects.get(pk=opening.pk).stage == Stage.APPLIED.value  # nothing silent

    services.accept_review(workspace=desk.workspace, review_id=review.pk, now=now)

    assert Opportunity.objects.get(pk=opening.pk).stage == Stage.REJECTED.value
    items = [i for i in queries.agenda(workspace=desk.workspace, at=now) if i.suggestion.person_id == recruiter.pk]
    assert [(i.suggestion.purpose, i.suggestion.rule) for i in items] == [(Purpose.REPLY, "R9")]
    assert MailReview.objects.get().state == "accepted"


def test_a_message_sent_from_another_client_closes_its_follow_up(desk: Desk, now: datetime) -> None:
    later = now + timedelta(hours=2)
    put(
        desk,
        corpus.sent_by_me(
            desk.imap.username,
            later,
            to="dana@acme.test",
            subject="Checking in",
            message_id="nudge-phone-1@seeker.test",
        ),
        later,
        folder="Sent",
    )

    report = sync(desk, later + timedelta(minutes=5))

    assert (report.sent, report.closed, report.logged) == (1, 1, 1)
    nudge = FollowUp.objects.get(pk=desk.nudge.pk)
    assert nudge.state == "done"
    sent = touches_of(desk.dana)[-1]
    assert (sent.kind, sent.message_id, sent.channel) == (Kind.NUDGE.value, "nudge-phone-1@seeker.test", "email")
    assert sync(desk, later + timedelta(minutes=10)).logged == 0
    assert len(touches_of(desk.dana)) == 2


def introduce_myself_to_a_stranger(desk: Desk, when: datetime) -> None:
    """Alice writes to hello@initech.test, whom topofmind does not know, from her mail client."""
    me = desk.imap.username
    intro = corpus.sent_by_me(me, when, to="hello@initech.test", subject="Introduction", message_id="intro-1@seeker.test")
    put(desk, intro, when, folder="Sent")


def the_stranger_answers_among_spam(desk: Desk, when: datetime) -> None:
    """Priya Natarajan answers that introduction; a stranger's spam arrives beside it."""
    me = desk.imap.username
    put(desk, corpus.stranger_answer(me, when, to_id="intro-1@seeker.test"), when)
    put(desk, corpus.stranger_spam(me, when), when)


def test_an_unknown_sender_answering_our_mail_is_listed_for_review_and_added_in_one_click(
    desk: Desk, now: datetime
) -> None:
    introduce_myself_to_a_stranger(desk, now - timedelta(days=1))
    the_stranger_answers_among_spam(desk, now - timedelta(hours=1))

    report = sync(desk, now)

    assert (report.unmatched, report.ignored) == (1, 1)
    review = MailReview.objects.get()
    assert (review.kind, review.sender_name, review.sender_address) == (
        "unmatched",
        "Priya Natarajan",
        "priya@initech.test",
    )
    services.accept_review(workspace=desk.workspace, review_id=review.pk, now=now)
    priya = Person.objects.get(name="Priya Natarajan")
    assert [t.message_id for t in touches_of(priya)] == ["priya-1@initech.test"]
    assert purposes_for(desk, priya, now) == [Purpose.REPLY]


def test_an_answer_to_mail_read_by_an_earlier_sync_is_still_listed_for_review(desk: Desk, now: datetime) -> None:
    introduce_myself_to_a_stranger(desk, now - timedelta(days=3))
    first = sync(desk, now - timedelta(days=2))
    assert (first.unmatched, MailReview.objects.count()) == (0, 0)

    the_stranger_answers_among_spam(desk, now - timedelta(hours=1))
    later = sync(desk, now)

    assert (later.unmatched, later.ignored) == (1, 1)
    review = MailReview.objects.get()
    assert (review.kind, review.sender_address, review.in_reply_to) == (
        "unmatched",
        "priya@initech.test",
        "intro-1@seeker.test",
    )
    assert sync(desk, now).unmatched == 0  # and only once


def test_latin1_encoded_headers_malformed_mail_and_a_20_mb_attachment(desk: Desk, now: datetime) -> None:
    me = desk.imap.username
    services.add_person(workspace=desk.workspace, name="José García", emails=["jose@acme.test"], now=now)
    earlier = now - timedelta(hours=3)
    put(desk, corpus.latin1(me, earlier), earlier)
    put(desk, corpus.malformed(), earlier)
    put(desk, corpus.big_attachment(me, earlier + timedelta(minutes=1)), earlier + timedelta(minutes=1))

    report = sync(desk, now)

    assert (report.messages, report.skipped, report.replies) == (3, 1, 2)
    jose = Person.objects.get(name="José García")
    assert touches_of(jose)[0].summary.startswith(
        "Café la semaine prochaine — Un café la semaine prochaine ? Je suis libre à partir de mardi"
    )
    assert "exercise we talked about" in touches_of(desk.dana)[-1].summary
    skipped = MailSkipped.objects.get()
    assert skipped.folder == "INBOX" and "e-mail" in skipped.reason


def test_a_rebuilt_folder_is_read_again_without_logging_twice(desk: Desk, now: datetime) -> None:
    me = desk.imap.username
    put(desk, corpus.threaded_reply(me, now - timedelta(hours=2), to_id="x@seeker.test"), now - timedelta(hours=2))
    assert sync(desk, now).replies == 1
    # The server renumbered the folder: a new UIDVALIDITY means every UID we kept is void.
    MailFolderState.objects.filter(folder="INBOX").update(uidvalidity=1, last_uid=999)

    again = sync(desk, now + timedelta(minutes=5))

    assert (again.messages, again.seen_before, again.logged) == (1, 1, 0)
    assert Interaction.objects.filter(message_id="dana-reply-1@acme.test").count() == 1


def test_a_line_cut_mid_sync_keeps_what_was_stored_and_the_next_sync_goes_on_without_doubles(
    desk: Desk, now: datetime, cutting_proxy: Callable[[int], CuttingProxy]
) -> None:
    me = desk.imap.username
    for n in range(30):
        when = now - timedelta(hours=30 - n)
        raw = corpus.plain(
            sender="Dana Reyes <dana@acme.test>",
            to=me,
            subject=f"Re: question {n}",
            body=f"Answer {n}.",
            when=when,
            message_id=f"cut-{n}@acme.test",
        )
        put(desk, raw, when)
    proxy = cutting_proxy(desk.dovecot.plain_port)
    MailAccount.objects.update(imap_port=proxy.port)
    proxy.cut_after(12_000)  # the greeting, the login, the folders and a few batches, then silence

    with pytest.raises(services.SyncError, match="IMAP server"):
        sync(desk, now)

    stored = Interaction.objects.filter(message_id__startswith="cut-").count()
    assert 0 < stored < 30
    proxy.cut_after(10**9)
    again = sync(desk, now + timedelta(minutes=5))
    assert Interaction.objects.filter(message_id__startswith="cut-").count() == 30
    assert again.logged == 30 - stored


def test_an_ats_interview_invitation_from_the_fixture_corpus_moves_the_opening_only_when_confirmed(
    desk: Desk, now: datetime
) -> None:
    orbit = services.add_organization(workspace=desk.workspace, name="Orbit", now=now)
    opening = services.add_opportunity(
        workspace=desk.workspace, organization_id=orbit.pk, title="Product Designer", stage=Stage.APPLIED, now=now
    )
    lead = services.add_participant(
        workspace=desk.workspace, opportunity_id=opening.pk, name="Ana Lima", role=Role.HIRING_MANAGER, now=now
    )
    raw = (FIXTURES / "ats_ashby_interview.eml").read_bytes()
    put(desk, raw, now - timedelta(hours=1))

    assert sync(desk, now).ats == 1
    review = MailReview.objects.get()
    assert (review.ats_system, review.opportunity_id, review.proposed_stage) == ("Ashby", opening.pk, "interviewing")
    services.dismiss_review(workspace=desk.workspace, review_id=review.pk, now=now)
    assert Opportunity.objects.get(pk=opening.pk).stage == Stage.APPLIED.value  # dismissed: nothing changed

    MailReview.objects.update(state="open")  # as if the user had not decided yet
    services.accept_review(workspace=desk.workspace, review_id=review.pk, now=now)
    assert Opportunity.objects.get(pk=opening.pk).stage == Stage.INTERVIEWING.value
    sent_at = datetime(2031, 3, 26, 9, 0, tzinfo=now.tzinfo)  # the fixture's Date
    assert purposes_for(desk, lead, sent_at + timedelta(hours=1)) == [Purpose.REPLY]


def _shown_error(desk: Desk) -> str:
    status = queries.mail_status(
        user_id=desk.user_id, workspace=desk.workspace, queue_where="", queue_waiting=0, queue_error=""
    )
    return status.last_error


def test_a_failed_sync_shows_its_error_until_a_later_sync_succeeds(desk: Desk, now: datetime) -> None:
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        closed = probe.getsockname()[1]
    MailAccount.objects.update(imap_port=closed)
    with pytest.raises(services.SyncError):
        sync(desk, now)
    shown = _shown_error(desk)
    assert shown.startswith("Mail sync: ") and f"127.0.0.1:{closed}" in shown

    MailAccount.objects.update(imap_port=desk.dovecot.plain_port)
    sync(desk, now + timedelta(minutes=5))
    assert _shown_error(desk) == ""


def test_a_good_sync_leaves_a_failed_send_s_error_shown(desk: Desk, now: datetime) -> None:
    sentence = f"The SMTP server refused the password for {desk.imap.username}."
    MailAccount.objects.update(last_error=sentence, last_error_at=now)
    sync(desk, now + timedelta(minutes=5))
    assert _shown_error(desk).startswith(sentence.rstrip("."))
