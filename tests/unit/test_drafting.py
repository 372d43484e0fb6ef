"""Drafts: every purpose gets a short, specific, polite message that says why it is sent.

Pure unit tests: suggestions are built by hand, no database.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from topofmind.drafting import (
    LINKEDIN_NOTE_LIMIT,
    Draft,
    ValueKind,
    ValueSnap,
    compose,
    count_words,
    find_banned,
    utf16_len,
)
from topofmind.drafting.templates import TEMPLATES
from topofmind.drafting.words import clip_chars, first_name, split_points, trim_words
from topofmind.engine.types import Channel, PersonSnap, Purpose, Suggestion

AT = datetime(2025, 3, 4, 10, 0, tzinfo=UTC)  # Tuesday 4 March 2025, 10:00 UTC

DANA = PersonSnap(id=7, name="Dana Lee", organization_id=3, organization_name="Acme Robotics")
ARTICLE = ValueSnap(
    kind=ValueKind.ARTICLE,
    title="Why data contracts matter",
    url="https://example.com/data-contracts",
    summary="A short case for agreeing on schemas between teams.",
)


def suggestion(
    purpose: Purpose,
    *,
    person_name: str | None = "Dana Lee",
    org: str | None = "Acme Robotics",
    title: str | None = "Senior Data Engineer",
    points: str = "",
    channel: Channel = Channel.EMAIL,
    rule: str = "R1",
    extra: dict[str, str] | None = None,
    key: str | None = None,
) -> Suggestion:
    return Suggestion(
        key=key or f"{rule}:{purpose.value}:7:1",
        purpose=purpose,
        rule=rule,
        person_id=7 if person_name is not None else None,
        person_name=person_name,
        organization_id=3,
        organization_name=org,
        opportunity_id=11 if title is not None else None,
        opportunity_title=title,
        channel=channel,
        due=AT,
        due_day=AT.date(),
        actionable_from=AT,
        priority=1,
        why="test",
        points=points,
        extra=extra or {},
    )


def channel_for(purpose: Purpose) -> Channel:
    return Channel.LINKEDIN if purpose is Purpose.LINKEDIN_CONNECT else Channel.EMAIL


def words(text: str) -> int:
    """What a reader counting by spaces sees; the composer's own count is never lower."""
    return len(text.split())


# -- every purpose -------------------------------------------------------------------------------


def test_every_purpose_has_a_template() -> None:
    assert set(TEMPLATES) == set(Purpose)


@pytest.mark.parametrize("purpose", list(Purpose))
@pytest.mark.parametrize("value", [None, ARTICLE])
def test_every_purpose_gives_a_subject_and_a_body_within_the_limit(purpose: Purpose, value: ValueSnap | None) -> None:
    s = suggestion(purpose, channel=channel_for(purpose), points="the data platform; hiring plans")
    draft = compose(s, person=DANA, user_name="Sam Rivera", value=value)
    assert isinstance(draft, Draft)
    assert draft.subject.strip()
    assert draft.body.strip()
    assert words(draft.body) <= count_words(draft.body) <= 120
    assert draft.body.startswith("Hi Dana,")
    assert not find_banned(draft.subject + "\n" + draft.body)


@pytest.mark.parametrize("purpose", list(Purpose))
def test_every_draft_says_why_it_is_written(purpose: Purpose) -> None:
    # No item of value to carry: the draft still names what it is about (R10).
    draft = compose(suggestion(purpose, channel=channel_for(purpose)), person=DANA, user_name="Sam")
    assert "Senior Data Engineer" in draft.body or "Acme Robotics" in draft.body
    named = "Senior Data Engineer" in draft.subject or "Acme Robotics" in draft.subject
    assert named or purpose in (Purpose.LINKEDIN_CONNECT, Purpose.RECRUITER_UPDATE)


@pytest.mark.parametrize("purpose", list(Purpose))
def test_a_smaller_limit_is_kept_too(purpose: Purpose) -> None:
    s = suggestion(purpose, channel=channel_for(purpose), points="the data platform; hiring plans; on-call")
    draft = compose(s, person=DANA, user_name="Sam Rivera", value=ARTICLE, max_words=40)
    assert count_words(draft.body) <= 40
    assert draft.body.startswith("Hi Dana,")


def test_a_limit_below_one_word_is_refused() -> None:
    with pytest.raises(ValueError, match="max_words"):
        compose(suggestion(Purpose.THANK_YOU), person=DANA, max_words=0)


