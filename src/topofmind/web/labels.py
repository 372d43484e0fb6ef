"""Words for the store's values, as a person reads them.

They live in ``topofmind.engine.labels`` (one home for the web, the CLI and the API); this
module only keeps the views' existing imports working.
"""

from __future__ import annotations

from topofmind.engine.labels import channel_label, kind_label, purpose_label, role_label, stage_label

__all__ = ["channel_label", "kind_label", "purpose_label", "role_label", "stage_label"]
