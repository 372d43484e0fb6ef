"""Words for the store's values, as a person reads them: their one home is engine/labels.py."""

from __future__ import annotations

from topofmind.engine.labels import (
    CHANNEL_LABELS,
    KIND_LABELS,
    PURPOSE_LABELS,
    ROLE_LABELS,
    channel_label,
    kind_label,
    purpose_label,
    role_label,
    stage_label,
)

__all__ = [
    "CHANNEL_LABELS",
    "KIND_LABELS",
    "PURPOSE_LABELS",
    "ROLE_LABELS",
    "channel_label",
    "kind_label",
    "purpose_label",
    "role_label",
    "stage_label",
]
