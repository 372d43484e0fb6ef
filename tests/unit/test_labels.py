"""Every word of the vocabulary has a human label, in one place."""

from __future__ import annotations

from topofmind.engine.labels import CHANNEL_LABELS, KIND_LABELS, PURPOSE_LABELS, ROLE_LABELS, purpose_label, stage_label
from topofmind.engine.types import Channel, Kind, Purpose, Role


def test_every_purpose_kind_channel_and_role_has_a_label() -> None:
    assert set(PURPOSE_LABELS) == {p.value for p in Purpose}
    assert set(KIND_LABELS) == {k.value for k in Kind}
    assert set(CHANNEL_LABELS) == {c.value for c in Channel}
    assert set(ROLE_LABELS) == {r.value for r in Role}


def test_a_label_reads_as_words() -> None:
    assert purpose_label("reply") == "Reply owed"
    assert stage_label("on_hold") == "On hold"
