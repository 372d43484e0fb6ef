"""R10-R12: what a follow-up carries, materials with permission, achievements offered to the right people."""

from __future__ import annotations

from datetime import UTC, date, datetime

from engine_helpers import Workspace, d
from hypothesis import given, settings
from hypothesis import strategies as st

from topofmind.engine.types import Kind, Purpose, Role, Stage
from topofmind.engine.value import Library, LibraryItem, Recipient, ValueKind, pick, ranked, ranking_key, tags_of
from topofmind.playbooks import load_policy

POLICY = load_policy("jobseeker")
NOW = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)
ACME = 7


def item(pk: int, kind: ValueKind, title: str, *, on: str | None = None, tags: str = "", org: int | None = None):
    return LibraryItem(
        id=pk,
        kind=kind,
        title=title,
        url=f"https://example.org/{pk}",
        tags=tags_of(tags),
        organization_id=org,
        on=date.fromisoformat(on) if on else None,
        created_at=datetime(2026, 1, 5, tzinfo=UTC),
    )


LIBRARY = Library(
    [
        item(1, ValueKind.NEWS, "Acme opens a Berlin office", on="2026-03-02", org=ACME),
        item(2, ValueKind.NEWS, "Acme's old funding round", on="2025-11-01", org=ACME),
        item(3, ValueKind.ARTICLE, "Streaming joins at scale", tags="data, streaming"),
        item(4, ValueKind.ARTICLE, "Data contracts in practice", tags="Data"),
        item(5, ValueKind.ACHIEVEMENT, "Passed the AWS data analytics exam", on="2026-02-20"),
        item(6, ValueKind.ACHIEVEMENT, "Finished the dbt course", on="2026-01-10"),
        item(8, ValueKind.MATERIAL, "My portfolio (PDF)"),
    ]
)
PRIYA = Recipient(person_id=11, organization_id=ACME, interests=tags_of("streaming, data"))


def choose(recipient: Recipient = PRIYA, *, purpose: Purpose = Purpose.NUDGE, shared: tuple[int, ...] = ()):
    found = pick(purpose=purpose, recipient=recipient, library=LIBRARY, shared=shared, policy=POLICY, now=NOW)
    return found.id if found is not None else None


def test_fresh_news_of_their_employer_comes_first() -> None:
    assert choose() == 1


def test_news_older_than_the_playbook_says_is_no_talking_point() -> None:
    # the Berlin office news is shared; the funding round is four months old: articles next
    assert choose(shared=(1,)) == 3


def test_articles_on_more_of_their_interests_come_first_then_achievements_newest_first() -> None:
    assert choose(shared=(1, 3)) == 4
    assert choose(shared=(1, 3, 4)) == 5
    assert choose(shared=(1, 3, 4, 5)) == 6


def test_materials_wait_for_permission() -> None:
    assert choose(shared=(1, 3, 4, 5, 6)) is None
    allowed = Recipient(person_id=11, organization_id=ACME, interests=PRIYA.interests, materials_permission=True)
    assert choose(allowed, shared=(1, 3, 4, 5, 6)) == 8


def test_someone_elsewhere_with_no_interests_gets_an_achievement() -> None:
    assert choose(Recipient(person_id=12, organization_id=99)) == 5


def test_thank_yous_replies_and_invites_carry_nothing() -> None:
    for purpose in (Purpose.THANK_YOU, Purpose.REPLY, Purpose.LINKEDIN_CONNECT, Purpose.PROSPECT_OUTREACH):
        assert choose(purpose=purpose) is None
    for purpose in (Purpose.STATUS_INQUIRY, Purpose.CHECK_IN, Purpose.KEEP_WARM, Purpose.RECRUITER_UPDATE):
        assert choose(purpose=purpose) == 1