# -- thank-yous (R1) ----------------------------------------------------------------------------


def test_thank_you_recaps_the_key_points_and_names_the_person_and_opening() -> None:
    s = suggestion(
        Purpose.THANK_YOU,
        points="moving the pipelines to Kubernetes\n- the on-call rota; plans for the Berlin office.",
    )
    draft = compose(s, person=DANA, user_name="Sam Rivera")
    assert draft.body.startswith("Hi Dana,\n")
    assert "Senior Data Engineer" in draft.body
    assert "Acme Robotics" in draft.body
    for point in ("moving the pipelines to Kubernetes", "the on-call rota", "plans for the Berlin office"):
        assert point in draft.body
    assert "- the on-call" not in draft.body  # bullets are not quoted
    assert draft.body.endswith("Sam Rivera")
    assert "Thank you" in draft.subject


def test_thank_you_with_one_point_recaps_it() -> None:
    draft = compose(suggestion(Purpose.THANK_YOU, points="the robotics demo"), person=DANA)
    assert "the robotics demo" in draft.body


def test_thank_you_recaps_at_most_three_points_and_skips_repeats() -> None:
    points = "alpha topic; beta topic; Alpha topic; gamma topic; delta topic"
    draft = compose(suggestion(Purpose.THANK_YOU, points=points), person=DANA)
    assert draft.body.count("alpha topic") == 1
    assert "gamma topic" in draft.body
    assert "delta topic" not in draft.body


def test_huge_key_points_are_trimmed_to_the_limit() -> None:
    points = "we talked about " + "the migration of every legacy service " * 400 + "; " + "observability " * 2000
    draft = compose(suggestion(Purpose.THANK_YOU, points=points), person=DANA, user_name="Sam Rivera")
    assert count_words(draft.body) <= 120
    assert "Hi Dana," in draft.body
    assert "Senior Data Engineer" in draft.body
    assert "we talked about the migration" in draft.body
    assert "…" in draft.body  # the cut is marked, not hidden
    assert draft.body.endswith("Thank you again,\nSam Rivera")


def test_a_tight_limit_cuts_at_a_sentence_end() -> None:
    s = suggestion(Purpose.THANK_YOU, points="the data platform; the hiring plans")
    draft = compose(s, person=DANA, user_name="Sam", value=ARTICLE, max_words=45)
    assert count_words(draft.body) <= 45
    paragraphs = draft.body.split("\n\n")
    assert all(p.rstrip().endswith((".", ",", "?", "…", "Sam")) for p in paragraphs[1:])


def test_thank_you_to_the_hiring_team_when_there_is_no_person() -> None:
    s = suggestion(Purpose.THANK_YOU, person_name=None, points="the data platform")
    draft = compose(s, person=None, user_name="Sam")
    assert draft.body.startswith("Hello Acme Robotics hiring team,")


def test_an_organization_without_a_name_is_greeted_with_hello() -> None:
    s = suggestion(Purpose.STATUS_INQUIRY, person_name=None, org=None)
    assert compose(s, person=None).body.startswith("Hello,")


def test_thank_you_after_an_accepted_offer_shares_the_news() -> None:
    s = suggestion(Purpose.THANK_YOU, rule="R9")
    referrer = PersonSnap(id=8, name="Priya Natarajan", organization_id=99, organization_name="Elsewhere Ltd")
    draft = compose(s, person=referrer, user_name="Sam")
    assert draft.body.startswith("Hi Priya,")
    assert "I've accepted the Senior Data Engineer role at Acme Robotics" in draft.body
    assert "interview" not in draft.body.lower()


def test_thank_you_after_an_accepted_offer_to_the_new_employer() -> None:
    draft = compose(suggestion(Purpose.THANK_YOU, rule="R9"), person=DANA, user_name="Sam")
    assert "joining Acme Robotics" in draft.body


# -- the signature --------------------------------------------------------------------------------


def test_the_user_signs_when_a_name_is_given() -> None:
    draft = compose(suggestion(Purpose.KEEP_WARM), person=DANA, user_name="  Sam   Rivera ")
    assert draft.body.endswith("\nSam Rivera")


def test_no_name_no_signature_line() -> None:
    draft = compose(suggestion(Purpose.KEEP_WARM), person=DANA)
    assert draft.body.endswith("Warm regards,")


# -- nudges (R3), replies (R7, R9), status (R4) --------------------------------------------------


