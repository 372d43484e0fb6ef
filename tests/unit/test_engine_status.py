"""R4: interviewing and no news: a status inquiry after the decision date, else a week after the interview."""

from __future__ import annotations

from engine_helpers import Workspace, d

from topofmind.engine.types import Kind, Purpose, Role, Stage


def interviewing(decision: str | None = None, tz: str = "America/New_York", country: str = "US"):  # type: ignore[no-untyped-def]
    ws = Workspace(tz=tz, country=country)
    acme = ws.org("Acme")
    dana = ws.person("Dana Lee", org=acme, roles=[Role.HIRING_MANAGER])
    omar = ws.person("Omar Diaz", org=acme)
    job = ws.opp(
        "Data Engineer",
        org=acme,
        stage=Stage.INTERVIEWING,
        decision=decision,
        people={dana: [Role.HIRING_MANAGER], omar: [Role.INTERVIEWER]},
    )
    return ws, dana, omar, job


def test_a_status_inquiry_one_business_day_after_the_decision_date_skipping_thanksgiving() -> None:
    ws, dana, omar, job = interviewing(decision="2026-11-25")
    ws.log(Kind.INTERVIEW, dana, omar, at="2026-11-16 10:00", opp=job)
    ws.log(Kind.THANK_YOU, dana, omar, at="2026-11-16 17:00", opp=job)
    assert ws.first_day(dana, Purpose.STATUS_INQUIRY, "2026-11-16") == d("2026-11-27")
    s = ws.only("2026-11-27 09:00", dana)
    assert (s.rule, s.opportunity_title) == ("R4", "Data Engineer")
    assert s.why == (
        "Acme planned to decide on Data Engineer by Wed 25 Nov and no news since — a polite status inquiry"
    )


def test_a_decision_date_on_friday_means_asking_on_monday() -> None:
    ws, dana, _omar, job = interviewing(decision="2026-03-13")
    ws.log(Kind.INTERVIEW, dana, at="2026-03-04 10:00", opp=job)
    ws.log(Kind.THANK_YOU, dana, at="2026-03-04 17:00", opp=job)
    assert ws.first_day(dana, Purpose.STATUS_INQUIRY, "2026-03-04") == d("2026-03-16")


def test_without_a_decision_date_ask_seven_days_after_the_last_interview() -> None:
    ws, dana, omar, job = interviewing()
    ws.log(Kind.INTERVIEW, dana, at="2026-03-03 10:00", opp=job)
    ws.log(Kind.INTERVIEW, omar, at="2026-03-05 10:00", opp=job)  # a second round restarts the wait
    ws.log(Kind.THANK_YOU, dana, at="2026-03-03 17:00", opp=job)
    ws.log(Kind.THANK_YOU, omar, at="2026-03-05 17:00", opp=job)
    assert ws.first_day(dana, Purpose.STATUS_INQUIRY, "2026-03-03") == d("2026-03-12")
    s = ws.only("2026-03-12 09:00", dana)
    assert s.why == "no news on Data Engineer since your interview on Thu 5 Mar — a polite status inquiry"


def test_the_inquiry_goes_to_the_hiring_manager_only() -> None:
    ws, dana, omar, job = interviewing()
    ws.log(Kind.INTERVIEW, dana, omar, at="2026-03-03 10:00", opp=job)
    ws.log(Kind.THANK_YOU, dana, omar, at="2026-03-03 17:00", opp=job)
    items = [s for s in ws.agenda("2026-03-10 09:00") if s.purpose is Purpose.STATUS_INQUIRY]
    assert [s.person_name for s in items] == ["Dana Lee"]


def test_news_after_the_interview_means_no_inquiry() -> None:
    ws, dana, omar, job = interviewing()
    ws.log(Kind.INTERVIEW, dana, at="2026-03-03 10:00", opp=job)
    ws.log(Kind.THANK_YOU, dana, at="2026-03-03 17:00", opp=job)
    ws.log(Kind.REPLY, omar, at="2026-03-06 10:00", opp=job)  # anyone on the opening writing is news
    assert not [s for s in ws.between(dana, "2026-03-03", "2026-03-31") if s.purpose is Purpose.STATUS_INQUIRY]


def test_once_asked_r3_carries_the_inquiry_on_with_a_nudge() -> None:
    ws, dana, _omar, job = interviewing()
    ws.log(Kind.INTERVIEW, dana, at="2026-03-03 10:00", opp=job)
    ws.log(Kind.THANK_YOU, dana, at="2026-03-03 17:00", opp=job)
    inquiry = ws.log(Kind.STATUS_INQUIRY, dana, at="2026-03-10 10:00", opp=job)
    s = ws.only("2026-03-17 09:00", dana)
    assert (s.purpose, s.rule, s.cause_interaction_id) == (Purpose.NUDGE, "R3", inquiry.id)
    assert "no answer to your status inquiry of Tue 10 Mar" in s.why


def test_no_inquiry_for_an_opening_not_at_the_interview_stage() -> None:
    ws, dana, _omar, job = interviewing()
    ws.log(Kind.INTERVIEW, dana, at="2026-03-03 10:00", opp=job)
    ws.log(Kind.THANK_YOU, dana, at="2026-03-03 17:00", opp=job)
    ws.move(job, Stage.OFFER, "2026-03-05 10:00")
    assert not [s for s in ws.between(dana, "2026-03-03", "2026-03-31") if s.purpose is Purpose.STATUS_INQUIRY]