def test_the_same_library_always_gives_the_same_order() -> None:
    twin = Library(reversed(list(LIBRARY.by_id.values())))
    args = {"purpose": Purpose.KEEP_WARM, "recipient": PRIYA, "shared": (), "policy": POLICY, "now": NOW}
    assert [i.id for i in ranked(library=twin, **args)] == [i.id for i in ranked(library=LIBRARY, **args)]


def test_people_who_rank_alike_share_a_key_and_are_offered_the_same_items() -> None:
    def key(who: Recipient, shared: tuple[int, ...] = ()) -> object:
        return ranking_key(purpose=Purpose.NUDGE, recipient=who, library=LIBRARY, shared=shared)

    def items(who: Recipient, shared: tuple[int, ...] = ()) -> list[int]:
        found = ranked(purpose=Purpose.NUDGE, recipient=who, library=LIBRARY, shared=shared, policy=POLICY, now=NOW)
        return [i.id for i in found]

    elsewhere = Recipient(person_id=12, organization_id=99)  # an employer the library has no news of
    nowhere = Recipient(person_id=13)
    assert key(elsewhere) == key(nowhere) and items(elsewhere) == items(nowhere) == [5, 6]
    at_acme = Recipient(person_id=14, organization_id=ACME)
    assert key(at_acme) != key(nowhere) and items(at_acme) == [1, 5, 6]
    assert key(PRIYA) != key(Recipient(person_id=15, organization_id=ACME, interests=tags_of("data")))
    assert key(nowhere, shared=(5,)) != key(nowhere) and items(nowhere, shared=(5,)) == [6]
    allowed = Recipient(person_id=13, materials_permission=True)
    assert key(allowed) != key(nowhere) and items(allowed) == [5, 6, 8]


def test_an_achievement_update_carries_its_achievement() -> None:
    found = pick(
        purpose=Purpose.ACHIEVEMENT_UPDATE,
        recipient=PRIYA,
        library=LIBRARY,
        shared=(),
        policy=POLICY,
        now=NOW,
        pinned=6,
    )
    assert found is not None and found.id == 6


_kinds = st.sampled_from(list(ValueKind))
_items = st.lists(
    st.tuples(_kinds, st.sampled_from(["data", "ml", "ops", ""]), st.integers(0, 60), st.sampled_from([None, ACME])),
    max_size=25,
)


@settings(max_examples=150, deadline=None)
@given(_items, st.lists(st.sampled_from(sorted(p.value for p in Purpose)), min_size=1, max_size=40), st.booleans())
def test_over_a_sequence_of_sends_no_item_ever_goes_twice_to_one_person(
    rows: list[tuple[ValueKind, str, int, int | None]], sends: list[str], permission: bool
) -> None:
    library = Library(
        LibraryItem(
            id=n + 1,
            kind=kind,
            title=f"item {n}",
            tags=tags_of(tag),
            organization_id=org,
            on=date.fromordinal(NOW.date().toordinal() - age),
        )
        for n, (kind, tag, age, org) in enumerate(rows)
    )
    who = Recipient(person_id=1, organization_id=ACME, interests=tags_of("data, ops"), materials_permission=permission)
    sent: list[int] = []
    for n, purpose in enumerate(sends):
        moment = datetime.fromordinal(NOW.toordinal() + 7 * n).replace(tzinfo=UTC)
        found = pick(purpose=Purpose(purpose), recipient=who, library=library, shared=sent, policy=POLICY, now=moment)
        if found is not None:
            assert found.kind is not ValueKind.MATERIAL or permission  # R11
            sent.append(found.id)
    assert len(sent) == len(set(sent))


# -- R12: a new achievement, offered to the right people, once each -----------------------------


