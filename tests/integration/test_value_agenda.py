"""R10-R12 through the store: what the day's follow-ups carry, the user's pick, shares from what was sent."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from typing import Any

import pytest
from typer.testing import CliRunner

from topofmind.cli import app
from topofmind.crm import queries, services
from topofmind.crm.models import FollowUp, Person, ValueItem, ValueShare, Workspace
from topofmind.crm.planning import achievement_audience, replan
from topofmind.engine.types import Kind, Purpose, Role, Stage

pytestmark = pytest.mark.django_db

APPLIED = datetime(2030, 3, 4, 10, 0, tzinfo=UTC)  # Monday
NUDGE_DAY = datetime(2030, 3, 11, 12, 0, tzinfo=UTC)  # the first nudge is due (R3: 7 days)


def _pipeline(ws: Workspace, *, interests: str = "streaming, data") -> Person:
    services.set_config(workspace=ws, key="timezone", value="UTC", now=APPLIED)
    acme = services.add_organization(workspace=ws, name="Acme", now=APPLIED)
    priya = services.add_person(
        workspace=ws,
        name="Priya Shah",
        organization_id=acme.pk,
        roles=[Role.HIRING_MANAGER],
        emails=["priya@acme.test"],
        interests=interests,
        now=APPLIED,
    )
    job = services.add_opportunity(
        workspace=ws,
        title="Data Engineer",
        organization_id=acme.pk,
        stage=Stage.PROSPECT,
        participants=[(priya.pk, Role.HIRING_MANAGER)],
        now=APPLIED,
    )
    services.log_interaction(
        workspace=ws, kind=Kind.APPLICATION, person_ids=[priya.pk], opportunity_id=job.pk, at=APPLIED, now=APPLIED
    )
    return priya


def _item(ws: Workspace, kind: str, title: str, **fields: Any) -> ValueItem:
    return ValueItem.objects.create(workspace=ws, kind=kind, title=title, created_at=APPLIED, **fields)


def _library(ws: Workspace, priya: Person) -> dict[str, ValueItem]:
    return {
        "old news": _item(
            ws, "news", "Acme's funding round", url="https://acme.test/news/1", organization=priya.organization,
            happened_on=date(2029, 12, 1),
        ),
        "news": _item(
            ws, "news", "Acme opens a Berlin office", url="https://acme.test/news/2", organization=priya.organization,
            happened_on=date(2030, 3, 8),
        ),
        "article": _item(ws, "article", "Streaming joins at scale", url="https://blog.test/joins", tags="Streaming,SQL"),
        "other article": _item(ws, "article", "Gardening in March", url="https://blog.test/garden", tags="gardening"),
        "achievement": _item(ws, "achievement", "Passed the AWS data analytics exam", happened_on=date(2030, 2, 20)),
        "material": _item(ws, "material", "Portfolio (PDF)", file_name="x.pdf", original_name="portfolio.pdf"),
    }  # fmt: skip


def _nudge(ws: Workspace) -> queries.AgendaItem:
    items = [i for i in queries.agenda(workspace=ws, at=NUDGE_DAY) if i.suggestion.purpose is Purpose.NUDGE]
    assert len(items) == 1
    return items[0]


def test_a_nudge_carries_fresh_news_of_their_employer_woven_into_the_draft(alice: Workspace) -> None:
    priya = _pipeline(alice)
    lib = _library(alice, priya)
    item = _nudge(alice)
    assert item.value is not None and item.value.id == lib["news"].pk
    assert "Acme opens a Berlin office" in item.draft.body
    assert "https://acme.test/news/2" in item.draft.body
    assert item.findings == ()


def test_nothing_fits_says_so_instead_of_fluff(alice: Workspace) -> None:
    _pipeline(alice)
    item = _nudge(alice)
    assert item.value is None
    assert item.carried is not None
    assert item.carried.note == "nothing new to share with Priya: add an article or an achievement"


def test_the_user_picks_another_item_or_none(alice: Workspace) -> None:
    priya = _pipeline(alice)
    lib = _library(alice, priya)
    item = _nudge(alice)
    # what else fits her, then the newest articles on other subjects
    alternatives = [a.id for a in item.carried.alternatives]  # type: ignore[union-attr]
    assert alternatives == [lib["article"].pk, lib["achievement"].pk, lib["other article"].pk]
    services.set_value_choice(
        workspace=alice, followup_id=item.followup_id, choice="item", item_id=lib["article"].pk, now=NUDGE_DAY
    )
    chosen = _nudge(alice)
    assert chosen.value is not None and chosen.value.id == lib["article"].pk
    assert "https://blog.test/joins" in chosen.draft.body
    services.set_value_choice(workspace=alice, followup_id=item.followup_id, choice="none", now=NUDGE_DAY)
    nothing = _nudge(alice)
    assert nothing.value is None and nothing.carried is not None and nothing.carried.note == ""
    assert "https://" not in nothing.draft.body
    replan(workspace=alice, now=NUDGE_DAY)  # a re-plan keeps the user's choice
    assert FollowUp.objects.get(pk=item.followup_id).value_choice == "none"


def test_a_material_waits_for_the_touch_that_gave_permission(alice: Workspace) -> None:
    priya = _pipeline(alice, interests="")
    portfolio = _item(alice, "material", "Portfolio (PDF)", file_name="x.pdf", original_name="portfolio.pdf")
    assert _nudge(alice).value is None
    services.log_interaction(
        workspace=alice,
        kind=Kind.AUTO_REPLY,
        person_ids=[priya.pk],
        at=APPLIED,
        now=APPLIED,
        permission_materials=True,
    )
    item = _nudge(alice)
    assert item.value is not None and item.value.id == portfolio.pk
    assert "I've attached Portfolio (PDF)" in item.draft.body


def test_a_material_picked_by_hand_also_waits_for_permission(alice: Workspace) -> None:
    priya = _pipeline(alice)
    lib = _library(alice, priya)
    for n in range(6):  # more than the picker shows fit her before any material would
        _item(alice, "article", f"Streaming, part {n}", url=f"https://blog.test/s{n}", tags="streaming")
    item = _nudge(alice)
    assert lib["material"].pk not in [a.id for a in item.carried.alternatives]  # type: ignore[union-attr]
    services.set_value_choice(
        workspace=alice, followup_id=item.followup_id, choice="item", item_id=lib["material"].pk, now=NUDGE_DAY
    )
    waiting = _nudge(alice)
    assert waiting.value is not None and waiting.value.id == lib["news"].pk  # the engine's pick meanwhile
    assert "attached" not in waiting.draft.body
    services.log_interaction(
        workspace=alice, kind=Kind.AUTO_REPLY, person_ids=[priya.pk], at=APPLIED, now=APPLIED, permission_materials=True
    )
    allowed = _nudge(alice)
    assert allowed.value is not None and allowed.value.id == lib["material"].pk
    assert "I've attached Portfolio (PDF)" in allowed.draft.body


def test_what_was_sent_is_shared_once_and_never_offered_again(alice: Workspace) -> None:
    priya = _pipeline(alice)
    lib = _library(alice, priya)
    item = _nudge(alice)
    services.mark_sent(
        workspace=alice,
        followup_id=item.followup_id,
        subject=item.draft.subject,
        body=item.draft.body,
        at=NUDGE_DAY,
        now=NUDGE_DAY,
    )
    share = ValueShare.objects.get(person=priya)
    assert share.value_item_id == lib["news"].pk and share.interaction is not None
    second = datetime(2030, 3, 18, 12, 0, tzinfo=UTC)
    nudge2 = next(i for i in queries.agenda(workspace=alice, at=second) if i.suggestion.person_id == priya.pk)
    assert nudge2.value is not None and nudge2.value.id == lib["article"].pk
    # the user rewrites the draft: an old link in it is pointed at, and no second share is written
    body = "Hi Priya,\n\nJust checking in. Any openings?\nhttps://acme.test/news/2\n\nSam"
    checked = queries.check_draft(nudge2, body=body, workspace=alice)
    assert [f.kind for f in checked.findings] == ["empty", "asks_for_job", "repeat"]
    services.mark_sent(
        workspace=alice, followup_id=nudge2.followup_id, subject="Hello", body=body, at=second, now=second
    )
    assert ValueShare.objects.filter(person=priya).count() == 1  # the article was cut: not shared


def test_a_new_achievement_becomes_an_update_to_the_hiring_manager(alice: Workspace) -> None:
    priya = _pipeline(alice)
    services.log_interaction(
        workspace=alice, kind=Kind.REPLY, person_ids=[priya.pk], at=NUDGE_DAY, now=NUDGE_DAY
    )  # she answered (no nudge), and we answered her
    owed = FollowUp.objects.get(workspace=alice, purpose=Purpose.REPLY.value, state="pending")
    services.done(workspace=alice, followup_id=owed.pk, at=NUDGE_DAY, now=NUDGE_DAY)
    exam = _item(alice, "achievement", "Passed the AWS data analytics exam", happened_on=date(2030, 3, 13))
    assert achievement_audience(alice.pk) == {priya.pk}
    replan(workspace=alice, now=NUDGE_DAY, person_ids=achievement_audience(alice.pk))
    row = FollowUp.objects.get(workspace=alice, purpose=Purpose.ACHIEVEMENT_UPDATE.value)
    assert (row.person_id, row.rule, row.extra["achievement"]) == (priya.pk, "R12", str(exam.pk))
    items = queries.agenda(workspace=alice, at=datetime(2030, 3, 13, 12, 0, tzinfo=UTC))
    update = next(i for i in items if i.followup_id == row.pk)
    assert update.value is not None and update.value.id == exam.pk
    assert "Passed the AWS data analytics exam" in update.draft.body
    services.done(workspace=alice, followup_id=row.pk, at=NUDGE_DAY, now=NUDGE_DAY)
    assert ValueShare.objects.filter(person=priya, value_item=exam).count() == 1
    replan(workspace=alice, now=NUDGE_DAY)
    assert FollowUp.objects.filter(workspace=alice, purpose=Purpose.ACHIEVEMENT_UPDATE.value).count() == 1


def test_today_json_carries_the_value(db: None) -> None:
    runner = CliRunner()
    assert runner.invoke(app, ["config", "set", "timezone", "UTC"]).exit_code == 0
    ws = Workspace.objects.get()
    priya = _pipeline(ws)
    lib = _library(ws, priya)
    run = runner.invoke(app, ["today", "--at", "2030-03-11T12:00", "--json"])
    assert run.exit_code == 0, run.stderr
    [entry] = [e for e in json.loads(run.stdout) if e["purpose"] == "nudge"]
    assert entry["value"] == {
        "id": lib["news"].pk,
        "kind": "news",
        "title": "Acme opens a Berlin office",
        "url": "https://acme.test/news/2",
    }
    assert entry["value_note"] is None and entry["checks"] == []
    drafts = runner.invoke(app, ["today", "--at", "2030-03-11T12:00", "--drafts"])
    assert "Carries: news" in drafts.stdout


def test_a_day_too_big_for_one_sqlite_statement_carries_the_same(
    alice: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The read is split into several statements when its ids outgrow one (SQLite's 999
    parameters): what each follow-up carries does not change."""
    from topofmind.crm import sql
    from topofmind.crm.planning import library

    priya = _pipeline(alice)
    lib = _library(alice, priya)
    ValueShare.objects.create(workspace=alice, value_item=lib["news"], person=priya, shared_at=APPLIED)
    whole = _nudge(alice)
    monkeypatch.setattr(sql, "SLICE", 1)
    monkeypatch.setattr(library, "_MOST_PARAMS", 4)
    split = _nudge(alice)
    assert whole.value is not None and whole.value.id == lib["article"].pk
    assert split.carried == whole.carried and split.carried is not None
    assert [(s.title, s.url) for s in split.carried.shared] == [
        ("Acme opens a Berlin office", "https://acme.test/news/2")
    ]