def test_first_nudge_asks_whether_the_application_arrived() -> None:
    s = suggestion(Purpose.NUDGE, rule="R3", extra={"nudge": "1", "about": "application", "since": "2025-02-24"})
    draft = compose(s, person=DANA)
    assert "my application for the Senior Data Engineer role at Acme Robotics on 24 February" in draft.body
    assert "reached you" in draft.body
    assert "reach you?" in draft.subject


def test_second_nudge_is_a_different_note() -> None:
    one = compose(suggestion(Purpose.NUDGE, extra={"nudge": "1", "about": "application"}), person=DANA)
    two = compose(suggestion(Purpose.NUDGE, extra={"nudge": "2", "about": "application"}), person=DANA)
    assert one.body != two.body
    assert one.subject != two.subject
    assert "once more about my application" in two.body


def test_a_nudge_without_details_still_names_the_opening() -> None:
    draft = compose(suggestion(Purpose.NUDGE), person=DANA)
    assert "a note about the Senior Data Engineer role at Acme Robotics" in draft.body


def test_a_nudge_carries_the_item_of_value() -> None:
    draft = compose(suggestion(Purpose.NUDGE, extra={"nudge": "2"}), person=DANA, value=ARTICLE)
    assert "Why data contracts matter" in draft.body
    assert ARTICLE.url in draft.body


def test_a_rejection_gets_a_gracious_reply() -> None:
    s = suggestion(Purpose.REPLY, rule="R9", extra={"rejection": "1"})
    draft = compose(s, person=DANA, user_name="Sam")
    assert "your decision on the Senior Data Engineer role" in draft.body
    assert "keep in touch" in draft.body


def test_a_status_inquiry_names_the_decision_date_when_known() -> None:
    s = suggestion(Purpose.STATUS_INQUIRY, rule="R4", extra={"decision_date": "2025-03-14"})
    assert "around 14 March" in compose(s, person=DANA).body


def test_feedback_after_a_candidate_interview_asks_how_it_went() -> None:
    draft = compose(suggestion(Purpose.FEEDBACK_REQUEST, rule="P3"), person=DANA)
    assert "How did it go?" in draft.body
    after_submission = compose(suggestion(Purpose.FEEDBACK_REQUEST, rule="P2"), person=DANA)
    assert "I sent you candidates" in after_submission.body


# -- value (R10, R11) ------------------------------------------------------------------------------

VALUES = [
    ARTICLE,
    ValueSnap(kind=ValueKind.NEWS, title="Acme opens a Berlin lab", url="https://news.example/acme-berlin"),
    ValueSnap(kind=ValueKind.ACHIEVEMENT, title="AWS Solutions Architect certification"),
    ValueSnap(kind=ValueKind.MATERIAL, title="my portfolio of pipeline work", url="https://sam.example/work"),
]


@pytest.mark.parametrize("purpose", [p for p in Purpose if p is not Purpose.LINKEDIN_CONNECT])
@pytest.mark.parametrize("value", VALUES, ids=lambda v: v.kind.value)
def test_value_items_appear_in_the_draft(purpose: Purpose, value: ValueSnap) -> None:
    draft = compose(suggestion(purpose), person=DANA, user_name="Sam", value=value)
    assert value.title in draft.body
    assert value.url in draft.body
    assert count_words(draft.body) <= 120


def test_a_link_stays_whole_on_its_own_line() -> None:
    draft = compose(suggestion(Purpose.VALUE_SHARE), person=DANA, value=ARTICLE)
    assert f"\n{ARTICLE.url}\n" in draft.body


def test_material_without_a_link_is_attached() -> None:
    cv = ValueSnap(kind=ValueKind.MATERIAL, title="my résumé for data roles")
    draft = compose(suggestion(Purpose.STATUS_INQUIRY), person=DANA, value=cv)
    assert "I've attached my résumé for data roles" in draft.body


def test_value_kind_may_be_given_as_text() -> None:
    assert ValueSnap(kind="news", title="x").kind is ValueKind.NEWS  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="value kind"):
        ValueSnap(kind="gossip", title="x")  # type: ignore[arg-type]


def test_a_value_with_an_unsafe_link_keeps_its_title_but_not_the_link() -> None:
    bad = ValueSnap(kind=ValueKind.ARTICLE, title="A good read", url="javascript:alert(1)")
    draft = compose(suggestion(Purpose.KEEP_WARM), person=DANA, value=bad)
    assert "A good read" in draft.body
    assert "javascript" not in draft.body


