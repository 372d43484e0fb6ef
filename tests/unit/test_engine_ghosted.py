"""R17: an opening silent past its rest is flagged "ghosted?" - never an agenda item, never closed."""

from __future__ import annotations

from engine_helpers import Workspace

from topofmind.engine.types import Channel, Kind, Purpose, Role, Stage


def applied() -> tuple[Workspace, object, object]:
    ws = Workspace()
    acme = ws.org("Acme")
    dana = ws.person("Dana Lee", org=acme, linkedin=True)
    job = ws.opp("Data Engineer", org=acme, stage=Stage.APPLIED, people={dana: [Role.HIRING_MANAGER]})
    ws.log(Kind.APPLICATION, dana, at="2026-03-02 10:00", opp=job)
    return ws, dana, job


def test_an_opening_silent_past_its_rest_is_flagged_ghosted() -> None:
    ws, _, job = applied()
    # 7 + 7 + 30 days after Mon 2 Mar the rest ends on Wed 15 Apr; past it from the 16th
    assert ws.ghosted("2026-04-15 12:00") == {}
    assert ws.ghosted("2026-04-16 12:00") == {
        job.id: "no answer on Data Engineer for 45 days, past the 30-day rest after two follow-ups — ghosted?"
    }


def test_late_nudges_push_the_end_of_the_rest() -> None:
    ws, dana, job = applied()
    ws.log(Kind.NUDGE, dana, at="2026-03-12 10:00", opp=job)
    ws.log(Kind.NUDGE, dana, at="2026-03-26 10:00", opp=job, channel=Channel.LINKEDIN)
    assert ws.ghosted("2026-04-25 12:00") == {}  # the rest ends 30 days after the second nudge
    assert job.id in ws.ghosted("2026-04-26 12:00")


def test_a_flag_is_never_an_agenda_item_and_never_closes_the_opening() -> None:
    ws, dana, job = applied()
    ws.log(Kind.NUDGE, dana, at="2026-03-09 10:00", opp=job)
    ws.log(Kind.NUDGE, dana, at="2026-03-16 10:00", opp=job, channel=Channel.LINKEDIN)
    assert job.id in ws.ghosted("2026-05-01 12:00")
    assert ws.opps[job.id].stage is Stage.APPLIED
    assert {s.purpose for s in ws.agenda("2026-05-01 12:00")} == {Purpose.CHECK_IN}


def test_any_answer_from_someone_on_the_opening_clears_the_flag() -> None:
    ws, _dana, job = applied()
    omar = ws.person("Omar Diaz")
    ws.log(Kind.REPLY, omar, at="2026-03-20 10:00", opp=job)
    assert ws.ghosted("2026-05-01 12:00") == {}


def test_an_auto_reply_does_not_clear_the_flag() -> None:
    ws, dana, job = applied()
    ws.log(Kind.AUTO_REPLY, dana, at="2026-03-02 10:01", opp=job)
    assert job.id in ws.ghosted("2026-05-01 12:00")


def test_the_flag_reads_history_only_up_to_the_moment_asked() -> None:
    ws, dana, job = applied()
    ws.log(Kind.REPLY, dana, at="2026-04-20 10:00", opp=job)
    assert job.id in ws.ghosted("2026-04-18 12:00")
    assert ws.ghosted("2026-04-21 12:00") == {}


def test_prospects_and_closed_openings_are_never_flagged() -> None:
    ws, dana, job = applied()
    ws.move(job, Stage.WITHDRAWN, "2026-03-05 10:00")
    acme = ws.orgs[job.organization_id]
    idea = ws.opp("Idea", org=acme, stage=Stage.PROSPECT)
    ws.log(Kind.MESSAGE, dana, at="2026-03-02 10:00", opp=idea)
    assert ws.ghosted("2026-06-01 12:00") == {}
