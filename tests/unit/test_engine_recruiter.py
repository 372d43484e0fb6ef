"""The recruiter playbook (seed 004): P1 intake follow-up, P2 feedback after submission, P3 feedback
after a candidate interview, P4 candidates kept informed weekly; a guard of two business days."""

from __future__ import annotations

from engine_helpers import Workspace, d, describe

from topofmind.engine.types import Channel, Direction, Kind, Purpose, Role, Stage


def desk(tz: str = "America/New_York", country: str = "US"):  # type: ignore[no-untyped-def]
    ws = Workspace(tz=tz, country=country, playbook="recruiter")
    client = ws.org("Client Co")
    hannah = ws.person("Hannah Hiring", org=client, roles=[Role.HIRING_MANAGER])
    cara = ws.person("Cara Candidate", roles=[Role.CANDIDATE])
    req = ws.opp(
        "Backend Lead",
        org=client,
        stage=Stage.SCREENING,
        people={hannah: [Role.HIRING_MANAGER], cara: [Role.CANDIDATE]},
    )
    return ws, hannah, cara, req


def test_p1_after_an_intake_call_a_follow_up_within_one_business_day_over_thanksgiving() -> None:
    ws, hannah, _, req = desk()
    ws.log(Kind.INTAKE_CALL, hannah, at="2026-11-25 14:00", opp=req)
    assert ws.nothing_for("2026-11-25 13:59", hannah)
    s = ws.only("2026-11-25 14:30", hannah)  # actionable from the moment of the call
    assert (s.purpose, s.rule) == (Purpose.INTAKE_FOLLOW_UP, "P1")
    assert s.due == ws.t("2026-11-27 14:00")
    assert s.why == (
        "intake call with Hannah Hiring on Wed 25 Nov 14:00 — confirm the candidate profile "
        "and ask what is still open by Fri 27 Nov 14:00"
    )
    ws.log(Kind.INTAKE_FOLLOW_UP, hannah, at="2026-11-25 16:00", opp=req)
    assert not [s for s in ws.for_person("2026-11-25 17:00", hannah) if s.rule == "P1"]


def test_p2_feedback_request_two_business_days_after_submitting_candidates() -> None:
    ws, hannah, _, req = desk()
    ws.log(Kind.SUBMISSION, hannah, at="2026-03-05 10:00", opp=req)  # Thursday
    assert ws.first_day(hannah, Purpose.FEEDBACK_REQUEST, "2026-03-05") == d("2026-03-09")
    s = ws.only("2026-03-09 09:00", hannah)
    assert s.rule == "P2"
    assert s.why == "candidates submitted to Hannah Hiring on Thu 5 Mar 10:00 — ask for feedback"


def test_p2_no_feedback_request_once_they_answered() -> None:
    ws, hannah, _, req = desk()
    ws.log(Kind.SUBMISSION, hannah, at="2026-03-05 10:00", opp=req)
    ws.log(Kind.REPLY, hannah, at="2026-03-06 10:00", opp=req)
    ws.log(Kind.REPLY, hannah, at="2026-03-06 11:00", opp=req, direction=Direction.OUT)
    assert not [s for s in ws.between(hannah, "2026-03-05", "2026-03-20") if s.rule == "P2"]


def test_p3_feedback_the_business_day_after_each_candidate_interview() -> None:
    ws, hannah, cara, req = desk()
    ws.log(Kind.INTERVIEW, hannah, cara, at="2026-03-06 15:00", opp=req)  # a Friday
    assert ws.first_day(hannah, Purpose.FEEDBACK_REQUEST, "2026-03-06") == d("2026-03-09")
    s = ws.only("2026-03-09 09:00", hannah)
    assert s.rule == "P3"
    assert s.why == "candidate interviewed for Backend Lead on Fri 6 Mar 15:00 — ask Hannah Hiring for feedback"


def test_p3_a_feedback_request_unanswered_is_nudged_by_r3() -> None:
    ws, hannah, cara, req = desk()
    ws.log(Kind.INTERVIEW, hannah, cara, at="2026-03-06 15:00", opp=req)
    ask = ws.log(Kind.FEEDBACK_REQUEST, hannah, at="2026-03-09 10:00", opp=req)
    s = ws.only("2026-03-16 09:00", hannah)
    assert (s.purpose, s.rule, s.cause_interaction_id) == (Purpose.NUDGE, "R3", ask.id)