# -- LinkedIn (R2) and calls (R8, R15) -----------------------------------------------------------


def test_linkedin_invite_is_short_and_personal() -> None:
    s = suggestion(Purpose.LINKEDIN_CONNECT, rule="R2", channel=Channel.LINKEDIN)
    draft = compose(s, person=DANA, user_name="Sam Rivera", value=ARTICLE)
    assert utf16_len(draft.body) <= LINKEDIN_NOTE_LIMIT
    assert draft.body.startswith("Hi Dana, thank you for our conversation about the Senior Data Engineer role")
    assert draft.body.endswith("Sam Rivera")


def test_linkedin_invite_with_long_names_still_fits() -> None:
    s = suggestion(
        Purpose.LINKEDIN_CONNECT,
        channel=Channel.LINKEDIN,
        title="Principal Staff Distinguished Engineer for Platform Reliability and Developer Experience " * 3,
        org="The Extremely Long Name Incorporated Holdings Group International 🚀🚀🚀 " * 4,
    )
    person = PersonSnap(id=9, name="Maximiliana-Josefina 👩🏽‍💻 von Hohenzollern-Sigmaringen " * 3)
    draft = compose(s, person=person, user_name="Alexandria Ocasio Montgomery-Featherstonehaugh " * 3)
    assert utf16_len(draft.body) <= LINKEDIN_NOTE_LIMIT
    assert draft.body.startswith("Hi Maximiliana-Josefina,")


def test_prospect_outreach_on_linkedin_is_a_short_note() -> None:
    s = suggestion(Purpose.PROSPECT_OUTREACH, rule="R15", title=None, channel=Channel.LINKEDIN)
    draft = compose(s, person=DANA, user_name="Sam", value=VALUES[2])
    assert utf16_len(draft.body) <= LINKEDIN_NOTE_LIMIT
    assert "Acme Robotics" in draft.body


def test_a_call_gets_a_script_without_links() -> None:
    s = suggestion(Purpose.PROSPECT_OUTREACH, title=None, channel=Channel.PHONE, extra={"call": "1"})
    draft = compose(s, person=DANA, user_name="Sam", value=ARTICLE)
    assert draft.subject.startswith("Call script:")
    assert draft.body.startswith("Hi Dana, this is Sam.")
    assert "I'm calling because" in draft.body
    assert "Why data contracts matter" in draft.body
    assert "https://" not in draft.body


def test_prospect_outreach_to_an_employer_asks_for_the_right_person() -> None:
    s = suggestion(Purpose.PROSPECT_OUTREACH, person_name=None, title=None)
    draft = compose(s, person=None, user_name="Sam")
    assert draft.body.startswith("Hello Acme Robotics team,")
    assert "point me to the person" in draft.body


# -- names ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "first"),
    [
        ("Dana Lee", "Dana"),
        ("Dr. Dana Lee", "Dana"),
        ("Lee, Dana", "Dana"),
        ("Dana Lee, PhD", "Dana"),
        ("J. Robert Smith", "Robert"),
        ("王小明", "王小明"),
        ("Zoë Ñúñez", "Zoë"),
        ("Иван Петров", "Иван"),
        ("🙂 Sam", "Sam"),
        ("🙂🙂", None),
        ("   ", None),
    ],
)
def test_first_names(name: str, first: str | None) -> None:
    assert first_name(name) == first


def test_a_person_without_a_usable_name_is_greeted_with_hello() -> None:
    draft = compose(suggestion(Purpose.KEEP_WARM), person=PersonSnap(id=1, name="🙂"))
    assert draft.body.startswith("Hello,")


# -- text helpers ----------------------------------------------------------------------------------


def test_points_split_on_lines_and_semicolons() -> None:
    assert split_points("• one\n2) two; three.\n\n; ;") == ["one", "two", "three"]


def test_points_that_ask_for_a_job_are_left_out() -> None:
    assert split_points("the roadmap; please hire me") == ["the roadmap"]


def test_chinese_text_counts_each_character() -> None:
    assert count_words("你好世界") == 4
    assert count_words("Hi 王小明, hello — 🙂") == 7


def test_trim_cuts_at_the_last_sentence_that_fits() -> None:
    text = "One two three. Four five six. Seven eight nine ten."
    assert trim_words(text, 7) == "One two three. Four five six."


def test_trim_cuts_a_single_long_sentence_at_a_word() -> None:
    assert trim_words("one two three four five six", 4) == "one two three four…"


