"""The draft checker (R10): each finding points at the sentence behind it."""

from __future__ import annotations

from topofmind.drafting import Shared, check, compose
from topofmind.drafting.checker import mentions


def kinds(body: str, **kw: object) -> list[tuple[str, int]]:
    return [(f.kind, f.number) for f in check(body, max_words=kw.pop("max_words", 120), **kw)]  # type: ignore[arg-type]


def test_a_good_draft_has_no_findings() -> None:
    body = "Hi Priya,\n\nI read “Acme opens a Berlin office” and wondered what it means for the team.\nhttps://acme.example/news/1\n\nBest regards,\nSam"
    assert check(body, max_words=120) == []


def test_asking_for_a_job_is_pointed_at_its_sentence() -> None:
    body = "Hi Dana,\n\nI enjoyed our talk. Do you have any openings on your team? Hire me and you won't regret it."
    found = check(body, max_words=120)
    assert [(f.kind, f.sentence) for f in found] == [
        ("asks_for_job", "Do you have any openings on your team?"),
        ("asks_for_job", "Hire me and you won't regret it."),
    ]


def test_empty_phrases_are_found() -> None:
    body = "Hi Dana,\n\nJust checking in on my application. I wanted to touch base about next week."
    assert kinds(body) == [("empty", 2), ("empty", 3)]
    assert "say why you write" in check(body, max_words=120)[0].message


def test_over_the_word_limit_points_where_the_limit_falls() -> None:
    body = "One two three. Four five six seven. Eight nine ten."
    found = check(body, max_words=5)
    assert [(f.kind, f.sentence) for f in found] == [("too_long", "Four five six seven.")]
    assert found[0].message.startswith("10 words, over the limit of 5")


def test_an_item_already_shared_with_this_person_is_a_repeat() -> None:
    shared = [Shared(title="Streaming joins at scale", url="https://example.org/joins")]
    by_link = "Hi Dana,\n\nThis made me think of you.\nhttps://example.org/joins\n\nBest,\nSam"
    by_title = "Hi Dana, have you read Streaming joins at scale yet?"
    assert kinds(by_link, shared=shared) == [("repeat", 3)]
    assert kinds(by_title, shared=shared) == [("repeat", 1)]
    assert kinds(by_title, shared=[]) == []


def test_a_generated_draft_never_trips_the_checker() -> None:
    from test_drafting import DANA, suggestion  # the drafting tests' fixtures

    from topofmind.engine.types import Purpose

    for purpose in Purpose:
        draft = compose(suggestion(purpose), person=DANA, user_name="Sam")
        assert [f for f in check(draft.body, max_words=120) if f.kind != "too_long"] == [], purpose


def test_mentions_reads_the_link_or_the_start_of_the_title() -> None:
    assert mentions("see https://x.org/a", title="Other", url="https://x.org/a")
    assert mentions("I read “Acme opens a Berlin office” today", title="Acme opens a Berlin office", url="")
    assert not mentions("Hi Dana, nothing here", title="Acme opens a Berlin office", url="https://x.org/a")


def test_each_kind_of_item_is_one_sentence_in_our_words_with_its_link() -> None:
    from test_drafting import DANA, suggestion

    from topofmind.drafting import ValueKind, ValueSnap, count_words
    from topofmind.engine.types import Purpose

    s = suggestion(Purpose.KEEP_WARM, rule="R5")
    cases = {
        ValueKind.NEWS: ("Acme opens a Berlin office", "https://acme.example/n", "the team at Acme Robotics"),
        ValueKind.ARTICLE: ("Streaming joins at scale", "https://blog.example/j", "think of"),
        ValueKind.ACHIEVEMENT: ("Passed the AWS data analytics exam", "", "from my side"),
        ValueKind.MATERIAL: ("My portfolio (PDF)", "", "I've attached My portfolio (PDF)"),
    }
    for kind, (title, url, words) in cases.items():
        body = compose(s, person=DANA, user_name="Sam", value=ValueSnap(kind=kind, title=title, url=url)).body
        line = next(p for p in body.split("\n\n") if title in p)
        sentence = line.split("\n")[0]
        assert words in sentence, (kind, sentence)
        assert sentence.count(". ") == 0, sentence  # one sentence
        if url:
            assert line.split("\n")[1] == url
        assert count_words(body) <= 120
    tight = compose(
        suggestion(Purpose.NUDGE, rule="R3", extra={"about": "application"}),
        person=DANA,
        user_name="Sam",
        value=ValueSnap(kind=ValueKind.ARTICLE, title="Streaming joins at scale", url="https://blog.example/j"),
        max_words=45,
    )
    assert count_words(tight.body) <= 45