def test_p4_candidates_hear_from_you_every_week() -> None:
    ws, _, cara, req = desk()
    ws.log(Kind.CALL, cara, at="2026-03-02 12:00", opp=req, channel=Channel.PHONE)
    assert ws.first_day(cara, Purpose.CANDIDATE_UPDATE, "2026-03-02") == d("2026-03-09")
    s = ws.only("2026-03-09 09:00", cara)
    assert (s.rule, s.why) == (
        "P4",
        "candidate for Backend Lead — candidates hear from you every 7 days; last touch Mon 2 Mar",
    )


def test_p4_a_candidate_of_a_filled_requisition_goes_back_to_the_network_cadence() -> None:
    ws, _, cara, req = desk()
    ws.log(Kind.CALL, cara, at="2026-03-02 12:00", opp=req, channel=Channel.PHONE)
    ws.move(req, Stage.ACCEPTED, at="2026-03-03 10:00")
    assert ws.nothing_for("2026-03-09 09:00", cara)
    s = ws.only("2026-04-01 09:00", cara)  # 30 days after the last touch
    assert (s.purpose, s.rule) == (Purpose.KEEP_WARM, "R5")


def test_the_recruiter_guard_is_two_business_days() -> None:
    ws, hannah, cara, req = desk()
    ws.log(Kind.MESSAGE, hannah, at="2026-03-06 10:00", opp=req)  # Friday
    ws.log(Kind.INTERVIEW, hannah, cara, at="2026-03-06 15:00", opp=req)
    # P3 wants Monday; the Friday message holds Hannah until Tuesday (two business days)
    assert ws.first_day(hannah, Purpose.FEEDBACK_REQUEST, "2026-03-06") == d("2026-03-10")


def test_the_recruiter_guard_also_holds_a_deadline_item() -> None:
    ws, hannah, _, req = desk()
    ws.log(Kind.MESSAGE, hannah, at="2026-03-09 09:00", opp=req)  # Monday
    ws.log(Kind.INTAKE_CALL, hannah, at="2026-03-09 14:00", opp=req)
    assert ws.nothing_for("2026-03-10 12:00", hannah)
    s = ws.only("2026-03-11 09:00", hannah)
    assert s.purpose is Purpose.INTAKE_FOLLOW_UP


def test_a_reply_owed_to_a_hiring_manager_is_never_held() -> None:
    ws, hannah, _, req = desk()
    ws.log(Kind.MESSAGE, hannah, at="2026-03-09 09:00", opp=req)
    ws.log(Kind.REPLY, hannah, at="2026-03-09 11:00", opp=req)
    s = ws.only("2026-03-09 11:30", hannah)
    assert (s.purpose, s.rule, s.due) == (Purpose.REPLY, "R7", ws.t("2026-03-10 11:00"))


def test_one_filled_requisition_does_not_wind_down_the_desk() -> None:
    ws, _hannah, _cara, req = desk()
    other = ws.org("Other Co")
    omar = ws.person("Omar Owner", org=other, roles=[Role.HIRING_MANAGER])
    req2 = ws.opp("SRE", org=other, stage=Stage.SCREENING, people={omar: [Role.HIRING_MANAGER]})
    ws.log(Kind.SUBMISSION, omar, at="2026-03-05 10:00", opp=req2)
    ws.move(req, Stage.ACCEPTED, "2026-03-04 10:00")
    day = ws.agenda("2026-03-09 09:00")
    assert [(s.person_name, s.rule) for s in day] == [("Omar Owner", "P2")], describe(day)


def test_a_candidate_rejected_by_the_client_leaves_the_requisition_open() -> None:
    ws, hannah, _cara, req = desk()
    dave = ws.person("Dave Candidate", roles=[Role.CANDIDATE])
    ws.log(Kind.REJECTION, hannah, at="2026-03-02 10:00", opp=req)
    ws.log(Kind.REPLY, hannah, at="2026-03-02 11:00", opp=req, direction=Direction.OUT)
    ws.log(Kind.SUBMISSION, hannah, at="2026-03-03 10:00", opp=req)
    assert dave.id not in {s.person_id for s in ws.agenda("2026-03-05 09:00")}
    s = ws.only("2026-03-05 09:00", hannah)
    assert (s.rule, s.opportunity_title) == ("P2", "Backend Lead")


def test_the_recruiter_playbook_sends_no_thank_yous_or_prospects() -> None:
    ws, hannah, cara, req = desk()
    ws.org("Target", target=True)
    ws.log(Kind.INTERVIEW, hannah, cara, at="2026-03-02 10:00", opp=req)
    day = ws.agenda("2026-03-02 12:00")
    assert {s.purpose for s in day} <= {Purpose.FEEDBACK_REQUEST, Purpose.CANDIDATE_UPDATE}, describe(day)
