from __future__ import annotations

from collections.abc import Callable

import pytest

from topofmind.integrations.messages import is_reply_to, match_name, name_key, read_message, replied_ids, same_name

Eml = Callable[[str], bytes]


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("Doe, Jane", "Jane Doe"),
        ('"DOE, Jane"', "jane doe"),
        ("Müller, Jürgen", "Jurgen Muller"),
        ("Dr. Jane Doe", "Jane Doe"),
        ("Jane Doe (Acme)", "Jane Doe"),
        ("Jane Doe | Acme", "Jane Doe"),
        ("Doe, Jane, PhD", "Jane Doe"),
        ("Straße, Anna", "Anna Strasse"),
    ],
)
def test_the_same_person_written_differently_has_the_same_name(one: str, other: str) -> None:
    assert same_name(one, other)


@pytest.mark.parametrize(("one", "other"), [("Jane Doe", "John Doe"), ("Jane Doe", ""), ("", "")])
def test_different_or_missing_names_do_not_match(one: str, other: str) -> None:
    assert not same_name(one, other)


def test_a_name_key_is_first_name_first_lower_case_and_plain() -> None:
    assert name_key("Álvarez, José") == "jose alvarez"
    assert name_key("  Jane   Doe ") == "jane doe"


def test_a_sender_is_matched_to_the_known_people_with_that_name_only() -> None:
    people = [(1, "Jane Doe"), (2, "John Doe"), (3, "Doe Jane"), (4, "Jane Doering")]

    assert match_name("Doe, Jane", people) == [1, 3]
    assert match_name("", people) == []


def test_a_reply_from_a_second_address_is_still_known_as_a_reply_to_ours(eml: Eml) -> None:
    msg = read_message(eml("reply_from_second_address"))

    assert is_reply_to(msg, {"<20310303.thanks.1@seeker.example>"})
    assert match_name(msg.sender.name if msg.sender else "", [("jane", "Jane Doe")]) == ["jane"]


def test_in_reply_to_is_named_first_among_the_messages_it_answers(eml: Eml) -> None:
    msg = read_message(eml("threaded_reply"))

    assert replied_ids(msg, ["20310301.apply.9@seeker.example", "20310303.thanks.1@seeker.example"]) == [
        "20310303.thanks.1@seeker.example",
        "20310301.apply.9@seeker.example",
    ]


def test_a_mail_in_another_thread_is_not_a_reply_to_ours(eml: Eml) -> None:
    assert not is_reply_to(read_message(eml("threaded_reply")), {"someone-else@seeker.example"})
    assert not is_reply_to(read_message(eml("newsletter")), {"20310303.thanks.1@seeker.example"})
