from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from topofmind.integrations.messages import return_date

SENT = datetime(2031, 3, 3, 9, 0, tzinfo=UTC)  # a Monday


@pytest.mark.parametrize(
    ("text", "back"),
    [
        # English: spelled, with and without year, month first, numeric (month first with slashes)
        ("I will be back on 14 March.", date(2031, 3, 14)),
        ("I will be back on March 14th, 2032.", date(2032, 3, 14)),
        ("I'm out of the office and returning on 2031-03-20.", date(2031, 3, 20)),
        ("I am away and will return on 03/14/2031.", date(2031, 3, 14)),
        ("I am away and will return on 03/14.", date(2031, 3, 14)),
        ("I am away until Friday, 7 March, with no access to e-mail.", date(2031, 3, 7)),
        ("Back on Monday.", date(2031, 3, 10)),
        # German: spelled, with and without year, numeric day first
        ("Ich bin ab dem 3. Juni wieder im Büro.", date(2031, 6, 3)),
        ("Ich bin ab dem 3. Juni 2031 wieder im Büro.", date(2031, 6, 3)),
        ("Ab 15.3. wieder erreichbar.", date(2031, 3, 15)),
        ("Ich bin bis einschließlich 14.03.2031 nicht im Büro.", date(2031, 3, 15)),
        ("Ich bin vom 1. März bis 14. März abwesend und ab dem 17. März wieder erreichbar.", date(2031, 3, 17)),
        # French
        ("Je serai de retour le 2 septembre.", date(2031, 9, 2)),
        ("Je serai de retour le 1er avril 2031.", date(2031, 4, 1)),
        ("Absente, je serai de retour le 12/03/2031.", date(2031, 3, 12)),
        ("Je suis absente du 1er au 10 mars inclus.", date(2031, 3, 11)),
        # Spanish
        ("Estaré de vuelta el 5 de mayo.", date(2031, 5, 5)),
        ("Estaré de vuelta el 5 de mayo de 2031.", date(2031, 5, 5)),
        ("Estoy fuera de la oficina hasta el 14/03.", date(2031, 3, 14)),
        ("Regresaré el 04/05/2031.", date(2031, 5, 4)),
    ],
)
def test_the_return_date_is_read_in_four_languages(text: str, back: date) -> None:
    assert return_date(text, SENT) == back


def test_a_date_without_year_early_in_the_year_belongs_to_the_next_year_when_sent_in_december() -> None:
    sent = datetime(2031, 12, 20, 17, 0, tzinfo=UTC)

    assert return_date("I will be back on 5 January.", sent) == date(2032, 1, 5)
    assert return_date("Ich bin ab dem 05.01. wieder da.", sent) == date(2032, 1, 5)


def test_the_same_numbers_read_day_first_in_german_and_month_first_in_english() -> None:
    assert return_date("I will be back on 04/05/2031.", SENT) == date(2031, 4, 5)
    assert return_date("Ich bin am 04/05/2031 wieder zurück.", SENT) == date(2031, 5, 4)


@pytest.mark.parametrize(
    "text",
    [
        "I am out of the office with limited access to e-mail.",
        "The conference runs on 20 March; I will reply as soon as I can.",  # a date, but no return cue
        "Ich bin derzeit nicht im Büro.",
        "",
    ],
)
def test_no_return_date_is_invented(text: str) -> None:
    assert return_date(text, SENT) is None


def test_without_a_message_date_a_date_without_year_cannot_be_placed() -> None:
    assert return_date("I will be back on 14 March.", None) is None
    assert return_date("I will be back on 14 March 2031.", None) == date(2031, 3, 14)