def test_clip_chars_counts_emoji_as_two() -> None:
    assert utf16_len(clip_chars("🚀" * 400, 300)) <= 300


# -- properties ------------------------------------------------------------------------------------

NAMES = st.one_of(
    st.sampled_from(
        [
            "Dana Lee",
            "王小明",
            "山田 太郎",
            "محمد علي",
            "Иван Петров",
            "Zoë Ñúñez-O'Brien",
            "👩🏽‍💻 Priya",
            "O'Brien, Siobhán",
            "Hire Me",
            "Touching Base",
            "",
        ]
    ),
    st.text(max_size=60),
)
PHRASES = st.sampled_from(
    [
        "hire me",
        "just checking in",
        "touching base",
        "following up to see",
        "give me a job",
        "any openings for me",
        "offer me a position",
        "the data platform",
        "数据平台",
        "🚀 launch",
    ]
)
FREE_TEXT = st.one_of(PHRASES, st.text(max_size=200), st.lists(PHRASES, max_size=4).map(" ".join))
POINTS = st.lists(FREE_TEXT, max_size=6).flatmap(
    lambda parts: st.sampled_from(["; ", "\n", "\n- "]).map(lambda sep: sep.join(parts))
)
VALUE = st.one_of(
    st.none(),
    st.builds(ValueSnap, kind=st.sampled_from(ValueKind), title=FREE_TEXT, url=st.text(max_size=80), summary=FREE_TEXT),
)
EXTRA = st.fixed_dictionaries(
    {},
    optional={
        "nudge": st.sampled_from(["1", "2", "x"]),
        "about": st.sampled_from(["application", "submission", "status inquiry", "referral ask", "follow-up"]),
        "rejection": st.just("1"),
        "since": st.sampled_from(["2025-02-24", "not a date"]),
    },
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    purpose=st.sampled_from(Purpose),
    channel=st.sampled_from(Channel),
    name=NAMES,
    has_person=st.booleans(),
    org=st.one_of(st.none(), FREE_TEXT),
    title=st.one_of(st.none(), FREE_TEXT),
    points=POINTS,
    user=NAMES,
    value=VALUE,
    extra=EXTRA,
    rule=st.sampled_from(["R1", "R3", "R9", "P2", "P3"]),
    max_words=st.one_of(st.just(120), st.integers(min_value=1, max_value=250)),
)
def test_no_input_breaks_the_rules_of_a_draft(
    purpose: Purpose,
    channel: Channel,
    name: str,
    has_person: bool,
    org: str | None,
    title: str | None,
    points: str,
    user: str,
    value: ValueSnap | None,
    extra: dict[str, str],
    rule: str,
    max_words: int,
) -> None:
    s = suggestion(
        purpose,
        person_name=name if has_person else None,
        org=org,
        title=title,
        points=points,
        channel=channel,
        rule=rule,
        extra=extra,
    )
    person = PersonSnap(id=7, name=name, organization_name=org) if has_person else None
    draft = compose(s, person=person, user_name=user, value=value, max_words=max_words)
    assert draft.subject.strip()
    assert draft.body.strip()
    assert words(draft.body) <= count_words(draft.body) <= max_words
    assert not find_banned(draft.subject), draft.subject
    assert not find_banned(draft.body), draft.body
    if purpose is Purpose.LINKEDIN_CONNECT:
        assert utf16_len(draft.body) <= LINKEDIN_NOTE_LIMIT
    # deterministic: the same inputs give the same draft
    assert compose(s, person=person, user_name=user, value=value, max_words=max_words) == draft


@given(st.text())
def test_the_word_count_is_never_below_a_count_by_spaces(text: str) -> None:
    assert count_words(text) >= len(text.split())


@given(st.text(), st.integers(min_value=1, max_value=60))
def test_trimming_always_keeps_the_limit(text: str, limit: int) -> None:
    assert count_words(trim_words(text, limit)) <= limit


def test_the_same_item_for_a_renamed_person_greets_the_new_name() -> None:
    # drafts are remembered by everything they are composed from: a new name is a new draft
    s = suggestion(Purpose.CHECK_IN, rule="R2")
    assert compose(s, person=DANA).body.startswith("Hi Dana")
    renamed = PersonSnap(id=7, name="Danielle Lee", organization_id=3, organization_name="Acme Robotics")
    assert compose(s, person=renamed).body.startswith("Hi Danielle")
    assert "\nSam" in compose(s, person=DANA, user_name="Sam").body
