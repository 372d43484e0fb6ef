"""The vocabulary's words: one home, and every value has words of its own."""

from __future__ import annotations

from topofmind.engine import labels
from topofmind.engine.types import Channel, Kind, Purpose, Role, Stage


def test_every_kind_channel_role_and_purpose_has_words_of_its_own() -> None:
    assert set(labels.KIND_LABELS) == {k.value for k in Kind}
    assert set(labels.CHANNEL_LABELS) == {c.value for c in Channel}
    assert set(labels.ROLE_LABELS) == {r.value for r in Role}
    assert set(labels.PURPOSE_LABELS) == {p.value for p in Purpose}


def test_labels_read_the_same_for_the_enum_and_the_stored_string() -> None:
    assert labels.kind_label(Kind.THANK_YOU) == labels.kind_label("thank_you") == "Thank-you sent"
    assert labels.purpose_label(Purpose.REPLY) == "Reply owed"
    assert labels.role_label("referrer") == "Mutual connection / referrer"
    assert labels.channel_label("in_person") == "In person"
    assert labels.stage_label(Stage.ON_HOLD) == "On hold"


def test_a_value_without_words_of_its_own_is_shown_readably() -> None:
    assert labels.kind_label("carrier_pigeon") == "Carrier pigeon"
    assert labels.channel_label("") == ""
    assert labels.role_label("board_member") == "board member"