def _pipeline() -> tuple[Workspace, object, object, object]:
    ws = Workspace()
    acme = ws.org("Acme")
    dana = ws.person("Dana Lee", org=acme, roles=[Role.HIRING_MANAGER])
    rita = ws.person("Rita Ortiz", org=acme, roles=[Role.RECRUITER])
    ivan = ws.person("Ivan Petrov", org=acme, roles=[Role.INTERVIEWER])
    job = ws.opp(
        "Data Engineer",
        org=acme,
        stage=Stage.INTERVIEWING,
        people={dana: [Role.HIRING_MANAGER], rita: [Role.RECRUITER], ivan: [Role.INTERVIEWER]},
    )
    ws.log(Kind.INTERVIEW, dana, ivan, at="2026-02-23 10:00", opp=job)
    ws.log(Kind.THANK_YOU, dana, ivan, at="2026-02-23 16:00", opp=job)
    ws.log(Kind.MESSAGE, rita, at="2026-02-24 10:00", opp=job)
    return ws, dana, rita, ivan


def test_a_new_achievement_goes_to_the_hiring_manager_and_recruiter_of_an_open_opening() -> None:
    ws, dana, rita, _ivan = _pipeline()
    ws.achieve("Passed the AWS data analytics exam", "2026-03-04")
    plan = [s for s in ws.plan() if s.purpose is Purpose.ACHIEVEMENT_UPDATE]
    assert sorted(s.person_name for s in plan) == ["Dana Lee", "Rita Ortiz"]  # not the interviewer
    for s in plan:
        assert s.rule == "R12" and s.extra["achievement"]
    # Rita heard from us on 24 Feb: the pacing guard holds hers until 3 Mar, so both are due on 4 Mar
    assert {s.due_day for s in plan} == {d("2026-03-04")}
    assert ws.only("2026-03-04 12:00", rita).purpose is Purpose.ACHIEVEMENT_UPDATE
    # Dana's status inquiry is due the same day and comes first (R6); it carries the news instead
    assert ws.only("2026-03-04 12:00", dana).purpose is Purpose.STATUS_INQUIRY


def test_an_achievement_waits_for_the_pacing_guard() -> None:
    ws, dana, _, _ = _pipeline()
    ws.log(Kind.NUDGE, dana, at="2026-03-03 10:00")
    ws.achieve("Passed the AWS data analytics exam", "2026-03-04")
    s = next(s for s in ws.plan() if s.purpose is Purpose.ACHIEVEMENT_UPDATE and s.person_id == dana.id)
    assert s.due_day == d("2026-03-10")


def test_an_achievement_is_offered_once_to_each_person() -> None:
    ws, dana, rita, _ = _pipeline()
    exam = ws.achieve("Passed the AWS data analytics exam", "2026-03-04")
    update = next(s for s in ws.plan() if s.purpose is Purpose.ACHIEVEMENT_UPDATE and s.person_id == dana.id)
    ws.done(update, "2026-03-04 12:30")
    ws.share(rita, exam)  # Rita got it inside another message
    assert not [s for s in ws.plan() if s.purpose is Purpose.ACHIEVEMENT_UPDATE]


def test_an_old_achievement_is_not_news_and_closed_openings_hear_nothing() -> None:
    ws, _dana, _, _ = _pipeline()
    ws.achieve("Finished the dbt course", "2025-10-01")
    assert not [s for s in ws.plan() if s.purpose is Purpose.ACHIEVEMENT_UPDATE]
    ws2, _dana2, _, _ = _pipeline()
    ws2.achieve("Passed the AWS data analytics exam", "2026-03-04")
    ws2.move(next(iter(ws2.opps.values())), Stage.REJECTED, "2026-03-01 10:00")
    assert not [s for s in ws2.plan() if s.purpose is Purpose.ACHIEVEMENT_UPDATE]


def test_r12_off_offers_nothing() -> None:
    ws, _, _, _ = _pipeline()
    ws.policy = load_policy("jobseeker")
    ws.policy = type(ws.policy)(**{**ws.policy.__dict__, "enabled_rules": ws.policy.enabled_rules - {"R12"}})
    ws.achieve("Passed the AWS data analytics exam", "2026-03-04")
    assert not [s for s in ws.plan() if s.purpose is Purpose.ACHIEVEMENT_UPDATE]
